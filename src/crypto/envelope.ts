import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';

/**
 * Envelope encryption of one secret version, as AWS describes its own: a fresh 256-bit data key per
 * version, AES-256-GCM with a random 96-bit nonce, the data key wrapped by a key-encryption key (a keyring
 * term). The secret's ARN and the version id are bound as additional authenticated data, so a ciphertext
 * moved to another row or version does not decrypt.
 */
export interface SealedValue {
  /** keyring term that wrapped the data key */
  t: number;
  /** 's' SecretString, 'b' SecretBinary */
  k: 's' | 'b';
  /** wrapped data key: nonce(12) | ciphertext(32) | tag(16), base64 */
  w: string;
  /** value: nonce(12) | ciphertext | tag(16), base64 */
  c: string;
}

export interface PlainValue {
  secretString?: string;
  secretBinary?: Buffer;
}

const NONCE = 12;
const TAG = 16;

function gcmSeal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(NONCE);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([nonce, body, c.getAuthTag()]);
}

function gcmOpen(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < NONCE + TAG) throw new DecryptError();
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE));
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([d.update(sealed.subarray(NONCE, sealed.length - TAG)), d.final()]);
  } catch {
    throw new DecryptError();
  }
}

/** A value failed to decrypt: wrong key, or a ciphertext that was moved or altered. Carries no data. */
export class DecryptError extends Error {
  constructor() {
    super('secret value failed to decrypt (wrong master key, or the ciphertext was moved or altered)');
    this.name = 'DecryptError';
  }
}

const valueAad = (arn: string, versionId: string) => Buffer.from(`secretlite/v1/value\0${arn}\0${versionId}`, 'utf8');
const keyAad = (arn: string, versionId: string) => Buffer.from(`secretlite/v1/datakey\0${arn}\0${versionId}`, 'utf8');

export function seal(keyring: Keyring, arn: string, versionId: string, value: PlainValue): SealedValue {
  const dataKey = randomBytes(32);
  try {
    const isString = value.secretString !== undefined;
    const plaintext = isString ? Buffer.from(value.secretString!, 'utf8') : value.secretBinary!;
    const term = keyring.current();
    return {
      t: term.id,
      k: isString ? 's' : 'b',
      w: gcmSeal(term.key, dataKey, keyAad(arn, versionId)).toString('base64'),
      c: gcmSeal(dataKey, plaintext, valueAad(arn, versionId)).toString('base64'),
    };
  } finally {
    dataKey.fill(0);
  }
}

export function open(keyring: Keyring, arn: string, versionId: string, sealed: SealedValue): PlainValue {
  const dataKey = gcmOpen(keyring.term(sealed.t).key, Buffer.from(sealed.w, 'base64'), keyAad(arn, versionId));
  try {
    const plain = gcmOpen(dataKey, Buffer.from(sealed.c, 'base64'), valueAad(arn, versionId));
    return sealed.k === 's' ? { secretString: plain.toString('utf8') } : { secretBinary: plain };
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wraps the data key under the keyring's current term; the value ciphertext is untouched. */
export function rewrap(keyring: Keyring, arn: string, versionId: string, sealed: SealedValue): SealedValue {
  const current = keyring.current();
  if (sealed.t === current.id) return sealed;
  const dataKey = gcmOpen(keyring.term(sealed.t).key, Buffer.from(sealed.w, 'base64'), keyAad(arn, versionId));
  try {
    return { ...sealed, t: current.id, w: gcmSeal(current.key, dataKey, keyAad(arn, versionId)).toString('base64') };
  } finally {
    dataKey.fill(0);
  }
}
