import type { Context } from './context.js';
import { findSecret, mutateSecret } from './context.js';
import type { ReplicaStatus, Secret } from '../domain/types.js';
import { assertNotDeleted, isPurgeable } from '../domain/lifecycle.js';
import { arnInRegion, isReplica, newReplica, regionOf, status } from '../domain/replicas.js';
import { InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

// Replication steps shared by CreateSecret (AddReplicaRegions) and ReplicateSecretToRegions, so that operations
// never import each other.

export interface ReplicaRegion {
  readonly Region?: string;
  readonly KmsKeyId?: string;
}

/** The primary's own Region is refused, for the whole call [REAL: Terraform output "Invalid replica region."]. */
export function checkReplicaRegions(ctx: Context, regions: readonly ReplicaRegion[]): void {
  for (const r of regions)
    if (!r.Region || r.Region === ctx.scope.region) throw InvalidParameter(MSG.invalidReplicaRegion);
}

/**
 * Makes the replicas of a primary in `regions` (each a record in its Region; reads there answer from the primary),
 * then records them on the primary: InSync, or Failed when a secret of the name that is not this one's replica is in
 * the way and `force` is not set (that secret untouched); with `force` it is replaced. Replicas first, the primary's
 * statuses last, and a replica its primary does not list InSync answers nothing (context.ts viewOf): a crash in
 * between leaves no half-made replica visible, and the statuses tell the truth; the call made again reuses the
 * records it finds. Regions already InSync are left as they are, a Failed one is tried again. Answers the entries as
 * they stood when replication started, the new ones InProgress [DOC CLI].
 */
export async function replicate(
  ctx: Context,
  primaryArn: string,
  regions: readonly ReplicaRegion[],
  force: boolean,
): Promise<{ primary: Secret; started: ReplicaStatus[] }> {
  const before = await findSecret(ctx, primaryArn);
  assertNotDeleted(before);
  const kept = (before.replicationStatus ?? []).filter(
    (st) => st.Status !== 'Failed' || !regions.some((r) => r.Region === st.Region),
  );
  const fresh: ReplicaRegion[] = [];
  for (const r of regions) {
    if (kept.some((st) => st.Region === r.Region) || fresh.some((f) => f.Region === r.Region)) continue;
    fresh.push(r);
  }
  const started = [...kept, ...fresh.map((r) => status(r.Region!, r.KmsKeyId, 'InProgress'))];
  if (fresh.length === 0) return { primary: before, started };
  const made: ReplicaStatus[] = [];
  const now = ctx.clock.now();
  for (const r of fresh) {
    const target = { accountId: ctx.scope.accountId, region: r.Region! };
    const ok = await ctx.store.mutate(target, { kind: 'name', name: before.name }, (cur) => {
      const ours = cur && isReplica(cur) && cur.arn === arnInRegion(primaryArn, r.Region!);
      if (cur && !ours && !isPurgeable(cur, now) && !force) return { result: false };
      return { result: true, next: newReplica(before, r.Region!, r.KmsKeyId, now) };
    });
    made.push(status(r.Region!, r.KmsKeyId, ok ? 'InSync' : 'Failed'));
  }
  const primary = await mutateSecret(ctx, primaryArn, (s) => {
    assertNotDeleted(s);
    const current = (s.replicationStatus ?? []).filter((st) => !made.some((m) => m.Region === st.Region));
    s.replicationStatus = [...current, ...made];
    s.primaryRegion = ctx.scope.region;
    return { result: s, next: s };
  });
  return { primary, started };
}

/** Removes the replica record in `region` if it is `primaryArn`'s. */
export async function dropReplica(ctx: Context, primaryArn: string, region: string): Promise<void> {
  const arn = arnInRegion(primaryArn, region);
  await ctx.store.mutate({ accountId: ctx.scope.accountId, region }, { kind: 'arn', arn }, (cur) =>
    cur && isReplica(cur) && regionOf(cur.arn) === region ? { result: undefined, next: null } : { result: undefined },
  );
}
