import type { ReplicaStatus, Secret, SecretVersion } from './types.js';

/** Epoch seconds with a millisecond fraction, as AWS sends timestamps in JSON [M examples]. */
export const epoch = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

/**
 * Staging labels come back sorted. The evidence is thin: LocalStack's recordings cannot show it (LocalStack
 * sorts labels itself before it records), so they prove nothing either way. The one real AWS output found, a
 * 2020 rotation walkthrough, lists ["AWSCURRENT","AWSPENDING"] for a version that received AWSPENDING first,
 * which sorting explains and insertion order does not. We sort: stable for clients, and consistent with it.
 */
export const sortedStages = (v: SecretVersion): string[] => [...v.stages].sort();

/**
 * version id -> labels, for labelled versions only (deprecated versions are hidden) [M]; absent when there are none
 * [LS-val].
 */
export function versionsToStages(s: Secret): Record<string, string[]> | undefined {
  let out: Record<string, string[]> | undefined;
  for (const v of s.versions) {
    if (v.stages.length === 0) continue;
    (out ??= {})[v.id] = sortedStages(v);
  }
  return out;
}

/**
 * DescribeSecret and ListSecrets entries: the same fields, but the label map is VersionIdsToStages in one and
 * SecretVersionsToStages in the other [M; LS-val]. Absent means absent: undefined members are dropped by JSON.
 * LastChangedDate moves with every change, metadata included ("the last date and time that this secret was
 * modified in any way" [M]). One flat literal: spreading a shared part costs more than the whole view.
 */
function secretView(s: Secret, describe: boolean) {
  const stages = versionsToStages(s);
  return {
    ARN: s.arn,
    Name: s.name,
    Type: s.type,
    Description: s.description,
    KmsKeyId: s.kmsKeyId,
    RotationEnabled: s.rotationEnabled,
    RotationLambdaARN: s.rotationLambdaARN,
    RotationRules: s.rotationRules,
    ExternalSecretRotationMetadata: s.externalSecretRotationMetadata,
    ExternalSecretRotationRoleArn: s.externalSecretRotationRoleArn,
    // "If the secret isn't configured for rotation or rotation has been disabled, Secrets Manager returns null" [M]
    LastRotatedDate: s.rotationEnabled === true ? epoch(s.lastRotatedDate) : undefined,
    LastChangedDate: epoch(s.lastChangedDate),
    LastAccessedDate: epoch(s.lastAccessedDate),
    DeletedDate: epoch(s.deletedDate),
    NextRotationDate: epoch(s.nextRotationDate),
    Tags: s.tags,
    VersionIdsToStages: describe ? stages : undefined,
    SecretVersionsToStages: describe ? undefined : stages,
    OwningService: s.owningService,
    CreatedDate: epoch(s.createdDate),
    PrimaryRegion: s.primaryRegion,
    ReplicationStatus: describe ? replicationView(s) : undefined,
  };
}

/** A primary's ReplicationStatus; absent on other secrets. */
function replicationView(s: Secret) {
  if (s.replicationStatus === undefined || s.primaryRegion === undefined) return undefined;
  return statusesView(s.replicationStatus);
}

/** ReplicationStatus entries as the wire has them, dates as epoch seconds. */
export function statusesView(statuses: readonly ReplicaStatus[]) {
  return statuses.map((r) => ({
    Region: r.Region,
    KmsKeyId: r.KmsKeyId,
    Status: r.Status,
    StatusMessage: r.StatusMessage,
    LastAccessedDate: epoch(r.LastAccessedDate),
  }));
}

export const describeView = (s: Secret) => secretView(s, true);
export const listEntryView = (s: Secret) => secretView(s, false);

export function secretValueView(s: Secret, v: SecretVersion) {
  return {
    ARN: s.arn,
    Name: s.name,
    VersionId: v.id,
    SecretBinary: v.secretBinary?.toString('base64'),
    SecretString: v.secretString,
    VersionStages: sortedStages(v),
    CreatedDate: epoch(v.createdDate),
  };
}
