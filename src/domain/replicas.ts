import { REPLICA_VIEW, VIEW_OF, type ReplicaStatus, type Scope, type Secret } from './types.js';
import { shapedSecret } from './secret.js';
import { InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

/*
 * Multi-Region secrets (rotation-replication.md B4). A replica is a record in its own Region that holds no data of
 * its own: its ARN (the primary's with the Region swapped), name, key, creation and access dates, and the primary's
 * Region. Every read in the replica's Region answers from the primary's current snapshot (replicaView), so a replica
 * is never stale: a change to the primary is visible in every replica as soon as it is stored, on every store and
 * every instance, and a write to the primary costs nothing more for having replicas.
 */

/** The Region of an ARN (`arn:aws:secretsmanager:REGION:...`). */
export const regionOf = (arn: string): string => arn.split(':')[3] ?? '';

/** The ARN with another Region: a replica's from its primary's, or back [M: "ARN differs only in its Region"]. */
export function arnInRegion(arn: string, region: string): string {
  const parts = arn.split(':');
  parts[3] = region;
  return parts.join(':');
}

/** Where an ARN's part after the Region starts (`:ACCOUNT:secret:NAME-XXXXXX`). */
function afterRegion(arn: string): number {
  let colons = 0;
  for (let i = 0; i < arn.length; i++) if (arn.charCodeAt(i) === 58 && ++colons === 4) return i;
  return arn.length;
}

/** Whether two ARNs name the same secret in two Regions (equal but for the Region), without making a string. */
export function sameSecret(a: string, b: string): boolean {
  const i = afterRegion(a);
  const j = afterRegion(b);
  if (a.length - i !== b.length - j) return false;
  for (let k = 0; k < a.length - i; k++) if (a.charCodeAt(i + k) !== b.charCodeAt(j + k)) return false;
  return true;
}

/** Whether a stored record is a replica (in a Region other than its primary's). */
export function isReplica(s: Secret): boolean {
  const p = s.primaryRegion;
  if (p === undefined) return false;
  const at = afterRegion(s.arn) - p.length;
  return !(s.arn.charCodeAt(at - 1) === 58 && s.arn.startsWith(p, at));
}

/**
 * Writes are refused on a replica [REAL: PutResourcePolicy, DeleteSecret; DOC for the other writes]: "Operation not
 * permitted on a replica secret. Call must be made in primary secret's region."
 */
export function assertPrimary(s: Secret, scope: Scope): void {
  if (s.primaryRegion !== undefined && s.primaryRegion !== scope.region) throw InvalidParameter(MSG.replicaOperation);
}

/** The default key as ReplicationStatus shows it [DOC CLI: "KmsKeyId": "alias/aws/secretsmanager"]. */
export const DEFAULT_REPLICA_KEY = 'alias/aws/secretsmanager';

/** The record of a new replica of `primary` in `region`. */
export function newReplica(primary: Secret, region: string, kmsKeyId: string | undefined, now: number): Secret {
  const r = shapedSecret(
    {
      arn: arnInRegion(primary.arn, region),
      name: primary.name,
      createdDate: now,
      lastChangedDate: now,
    },
    [],
  );
  if (kmsKeyId !== undefined && kmsKeyId !== DEFAULT_REPLICA_KEY) r.kmsKeyId = kmsKeyId;
  r.primaryRegion = regionOf(primary.arn);
  return r;
}

/** Whether a primary lists a replica in `region` that was made (InSync). */
export const listsReplica = (primary: Secret, region: string): boolean =>
  primary.replicationStatus?.some((r) => r.Region === region && r.Status === 'InSync') === true;

/**
 * What a read of `replica` answers: the primary's snapshot with the replica's own ARN, key and dates, and
 * PrimaryRegion; no ReplicationStatus [INF]. The replica record keeps the view it made last, reused while the
 * primary's snapshot is the same, so the answer caches on it (protocol/answers.ts) serve replica reads as they serve
 * the primary's (a WeakMap keyed by snapshots cost a third more per read at 100,000 secrets: V8's collector walks
 * its entries).
 */
export function replicaView(replica: Secret, primary: Secret): Secret {
  const cached = replica[REPLICA_VIEW];
  if (cached?.primary === primary) return cached.view;
  const v = shapedSecret(
    {
      ...primary,
      arn: replica.arn,
      createdDate: replica.createdDate,
      lastAccessedDate: replica.lastAccessedDate,
      kmsKeyId: replica.kmsKeyId,
      primaryRegion: regionOf(primary.arn),
      replicationStatus: undefined,
    },
    primary.versions,
  );
  v[VIEW_OF] = { replica, primary };
  replica[REPLICA_VIEW] = { primary, view: v };
  return v;
}

/** A ReplicationStatus entry: InSync and Failed carry their message [DOC CLI; M example]. */
export function status(region: string, kmsKeyId: string | undefined, s: ReplicaStatus['Status']): ReplicaStatus {
  const st: { -readonly [K in keyof ReplicaStatus]: ReplicaStatus[K] } = {
    Region: region,
    KmsKeyId: kmsKeyId ?? DEFAULT_REPLICA_KEY,
    Status: s,
  };
  if (s === 'InSync') st.StatusMessage = MSG.replicationSucceeded;
  if (s === 'Failed') st.StatusMessage = MSG.replicaNameTaken;
  return st;
}

/**
 * A primary's transition when replicas go (RemoveRegionsFromReplication, a promotion by StopReplicationToReplica):
 * their entries leave ReplicationStatus; with none left, the secret is no longer a primary. Whether it changed.
 */
export function dropStatuses(primary: Secret, regions: ReadonlySet<string>): boolean {
  const before = primary.replicationStatus ?? [];
  const left = before.filter((r) => !regions.has(r.Region));
  if (left.length === before.length) return false;
  primary.replicationStatus = left.length ? left : undefined;
  if (left.length === 0) primary.primaryRegion = undefined;
  return true;
}

/**
 * A primary's transition for one replica's entry (its key changed, it was read today): the entry made anew with
 * `change`, copy-on-write. Whether it changed (no entry for the Region, or `change` returned it as it was).
 */
export function updateStatus(
  primary: Secret,
  region: string,
  change: (entry: ReplicaStatus) => ReplicaStatus,
): boolean {
  const statuses = primary.replicationStatus;
  const i = statuses?.findIndex((r) => r.Region === region) ?? -1;
  if (!statuses || i < 0) return false;
  const next = change(statuses[i]!);
  if (next === statuses[i]) return false;
  const copy = [...statuses];
  copy[i] = next;
  primary.replicationStatus = copy;
  return true;
}
