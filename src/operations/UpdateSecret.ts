import type { Context, Handler } from './context.js';
import { findSecret, mutateSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import { AWSCURRENT, writeValue } from '../domain/versions.js';
import { valueWrittenByHand } from '../domain/rotation.js';
import { valueOf } from './common.js';
import { arnInRegion, DEFAULT_REPLICA_KEY, isReplica, updateStatus } from '../domain/replicas.js';
import { clientRequestToken } from '../compat.js';

/**
 * Metadata and/or a new value. VersionId is in the response only when a version was created [LS-val
 * test_update_secret_description]. A token already used with the same value is answered as before, with
 * another value it is ResourceExistsException [moto @aws_verified].
 */
export const UpdateSecret = (async (input, ctx) => {
  const value = valueOf(input);
  if (!value && input.Description === undefined && input.Type === undefined && input.KmsKeyId !== undefined) {
    const replica = await replicaKeyChange(ctx, input.SecretId, input.KmsKeyId);
    if (replica) return replica;
  }
  const token = value ? clientRequestToken(ctx, input.ClientRequestToken) : undefined;
  let abandoned: string | undefined;
  const result = await mutateSecret(ctx, input.SecretId, (s, now) => {
    assertNotDeleted(s);
    let changed = false;
    if (input.Description !== undefined) {
      s.description = input.Description === '' ? undefined : input.Description;
      changed = true;
    }
    if (input.KmsKeyId !== undefined) {
      // An empty KmsKeyId goes back to the default aws/secretsmanager key [M].
      s.kmsKeyId = input.KmsKeyId === '' ? undefined : input.KmsKeyId;
      changed = true;
    }
    if (input.Type !== undefined) {
      s.type = input.Type === '' ? undefined : input.Type;
      changed = true;
    }
    let versionId: string | undefined;
    if (value && token) {
      // A placeholder a rotation created becomes AWSCURRENT, as a new version does.
      const written = writeValue(s, token, value, [AWSCURRENT], now);
      versionId = written.version.id;
      if (written.changed && valueWrittenByHand(s, versionId, now)) abandoned = s.arn;
      changed ||= written.changed;
    }
    if (changed) s.lastChangedDate = now;
    return { result: { ARN: s.arn, Name: s.name, VersionId: versionId }, next: changed ? s : undefined };
  });
  if (abandoned) ctx.events?.('RotationAbandoned', abandoned);
  return result;
}) satisfies Handler<'UpdateSecret'>;

/**
 * A replica takes only a change of its own key [DOC UpdateSecret: on a replica, the encryption key only]: its record
 * and the primary's ReplicationStatus entry show the new one. Undefined when the secret is not a replica.
 */
async function replicaKeyChange(ctx: Context, secretId: string, kmsKeyId: string) {
  // with --auth: a replica is authorized by its view (the primary's tags and policy), before its record changes
  if (ctx.access) await findSecret(ctx, secretId);
  const changed = await mutateSecret(
    ctx,
    secretId,
    (s, now) => {
      if (!isReplica(s)) return { result: undefined };
      s.kmsKeyId = kmsKeyId === '' || kmsKeyId === DEFAULT_REPLICA_KEY ? undefined : kmsKeyId;
      s.lastChangedDate = now;
      return { result: s, next: s };
    },
    'allow',
  );
  if (!changed) return undefined;
  const primaryScope = { accountId: ctx.scope.accountId, region: changed.primaryRegion! };
  const primaryArn = arnInRegion(changed.arn, changed.primaryRegion!);
  await ctx.store.mutate(primaryScope, { kind: 'arn', arn: primaryArn }, (p) => {
    const key = changed.kmsKeyId ?? DEFAULT_REPLICA_KEY;
    if (!p || !updateStatus(p, ctx.scope.region, (r) => (r.KmsKeyId === key ? r : { ...r, KmsKeyId: key }))) {
      return { result: undefined };
    }
    return { result: undefined, next: p };
  });
  return { ARN: changed.arn, Name: changed.name };
}
