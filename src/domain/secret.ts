import { MEMO, READ_DAY, SHARED_VERSIONS, VERSION_IDS, type Secret, type SecretVersion } from './types.js';

/*
 * Secrets are built in one fixed order, so that they share hidden classes in V8 (CONTRIBUTING, "Performance"):
 * the common members always present (undefined when unset), then the rare ones only when set, in SECRET_MEMBERS'
 * order. A rare member is cleared by setting it to undefined, never `delete`; the next copy leaves it out.
 */

/**
 * Every member of a secret, declared once. 'common' members are on every secret (undefined when they have no
 * value), 'rare' ones only when set, copied in this order. A member added to `Secret` without a row here does
 * not compile; copying follows the table, and the field-survival contract test (test/store/contract.ts) sets
 * every member and checks that it survives a write, a restart and an export/import.
 */
export const SECRET_MEMBERS = {
  arn: 'common',
  name: 'common',
  createdDate: 'common',
  lastChangedDate: 'common',
  lastAccessedDate: 'common',
  description: 'common',
  tags: 'common',
  versions: 'common',
  kmsKeyId: 'rare',
  type: 'rare',
  resourcePolicy: 'rare',
  deletedDate: 'rare',
  deletionDate: 'rare',
  rotationEnabled: 'rare',
  rotationLambdaARN: 'rare',
  rotationRules: 'rare',
  lastRotatedDate: 'rare',
  nextRotationDate: 'rare',
  externalSecretRotationMetadata: 'rare',
  externalSecretRotationRoleArn: 'rare',
  rotationRun: 'rare',
  rotationFailure: 'rare',
  rotationDueDate: 'rare',
  owningService: 'rare',
  primaryRegion: 'rare',
  replicationStatus: 'rare',
} as const satisfies { readonly [K in Exclude<keyof Secret, symbol>]-?: 'common' | 'rare' };

/** Every member of a version, declared once (as SECRET_MEMBERS). */
export const VERSION_MEMBERS = {
  id: 'common',
  createdDate: 'common',
  stages: 'common',
  secretString: 'common',
  lastAccessedDate: 'common',
  secretBinary: 'rare',
  kmsKeyId: 'rare',
} as const satisfies { readonly [K in keyof SecretVersion]-?: 'common' | 'rare' };

/** A new secret: the members every secret has, the others undefined. */
export function newSecret(arn: string, name: string, now: number): Secret {
  return shapedSecret({ arn, name, createdDate: now, lastChangedDate: now }, []);
}

/**
 * A private copy for a transition to change. Versions are never changed in place (domain/versions.ts replaces one
 * by a changed copy), nor are values (strings, Buffers), tags and rotation rules (a change replaces them), and
 * labels are copy-on-write: all are shared. So is the versions array, until versions.ts changes it (it copies it
 * first: SHARED_VERSIONS): a write that adds a version copies it once, where a copy here cost a second copy of a
 * thousand versions, kept alive by V8 long enough to be promoted (issue 13).
 */
export function cloneSecret(s: Secret): Secret {
  const c = shapedSecret(s, s.versions);
  c[SHARED_VERSIONS] = s.versions;
  if (s[VERSION_IDS] !== undefined) c[VERSION_IDS] = s[VERSION_IDS];
  return c;
}

/**
 * A secret in the fixed shape, from any object holding its members (a copy, or one parsed from a store):
 * the common members in one literal, then the rare ones that are set, in SECRET_MEMBERS' order. Runs on
 * writes and store reads only; the hot reads never copy.
 */
export function shapedSecret(src: Omit<Secret, 'versions'>, versions: readonly SecretVersion[]): Secret {
  const c: Secret = {
    arn: src.arn,
    name: src.name,
    createdDate: src.createdDate,
    lastChangedDate: src.lastChangedDate,
    lastAccessedDate: src.lastAccessedDate,
    description: src.description,
    tags: src.tags,
    versions,
    [MEMO]: undefined,
    [READ_DAY]: 0,
    [SHARED_VERSIONS]: undefined,
  };
  // The rare members, one statement each (a loop over the names is a megamorphic keyed load per member, on every
  // write). The field-survival test checks this list against SECRET_MEMBERS on every store.
  if (src.kmsKeyId !== undefined) c.kmsKeyId = src.kmsKeyId;
  if (src.type !== undefined) c.type = src.type;
  if (src.resourcePolicy !== undefined) c.resourcePolicy = src.resourcePolicy;
  if (src.deletedDate !== undefined) c.deletedDate = src.deletedDate;
  if (src.deletionDate !== undefined) c.deletionDate = src.deletionDate;
  if (src.rotationEnabled !== undefined) c.rotationEnabled = src.rotationEnabled;
  if (src.rotationLambdaARN !== undefined) c.rotationLambdaARN = src.rotationLambdaARN;
  if (src.rotationRules !== undefined) c.rotationRules = src.rotationRules;
  if (src.lastRotatedDate !== undefined) c.lastRotatedDate = src.lastRotatedDate;
  if (src.nextRotationDate !== undefined) c.nextRotationDate = src.nextRotationDate;
  if (src.externalSecretRotationMetadata !== undefined)
    c.externalSecretRotationMetadata = src.externalSecretRotationMetadata;
  if (src.externalSecretRotationRoleArn !== undefined)
    c.externalSecretRotationRoleArn = src.externalSecretRotationRoleArn;
  if (src.rotationRun !== undefined) c.rotationRun = src.rotationRun;
  if (src.rotationFailure !== undefined) c.rotationFailure = src.rotationFailure;
  if (src.rotationDueDate !== undefined) c.rotationDueDate = src.rotationDueDate;
  if (src.owningService !== undefined) c.owningService = src.owningService;
  if (src.primaryRegion !== undefined) c.primaryRegion = src.primaryRegion;
  if (src.replicationStatus !== undefined) c.replicationStatus = src.replicationStatus;
  return c;
}

/** A version: the members every version has, then a binary value or a KMS key id only when there is one (see above). */
export function shapedVersion(
  id: string,
  createdDate: number,
  stages: readonly string[],
  secretString: string | undefined,
  secretBinary: Buffer | undefined,
  lastAccessedDate: number | undefined,
  kmsKeyId: string | undefined,
): SecretVersion {
  const v: { -readonly [K in keyof SecretVersion]: SecretVersion[K] } = {
    id,
    createdDate,
    stages,
    secretString,
    lastAccessedDate,
  };
  if (secretBinary !== undefined) v.secretBinary = secretBinary;
  if (kmsKeyId !== undefined) v.kmsKeyId = kmsKeyId;
  return v;
}

/** Sets a member only when it has a value. */
export function setDefined<T extends object, K extends keyof T>(o: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) o[key] = value;
}
