import type { APIErrorType } from '../model/types.js';
import type { OperationOutputs } from '../model/types.js';
import type { Secret, SecretVersion } from '../domain/types.js';

/** A value read: the stored snapshot, and the version of it that was read (absent: its AWSCURRENT version). */
export interface ValueRead {
  readonly secret: Secret;
  readonly version?: SecretVersion;
}

/** A page of stored snapshots, in sort order. */
export interface SecretPage {
  readonly secrets: readonly Secret[];
  readonly nextToken?: string;
}

/** BatchGetSecretValue: the values read, and the secrets that could not be read. */
export interface BatchRead {
  readonly values: readonly ValueRead[];
  readonly errors: APIErrorType[];
  readonly nextToken?: string;
}

/**
 * What each operation answers. Most answer their output as the model defines it (an extra member does not
 * compile). The reads that serve stored snapshots answer what they read instead, so that an audit record, an
 * access check or the console can see which secret and version it was; protocol/answers.ts turns these into
 * the same wire output, through the answer caches it owns.
 */
export interface OperationResults extends Omit<
  OperationOutputs,
  'GetSecretValue' | 'DescribeSecret' | 'ListSecrets' | 'BatchGetSecretValue'
> {
  GetSecretValue: ValueRead;
  DescribeSecret: Secret;
  ListSecrets: SecretPage;
  BatchGetSecretValue: BatchRead;
}
