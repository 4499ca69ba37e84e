import type { Handler } from './context.js';
import { mutateSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import { assertPrimary } from '../domain/replicas.js';
import { cancelRotation } from '../domain/rotation.js';

/**
 * Turns rotation off and stops a rotation under way before its next step; the function and rules stay, and so do
 * the labels [M] (rotation-replication.md B3). VersionId: the pending version a rotation left, which "should be
 * evaluated for possible deletion" [M CancelRotateSecretResponse].
 */
export const CancelRotateSecret = (async (input, ctx) =>
  mutateSecret(ctx, input.SecretId, (s, now) => {
    assertNotDeleted(s);
    assertPrimary(s, ctx.scope);
    const pending = cancelRotation(s, now);
    return { result: { ARN: s.arn, Name: s.name, VersionId: pending }, next: s };
  })) satisfies Handler<'CancelRotateSecret'>;
