import type { Handler } from './context.js';
import { findSecret, mutateSecret } from './context.js';
import { clientRequestToken } from '../compat.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import {
  assertNoUnfinishedRotation,
  beginRotation,
  configureRotation,
  reschedule,
  withComputedDays,
} from '../domain/rotation.js';
import { parseSchedule } from '../domain/schedule.js';
import { assertPrimary } from '../domain/replicas.js';
import { InvalidParameter, ResourceExists } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { versionById } from '../domain/versions.js';
import type { Mutation } from '../store/Store.js';
import type { RotationRun } from '../domain/types.js';
import { accountOfArn } from '../domain/arn.js';

/**
 * Configures rotation and starts one, in AWS's order of checks (rotation-replication.md B1): the token (a raw
 * call without one: InvalidParameterException, before the lookup [LS-val A5]); the secret; deleted; a replica;
 * the schedule; a function to call (compat.ts: the built-in rotator by default); an unfinished rotation. Nothing
 * is stored when a check fails. Then, in one write, the configuration and the AWSPENDING version; the steps run
 * asynchronously against the function, or at once with the built-in rotator (nothing outside to wait for).
 */
interface Started {
  readonly result: { ARN: string; Name: string; VersionId: string };
  readonly arn: string;
  /** the rotation this call started, for the engine to run (none when the built-in rotator did it at once) */
  readonly run: RotationRun | undefined;
}

const INVOKE = 'lambda:InvokeFunction';

export const RotateSecret = (async (input, ctx) => {
  const token = clientRequestToken(ctx, input.ClientRequestToken, InvalidParameter);
  const found = await findSecret(ctx, input.SecretId);
  assertNotDeleted(found);
  assertPrimary(found, ctx.scope);
  const rules =
    input.RotationRules && withComputedDays(input.RotationRules, parseSchedule(input.RotationRules), ctx.clock.now());
  const functionArn = input.RotationLambdaARN ?? found.rotationLambdaARN;
  // with --auth the caller needs to be allowed to invoke the function too [M: RotateSecret, "Required permissions"]
  if (functionArn) ctx.access?.resource(functionArn, accountOfArn(functionArn) ?? ctx.scope.accountId, INVOKE);
  const rotator = await ctx.rotation.rotatorFor(functionArn, ctx.scope);
  const testOnly = input.RotateImmediately === false;
  const started = await mutateSecret(ctx, input.SecretId, (s, now): Mutation<Started> => {
    const result = { ARN: s.arn, Name: s.name, VersionId: token };
    // the same call again while its rotation runs: answered as before
    if (s.rotationRun?.token === token) return { result: { result, arn: s.arn, run: undefined } };
    assertNotDeleted(s);
    assertNoUnfinishedRotation(s);
    // a token naming a version already there cannot name the new one: as PutSecretValue answers a reused token
    // [INF: AWS's answer for RotateSecret is not recorded]
    if (versionById(s, token)) throw ResourceExists(MSG.tokenInUse(token, s.arn));
    configureRotation(s, { lambdaArn: input.RotationLambdaARN, rules }, now);
    if (input.ExternalSecretRotationMetadata !== undefined)
      s.externalSecretRotationMetadata = input.ExternalSecretRotationMetadata;
    if (input.ExternalSecretRotationRoleArn !== undefined)
      s.externalSecretRotationRoleArn = input.ExternalSecretRotationRoleArn;
    const run = beginRotation(s, token, testOnly, now, ctx.rotation.leaseUntil(rotator, now));
    if (rotator === 'built-in') ctx.rotation.rotateBuiltIn(s, run, now);
    reschedule(s, now);
    return { result: { result, arn: s.arn, run }, next: s };
  });
  if (rotator !== 'built-in' && started.run) ctx.rotation.start(ctx.scope, started.arn, started.run, rotator);
  return started.result;
}) satisfies Handler<'RotateSecret'>;
