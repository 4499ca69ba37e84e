import type { Handler } from './context.js';
import { newSecretArn } from '../domain/arn.js';
import { isPurgeable } from '../domain/lifecycle.js';
import { addVersion, matchToken, newVersion } from '../domain/versions.js';
import { newSecret, setDefined } from '../domain/secret.js';
import { mergeTags } from '../domain/tags.js';
import { InvalidRequest, ResourceExists } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { nonEmpty, valueOf } from './common.js';
import { clientRequestToken } from '../compat.js';
import { checkReplicaRegions, replicate } from './replication.js';
import { statusesView } from '../domain/views.js';

export const CreateSecret = (async (input, ctx) => {
  const value = valueOf(input);
  // Terraform creates secrets without a value; only a call that creates a version needs the token.
  const token = value ? clientRequestToken(ctx, input.ClientRequestToken) : input.ClientRequestToken;
  // the whole call fails for the primary's own Region [REAL]
  if (input.AddReplicaRegions) checkReplicaRegions(ctx, input.AddReplicaRegions);
  // An empty Tags list creates an untagged secret: DescribeSecret then has no Tags key.
  const tags = input.Tags && input.Tags.length > 0 ? mergeTags(undefined, input.Tags) : undefined;
  const now = ctx.clock.now();
  // with --auth, the ARN is made first: the secret it would make is what the call is authorized on
  const planned = ctx.access && newSecretArn(ctx.scope, input.Name, ctx.random);
  const created = await ctx.store.mutate(ctx.scope, { kind: 'name', name: input.Name }, (current) => {
    if (ctx.access) {
      // the request's tags are its condition keys (aws:RequestTag, aws:TagKeys); tags and replicas need their own
      // actions too [M: CreateSecret, "Required permissions"]
      ctx.access.missing(planned!, input.Name);
      if (input.Tags?.length) ctx.access.missing(planned!, input.Name, 'secretsmanager:TagResource');
      if (input.AddReplicaRegions?.length)
        ctx.access.missing(planned!, input.Name, 'secretsmanager:ReplicateSecretToRegions');
    }
    if (current && !isPurgeable(current, now)) {
      if (current.deletedDate !== undefined) throw InvalidRequest(MSG.nameScheduledForDeletion);
      // A retry with the same token and value is ignored and answered as before [moto @aws_verified].
      if (token && value) {
        const match = matchToken(current, token, value);
        if (match.kind === 'retry')
          return { result: { ARN: current.arn, Name: current.name, VersionId: match.version.id } };
      }
      throw ResourceExists(MSG.secretExists(input.Name));
    }
    const secret = newSecret(planned ?? newSecretArn(ctx.scope, input.Name, ctx.random), input.Name, now);
    setDefined(secret, 'description', nonEmpty(input.Description));
    setDefined(secret, 'kmsKeyId', nonEmpty(input.KmsKeyId));
    setDefined(secret, 'type', nonEmpty(input.Type));
    setDefined(secret, 'tags', tags);
    if (value && token) addVersion(secret, newVersion(token, now, secret.kmsKeyId, value), undefined, now);
    return {
      result: { ARN: secret.arn, Name: secret.name, VersionId: value ? token : undefined },
      next: secret,
    };
  });
  if (!input.AddReplicaRegions?.length) return created;
  // AddReplicaRegions: the replicas, then the statuses as replication started (InProgress) in the answer [M]
  const { started } = await replicate(
    ctx,
    created.ARN,
    input.AddReplicaRegions,
    input.ForceOverwriteReplicaSecret === true,
  );
  return { ...created, ReplicationStatus: statusesView(started) };
}) satisfies Handler<'CreateSecret'>;
