import type { Handler } from './context.js';
import { mutateSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import { mergeTags } from '../domain/tags.js';

/**
 * Adds or overwrites tags by key; the response body is empty [LS-val]. Refused on a secret scheduled for deletion
 * [LS-val].
 */
export const TagResource = (async (input, ctx) =>
  mutateSecret(ctx, input.SecretId, (s, now) => {
    assertNotDeleted(s);
    s.tags = mergeTags(s.tags, input.Tags);
    s.lastChangedDate = now;
    return { result: {}, next: s };
  })) satisfies Handler<'TagResource'>;
