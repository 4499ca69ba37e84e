import type { Secret, SecretVersion } from '../domain/types.js';
import { DecryptError, open, seal, type PlainValue, type SealedValue } from '../crypto/envelope.js';
import { shapedSecret, shapedVersion } from '../domain/secret.js';
import type { Keyring } from '../crypto/keyring.js';
import type { KeyringSource } from '../crypto/source.js';

/**
 * The persisted form of a secret: the aggregate with every version's value replaced by its envelope.
 * Persistent backends store only this: plaintext never reaches them.
 */
export type SealedVersion = Omit<SecretVersion, 'secretString' | 'secretBinary'> & {
  sealed?: SealedValue;
  /**
   * In the metadata document: this version has a value (in its row's sealed value). A version so marked whose
   * value is missing (a damaged or tampered row) answers DecryptionFailure, never "no value"
   * (ResourceNotFoundException is for versions that never had one, the placeholder of a rotation).
   * Documents written before the marker existed have none: their versions are read as before.
   */
  valued?: 1;
};
export type SealedSecret = Omit<Secret, 'versions'> & { versions: SealedVersion[] };

/*
 * The stored layout (both SQL backends, store/sqlSchema.ts): a row per secret holding its metadata document, and a
 * row per version holding that version's metadata document and its sealed value. The secret's document also
 * carries its labelled versions' metadata (a few at most), so that a listing reads one row per secret and still
 * answers SecretVersionsToStages; a write rewrites the secret's row and only the versions that changed.
 */

/** A version's metadata as stored: everything but the value, marked `valued` when it has one. */
function versionMeta(v: SecretVersion): SealedVersion {
  const m: SealedVersion = {
    id: v.id,
    createdDate: v.createdDate,
    stages: v.stages,
    lastAccessedDate: v.lastAccessedDate,
    kmsKeyId: v.kmsKeyId,
  };
  if (v.secretString !== undefined || v.secretBinary !== undefined) m.valued = 1;
  return m;
}

/** A version's metadata document (its row's `doc`). */
export const versionDoc = (v: SecretVersion): string => JSON.stringify(versionMeta(v));

/** The secret's metadata document: no values, and of its versions only the labelled ones (what listings need). */
export function secretDoc(s: Secret): string {
  const labelled: SealedVersion[] = [];
  for (const v of s.versions) if (v.stages.length > 0) labelled.push(versionMeta(v));
  return JSON.stringify({ ...s, versions: labelled });
}

/** A version's value sealed under a fresh data key, as its row stores it; null for a version without a value. */
export function sealVersion(keyring: Keyring, arn: string, v: SecretVersion): string | null {
  if (v.secretString === undefined && v.secretBinary === undefined) return null;
  return JSON.stringify(seal(keyring, arn, v.id, { secretString: v.secretString, secretBinary: v.secretBinary }));
}

/** A stored version: its metadata document and its sealed value (null: none). */
export interface VersionRow {
  doc: string;
  val: string | null;
}

/** The secret's document alone (listings: its labelled versions, without values). */
export const joinDoc = (doc: string): SealedSecret => JSON.parse(doc) as SealedSecret;

/** The sealed secret from its document and all its version rows, in creation order. */
export function joinRows(doc: string, rows: readonly VersionRow[]): SealedSecret {
  const s = JSON.parse(doc) as SealedSecret;
  s.versions = rows.map((r) => {
    const v = JSON.parse(r.doc) as SealedVersion;
    if (r.val !== null) v.sealed = JSON.parse(r.val) as SealedValue;
    return v;
  });
  return s;
}

/** Opens every version's value; a term this process does not know yet sends it to re-read its key file once. */
export function openSecretFrom(keys: KeyringSource, s: SealedSecret): Secret {
  try {
    return openSecret(keys.keyring(), s);
  } catch (e) {
    const known = new Set(
      keys
        .keyring()
        .terms()
        .map((t) => t.id),
    );
    if (!s.versions.some((v) => v.sealed && !known.has(v.sealed.t))) throw e;
    keys.refresh(true);
    return openSecret(keys.keyring(), s);
  }
}

/** Opens every version's value. Secrets and versions come out in their fixed shape (domain/secret.ts). */
export function openSecret(keyring: Keyring, s: SealedSecret): Secret {
  return shapedSecret(
    s,
    s.versions.map((v) => openedVersion(v, openValue(keyring, s.arn, v))),
  );
}

function openValue(keyring: Keyring, arn: string, v: SealedVersion): PlainValue | undefined {
  if (v.sealed) return open(keyring, arn, v.id, v.sealed);
  if (v.valued) throw new DecryptError();
  return undefined;
}

/** Metadata only: versions without their values (listings: the labelled versions of the secret's document). */
export function withoutValues(s: SealedSecret): Secret {
  return shapedSecret(
    s,
    s.versions.map((v) => openedVersion(v, undefined)),
  );
}

function openedVersion(v: SealedVersion, value: PlainValue | undefined): SecretVersion {
  return shapedVersion(
    v.id,
    v.createdDate,
    v.stages,
    value?.secretString,
    value?.secretBinary,
    v.lastAccessedDate,
    v.kmsKeyId,
  );
}
