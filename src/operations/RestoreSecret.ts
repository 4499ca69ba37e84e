import type { Handler } from './context.js';
import { mutateSecret } from './context.js';
import { restore } from '../domain/lifecycle.js';
import { reschedule } from '../domain/rotation.js';

/**
 * Cancels a scheduled deletion. On a secret that is not scheduled it succeeds and changes nothing (moto; AWS
 * unverified).
 */
export const RestoreSecret = (async (input, ctx) => {
  let restored = false;
  const out = await mutateSecret(ctx, input.SecretId, (s, now) => {
    const result = { ARN: s.arn, Name: s.name };
    if (s.deletedDate === undefined) return { result };
    restore(s);
    // a rotation schedule the deletion suspended (the scheduler skips deleted secrets) resumes
    reschedule(s, now);
    s.lastChangedDate = now;
    restored = true;
    return { result, next: s };
  });
  if (restored) ctx.events?.('CancelSecretVersionDelete', out.ARN);
  return out;
}) satisfies Handler<'RestoreSecret'>;
