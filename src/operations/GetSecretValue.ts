import type { Handler, Context } from './context.js';
import { findSecret, mutateSecret } from './context.js';
import { MEMO, MEMO_DAY, type Secret, type SecretVersion } from '../domain/types.js';
import { accessDay, assertNotDeleted, dayNumber } from '../domain/lifecycle.js';
import { AWSCURRENT, hasValue, versionById, versionWithStage } from '../domain/versions.js';
import { secretValueView } from '../domain/views.js';
import { InvalidRequest, ResourceNotFound } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { JsonBody } from '../protocol/JsonBody.js';
import { andThen, type MaybePromise } from '../store/Store.js';

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
function recordAccess(ctx: Context, s: Secret, v: SecretVersion): Promise<Stored> | undefined {
  const day = accessDay(ctx.clock.now());
  if (s.lastAccessedDate === day && v.lastAccessedDate === day) return undefined;
  return mutateSecret(ctx, s.arn, (cur) => {
    cur.lastAccessedDate = day;
    const ver = versionById(cur, v.id);
    if (ver) ver.lastAccessedDate = day;
    return { result: { secret: cur, version: ver }, next: cur };
  });
}

/** The snapshot a day's first read stored, and the version read in it. */
interface Stored {
  secret: Secret;
  version: SecretVersion | undefined;
}

/**
 * The answer for a stored snapshot, as JSON. The AWSCURRENT answer of a snapshot whose two access dates agree
 * is memoized in its MEMO slot, as the JSON string alone: a snapshot never changes, so neither does its
 * current version nor that answer, and a read on the day the snapshot's LastAccessedDate names needs no
 * write. A string rather than an object holding it: one object less per secret, read on every request.
 */
function answer(s: Secret, v: SecretVersion, current: boolean): string {
  const json = JSON.stringify(secretValueView(s, v));
  if (current && s.lastAccessedDate !== undefined && s.lastAccessedDate === v.lastAccessedDate) {
    s[MEMO] = json;
    s[MEMO_DAY] = dayNumber(s.lastAccessedDate);
  }
  return json;
}

/** The answer to a read of `v`: after a day's first read, made from (and memoized on) the snapshot now stored. */
function read(ctx: Context, s: Secret, v: SecretVersion, current: boolean): MaybePromise<string> {
  const write = recordAccess(ctx, s, v);
  if (!write) return answer(s, v, current);
  return write.then((stored) => (stored.version ? answer(stored.secret, stored.version, current) : answer(s, v, false)));
}

/**
 * The AWSCURRENT answer (GetSecretValue without VersionId or VersionStage, and each BatchGetSecretValue
 * entry): the memo when the snapshot was already read today, and then no promise on the way.
 */
export function currentAnswer(ctx: Context, s: Secret): MaybePromise<string> {
  assertNotDeleted(s);
  const memo = s[MEMO];
  if (typeof memo === 'string' && s[MEMO_DAY] === dayNumber(ctx.clock.now())) return memo;
  return read(ctx, s, selectVersion(s, undefined, undefined), true);
}

const toBody = (json: string) => new JsonBody(json);

/** The hottest read. No promise on the way when the store answers directly and no write is due. */
export const GetSecretValue: Handler<Input> = (input, ctx) =>
  andThen(findSecret(ctx, input.SecretId), (s) => {
    if (input.VersionId === undefined && input.VersionStage === undefined) {
      const json = currentAnswer(ctx, s);
      return typeof json === 'string' ? new JsonBody(json) : json.then(toBody);
    }
    assertNotDeleted(s);
    return andThen(read(ctx, s, selectVersion(s, input.VersionId, input.VersionStage), false), toBody);
  });
