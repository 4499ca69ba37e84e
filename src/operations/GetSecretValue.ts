import type { Handler, Context } from './context.js';
import { findSecret, mutateSecret } from './context.js';
import type { Secret, SecretVersion } from '../domain/types.js';
import { accessDay, assertNotDeleted } from '../domain/lifecycle.js';
import { AWSCURRENT, hasValue, versionById, versionWithStage } from '../domain/versions.js';
import { secretValueView } from '../domain/views.js';
import { InvalidRequest, ResourceNotFound } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { JsonBody } from '../protocol/JsonBody.js';
import { andThen } from '../store/Store.js';

interface Input {
  SecretId: string;
  VersionId?: string;
  VersionStage?: string;
}

/** The version a read names: by id, by label, or AWSCURRENT [M; LS-val test_get_secret_value_errors]. */
export function selectVersion(s: Secret, versionId: string | undefined, stage: string | undefined): SecretVersion {
  if (versionId !== undefined) {
    const v = versionById(s, versionId);
    if (!v || !hasValue(v)) throw ResourceNotFound(MSG.valueNotFoundForVersion(versionId));
    if (stage !== undefined && !v.stages.includes(stage)) throw InvalidRequest(MSG.versionStageMismatch);
    return v;
  }
  const label = stage ?? AWSCURRENT;
  const v = versionWithStage(s, label);
  if (!v || !hasValue(v)) throw ResourceNotFound(MSG.valueNotFoundForStage(label));
  return v;
}

/**
 * Records the access at day resolution. Reads never write, except the first read of a day
 * (DESIGN.md: "Reads never write, except when a day-resolution LastAccessedDate changes").
 */
export function recordAccess(ctx: Context, s: Secret, v: SecretVersion): Promise<SecretVersion | undefined> | undefined {
  const day = accessDay(ctx.clock.now());
  if (s.lastAccessedDate === day && v.lastAccessedDate === day) return undefined;
  return mutateSecret(ctx, s.arn, (cur) => {
    cur.lastAccessedDate = day;
    const ver = versionById(cur, v.id);
    if (ver) ver.lastAccessedDate = day;
    return { result: ver, next: cur };
  });
}

interface Memo {
  readonly arn: string;
  readonly id: string;
  readonly json: string;
}
const answers = new WeakMap<readonly string[], Memo>();

/**
 * The answer for a version, memoized by its label array. The answer depends on the secret's ARN and name and
 * the version's id, value and creation date, which never change for a version, and on its labels, which are
 * copy-on-write (SecretVersion.stages): a copy of the version shares the array until its labels change. So
 * the store's next snapshot of a secret (say, the one a day's first read writes) keeps the answers of its
 * unchanged versions, and a version whose labels changed has a new array and a new answer. The memo also
 * names its version, in case an array were ever shared by two.
 */
function valueBody(v: SecretVersion, s: Secret): JsonBody {
  const memo = answers.get(v.stages);
  if (memo !== undefined && memo.id === v.id && memo.arn === s.arn) return new JsonBody(memo.json);
  const json = JSON.stringify(secretValueView(s, v));
  answers.set(v.stages, { arn: s.arn, id: v.id, json });
  return new JsonBody(json);
}

/** No promise on the way when the store answers directly and the day's access is already recorded. */
export const GetSecretValue: Handler<Input> = (input, ctx) =>
  andThen(findSecret(ctx, input.SecretId), (s) => {
    assertNotDeleted(s);
    const v = selectVersion(s, input.VersionId, input.VersionStage);
    const write = recordAccess(ctx, s, v);
    // After a day's first read, the answer is made from (and memoized on) the snapshot now stored.
    return write ? write.then((stored) => valueBody(stored ?? v, s)) : valueBody(v, s);
  });
