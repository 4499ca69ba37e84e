import type { Handler } from './context.js';
import { mutateSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';

/**
 * Idempotent: deleting a policy that is not there succeeds. Refused when scheduled for deletion
 * [TF secret_policy.go].
 */
export const DeleteResourcePolicy = (async (input, ctx) =>
  mutateSecret(ctx, input.SecretId, (s, now) => {
    assertNotDeleted(s);
    const result = { ARN: s.arn, Name: s.name };
    if (s.resourcePolicy === undefined) return { result };
    s.resourcePolicy = undefined;
    s.lastChangedDate = now;
    return { result, next: s };
  })) satisfies Handler<'DeleteResourcePolicy'>;
