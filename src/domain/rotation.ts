import type { RotationRules, RotationRun, Secret } from './types.js';
import { computedDays, nextWindow, parseSchedule, rotationDateOf, type Schedule } from './schedule.js';
import {
  addPlaceholderVersion,
  AWSCURRENT,
  AWSPENDING,
  hasValue,
  newVersion,
  updateVersionStage,
  versionById,
  versionWithStage,
  writeValue,
  type SecretValue,
} from './versions.js';
import { InvalidRequest } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

/*
 * Rotation as Secrets Manager runs it (../shared/reference/rotation-replication.md, B1-B3): RotateSecret stores the
 * configuration and an AWSPENDING version (the token's), then the four steps run; a failed attempt is retried with
 * the same token; success records LastRotatedDate and the next window. Pure transitions on a secret's copy: the
 * engine (src/rotation) runs the steps and calls these through store.mutate.
 */

export const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type Step = (typeof STEPS)[number];

/** Attempts of one rotation before it waits for its next window ("retries ... multiple times" [DOC]). */
export const MAX_ATTEMPTS = 5;
/** Delay before attempt n+1: 2 s, 8 s, 32 s, 128 s [ours]. */
export const retryDelayMs = (attempt: number): number => 2000 * 4 ** (attempt - 1);

/**
 * The schedule of a secret's stored rules, or undefined when it has none. Stored rules with a ScheduleExpression
 * also hold the AutomaticallyAfterDays computed from it (withComputedDays): the expression rules.
 */
export function scheduleOf(s: Secret): Schedule | undefined {
  const r = s.rotationRules;
  if (r === undefined) return undefined;
  if (r.ScheduleExpression !== undefined)
    return parseSchedule({ ScheduleExpression: r.ScheduleExpression, Duration: r.Duration });
  return r.AutomaticallyAfterDays === undefined ? undefined : parseSchedule(r);
}

/** The version a pending rotation would fill or finish: AWSPENDING on a version that is not AWSCURRENT. */
export function unfinishedPending(s: Secret): string | undefined {
  const pending = versionWithStage(s, AWSPENDING);
  return pending && !pending.stages.includes(AWSCURRENT) ? pending.id : undefined;
}

/**
 * RotateSecret's state check (B1 check 9): "If the AWSPENDING staging label is present but not attached to the same
 * version as AWSCURRENT, then any later invocation of RotateSecret assumes that a previous rotation request is still
 * in progress and returns an error" [M]; the text is AWS's [REAL].
 */
export function assertNoUnfinishedRotation(s: Secret): void {
  if (unfinishedPending(s) !== undefined) throw InvalidRequest(MSG.previousRotationIncomplete);
}

/**
 * When the last rotation happened, for the schedule: a rotation, or a manual change of the value, which "is
 * considered a valid rotation" [M AutomaticallyAfterDays]: the later of LastRotatedDate and the current version's
 * creation.
 */
function lastRotation(s: Secret, now: number): number {
  const current = versionWithStage(s, AWSCURRENT);
  return Math.max(s.lastRotatedDate ?? 0, current?.createdDate ?? 0) || now;
}

/**
 * Recomputes NextRotationDate and when the scheduler next looks at the secret, from its rules and its last
 * rotation: nothing while rotation is off [DOC: NextRotationDate is omitted], the lease of a rotation under way is
 * left as it is.
 */
export function reschedule(s: Secret, now: number): void {
  const schedule = s.rotationEnabled === true && s.deletedDate === undefined ? scheduleOf(s) : undefined;
  const window = schedule && nextWindow(schedule, lastRotation(s, now));
  s.nextRotationDate = window && rotationDateOf(window);
  if (s.rotationRun === undefined) s.rotationDueDate = window?.start;
}

/**
 * Rules as they are stored and shown: with a ScheduleExpression, DescribeSecret and ListSecrets also show the
 * AutomaticallyAfterDays it amounts to, "calculated from the rotation schedule" [M; TF PR #31915]. Member order
 * as AWS's JSON shows it.
 */
export function withComputedDays(rules: Readonly<RotationRules>, schedule: Schedule, now: number): RotationRules {
  if (rules.ScheduleExpression === undefined) return rules;
  const days = computedDays(schedule, now);
  return { AutomaticallyAfterDays: days, Duration: rules.Duration, ScheduleExpression: rules.ScheduleExpression };
}

export interface RotationConfig {
  readonly lambdaArn?: string;
  readonly rules?: Readonly<RotationRules>;
}

/**
 * Stores a rotation configuration (RotateSecret): what the call omits keeps its stored value [REC A2], and rotation
 * is on.
 */
export function configureRotation(s: Secret, config: RotationConfig, now: number): void {
  if (config.lambdaArn !== undefined) s.rotationLambdaARN = config.lambdaArn;
  if (config.rules !== undefined) s.rotationRules = config.rules;
  s.rotationEnabled = true;
  s.lastChangedDate = now;
}

/**
 * Starts a rotation under `token`: an AWSPENDING version without a value, filled by the createSecret step [MOTO-V;
 * REAL moto #8403], made even for a secret without a value [REAL aws-samples #16]; or, for a test-only run
 * (RotateImmediately=false), an AWSPENDING copy of the current value, which only testSecret sees [DOC; MOTO-V].
 * `leaseUntil`: when another instance may take the rotation over if this one has not finished it.
 */
export function beginRotation(
  s: Secret,
  token: string,
  testOnly: boolean,
  now: number,
  leaseUntil: number,
): RotationRun {
  if (versionById(s, token) === undefined) {
    const current = versionWithStage(s, AWSCURRENT);
    const value: SecretValue = testOnly && current ? current : {};
    addPlaceholderVersion(s, newVersion(token, now, s.kmsKeyId, value), now);
  }
  const run: RotationRun = { token, testOnly, attempt: 1 };
  s.rotationRun = run;
  s.rotationDueDate = leaseUntil;
  s.lastChangedDate = now;
  return run;
}

