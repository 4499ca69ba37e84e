import type { Handler } from './context.js';
import { mutateSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import { AWSCURRENT, writeValue } from '../domain/versions.js';
import { valueWrittenByHand } from '../domain/rotation.js';
import { assertPrimary } from '../domain/replicas.js';
import { sortedStages } from '../domain/views.js';
import { InvalidRequest } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { valueOf } from './common.js';
import { clientRequestToken } from '../compat.js';

export const PutSecretValue = (async (input, ctx) => {
  const value = valueOf(input);
  if (!value) throw InvalidRequest(MSG.noValue);
  const token = clientRequestToken(ctx, input.ClientRequestToken);
  let abandoned: string | undefined;
  const result = await mutateSecret(ctx, input.SecretId, (s, now) => {
    assertNotDeleted(s);
    assertPrimary(s, ctx.scope);
    const written = writeValue(s, token, value, input.VersionStages, now);
    const { changed } = written;
    if (changed) {
      s.lastChangedDate = now;
      if (written.version.stages.includes(AWSCURRENT) && valueWrittenByHand(s, written.version.id, now)) {
        abandoned = s.arn;
      }
    }
    // the version as it is now (abandoning a rotation may have moved labels of others only)
    const version = written.version;
    return {
      result: { ARN: s.arn, Name: s.name, VersionId: version.id, VersionStages: sortedStages(version) },
      next: changed ? s : undefined,
    };
  });
  if (abandoned) ctx.events?.('RotationAbandoned', abandoned);
  return result;
}) satisfies Handler<'PutSecretValue'>;
