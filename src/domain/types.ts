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

/**
 * A value: never changed once made (domain/versions.ts replaces a version by a changed copy), so that the copy
 * of a secret a transition changes shares its versions with the stored snapshot (cloneSecret).
 */
export interface SecretVersion {
  readonly id: string;
  /** ms since epoch */
  readonly createdDate: number;
  /**
   * staging labels, in the order they were attached; empty = deprecated. Copy-on-write: a change puts a new
   * array in a new version, so versions may share it, and an unchanged array means unchanged labels.
   */
  readonly stages: readonly string[];
  readonly secretString?: string;
  readonly secretBinary?: Buffer;
  /** day-resolution (midnight UTC), ms */
  readonly lastAccessedDate?: number;
  /** the KMS key id recorded when this version was written (undefined = the default aws/secretsmanager key) */
  readonly kmsKeyId?: string;
}

export interface RotationRules {
  AutomaticallyAfterDays?: number;
  Duration?: string;
  ScheduleExpression?: string;
}

/** A rotation under way (RotateSecret's or the scheduler's): persisted, so a restart or another instance resumes it. */
export interface RotationRun {
  /** the rotation's ClientRequestToken: the id of its AWSPENDING version */
  readonly token: string;
  /** RotateImmediately=false: only testSecret runs, on a pending copy of the current value, then AWSPENDING goes */
  readonly testOnly: boolean;
  /** the attempt under way or next (1 first); a failed attempt is retried with the same token, a few times */
  readonly attempt: number;
}

/** The last failed attempt of a rotation, for the log and the console: never holds a secret value. */
export interface RotationFailure {
  readonly date: number;
  readonly step: string;
  readonly message: string;
}

/** A key and value (both optional in the model) of ExternalSecretRotationMetadata. */
export interface MetadataItem {
  readonly Key?: string;
  readonly Value?: string;
}

/** A replica's state, as the primary's ReplicationStatus shows it [M ReplicationStatusType]. */
export interface ReplicaStatus {
  readonly Region: string;
  /** the replica's key; "alias/aws/secretsmanager" for the default [DOC CLI examples] */
  readonly KmsKeyId: string;
  readonly Status: 'InSync' | 'Failed' | 'InProgress';
  readonly StatusMessage?: string;
  /** day-resolution, ms: the last day the replica was read */
  readonly LastAccessedDate?: number;
}

/**
 * A slot for the serialized AWSCURRENT answer of one stored snapshot, owned by protocol/answers.ts (the only
 * member written after a snapshot is stored: a stored secret never changes, a change stores a new object). A
 * symbol key: JSON.stringify never writes it, so it is never persisted or exported, and copies do not carry it.
 */
export const MEMO: unique symbol = Symbol('memo');
/**
 * The day (days since the epoch) on which a read found this snapshot's AWSCURRENT access already recorded,
 * owned by operations/reads.ts: the next reads that day skip the version lookup and the date comparison. A small
 * integer in the secret object itself, where LastAccessedDate is a boxed number: one cache miss less per read.
 */
export const READ_DAY: unique symbol = Symbol('readDay');
/**
 * On a secret of many versions: every version id it and the snapshots it was copied from ever had (a set shared
 * by them, which only grows), owned by domain/versions.ts. An id not in it names no version, found without a
 * look at each version (a cache miss each, among many secrets). Not persisted (a symbol); copies carry it.
 */
export const VERSION_IDS: unique symbol = Symbol('versionIds');

/**
 * On a transition's copy of a stored snapshot (cloneSecret): the versions array it shares with that snapshot. The
 * copy costs no copy of the array (a secret may hold a thousand versions); domain/versions.ts, the only code that
 * changes a version array in place, copies it first while it is still the shared one (own). Not persisted (a symbol).
 */
export const SHARED_VERSIONS: unique symbol = Symbol('sharedVersions');

/**
 * On the secret a read in a replica's Region answers with (domain/replicas.ts replicaView): the replica's own record
 * (its ARN, key, access date) and the primary snapshot the rest comes from. Never stored (a symbol).
 */
export const VIEW_OF: unique symbol = Symbol('viewOf');
/**
 * On a stored replica record: the view made from it and the primary snapshot it was made from, reused while that
 * snapshot is the primary's current one (domain/replicas.ts replicaView). A cache, like MEMO; never stored.
 */
export const REPLICA_VIEW: unique symbol = Symbol('replicaView');

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
  /** managed external secrets (2025): the partner's metadata and the role that lets Secrets Manager rotate */
  externalSecretRotationMetadata?: readonly MetadataItem[];
  externalSecretRotationRoleArn?: string;
  rotationRun?: Readonly<RotationRun>;
  rotationFailure?: Readonly<RotationFailure>;
  /**
   * When the scheduler (jobs/rotate.ts) next has work on this secret's rotation: the start of its next window, a
   * retry, or the end of the lease of a rotation under way (a crashed instance's rotation resumes after it).
   * Stores find due secrets by it (an index), never by reading every secret.
   */
  rotationDueDate?: number;
  owningService?: string;
  /**
   * On a primary with replicas, its own Region; on a replica (a record in the replica's Region that names no data
   * of its own: reads answer from the primary, domain/replicas.ts), the primary's Region.
   */
  primaryRegion?: string;
  /** a primary's replicas, in the order they were added */
  replicationStatus?: readonly ReplicaStatus[];
  /**
   * versions in creation order. Read-only: a change assigns a new array, or changes in place only an array of its
   * own (domain/versions.ts own; a transition's copy shares its snapshot's array: SHARED_VERSIONS).
   */
  versions: readonly SecretVersion[];
  [MEMO]?: string;
  [READ_DAY]?: number;
  [VERSION_IDS]?: Set<string>;
  [SHARED_VERSIONS]?: readonly SecretVersion[];
  [VIEW_OF]?: { readonly replica: Secret; readonly primary: Secret };
  [REPLICA_VIEW]?: { readonly primary: Secret; readonly view: Secret };
}
