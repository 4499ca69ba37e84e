import type { Handler } from './context.js';
import type { Secret } from '../domain/types.js';
import { findSecret } from './context.js';
import { asServiceError, InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import type { APIErrorType } from '../model/types.js';
import { andThen } from '../store/Store.js';
import { pageSecrets, readCurrent } from './reads.js';
import type { ValueRead } from './results.js';

const GET_SECRET_VALUE = 'secretsmanager:GetSecretValue';

/** MaxResultsBatchType 1..20 [M]; the default is the cap (unverified). */
export const BATCH_PAGE_DEFAULT = 20;

/**
 * Values of several secrets at once: by SecretIdList or by Filters (the ListSecrets filter language),
 * exactly one of them [M]. A secret that cannot be read becomes an entry in Errors instead of failing
 * the whole call [M APIErrorType].
 */
export const BatchGetSecretValue = (async (input, ctx) => {
  const byList = input.SecretIdList !== undefined;
  if (byList === (input.Filters !== undefined)) throw InvalidParameter(MSG.batchBothOrNeither);
  if (byList && input.MaxResults !== undefined) throw InvalidParameter(MSG.batchMaxResultsWithList);

  const values: ValueRead[] = [];
  const errors: APIErrorType[] = [];
  const fail = (secretId: string, e: unknown) => {
    const err = asServiceError(e);
    if (!err) throw e;
    errors.push({ SecretId: secretId, ErrorCode: err.code, Message: err.message });
  };
  const now = ctx.clock.now();
  const current = (s: Secret) => readCurrent(ctx, s, now);
  /**
   * Directly when the store answers directly and no write is due (no promise per secret), else a promise.
   * `listed`: the stored snapshot itself, from a listing that has the values (no lookup by ARN again).
   */
  const read = (secretId: string, listed?: Secret): Promise<void> | undefined => {
    try {
      // each secret as GetSecretValue would read it, its denial an entry in Errors [issue 16; M APIErrorType]
      if (listed) ctx.access?.secret(listed, secretId, GET_SECRET_VALUE);
      const value = listed
        ? readCurrent(ctx, listed, now)
        : andThen(findSecret(ctx, secretId, GET_SECRET_VALUE), current);
      if (!(value instanceof Promise)) {
        values.push(value);
        return undefined;
      }
      return value.then(
        (v) => void values.push(v),
        (e: unknown) => fail(secretId, e),
      );
    } catch (e) {
      fail(secretId, e);
      return undefined;
    }
  };

  if (byList) {
    for (const id of input.SecretIdList!) {
      const pending = read(id);
      if (pending) await pending;
    }
    return { values, errors };
  }
  const page = await pageSecrets(ctx, {
    filters: input.Filters,
    limit: input.MaxResults ?? BATCH_PAGE_DEFAULT,
    nextToken: input.NextToken,
    tokenKind: 'BatchGetSecretValue',
  });
  // A persistent store's listing carries metadata only (it does not decrypt to list): each value is read by
  // ARN. The memory store lists its snapshots themselves, values included.
  for (const s of page.secrets) {
    const pending = read(s.arn, page.withValues ? s : undefined);
    if (pending) await pending;
  }
  return { values, errors, nextToken: page.nextToken };
}) satisfies Handler<'BatchGetSecretValue'>;
