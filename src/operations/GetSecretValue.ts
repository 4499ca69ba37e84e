import type { Handler } from './context.js';
import { findSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import { andThen } from '../store/Store.js';
import { readCurrent, readValue, selectVersion } from './reads.js';

/**
 * The hottest read. No promise on the way when the store answers directly and today's access is already
 * recorded; the answer is serialized (and memoized) by protocol/answers.ts.
 */
export const GetSecretValue = ((input, ctx) =>
  andThen(findSecret(ctx, input.SecretId), (s) => {
    if (input.VersionId === undefined && input.VersionStage === undefined) return readCurrent(ctx, s);
    assertNotDeleted(s);
    return readValue(ctx, s, selectVersion(s, input.VersionId, input.VersionStage));
  })) satisfies Handler<'GetSecretValue'>;
