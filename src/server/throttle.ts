import type { OperationName } from '../model/service.js';
import { ServiceError } from '../errors/ServiceError.js';
import { setBounded } from '../bounded.js';

/*
 * AWS's request-rate quotas for Secrets Manager, as token buckets per account and Region: "each quota is specific
 * to each region", and a cross-account request counts against the caller's account, not the secret owner's [Q].
 * Where AWS names a "combined rate" of several operations they share one bucket. AWS publishes rates only; a
 * bucket holds one second's worth (burst = rate), the usual reading of a per-second TPS quota.
 *
 * [Q]   https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html (as stored in our docs
 *       corpus; every row "Each supported Region", "Adjustable: No"; the rows we could not read there in full
 *       are marked [Q-old])
 * [N25] What's New, 2025-03-04, "AWS Secrets Manager increases API requests per second limits": GetSecretValue
 *       10,000/s, DescribeSecret 40,000/s. The English quota page still shows one combined 10,000/s row for the
 *       two; its translations (docs.aws.amazon.com/zh_tw, docs.amazonaws.cn) no longer list a combined row. We
 *       follow the announcement, the newer and the more specific statement: two separate buckets.
 * [N22] What's New, 2022-11-11: ListSecrets raised to 100/s (before: ListSecrets and ListSecretVersionIds
 *       combined, 50/s).
 * [Q-old] awsdocs/aws-secrets-manager-docs doc_source/reference_limits.md (the archived table): CreateSecret,
 *       DeleteSecret, GetRandomPassword 50/s each; ListSecretVersionIds 50/s (then combined with ListSecrets).
 */

export interface Quota {
  /** AWS's name for the quota */
  readonly name: string;
  /** requests per second, per account and Region */
  readonly perSecond: number;
  readonly source: string;
}

export const QUOTAS = {
  ResourcePolicy: {
    name: 'Combined rate of DeleteResourcePolicy, GetResourcePolicy, PutResourcePolicy, ValidateResourcePolicy',
    perSecond: 50,
    source: '[Q]',
  },
  GetSecretValue: { name: 'Rate of GetSecretValue API requests', perSecond: 10_000, source: '[N25]' },
  DescribeSecret: { name: 'Rate of DescribeSecret API requests', perSecond: 40_000, source: '[N25]' },
  SecretWrites: {
    name:
      'Combined rate of PutSecretValue, RemoveRegionsFromReplication, ReplicateSecretToRegions, ' +
      'StopReplicationToReplica, UpdateSecret, UpdateSecretVersionStage',
    perSecond: 50,
    source: '[Q]',
  },
  RestoreSecret: { name: 'Rate of RestoreSecret API requests', perSecond: 50, source: '[Q]' },
  Rotation: { name: 'Combined rate of RotateSecret and CancelRotateSecret', perSecond: 50, source: '[Q]' },
  Tagging: { name: 'Combined rate of TagResource and UntagResource', perSecond: 50, source: '[Q]' },
  BatchGetSecretValue: { name: 'Rate of BatchGetSecretValue API requests', perSecond: 100, source: '[Q]' },
  CreateSecret: { name: 'Rate of CreateSecret API requests', perSecond: 50, source: '[Q-old]' },
  DeleteSecret: { name: 'Rate of DeleteSecret API requests', perSecond: 50, source: '[Q-old]' },
  GetRandomPassword: { name: 'Rate of GetRandomPassword API requests', perSecond: 50, source: '[Q-old]' },
  ListSecrets: { name: 'Rate of ListSecrets API requests', perSecond: 100, source: '[N22]' },
  ListSecretVersionIds: { name: 'Rate of ListSecretVersionIds API requests', perSecond: 50, source: '[Q-old]' },
} as const satisfies Record<string, Quota>;

export type QuotaName = keyof typeof QUOTAS;

