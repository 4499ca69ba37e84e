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
   * In the metadata document: this version has a value in the values document. A version so marked whose
   * value is missing (a damaged or tampered row) answers DecryptionFailure, never "no value"
   * (ResourceNotFoundException is for versions that never had one, the placeholder of a rotation).
   * Documents written before the marker existed have none: their versions are read as before.
   */
  valued?: 1;
};
export type SealedSecret = Omit<Secret, 'versions'> & { versions: SealedVersion[] };

/**
 * A sealed secret as two JSON documents: the metadata (everything but the values; what listings read) and
 * the sealed values by version id. Listing a page then never parses envelopes.
 */
export function splitDoc(s: SealedSecret): { meta: string; values: string } {
  const values: Record<string, SealedValue> = {};
  const versions = s.versions.map(({ sealed, ...v }): SealedVersion => {
    if (!sealed) return v;
    values[v.id] = sealed;
    return { ...v, valued: 1 };
  });
  return { meta: JSON.stringify({ ...s, versions }), values: JSON.stringify(values) };
}

/** The metadata document alone (versions without values), or joined with its values. */
export function joinDoc(meta: string, values?: string): SealedSecret {
  const s = JSON.parse(meta) as SealedSecret;
  if (values !== undefined) {
    const sealed = JSON.parse(values) as Record<string, SealedValue>;
    for (const v of s.versions) {
      const value = sealed[v.id];
      if (value) v.sealed = value;
    }
  }
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

/** Metadata only: versions without their values (for listings, which never return values). */
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

/**
 * Seals a secret for writing. A version whose value was sealed before keeps its envelope (values of a
 * version never change); a version that gained its value (a new version, or the placeholder a rotation
 * filled) gets a fresh data key.
 */
export function sealSecret(keyring: Keyring, next: Secret, before: SealedSecret | undefined): SealedSecret {
  const previous = new Map<string, SealedValue>();
  if (before && before.arn === next.arn) for (const v of before.versions) if (v.sealed) previous.set(v.id, v.sealed);
  return {
    ...next,
    versions: next.versions.map(({ secretString, secretBinary, ...v }) => {
      if (secretString === undefined && secretBinary === undefined) return v;
      return { ...v, sealed: previous.get(v.id) ?? seal(keyring, next.arn, v.id, { secretString, secretBinary }) };
    }),
  };
}
