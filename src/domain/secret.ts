import { MEMO, type Secret, type SecretVersion } from './types.js';

/*
 * Secrets and versions are built with every member present (undefined when it has no value), in one fixed
 * order: all of them then share one hidden class. Objects that gain members later (a spread copy that a
 * transition then extends) get a hidden class of their own in V8, about 250 bytes each: at 100,000 secrets
 * that cost more than the secrets themselves. JSON.stringify drops undefined members, so nothing changes on
 * the wire or on disk.
 */

/** A new secret: the members every secret has, the others undefined. */
export function newSecret(arn: string, name: string, now: number): Secret {
  return shaped(arn, name, now, now, [], undefined);
}

/**
 * A private copy for a transition to change. Values (strings, Buffers), tags and rotation rules are never
 * mutated (a change replaces them), and labels are copy-on-write: all of them are shared.
 */
export function cloneSecret(s: Secret): Secret {
  return shaped(s.arn, s.name, s.createdDate, s.lastChangedDate, s.versions.map(cloneVersion), s);
}

function shaped(arn: string, name: string, createdDate: number, lastChangedDate: number, versions: SecretVersion[], s: Secret | undefined): Secret {
  return {
    arn,
    name,
    createdDate,
    lastChangedDate,
    lastAccessedDate: s?.lastAccessedDate,
    description: s?.description,
    kmsKeyId: s?.kmsKeyId,
    type: s?.type,
    tags: s?.tags,
    resourcePolicy: s?.resourcePolicy,
    deletedDate: s?.deletedDate,
    deletionDate: s?.deletionDate,
    rotationEnabled: s?.rotationEnabled,
    rotationLambdaARN: s?.rotationLambdaARN,
    rotationRules: s?.rotationRules,
    lastRotatedDate: s?.lastRotatedDate,
    nextRotationDate: s?.nextRotationDate,
    owningService: s?.owningService,
    primaryRegion: s?.primaryRegion,
    versions,
    [MEMO]: undefined,
  };
}

/** A version with every member present (see above). */
export function shapedVersion(
  id: string,
  createdDate: number,
  stages: readonly string[],
  secretString: string | undefined,
  secretBinary: Buffer | undefined,
  lastAccessedDate: number | undefined,
  kmsKeyId: string | undefined,
): SecretVersion {
  return { id, createdDate, stages, secretString, secretBinary, lastAccessedDate, kmsKeyId };
}

/** Labels are copy-on-write (see SecretVersion.stages): the copy shares the array until one of them changes it. */
function cloneVersion(v: SecretVersion): SecretVersion {
  return shapedVersion(v.id, v.createdDate, v.stages, v.secretString, v.secretBinary, v.lastAccessedDate, v.kmsKeyId);
}

/** Sets a member only when it has a value. */
export function setDefined<T extends object, K extends keyof T>(o: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) o[key] = value;
}
