import type { Handler } from './context.js';
import { mutateSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import { updateVersionStage } from '../domain/versions.js';

interface Input {
  SecretId: string;
  VersionStage: string;
  RemoveFromVersionId?: string;
  MoveToVersionId?: string;
}

export const UpdateSecretVersionStage: Handler<Input> = async (input, ctx) =>
  mutateSecret(ctx, input.SecretId, (s, now) => {
    assertNotDeleted(s);
    updateVersionStage(s, input.VersionStage, input.MoveToVersionId, input.RemoveFromVersionId);
    s.lastChangedDate = now;
    return { result: { ARN: s.arn, Name: s.name }, next: s };
  });
