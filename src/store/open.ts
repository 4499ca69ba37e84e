import { mkdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Keyring, KeyringError, createKeyFile, parseMasterKey } from '../crypto/keyring.js';
import { keyFileSource, staticKeyring, type KeyringSource } from '../crypto/source.js';
import { MemoryStore } from './memory.js';
import type { Store } from './Store.js';

export interface StoreConfig {
  dataDir?: string;
  databaseUrl?: string;
  masterKey?: string;
  masterKeyFile?: string;
}

export interface OpenedStore {
  store: Store;
  /** what the startup line says about where data and keys live */
  description: string;
  keys?: KeyringSource;
}

export const KEY_FILE_NAME = 'master.key';
export const DB_FILE_NAME = 'secretlite.db';

/**
 * The key-encryption keys: SECRETLITE_MASTER_KEY, or a key file named by an option; with neither, a
 * random key file in the data directory (mode 0600), created on first start.
 */
export function resolveKeys(cfg: StoreConfig): { keys: KeyringSource; created: boolean } {
  if (cfg.masterKey !== undefined && cfg.masterKeyFile !== undefined) {
    throw new KeyringError('give either SECRETLITE_MASTER_KEY or a master key file, not both');
  }
  if (cfg.masterKey !== undefined) {
    return {
      keys: staticKeyring(new Keyring([{ id: 1, key: parseMasterKey(cfg.masterKey) }]), 'SECRETLITE_MASTER_KEY'),
      created: false,
    };
  }
  if (cfg.masterKeyFile !== undefined) {
    if (!existsSync(cfg.masterKeyFile)) throw new KeyringError(`master key file ${cfg.masterKeyFile} does not exist`);
    return { keys: keyFileSource(cfg.masterKeyFile), created: false };
  }
  if (cfg.dataDir === undefined) {
    throw new KeyringError(
      'PostgreSQL needs a master key shared by every instance: set SECRETLITE_MASTER_KEY or --master-key-file',
    );
  }
  const path = join(cfg.dataDir, KEY_FILE_NAME);
  const created = !existsSync(path);
  createKeyFile(path);
  if ((statSync(path).mode & 0o077) !== 0)
    throw new KeyringError(`key file ${path} is readable by others; chmod 600 it`);
  return { keys: keyFileSource(path), created };
}

export async function openStore(cfg: StoreConfig): Promise<OpenedStore> {
  if (cfg.databaseUrl !== undefined) {
    const { keys } = resolveKeys({ ...cfg, dataDir: undefined });
    const { PostgresStore } = await import('./postgres.js');
    const store = await PostgresStore.open(cfg.databaseUrl, keys);
    return { store, keys, description: `postgres ${redactUrl(cfg.databaseUrl)}, keys from ${keys.description}` };
  }
  if (cfg.dataDir !== undefined) {
    mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
    const { keys, created } = resolveKeys(cfg);
    const { SqliteStore } = await import('./sqlite.js');
    const path = join(cfg.dataDir, DB_FILE_NAME);
    const store = new SqliteStore({ path, keys });
    return {
      store,
      keys,
      description:
        `sqlite ${path}, keys from ${keys.description}` + (created ? ' (new key file created: back it up)' : ''),
    };
  }
  return { store: new MemoryStore(), description: 'memory (ephemeral)' };
}

/** A database URL without its password, for the startup line and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}
