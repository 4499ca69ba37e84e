import type { Context } from './context.js';
import { mutateSecret } from './context.js';
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
 * Makes the replicas of `primary` in `regions` (each a record in its Region; reads there answer from the primary).
 * The primary lists them InProgress first, then InSync, or Failed when a secret of the name that is not this one's
 * replica is in the way and `force` is not set (that secret untouched); with `force` it is replaced. A crash in
 * between leaves InProgress entries, which tell the truth: the replica may or may not be there. Regions already
 * replicated are left as they are. Answers the entries as they stood when replication started (InProgress for the
 * new ones [DOC CLI]).
 */
export async function replicate(
  ctx: Context,
  primaryArn: string,
  regions: readonly ReplicaRegion[],
  force: boolean,
): Promise<{ primary: Secret; started: ReplicaStatus[] }> {
  const fresh: ReplicaRegion[] = [];
  const started = await mutateSecret(ctx, primaryArn, (s) => {
    assertNotDeleted(s);
    // a Region whose replica failed is tried again
    const statuses = (s.replicationStatus ?? []).filter(
      (st) => st.Status !== 'Failed' || !regions.some((r) => r.Region === st.Region),
    );
    const have = new Set(statuses.map((r) => r.Region));
    for (const r of regions) {
      if (have.has(r.Region!)) continue;
      have.add(r.Region!);
      fresh.push(r);
      statuses.push(status(r.Region!, r.KmsKeyId, 'InProgress'));
    }
    s.replicationStatus = statuses;
    s.primaryRegion = ctx.scope.region;
    return { result: { primary: s, statuses }, next: fresh.length ? s : undefined };
  });
  const outcome = new Map<string, ReplicaStatus['Status']>();
  const now = ctx.clock.now();
  for (const r of fresh) {
    const target = { accountId: ctx.scope.accountId, region: r.Region! };
    const made = await ctx.store.mutate(target, { kind: 'name', name: started.primary.name }, (cur) => {
      const ours = cur && isReplica(cur) && cur.arn === arnInRegion(primaryArn, r.Region!);
      if (cur && !ours && !isPurgeable(cur, now) && !force) return { result: false };
      return { result: true, next: newReplica(started.primary, r.Region!, r.KmsKeyId, now) };
    });
    outcome.set(r.Region!, made ? 'InSync' : 'Failed');
  }
  const primary = fresh.length
    ? await ctx.store.mutate(ctx.scope, { kind: 'arn', arn: primaryArn }, (s) => {
        if (!s) return { result: started.primary };
        s.replicationStatus = (s.replicationStatus ?? []).map((st) => {
          const done = outcome.get(st.Region);
          return done && st.Status === 'InProgress' ? status(st.Region, st.KmsKeyId, done) : st;
        });
        return { result: s, next: s };
      })
    : started.primary;
  return { primary, started: started.statuses };
}

/** Removes the replica record in `region` if it is `primaryArn`'s. */
export async function dropReplica(ctx: Context, primaryArn: string, region: string): Promise<void> {
  const arn = arnInRegion(primaryArn, region);
  await ctx.store.mutate({ accountId: ctx.scope.accountId, region }, { kind: 'arn', arn }, (cur) =>
    cur && isReplica(cur) && regionOf(cur.arn) === region ? { result: undefined, next: null } : { result: undefined },
  );
}
