import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync, renameSync, chmodSync } from 'node:fs';
import { DecryptError } from './envelope.js';

/** A key-encryption key and the term (generation) it belongs to. */
export interface KeyTerm {
  readonly id: number;
  readonly key: Buffer;
}

/**
 * Key-encryption keys with terms: the newest term wraps new data keys; older terms keep unwrapping what
 * they wrapped until `rotate-master-key` has re-wrapped it.
 */
export class Keyring {
  readonly #terms: Map<number, KeyTerm>;
  readonly #current: KeyTerm;
  constructor(terms: readonly KeyTerm[]) {
    if (terms.length === 0) throw new KeyringError('the keyring has no keys');
    for (const t of terms) if (t.key.length !== 32) throw new KeyringError(`key term ${t.id} is not 32 bytes`);
    this.#terms = new Map(terms.map((t) => [t.id, t]));
    this.#current = terms.reduce((a, b) => (b.id > a.id ? b : a));
  }
  current(): KeyTerm {
    return this.#current;
  }
  term(id: number): KeyTerm {
    const t = this.#terms.get(id);
    if (!t) throw new DecryptError();
    return t;
  }
  terms(): KeyTerm[] {
    return [...this.#terms.values()].sort((a, b) => a.id - b.id);
  }
  /** A keyring with one more term, newer than every other. */
  withNewTerm(key: Buffer = randomBytes(32)): Keyring {
    return new Keyring([...this.terms(), { id: this.#current.id + 1, key }]);
  }
}

export class KeyringError extends Error {}

/** A master key given directly: 32 bytes as base64 or 64 hex characters. */
export function parseMasterKey(text: string): Buffer {
  const s = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(s)) return Buffer.from(s, 'base64');
  throw new KeyringError('the master key must be 32 bytes, as base64 (44 characters) or hex (64 characters)');
}

/** Key file format: {"secretlite-keyring": 1, "terms": [{"id": 1, "key": "<base64>"}]}, mode 0600. */
export function readKeyFile(path: string): Keyring {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new KeyringError(`cannot read key file ${path}: ${(e as Error).message}`);
  }
  const terms = (doc as { terms?: unknown }).terms;
  if (!Array.isArray(terms)) throw new KeyringError(`key file ${path} has no terms`);
  return new Keyring(
    terms.map((t: { id?: unknown; key?: unknown }) => {
      if (typeof t.id !== 'number' || typeof t.key !== 'string')
        throw new KeyringError(`key file ${path} is malformed`);
      return { id: t.id, key: Buffer.from(t.key, 'base64') };
    }),
  );
}

export function writeKeyFile(path: string, keyring: Keyring): void {
  const body = JSON.stringify(
    { 'secretlite-keyring': 1, terms: keyring.terms().map((t) => ({ id: t.id, key: t.key.toString('base64') })) },
    null,
    2,
  );
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${body}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export function createKeyFile(path: string): Keyring {
  if (existsSync(path)) return readKeyFile(path);
  const ring = new Keyring([{ id: 1, key: randomBytes(32) }]);
  writeKeyFile(path, ring);
  return ring;
}