/** The bucket each operation draws from; an operation of the model missing here does not compile. */
export const QUOTA_OF = {
  BatchGetSecretValue: 'BatchGetSecretValue',
  CancelRotateSecret: 'Rotation',
  CreateSecret: 'CreateSecret',
  DeleteResourcePolicy: 'ResourcePolicy',
  DeleteSecret: 'DeleteSecret',
  DescribeSecret: 'DescribeSecret',
  GetRandomPassword: 'GetRandomPassword',
  GetResourcePolicy: 'ResourcePolicy',
  GetSecretValue: 'GetSecretValue',
  ListSecretVersionIds: 'ListSecretVersionIds',
  ListSecrets: 'ListSecrets',
  PutResourcePolicy: 'ResourcePolicy',
  PutSecretValue: 'SecretWrites',
  RemoveRegionsFromReplication: 'SecretWrites',
  ReplicateSecretToRegions: 'SecretWrites',
  RestoreSecret: 'RestoreSecret',
  RotateSecret: 'Rotation',
  StopReplicationToReplica: 'SecretWrites',
  TagResource: 'Tagging',
  UntagResource: 'Tagging',
  UpdateSecret: 'SecretWrites',
  UpdateSecretVersionStage: 'SecretWrites',
  ValidateResourcePolicy: 'ResourcePolicy',
} as const satisfies Record<OperationName, QuotaName>;

/** The table for the README: one row per bucket, with the operations that share it. */
export function quotaTable(): { quota: QuotaName; operations: OperationName[]; perSecond: number; source: string }[] {
  return (Object.keys(QUOTAS) as QuotaName[]).map((quota) => ({
    quota,
    operations: (Object.keys(QUOTA_OF) as OperationName[]).filter((op) => QUOTA_OF[op] === quota),
    perSecond: QUOTAS[quota].perSecond,
    source: QUOTAS[quota].source,
  }));
}

/**
 * What AWS answers when a bucket is empty: `ThrottlingException` "Rate exceeded", HTTP 400 [wire: external-secrets
 * #4065; the same code and message across JSON-protocol services]. SDKs retry it with back-off.
 */
export const THROTTLED_MESSAGE = 'Rate exceeded';
export const throttlingError = (): ServiceError => new ServiceError('ThrottlingException', THROTTLED_MESSAGE, 400);

/**
 * Buckets kept at once. Account and Region come from the request (any 12-digit access key, any Region), so the map
 * is bounded; dropping the oldest bucket gives that key a full bucket again, which only errs towards serving.
 */
export const MAX_BUCKETS = 65_536;

/** Buckets count thousandths of a request, so that refills (ms x requests per second) add up exactly. */
const UNIT = 1000;

interface Bucket {
  /** thousandths of a request */
  tokens: number;
  /** when `tokens` was last brought up to date, ms */
  at: number;
}

export interface ThrottleOptions {
  /** milliseconds; monotonic is best (a clock moved back refills nothing, it does not stall) */
  readonly now: () => number;
  /** per-second rates replacing AWS's, by quota */
  readonly quotas?: Partial<Record<QuotaName, number>>;
  /** multiplies every rate (and so every burst), e.g. 0.01 for tests; a bucket always holds at least 1 request */
  readonly scale?: number;
}

export class Throttle {
  private readonly now: () => number;
  /** per quota: the rate (requests per second: thousandths per ms) and the capacity, in thousandths */
  private readonly rates = new Map<string, { perSecond: number; capacity: number }>();
  private readonly buckets = new Map<string, Bucket>();

  constructor(opts: ThrottleOptions) {
    this.now = opts.now;
    const scale = opts.scale ?? 1;
    for (const quota of Object.keys(QUOTAS) as QuotaName[]) {
      const perSecond = (opts.quotas?.[quota] ?? QUOTAS[quota].perSecond) * scale;
      this.rates.set(quota, { perSecond, capacity: Math.max(1, perSecond) * UNIT });
    }
  }

  /** Takes one request from the operation's bucket; false when it is empty (answer ThrottlingException). */
  take(accountId: string, region: string, operation: string): boolean {
    const quota = Object.prototype.hasOwnProperty.call(QUOTA_OF, operation)
      ? QUOTA_OF[operation as OperationName]
      : undefined;
    // Unknown operations are refused earlier in the pipeline; nothing to count here.
    if (quota === undefined) return true;
    const rate = this.rates.get(quota)!;
    const key = `${accountId}\n${region}\n${quota}`;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: rate.capacity, at: now };
      setBounded(this.buckets, key, bucket, MAX_BUCKETS);
    } else {
      const elapsed = now - bucket.at;
      if (elapsed > 0) bucket.tokens = Math.min(rate.capacity, bucket.tokens + elapsed * rate.perSecond);
      bucket.at = now;
    }
    if (bucket.tokens < UNIT) return false;
    bucket.tokens -= UNIT;
    return true;
  }
}
