import type { Handler } from './context.js';
import { findSecret } from './context.js';
import { assertPrimary } from '../domain/replicas.js';
import { checkReplicaRegions, replicate } from './replication.js';
import { statusesView } from '../domain/views.js';

/**
 * Makes a secret multi-Region (rotation-replication.md B4): a replica in each Region, the primary's Region refused.
 * Answers the primary's ARN and every Region's status, the new ones InProgress [DOC CLI]; DescribeSecret shows
 * them InSync (or Failed) once made, which is before this call answers.
 */
export const ReplicateSecretToRegions = (async (input, ctx) => {
  const found = await findSecret(ctx, input.SecretId);
  assertPrimary(found, ctx.scope);
  checkReplicaRegions(ctx, input.AddReplicaRegions);
  const { primary, started } = await replicate(
    ctx,
    found.arn,
    input.AddReplicaRegions,
    input.ForceOverwriteReplicaSecret === true,
  );
  return { ARN: primary.arn, ReplicationStatus: statusesView(started) };
}) satisfies Handler<'ReplicateSecretToRegions'>;
