import type { Handler } from './context.js';
import type { Secret } from '../domain/types.js';
import { findSecret } from './context.js';
import type { Filter } from '../domain/filters.js';
import { asServiceError, InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { currentAnswer } from './GetSecretValue.js';
import { JsonList } from '../protocol/JsonBody.js';
import { pageSecrets } from './ListSecrets.js';
import { andThen } from '../store/Store.js';

interface Input {
  SecretIdList?: string[];
  Filters?: Filter[];
  MaxResults?: number;
  NextToken?: string;
}

/** MaxResultsBatchType 1..20 [M]; the default is the cap (unverified). */
export const BATCH_PAGE_DEFAULT = 20;

/**
 * Values of several secrets at once: by SecretIdList or by Filters (the ListSecrets filter language),
 * exactly one of them [M]. A secret that cannot be read becomes an entry in Errors instead of failing
 * the whole call [M APIErrorType].
 */
export const BatchGetSecretValue: Handler<Input> = async (input, ctx) => {
  const byList = input.SecretIdList !== undefined;
  if (byList === (input.Filters !== undefined)) throw InvalidParameter(MSG.batchBothOrNeither);
  if (byList && input.MaxResults !== undefined) throw InvalidParameter(MSG.batchMaxResultsWithList);

  // Each value is the JSON of its GetSecretValue answer (memoized on the snapshot once read today): written out
  // as it is, not stringified again.
  const values: string[] = [];
  const errors: Array<{ SecretId: string; ErrorCode: string; Message: string }> = [];
  const fail = (secretId: string, e: unknown) => {
    const err = asServiceError(e);
    if (!err) throw e;
    errors.push({ SecretId: secretId, ErrorCode: err.code, Message: err.message });
  };
  const answerOf = (s: Secret) => currentAnswer(ctx, s);
  /**
   * Directly when the store answers directly and no write is due (no promise per secret), else a promise.
   * `listed`: the stored snapshot itself, from a listing that has the values (no lookup by ARN again).
   */
  const read = (secretId: string, listed?: Secret): Promise<void> | undefined => {
    try {
      const json = listed ? currentAnswer(ctx, listed) : andThen(findSecret(ctx, secretId), answerOf);
      if (typeof json === 'string') {
        values.push(json);
        return undefined;
      }
      return json.then(
        (j) => void values.push(j),
        (e: unknown) => fail(secretId, e),
      );
    } catch (e) {
      fail(secretId, e);
      return undefined;
    }
  };
  // The values are not joined here: the HTTP layer writes them out one after the other (see JsonList).
  const body = (nextToken: string | undefined) =>
    new JsonList('{"SecretValues":[', values, `],"Errors":${JSON.stringify(errors)}${nextToken === undefined ? '}' : `,"NextToken":${JSON.stringify(nextToken)}}`}`);

  if (byList) {
    for (const id of input.SecretIdList!) {
      const pending = read(id);
      if (pending) await pending;
    }
    return body(undefined);
  }
  const page = await pageSecrets(ctx, {
    filters: input.Filters,
    limit: input.MaxResults ?? BATCH_PAGE_DEFAULT,
    nextToken: input.NextToken,
    tokenKind: 'BatchGetSecretValue',
  });
  // A persistent store's listing carries metadata only (it does not decrypt to list): each value is read by
  // ARN. The memory store lists its snapshots themselves, values included.
  for (const s of page.items) {
    const pending = read(s.arn, page.withValues ? s : undefined);
    if (pending) await pending;
  }
  return body(page.nextToken);
};
