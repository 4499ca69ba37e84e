import type { Handler, Context } from './context.js';
import { findSecret, mutateSecret } from './context.js';
import type { Secret, SecretVersion } from '../domain/types.js';
import { accessDay, assertNotDeleted } from '../domain/lifecycle.js';
import { AWSCURRENT, hasValue, versionById, versionWithStage } from '../domain/versions.js';
import { secretValueView } from '../domain/views.js';
import { InvalidRequest, ResourceNotFound } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { viewCache } from '../protocol/JsonBody.js';
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
export function recordAccess(ctx: Context, s: Secret, v: SecretVersion): Promise<void> | undefined {
  const day = accessDay(ctx.clock.now());
  if (s.lastAccessedDate === day && v.lastAccessedDate === day) return undefined;
  return mutateSecret(ctx, s.arn, (cur) => {
    cur.lastAccessedDate = day;
    const ver = versionById(cur, v.id);
    if (ver) ver.lastAccessedDate = day;
    return { result: undefined, next: cur };
  });
}

/** The answer for a version, cached per snapshot: a version object never changes (its secret's ARN and name neither). */
const valueBody = viewCache((v: SecretVersion, s: Secret) => secretValueView(s, v));

/** No promise on the way when the store answers directly and the day's access is already recorded. */
export const GetSecretValue: Handler<Input> = (input, ctx) =>
  andThen(findSecret(ctx, input.SecretId), (s) => {
    assertNotDeleted(s);
    const v = selectVersion(s, input.VersionId, input.VersionStage);
    const write = recordAccess(ctx, s, v);
    return write ? write.then(() => valueBody(v, s)) : valueBody(v, s);
  });
