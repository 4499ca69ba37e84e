import type { Context } from './context.js';
import { mutateSecret, viewOf } from './context.js';
import { READ_DAY, VIEW_OF, type ReplicaStatus, type Secret, type SecretVersion } from '../domain/types.js';
import { isReplica, regionOf, updateStatus } from '../domain/replicas.js';
import { compileFilters, type Filter } from '../domain/filters.js';
import { accessDay, assertNotDeleted, dayNumber, isPurgeable } from '../domain/lifecycle.js';
import { decodeToken, encodeToken } from '../domain/pagination.js';
import { AWSCURRENT, hasValue, touchVersion, versionById, versionWithStage } from '../domain/versions.js';
import { InvalidRequest, ResourceNotFound } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import type { Cursor, MaybePromise, SortKey } from '../store/Store.js';
import type { SecretPage, ValueRead } from './results.js';

// Reads shared by several operations (GetSecretValue and BatchGetSecretValue; ListSecrets and
// BatchGetSecretValue), so that operations never import each other.

/** The version a read names: by id, by label, or AWSCURRENT [M; LS-val test_get_secret_value_errors]. */
export function selectVersion(s: Secret, versionId: string | undefined, stage: string | undefined): SecretVersion {
  if (versionId !== undefined) {
    const v = versionById(s, versionId);
    if (!v || !hasValue(v)) throw ResourceNotFound(MSG.valueNotFoundForVersion(versionId));
    if (stage !== undefined && !v.stages.includes(stage)) throw InvalidRequest(MSG.versionStageMismatch);
    return v;
  }
  const label = stage ?? AWSCURRENT;
  const v = versionWithStage(s, label);
  if (!v || !hasValue(v)) throw ResourceNotFound(MSG.valueNotFoundForStage(label));
  return v;
}

/**
 * A read of `v`, recording the access at day resolution: reads never write, except the first read of a day
 * (DESIGN.md). Directly when today's access is already recorded; else the snapshot that write stored, and the
 * version read in it. `day`: today (accessDay), when the caller reads several secrets.
 */
export function readValue(
  ctx: Context,
  s: Secret,
  v: SecretVersion,
  day = accessDay(ctx.clock.now()),
): MaybePromise<ValueRead> {
  const view = s[VIEW_OF];
  if (view) return readReplica(ctx, s, v, day);
  if (s.lastAccessedDate === day && v.lastAccessedDate === day) return { secret: s, version: v };
  return mutateSecret(ctx, s.arn, (cur) => {
    cur.lastAccessedDate = day;
    const ver = touchVersion(cur, v.id, day);
    // a version pruned meanwhile is answered from the snapshot it was read in
    return { result: ver ? { secret: cur, version: ver } : { secret: s, version: v }, next: cur };
  });
}

/**
 * A read in a replica's Region: recorded on the replica's own record (its LastAccessedDate) and in the primary's
 * ReplicationStatus entry for the Region [DOC: ReplicationStatus LastAccessedDate], once a day; the version's own
 * access date is the primary's.
 */
function readReplica(ctx: Context, s: Secret, v: SecretVersion, day: number): MaybePromise<ValueRead> {
  if (s.lastAccessedDate === day) return { secret: s, version: v };
  const { replica, primary } = s[VIEW_OF]!;
  return (async () => {
    await mutateSecret(
      ctx,
      replica.arn,
      (cur) => {
        cur.lastAccessedDate = day;
        return { result: undefined, next: cur };
      },
      'allow',
    );
    const primaryScope = { accountId: ctx.scope.accountId, region: regionOf(primary.arn) };
    await ctx.store.mutate(primaryScope, { kind: 'arn', arn: primary.arn }, (p) => {
      const read = (r: ReplicaStatus) => (r.LastAccessedDate === day ? r : { ...r, LastAccessedDate: day });
      if (!p || !updateStatus(p, ctx.scope.region, read)) return { result: undefined };
      return { result: undefined, next: p };
    });
    return { secret: s, version: v };
  })();
}

