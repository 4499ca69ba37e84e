import { join } from 'node:path';
import { KeyringError, readKeyFile, writeKeyFile } from '../crypto/keyring.js';
import { rewrap } from '../crypto/envelope.js';
import { KEY_FILE_NAME, openStore, type StoreConfig } from '../store/open.js';
import type { SealedSecret } from '../store/sealed.js';

/**
 * `secretlite rotate-master-key`: adds a new key term to the key file, then re-wraps every data key under
 * it, one secret per transaction. Running servers keep working throughout: they re-read the key file when
 * it changes, and old terms keep decrypting until nothing uses them.
 */
export async function rotateMasterKey(cfg: StoreConfig): Promise<{ term: number; rewrapped: number }> {
  if (cfg.masterKey !== undefined) {
    throw new KeyringError('rotate-master-key works on a key file; SECRETLITE_MASTER_KEY is a single fixed key');
  }
  const path = cfg.masterKeyFile ?? (cfg.dataDir !== undefined ? join(cfg.dataDir, KEY_FILE_NAME) : undefined);
  if (path === undefined)
    throw new KeyringError('name the key file (--master-key-file) or the data directory (--data-dir)');
  if (cfg.databaseUrl === undefined && cfg.dataDir === undefined) {
    throw new KeyringError('name the data directory (--data-dir) or the database (--database-url)');
  }
  const next = readKeyFile(path).withNewTerm();
  writeKeyFile(path, next);
  const term = next.current().id;
  // the store opened with the key file just written: its key check accepts the old terms and the new one
  const opened = await openStore({ dataDir: cfg.dataDir, databaseUrl: cfg.databaseUrl, masterKeyFile: path });
  const { store } = opened;
  const keys = opened.keys!; // a persistent store always has its keys
  const rewrapSecret = (s: SealedSecret): SealedSecret | undefined => {
    let changed = false;
    const versions = s.versions.map((v) => {
      if (!v.sealed || v.sealed.t === term) return v;
      changed = true;
      return { ...v, sealed: rewrap(keys.keyring(), s.arn, v.id, v.sealed) };
    });
    return changed ? { ...s, versions } : undefined;
  };
  try {
    if (!store.sealedValues) throw new KeyringError(`the ${store.kind} store keeps no sealed values`);
    await store.sealedValues.recordKeyTerm();
    return { term, rewrapped: await store.sealedValues.rewrapAll(rewrapSecret) };
  } finally {
    await store.close();
  }
}
