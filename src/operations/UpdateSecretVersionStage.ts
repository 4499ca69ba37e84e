import type { Handler } from './context.js';
import { mutateSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import { updateVersionStage } from '../domain/versions.js';

export const UpdateSecretVersionStage = (async (input, ctx) =>
  mutateSecret(ctx, input.SecretId, (s, now) => {
    assertNotDeleted(s);
    updateVersionStage(s, input.VersionStage, input.MoveToVersionId, input.RemoveFromVersionId);
    s.lastChangedDate = now;
    return { result: { ARN: s.arn, Name: s.name }, next: s };
  })) satisfies Handler<'UpdateSecretVersionStage'>;
