import type { Secret } from './types.js';
import { InvalidRequest, InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { DAY_MS } from '../clock.js';

/** Recovery window bounds and default [M DeleteSecret: "7 to 30 days ... default 30"]. */
export const MIN_RECOVERY_DAYS = 7;
export const MAX_RECOVERY_DAYS = 30;
export const DEFAULT_RECOVERY_DAYS = 30;

/** A secret whose recovery window has passed no longer exists, whether or not the purge has run yet. */
export const isPurgeable = (s: Secret, now: number): boolean => s.deletionDate !== undefined && s.deletionDate <= now;

export const isScheduledForDeletion = (s: Secret): boolean => s.deletedDate !== undefined;

/** Value reads and changes on a secret scheduled for deletion fail with AWS's message [LS-val]. */
export function assertNotDeleted(s: Secret): void {
  if (s.deletedDate !== undefined) throw InvalidRequest(MSG.markedForDeletion);
}

export type DeletePlan = { kind: 'force' } | { kind: 'schedule'; days: number };

/**
 * The range is checked first, even with ForceDeleteWithoutRecovery and for a missing secret: real AWS
 * answered RecoveryWindowInDays=0 + force with the range message (getmoto/moto#6461). An explicit
 * ForceDeleteWithoutRecovery=false with a window is fine [LS-val].
 */
export function planDeletion(recoveryWindowInDays: number | undefined, force: boolean | undefined): DeletePlan {
  if (
    recoveryWindowInDays !== undefined &&
    (recoveryWindowInDays < MIN_RECOVERY_DAYS || recoveryWindowInDays > MAX_RECOVERY_DAYS)
  ) {
    throw InvalidParameter(MSG.recoveryWindowRange);
  }
  if (force && recoveryWindowInDays !== undefined) throw InvalidParameter(MSG.forceDeleteWithWindow);
  if (force) return { kind: 'force' };
  return { kind: 'schedule', days: recoveryWindowInDays ?? DEFAULT_RECOVERY_DAYS };
}

export function scheduleDeletion(s: Secret, now: number, days: number): void {
  s.deletedDate = now;
  s.deletionDate = now + days * DAY_MS;
}

/** Cleared by undefined, not `delete` (see domain/secret.ts). */
export function restore(s: Secret): void {
  s.deletedDate = undefined;
  s.deletionDate = undefined;
}

/** LastAccessedDate has day resolution: midnight UTC of the access [M example 1523923200]. */
export const accessDay = (now: number): number => now - (now % DAY_MS);

/** Days since the epoch (UTC): the day of accessDay(now) as a small integer. */
export const dayNumber = (now: number): number => Math.floor(now / DAY_MS);
