/** Where a secret lives: AWS isolates accounts and Regions completely. */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

/** Immutable: a change to a secret's tags makes a new array (copy-on-write), so copies of a secret share them. */
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export interface SecretVersion {
  id: string;
  /** ms since epoch */
  createdDate: number;
  /**
   * staging labels, in the order they were attached; empty = deprecated. Copy-on-write: a change puts a new
   * array here, so a copy of the version may share it, and an unchanged array means unchanged labels.
   */
  stages: readonly string[];
  secretString?: string;
  secretBinary?: Buffer;
  /** day-resolution (midnight UTC), ms */
  lastAccessedDate?: number;
  /** the KMS key id recorded when this version was written (undefined = the default aws/secretsmanager key) */
  kmsKeyId?: string;
}

export interface RotationRules {
  AutomaticallyAfterDays?: number;
  Duration?: string;
  ScheduleExpression?: string;
}

/**
 * A slot for data derived from one snapshot of a secret (a stored secret never changes: a change stores a new
 * object). A symbol key: JSON.stringify never writes it, so it is never persisted or exported, and
 * cloneSecret does not copy it.
 */
export const MEMO: unique symbol = Symbol('memo');
/**
 * The day (days since the epoch) the MEMO answer was made for. A small integer, stored in the secret object
 * itself: the hot read checks it without loading LastAccessedDate, a number boxed in an object of its own
 * (one cache miss fewer per read of a secret among many).
 */
export const MEMO_DAY: unique symbol = Symbol('memoDay');

/** One secret: the aggregate that the store changes atomically. Wire names are AWS's; fields are camelCase. */
export interface Secret {
  arn: string;
  name: string;
  createdDate: number;
  lastChangedDate: number;
  lastAccessedDate?: number;
  description?: string;
  kmsKeyId?: string;
  type?: string;
  /** undefined = never tagged (DescribeSecret omits Tags); [] after all tags were removed (AWS sends "Tags": []) */
  tags?: readonly Tag[];
  resourcePolicy?: string;
  /** set when scheduled for deletion */
  deletedDate?: number;
  /** when a scheduled secret is purged */
  deletionDate?: number;
  rotationEnabled?: boolean;
  rotationLambdaARN?: string;
  rotationRules?: Readonly<RotationRules>;
  lastRotatedDate?: number;
  nextRotationDate?: number;
  owningService?: string;
  primaryRegion?: string;
  /** versions in creation order */
  versions: SecretVersion[];
  [MEMO]?: unknown;
  [MEMO_DAY]?: number;
}
