import { lookupScope, type Handler } from './context.js';
import { arnPrefix, nameOfSecretId, parseSecretId } from '../domain/arn.js';
import { isPurgeable, planDeletion, scheduleDeletion } from '../domain/lifecycle.js';
import { epoch } from '../domain/views.js';
import { InvalidParameter, InvalidRequest, ResourceNotFound } from '../errors/ServiceError.js';
import { isReplica } from '../domain/replicas.js';
import { MSG } from '../errors/messages.js';

/**
 * Schedules deletion (7-30 days, default 30) or deletes at once with ForceDeleteWithoutRecovery.
 * A forced delete of a missing secret succeeds and answers as if it existed [LS-val
 * test_delete_non_existent_secret_returns_as_if_secret_exists]; a forced delete of a secret already
 * scheduled succeeds [LS-val test_force_delete_deleted_secret].
 */
export const DeleteSecret = (async (input, ctx) => {
  const plan = planDeletion(input.RecoveryWindowInDays, input.ForceDeleteWithoutRecovery);
  const now = ctx.clock.now();
  const ref = parseSecretId(input.SecretId);
  const scope = lookupScope(ctx, ref);
  let event: 'StartSecretVersionDelete' | 'EndSecretVersionDelete' | undefined;
  const result = await ctx.store.mutate(scope, ref, (s) => {
    if (!s || isPurgeable(s, now)) {
      ctx.access?.missing(`${arnPrefix(scope)}${nameOfSecretId(input.SecretId)}`, input.SecretId);
      if (plan.kind !== 'force') throw ResourceNotFound(MSG.secretNotFound);
      const name = nameOfSecretId(input.SecretId);
      const arn = ref.kind === 'arn' ? ref.arn : `${arnPrefix(scope)}${name}`;
      return { result: { ARN: arn, Name: name, DeletionDate: epoch(now) }, next: s ? null : undefined };
    }
    ctx.access?.secret(s, input.SecretId);
    // a replica is deleted from its primary (RemoveRegionsFromReplication) [REAL]; a primary, once it has none
    if (isReplica(s)) throw InvalidParameter(MSG.replicaOperation);
    if (s.replicationStatus?.length) {
      throw InvalidParameter(
        MSG.deleteWithReplicas(
          s.arn,
          s.replicationStatus.map((r) => r.Region),
        ),
      );
    }
    if (plan.kind === 'force') {
      event = 'EndSecretVersionDelete';
      return { result: { ARN: s.arn, Name: s.name, DeletionDate: epoch(now) }, next: null };
    }
    if (s.deletedDate !== undefined) throw InvalidRequest(MSG.alreadyMarkedDeleted);
    scheduleDeletion(s, now, plan.days);
    s.lastChangedDate = now;
    event = 'StartSecretVersionDelete';
    return { result: { ARN: s.arn, Name: s.name, DeletionDate: epoch(s.deletionDate) }, next: s };
  });
  if (event) ctx.events?.(event, result.ARN);
  return result;
}) satisfies Handler<'DeleteSecret'>;
