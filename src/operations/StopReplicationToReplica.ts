import type { Handler } from './context.js';
import { findSecret, mutateSecret } from './context.js';
import { VIEW_OF } from '../domain/types.js';
import { shapedSecret } from '../domain/secret.js';
import { dropStatuses, regionOf } from '../domain/replicas.js';
import { reschedule } from '../domain/rotation.js';
import { InvalidRequest } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

/**
 * Called in a replica's Region: promotes the replica to a standalone secret of its Region [M], with the primary's
 * data as it is now (values, labels, description, tags, policy) and no PrimaryRegion; the primary no longer lists
 * the Region [INF]. Answers the replica's ARN [M]. The replica is made standalone first: a crash in between leaves
 * the primary listing a Region whose secret no longer follows it, which RemoveRegionsFromReplication clears.
 */
export const StopReplicationToReplica = (async (input, ctx) => {
  const found = await findSecret(ctx, input.SecretId);
  const view = found[VIEW_OF];
  if (!view) throw InvalidRequest(MSG.notAReplica);
  const { replica, primary } = view;
  await mutateSecret(
    ctx,
    replica.arn,
    (cur, now) => {
      const standalone = shapedSecret(
        {
          ...primary,
          arn: cur.arn,
          createdDate: cur.createdDate,
          lastAccessedDate: cur.lastAccessedDate,
          kmsKeyId: cur.kmsKeyId,
          primaryRegion: undefined,
          replicationStatus: undefined,
          rotationRun: undefined,
          rotationDueDate: undefined,
          lastChangedDate: now,
        },
        primary.versions.slice(),
      );
      // a rotation schedule it had through its primary is its own now
      reschedule(standalone, now);
      return { result: undefined, next: standalone };
    },
    'allow',
  );
  const primaryScope = { accountId: ctx.scope.accountId, region: regionOf(primary.arn) };
  await ctx.store.mutate(primaryScope, { kind: 'arn', arn: primary.arn }, (p) => {
    if (!p || !dropStatuses(p, new Set([ctx.scope.region]))) return { result: undefined };
    return { result: undefined, next: p };
  });
  return { ARN: replica.arn };
}) satisfies Handler<'StopReplicationToReplica'>;
