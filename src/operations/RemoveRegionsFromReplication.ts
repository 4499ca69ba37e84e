import type { Handler } from './context.js';
import { findSecret, mutateSecret } from './context.js';
import { assertPrimary, dropStatuses } from '../domain/replicas.js';
import { statusesView } from '../domain/views.js';
import { dropReplica } from './replication.js';

/**
 * Deletes the replicas in the given Regions at once and answers the remaining statuses, `[]` when none [DOC CLI]. A
 * Region that has no replica is left alone (moto; AWS unverified). The primary stops listing a Region before its
 * replica goes: a crash in between leaves a replica record its primary no longer names, which reads treat as gone.
 */
export const RemoveRegionsFromReplication = (async (input, ctx) => {
  const found = await findSecret(ctx, input.SecretId);
  assertPrimary(found, ctx.scope);
  const removed = new Set(input.RemoveReplicaRegions);
  const primary = await mutateSecret(ctx, found.arn, (s) => {
    dropStatuses(s, removed);
    return { result: s, next: s };
  });
  for (const region of removed) await dropReplica(ctx, found.arn, region);
  return { ARN: primary.arn, ReplicationStatus: statusesView(primary.replicationStatus ?? []) };
}) satisfies Handler<'RemoveRegionsFromReplication'>;