/**
 * A read of the AWSCURRENT value (GetSecretValue without VersionId or VersionStage, each BatchGetSecretValue
 * entry): as readValue, and once a read of this snapshot found today's access recorded, without looking the
 * version up again (the snapshot remembers the day: READ_DAY). `now`: the clock, when the caller reads several.
 */
export function readCurrent(ctx: Context, s: Secret, now = ctx.clock.now()): MaybePromise<ValueRead> {
  assertNotDeleted(s);
  const today = dayNumber(now);
  if (s[READ_DAY] === today) return { secret: s };
  const read = readValue(ctx, s, selectVersion(s, undefined, undefined), accessDay(now));
  if (!(read instanceof Promise)) {
    s[READ_DAY] = today;
    return read;
  }
  return read.then((r) => {
    if (r.secret !== s) r.secret[READ_DAY] = today; // the snapshot the write stored, its access recorded
    return r;
  });
}

/** MaxResults default and cap [M MaxResultsType 1..100]. */
export const LIST_PAGE_DEFAULT = 100;
/**
 * Secrets examined per call at most. A page may come back short or empty, with a NextToken, when a filter
 * matches few secrets ("ListSecrets might return fewer results than the maximum even when there are more" [M]):
 * the cost of one call stays flat whatever the number of secrets.
 */
export const LIST_SCAN_LIMIT = 2_000;

const isCursor = (p: unknown): p is Cursor =>
  typeof p === 'object' &&
  p !== null &&
  typeof (p as Cursor).arn === 'string' &&
  (typeof (p as Cursor).value === 'string' || typeof (p as Cursor).value === 'number');

export interface PageQuery {
  filters?: Filter[];
  includePlannedDeletion?: boolean;
  sortBy?: SortKey;
  sortOrder?: 'asc' | 'desc';
  limit: number;
  nextToken?: string;
  /** the operation the NextToken belongs to: a token of one is refused by the other */
  tokenKind: string;
}

/**
 * One page of secrets in sort order, shared by ListSecrets and BatchGetSecretValue. `withValues`: the store
 * listed its snapshots themselves, values included (the memory store), so no lookup by ARN is needed for them.
 */
export async function pageSecrets(ctx: Context, q: PageQuery): Promise<SecretPage & { withValues?: boolean }> {
  const sortBy = q.sortBy ?? 'created-date';
  // Default direction: ascending by CreatedDate ("Secrets are listed by CreatedDate" [M]; direction unverified).
  const descending = q.sortOrder === 'desc';
  const kind = `${q.tokenKind}:${sortBy}:${descending ? 'd' : 'a'}`;
  const after = q.nextToken === undefined ? undefined : decodeToken(q.nextToken, kind, isCursor);
  const matches = compileFilters(q.filters);
  const now = ctx.clock.now();
  const filter = (s: Secret) =>
    !isPurgeable(s, now) && (q.includePlannedDeletion || s.deletedDate === undefined) && matches(s);
  // A replica's record holds none of the data the filters ask about: it is let through, then filtered as its view
  // (the page may come back shorter, as AWS's pages may [M]).
  const page = await ctx.store.list(ctx.scope, {
    sortBy,
    descending,
    after,
    limit: q.limit,
    scanLimit: LIST_SCAN_LIMIT,
    filter: (s) => isReplica(s) || filter(s),
  });
  let items = page.items;
  if (items.some(isReplica)) {
    const resolved = await Promise.all(
      // viewOf may throw at once (a store that answers directly): inside the async function, so a replica its primary
      // does not list is left out of the page instead of failing it
      items.map(async (s) => {
        if (!isReplica(s)) return s;
        try {
          return await viewOf(ctx, s);
        } catch {
          return undefined;
        }
      }),
    );
    items = resolved.filter((s): s is Secret => s !== undefined && filter(s));
  }
  return {
    secrets: items,
    nextToken: page.next ? encodeToken(kind, page.next) : undefined,
    withValues: page.withValues,
  };
}
