import type { RotationRules } from './types.js';
import { InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { DAY_MS } from '../clock.js';

/*
 * Rotation schedules, as the model and the user guide describe them ("Schedule expressions in Secrets Manager
 * rotation" [DOC]): UTC; AutomaticallyAfterDays or a ScheduleExpression, rate(N hours|days) or cron() in
 * EventBridge's six fields; a rotation window that opens on the hour and lasts Duration, by default one hour for
 * schedules in hours and the rest of the UTC day for schedules in days, and that never reaches into the next UTC
 * day or the next window. Pure: times in, times out.
 */

const HOUR_MS = 3_600_000;

/** A parsed, valid schedule. */
export interface Schedule {
  /** days: every N days from the day of the last rotation; slots: fixed hours of matching days (rate hours, cron) */
  readonly kind: 'days' | 'slots';
  /** days: N */
  readonly days: number;
  /** slots: whether a UTC day matches (rate(N hours) matches every day) */
  readonly dayMatches: (dayStart: number) => boolean;
  /** slots: the hours of a matching day at which a window opens, ascending */
  readonly hours: readonly number[];
  /** slots: the minute of the hour the windows open (cron's minutes field; 0 otherwise) */
  readonly minute: number;
  /** the window's length in ms */
  readonly windowMs: number;
}

export interface Window {
  readonly start: number;
  readonly end: number;
}

/** AutomaticallyAfterDays 1..1000 [M]; rate(N days) at most 999 days (the user guide's limit). */
const MAX_RATE_DAYS = 999;
/** rate(N hours): every 4 hours at most often [DOC], and under a day (rate(1 day) is one) [UNV: MSG.rateInHours]. */
const MIN_RATE_HOURS = 4;
const MAX_RATE_HOURS = 23;

/** Parses and checks RotationRules; InvalidParameterException when they cannot describe a schedule. */
export function parseSchedule(rules: Readonly<RotationRules>): Schedule {
  const { AutomaticallyAfterDays: days, ScheduleExpression: expr, Duration: duration } = rules;
  if (days !== undefined && expr !== undefined) throw InvalidParameter(MSG.bothFrequencyAndSchedule);
  const durationH = duration === undefined ? undefined : parseDuration(duration);
  if (expr === undefined) {
    if (days === undefined) throw InvalidParameter(MSG.scheduleRequired);
    return daysSchedule(days, durationH);
  }
  const e = expr.trim();
  const rate = /^rate\(\s*(\d+)\s+(hour|hours|day|days)\s*\)$/.exec(e);
  if (rate) {
    const n = Number(rate[1]);
    if (rate[2]!.startsWith('day')) {
      if (n < 1 || n > MAX_RATE_DAYS) throw InvalidParameter(MSG.rateInDays);
      return daysSchedule(n, durationH);
    }
    if (n < MIN_RATE_HOURS || n > MAX_RATE_HOURS) throw InvalidParameter(MSG.rateInHours);
    // windows open at midnight and every N hours after it, each day anew [M RotationRulesType]
    const hours: number[] = [];
    for (let h = 0; h < 24; h += n) hours.push(h);
    return slotsSchedule(() => true, hours, 0, durationH, n);
  }
  const cron = /^cron\((.*)\)$/.exec(e);
  if (!cron) throw InvalidParameter(MSG.invalidScheduleExpression);
  return parseCron(cron[1]!, durationH);
}

function parseDuration(d: string): number {
  const m = /^(\d+)h$/.exec(d);
  const h = m ? Number(m[1]) : NaN;
  if (!(h >= 1 && h <= 24)) throw InvalidParameter(MSG.invalidDuration);
  return h;
}

function daysSchedule(days: number, durationH: number | undefined): Schedule {
  return {
    kind: 'days',
    days,
    dayMatches: () => true,
    hours: [0],
    minute: 0,
    // the window opens at midnight and closes at the end of the day unless Duration says sooner
    windowMs: (durationH ?? 24) * HOUR_MS,
  };
}

/**
 * A schedule of windows at fixed hours. Schedules with one window a day are "in days" (the window lasts to the
 * end of the day by default), with more "in hours" (one hour). Either way a window must end by midnight and
 * before the next one opens.
 */
function slotsSchedule(
  dayMatches: (dayStart: number) => boolean,
  hours: readonly number[],
  minute: number,
  durationH: number | undefined,
  gapH: number,
): Schedule {
  const inHours = hours.length > 1;
  const last = hours[hours.length - 1]!;
  const windowMs = durationH !== undefined ? durationH * HOUR_MS : inHours ? HOUR_MS : (24 - last) * HOUR_MS;
  let minGap = inHours ? gapH : 24;
  for (let i = 1; i < hours.length; i++) minGap = Math.min(minGap, hours[i]! - hours[i - 1]!);
  if (windowMs > minGap * HOUR_MS) throw InvalidParameter(MSG.durationOverRate);
  if (last * HOUR_MS + minute * 60_000 + windowMs > 24 * HOUR_MS) throw InvalidParameter(MSG.windowPastMidnight);
  return { kind: 'slots', days: 0, dayMatches, hours, minute, windowMs };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * A list field of a cron expression: `*`, values, ranges `a-b`, steps `x/n` and `a-b/n`, separated by commas;
 * `names` maps the field's names (JAN, SUN) to values counted from `min`. Undefined when malformed.
 */
function parseList(text: string, min: number, max: number, names?: readonly string[]): Set<number> | undefined {
  const value = (t: string): number => {
    const i = names ? names.indexOf(t.toUpperCase()) : -1;
    if (i >= 0) return i + min;
    return /^\d+$/.test(t) ? Number(t) : NaN;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^([^/]+?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    let lo: number;
    let hi: number;
    if (m[1] === '*') [lo, hi] = [min, max];
    else if (m[1]!.includes('-')) {
      const [a, b, ...rest] = m[1]!.split('-');
      if (rest.length) return undefined;
      [lo, hi] = [value(a!), value(b!)];
    } else {
      lo = value(m[1]!);
      hi = m[2] === undefined ? lo : max;
    }
    if (!(lo >= min && hi <= max && lo <= hi && step >= 1)) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

const utcDay = (t: number): Date => new Date(t);
const daysInMonth = (d: Date): number => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();

/**
 * Day-of-month field: `?`, a list, or `L` (the last day). EventBridge's `W` is not among the wildcards Secrets
 * Manager lists [DOC rotate-secrets_schedule: `, - * ? / L`].
 */
function parseDayOfMonth(f: string): ((d: Date) => boolean) | undefined {
  if (f === 'L') return (d) => d.getUTCDate() === daysInMonth(d);
  const days = parseList(f, 1, 31);
  return days && ((d) => days.has(d.getUTCDate()));
}

/** Day-of-week field (1 = SUN .. 7 = SAT): a list, `nL` (last such weekday of the month), `n#k` (kth such). */
function parseDayOfWeek(f: string): ((d: Date) => boolean) | undefined {
  const weekday = (t: string): number => {
    const i = WEEKDAYS.indexOf(t.toUpperCase());
    return i >= 0 ? i + 1 : /^[1-7]$/.test(t) ? Number(t) : NaN;
  };
  const last = /^([A-Za-z]{3}|\d)?L$/.exec(f);
  if (last) {
    const wd = last[1] === undefined ? 7 : weekday(last[1]);
    if (Number.isNaN(wd)) return undefined;
    return (d) => d.getUTCDay() + 1 === wd && d.getUTCDate() + 7 > daysInMonth(d);
  }
  const nth = /^([A-Za-z]{3}|\d)#([1-5])$/.exec(f);
  if (nth) {
    const wd = weekday(nth[1]!);
    const k = Number(nth[2]);
    if (Number.isNaN(wd)) return undefined;
    return (d) => d.getUTCDay() + 1 === wd && Math.ceil(d.getUTCDate() / 7) === k;
  }
  const days = parseList(f, 1, 7, WEEKDAYS);
  return days && ((d) => days.has(d.getUTCDay() + 1));
}

/**
 * cron(minutes hours day-of-month month day-of-week year), UTC [DOC rotate-secrets_schedule]: minutes "must be 0"
 * (windows open on the hour), year "must be *" (no schedule more than a year apart), one of day-of-month and
 * day-of-week `?`. Hour increments reset each day: cron(0 4/12 * * ? *) is 4:00 and 16:00 every day [DOC]. Windows
 * at most every four hours, as rate() [DOC: "as often as every four hours"].
 */
function parseCron(body: string, durationH: number | undefined): Schedule {
  const bad = () => InvalidParameter(MSG.invalidScheduleExpression);
  const f = body.trim().split(/\s+/);
  if (f.length !== 6) throw bad();
  const [min, hr, dom, mon, dow, year] = f as [string, string, string, string, string, string];
  if (min !== '0' || year !== '*') throw bad();
  const hours = parseList(hr, 0, 23);
  const months = parseList(mon, 1, 12, MONTHS);
  if (!hours || !months) throw bad();
  // one of the two is `?`; the user guide's own example cron(0 1 * 1/3 SUN *) has `*` there, taken as `?`
  const domAny = dom === '?' || (dom === '*' && dow !== '*' && dow !== '?');
  const dowAny = dow === '?' || (dow === '*' && !domAny && dom !== '*');
  if (domAny === dowAny) throw bad();
  const dayOk = domAny ? parseDayOfWeek(dow) : parseDayOfMonth(dom);
  if (!dayOk) throw bad();
  const sorted = [...hours].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]! - sorted[i - 1]! < MIN_RATE_HOURS) throw bad();
  const dayMatches = (dayStart: number): boolean => {
    const d = utcDay(dayStart);
    return months.has(d.getUTCMonth() + 1) && dayOk(d);
  };
  // a schedule that never fires (31 February) is accepted, as EventBridge accepts it; it has no next window
  return slotsSchedule(dayMatches, sorted, 0, durationH, 24);
}

/** How far ahead a cron schedule is searched for its next window: past it, the schedule is taken as never firing. */
const SEARCH_DAYS = 5 * 366;

const midnight = (t: number): number => Math.floor(t / DAY_MS) * DAY_MS;

/** The first window of a slots schedule that opens after `after`. */
function nextSlot(s: Schedule, after: number): number | undefined {
  const first = midnight(after);
  for (let day = first, i = 0; i < SEARCH_DAYS; day += DAY_MS, i++) {
    if (!s.dayMatches(day)) continue;
    for (const h of s.hours) {
      const t = day + h * HOUR_MS + s.minute * 60_000;
      if (t > after) return t;
    }
  }
  return undefined;
}

/**
 * The next rotation window after a rotation (or a manual change of the value, which counts as one [M
 * AutomaticallyAfterDays]) at `last`: for a schedule in days, the day N days after the day of `last`, from
 * midnight; otherwise the first window opening after `last`. Undefined if the schedule never fires again.
 */
export function nextWindow(s: Schedule, last: number): Window | undefined {
  const start = s.kind === 'days' ? midnight(last) + s.days * DAY_MS : nextSlot(s, last);
  return start === undefined ? undefined : { start, end: start + s.windowMs };
}

/**
 * NextRotationDate: "the latest date that rotation will occur" [DOC], the end of the next window less a second
 * ([REAL] AutomaticallyAfterDays 30 after 2026-02-03 -> 2026-03-05T23:59:59Z;
 * [DOC] cron(0 16 ...) with 2h -> 17:59:59).
 */
export const rotationDateOf = (w: Window): number => w.end - 1000;

/**
 * The AutomaticallyAfterDays that DescribeSecret and ListSecrets show beside a ScheduleExpression, "calculated
 * from the rotation schedule" [M]. The formula is not documented [UNV]: whole days between the next two windows,
 * at least 1.
 */
export function computedDays(s: Schedule, now: number): number | undefined {
  if (s.kind === 'days') return s.days;
  const a = nextSlot(s, now);
  const b = a === undefined ? undefined : nextSlot(s, a);
  if (a === undefined || b === undefined) return undefined;
  return Math.max(1, Math.round((b - a) / DAY_MS));
}
