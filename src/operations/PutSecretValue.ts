import type { Handler } from './context.js';
import { mutateSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import { writeValue } from '../domain/versions.js';
import { sortedStages } from '../domain/views.js';
import { InvalidRequest } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { valueOf } from './common.js';
import { clientRequestToken } from '../compat.js';

export const PutSecretValue = (async (input, ctx) => {
  const value = valueOf(input);
  if (!value) throw InvalidRequest(MSG.noValue);
  const token = clientRequestToken(ctx, input.ClientRequestToken);
  return mutateSecret(ctx, input.SecretId, (s, now) => {
    assertNotDeleted(s);
    const { version, changed } = writeValue(s, token, value, input.VersionStages, now);
    if (changed) s.lastChangedDate = now;
    return {
      result: { ARN: s.arn, Name: s.name, VersionId: version.id, VersionStages: sortedStages(version) },
      next: changed ? s : undefined,
    };
  });
}) satisfies Handler<'PutSecretValue'>;
