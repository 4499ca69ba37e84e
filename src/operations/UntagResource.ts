import type { Handler } from './context.js';
import { mutateSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import { removeTags } from '../domain/tags.js';

export const UntagResource = (async (input, ctx) =>
  mutateSecret(ctx, input.SecretId, (s, now) => {
    assertNotDeleted(s);
    s.tags = removeTags(s.tags, input.TagKeys);
    s.lastChangedDate = now;
    return { result: {}, next: s };
  })) satisfies Handler<'UntagResource'>;