/** A claim of a rotation's next attempt (a retry, or after a crash): the lease moves, the attempt counts up. */
export function claimAttempt(s: Secret, run: RotationRun, leaseUntil: number): RotationRun {
  const next: RotationRun = { ...run, attempt: run.attempt + 1 };
  s.rotationRun = next;
  s.rotationDueDate = leaseUntil;
  return next;
}

/**
 * Ends a rotation whose steps all succeeded. A test-only run takes AWSPENDING off its copy (which becomes a
 * deprecated version). A full run is done when its version holds AWSCURRENT (the function's finishSecret moved it),
 * and its AWSPENDING goes; if AWSCURRENT did not move, the run failed: the message says why.
 */
export function completeRotation(s: Secret, run: RotationRun, now: number): string | undefined {
  const version = versionById(s, run.token);
  if (run.testOnly) {
    if (version?.stages.includes(AWSPENDING)) updateVersionStage(s, AWSPENDING, undefined, run.token);
  } else if (!version?.stages.includes(AWSCURRENT)) {
    return MSG.rotationNotFinished(run.token);
  } else {
    // "Our backend cleans up the pending label on rotation completion, outside the rotation lambda" [REAL: an AWS
    // maintainer, aws-samples/aws-secrets-manager-rotation-lambdas PR #145, 2024]; older recordings kept it [REC A6]
    if (version.stages.includes(AWSPENDING)) updateVersionStage(s, AWSPENDING, undefined, run.token);
    s.lastRotatedDate = now;
  }
  s.rotationRun = undefined;
  s.rotationFailure = undefined;
  reschedule(s, now);
  return undefined;
}

/**
 * Records a failed attempt: labels stay as they are [DOC]; the same token is tried again after a delay, a few
 * times; then the rotation waits for its next window, where it is reattempted (its AWSPENDING version stays).
 */
export function failRotation(s: Secret, run: RotationRun, step: string, message: string, now: number): boolean {
  s.rotationFailure = { date: now, step, message };
  if (run.attempt < MAX_ATTEMPTS) {
    s.rotationRun = run;
    s.rotationDueDate = now + retryDelayMs(run.attempt);
    return true;
  }
  s.rotationRun = undefined;
  reschedule(s, now);
  return false;
}

/**
 * CancelRotateSecret (B3): rotation off, the function and rules kept [DOC], labels untouched [DOC]; a rotation under
 * way stops before its next step. The pending version's id when one is left.
 */
export function cancelRotation(s: Secret, now: number): string | undefined {
  const pending = unfinishedPending(s);
  s.rotationEnabled = false;
  s.rotationRun = undefined;
  s.nextRotationDate = undefined;
  s.rotationDueDate = undefined;
  s.lastChangedDate = now;
  return pending;
}

/**
 * A value written by hand (PutSecretValue or UpdateSecret) that became AWSCURRENT: it abandons a rotation under way,
 * whose AWSPENDING goes [DOC: CloudTrail RotationAbandoned; REAL: Terraform unblocks rotation this way], and counts
 * as a rotation for the schedule [M]. Whether a rotation under way was abandoned (CloudTrail's RotationAbandoned).
 */
export function valueWrittenByHand(s: Secret, versionId: string, now: number): boolean {
  if (s.rotationEnabled !== true && s.rotationRun === undefined) return false;
  const abandoned = s.rotationRun !== undefined;
  const pending = unfinishedPending(s);
  if (pending !== undefined && pending !== versionId) updateVersionStage(s, AWSPENDING, undefined, pending);
  s.rotationRun = undefined;
  reschedule(s, now);
  return abandoned;
}

/**
 * The built-in rotator's four steps at once (default mode, no function to call; what seed 001 documents):
 * createSecret puts a new value in the pending version, finishSecret moves AWSCURRENT to it (AWSPREVIOUS follows)
 * and takes AWSPENDING off, as AWS's template does.
 */
export function builtInRotation(s: Secret, run: RotationRun, value: SecretValue, now: number): void {
  const pending = versionById(s, run.token);
  if (!run.testOnly) {
    if (pending && !hasValue(pending)) writeValue(s, run.token, value, [AWSPENDING], now);
    const current = versionWithStage(s, AWSCURRENT);
    if (current?.id !== run.token) updateVersionStage(s, AWSCURRENT, run.token, current?.id);
    if (versionById(s, run.token)?.stages.includes(AWSPENDING)) updateVersionStage(s, AWSPENDING, undefined, run.token);
  }
  const unfinished = completeRotation(s, run, now);
  if (unfinished !== undefined) throw new Error(unfinished); // cannot happen: AWSCURRENT was just moved
}

/** The characters AWS's rotation templates leave out of new passwords (EXCLUDE_CHARACTERS' default). */
export const TEMPLATE_EXCLUDED_CHARACTERS = '/@"\'\\';

/**
 * The built-in rotator's new value, from the current one and a fresh password: a JSON object's `password` member
 * replaced (the shape of AWS's database templates), any other value replaced by the password (bytes of it for a
 * binary secret).
 */
export function builtInValue(current: SecretValue | undefined, password: string): SecretValue {
  if (current?.secretBinary !== undefined) return { secretBinary: Buffer.from(password) };
  const text = current?.secretString;
  if (text !== undefined && text.trimStart().startsWith('{')) {
    try {
      const doc: unknown = JSON.parse(text);
      if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'password' in doc) {
        return { secretString: JSON.stringify({ ...doc, password }) };
      }
    } catch {
      // not JSON: replaced whole
    }
  }
  return { secretString: password };
}
