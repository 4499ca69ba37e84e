import { MEMO, MEMO_DAY, type Secret, type SecretVersion } from './types.js';

/*
 * Secrets are built in one fixed order: the members every secret has first, all present (undefined when they
 * have no value), then the rarely set ones (deletion, policy, rotation, replication, KMS key, type), each
 * only when it has a value and always in the same order. Secrets with the same rare members then share one
 * hidden class in V8, and the common secret is a 10-member object (104 bytes; 200 when every member was
 * present). Objects that gain members in varying orders, or copies made by spreading, get hidden classes of
 * their own (about 250 bytes each). JSON.stringify drops undefined members, so nothing changes on the wire
 * or on disk. A rare member is cleared by setting it to undefined (never `delete`, which turns the object
 * into a slow dictionary); the next copy leaves it out.
 */

/** A new secret: the members every secret has, the others undefined. */
export function newSecret(arn: string, name: string, now: number): Secret {
  return { arn, name, createdDate: now, lastChangedDate: now, lastAccessedDate: undefined, description: undefined, tags: undefined, versions: [], [MEMO]: undefined, [MEMO_DAY]: 0 };
}

/**
 * A private copy for a transition to change. Values (strings, Buffers), tags and rotation rules are never
 * mutated (a change replaces them), and labels are copy-on-write: all of them are shared.
 */
export function cloneSecret(s: Secret): Secret {
  const c: Secret = {
    arn: s.arn,
    name: s.name,
    createdDate: s.createdDate,
    lastChangedDate: s.lastChangedDate,
    lastAccessedDate: s.lastAccessedDate,
    description: s.description,
    tags: s.tags,
    versions: s.versions.map(cloneVersion),
    [MEMO]: undefined,
    [MEMO_DAY]: 0,
  };
  if (s.kmsKeyId !== undefined) c.kmsKeyId = s.kmsKeyId;
  if (s.type !== undefined) c.type = s.type;
  if (s.resourcePolicy !== undefined) c.resourcePolicy = s.resourcePolicy;
  if (s.deletedDate !== undefined) c.deletedDate = s.deletedDate;
  if (s.deletionDate !== undefined) c.deletionDate = s.deletionDate;
  if (s.rotationEnabled !== undefined) c.rotationEnabled = s.rotationEnabled;
  if (s.rotationLambdaARN !== undefined) c.rotationLambdaARN = s.rotationLambdaARN;
  if (s.rotationRules !== undefined) c.rotationRules = s.rotationRules;
  if (s.lastRotatedDate !== undefined) c.lastRotatedDate = s.lastRotatedDate;
  if (s.nextRotationDate !== undefined) c.nextRotationDate = s.nextRotationDate;
  if (s.owningService !== undefined) c.owningService = s.owningService;
  if (s.primaryRegion !== undefined) c.primaryRegion = s.primaryRegion;
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
  const v: SecretVersion = { id, createdDate, stages, secretString, lastAccessedDate };
  if (secretBinary !== undefined) v.secretBinary = secretBinary;
  if (kmsKeyId !== undefined) v.kmsKeyId = kmsKeyId;
  return v;
}

/** Labels are copy-on-write (see SecretVersion.stages): the copy shares the array until one of them changes it. */
function cloneVersion(v: SecretVersion): SecretVersion {
  return shapedVersion(v.id, v.createdDate, v.stages, v.secretString, v.secretBinary, v.lastAccessedDate, v.kmsKeyId);
}

/** Sets a member only when it has a value. */
export function setDefined<T extends object, K extends keyof T>(o: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) o[key] = value;
}
