import { describe, expect, it } from 'vitest';
import { computedDays, nextWindow, parseSchedule, rotationDateOf } from '../../src/domain/schedule.js';
import type { RotationRules } from '../../src/domain/types.js';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
const at = (s: string) => Date.parse(s);

/** NextRotationDate for `rules` after a rotation at `last`. */
function next(rules: RotationRules, last: string): string | undefined {
  const w = nextWindow(parseSchedule(rules), at(last));
  return w && iso(rotationDateOf(w));
}

function windowOf(rules: RotationRules, last: string): [string | undefined, string | undefined] {
  const w = nextWindow(parseSchedule(rules), at(last));
  return [iso(w?.start), iso(w?.end)];
}

describe('NextRotationDate: the end of the next window less a second', () => {
  it('AutomaticallyAfterDays 30 after 2026-02-03 -> 2026-03-05T23:59:59Z [REAL]', () => {
    expect(next({ AutomaticallyAfterDays: 30 }, '2026-02-03T17:42:10Z')).toBe('2026-03-05T23:59:59.000Z');
  });
  it('rate(N days) is the same; Duration shortens the window from midnight', () => {
    expect(next({ ScheduleExpression: 'rate(10 days)' }, '2026-02-03T00:00:00Z')).toBe('2026-02-13T23:59:59.000Z');
    expect(windowOf({ AutomaticallyAfterDays: 1, Duration: '3h' }, '2026-02-03T12:00:00Z')).toEqual([
      '2026-02-04T00:00:00.000Z',
      '2026-02-04T03:00:00.000Z',
    ]);
  });
  it('rate(N hours): windows from midnight every N hours, reset each day, an hour long', () => {
    // rate(10 hours): 00:00, 10:00, 20:00
    expect(windowOf({ ScheduleExpression: 'rate(10 hours)' }, '2026-02-03T09:30:00Z')).toEqual([
      '2026-02-03T10:00:00.000Z',
      '2026-02-03T11:00:00.000Z',
    ]);
    expect(next({ ScheduleExpression: 'rate(10 hours)' }, '2026-02-03T20:10:00Z')).toBe('2026-02-04T00:59:59.000Z');
    expect(next({ ScheduleExpression: 'rate(4 hours)', Duration: '2h' }, '2026-02-03T04:00:00Z')).toBe(
      '2026-02-03T09:59:59.000Z',
    );
  });
  it('cron(0 16 1,15 * ? *) with Duration 2h -> 17:59:59 [DOC]', () => {
    expect(windowOf({ ScheduleExpression: 'cron(0 16 1,15 * ? *)', Duration: '2h' }, '2026-02-03T00:00:00Z')).toEqual([
      '2026-02-15T16:00:00.000Z',
      '2026-02-15T18:00:00.000Z',
    ]);
    expect(next({ ScheduleExpression: 'cron(0 16 1,15 * ? *)', Duration: '2h' }, '2026-02-15T16:30:00Z')).toBe(
      '2026-03-01T17:59:59.000Z',
    );
  });
  it('cron without Duration: a day schedule lasts to the end of the day, an hour schedule an hour', () => {
    expect(next({ ScheduleExpression: 'cron(0 10 * * ? *)' }, '2026-02-03T10:20:00Z')).toBe('2026-02-04T23:59:59.000Z');
    // hour increments reset daily: 4:00 and 16:00 [DOC]
    expect(windowOf({ ScheduleExpression: 'cron(0 4/12 * * ? *)' }, '2026-02-03T05:00:00Z')).toEqual([
      '2026-02-03T16:00:00.000Z',
      '2026-02-03T17:00:00.000Z',
    ]);
    expect(next({ ScheduleExpression: 'cron(0 4/12 * * ? *)' }, '2026-02-03T16:30:00Z')).toBe(
      '2026-02-04T04:59:59.000Z',
    );
  });
  it('cron day-of-week names, ranges, L and # [DOC examples]', () => {
    // 2026-02-07 is a Saturday
    expect(windowOf({ ScheduleExpression: 'cron(0 18 ? * SAT *)' }, '2026-02-03T00:00:00Z')[0]).toBe(
      '2026-02-07T18:00:00.000Z',
    );
    expect(windowOf({ ScheduleExpression: 'cron(0 8 ? * MON-FRI *)' }, '2026-02-06T09:00:00Z')[0]).toBe(
      '2026-02-09T08:00:00.000Z',
    );
    expect(windowOf({ ScheduleExpression: 'cron(0 17 L * ? *)' }, '2026-02-03T00:00:00Z')[0]).toBe(
      '2026-02-28T17:00:00.000Z',
    );
    // first Sunday of March 2026 is the 1st
    expect(windowOf({ ScheduleExpression: 'cron(0 0 ? * SUN#1 *)' }, '2026-02-03T00:00:00Z')[0]).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    // last Friday (6L) of February 2026: the 27th
    expect(windowOf({ ScheduleExpression: 'cron(0 9 ? * 6L *)' }, '2026-02-03T00:00:00Z')[0]).toBe(
      '2026-02-27T09:00:00.000Z',
    );
    // every third month from January, Sundays
    expect(windowOf({ ScheduleExpression: 'cron(0 1 ? 1/3 SUN *)' }, '2026-02-03T00:00:00Z')[0]).toBe(
      '2026-04-05T01:00:00.000Z',
    );
  });
  it('a schedule that never fires has no next window', () => {
    expect(nextWindow(parseSchedule({ ScheduleExpression: 'cron(0 10 30 2 ? *)' }), at('2026-01-01T00:00:00Z'))).toBe(
      undefined,
    );
  });
});

describe('AutomaticallyAfterDays shown beside a ScheduleExpression', () => {
  const now = at('2026-02-03T00:00:00Z');
  it('rate(10 hours) -> 1, rate(10 days) -> 10 [REAL]', () => {
    expect(computedDays(parseSchedule({ ScheduleExpression: 'rate(10 hours)' }), now)).toBe(1);
    expect(computedDays(parseSchedule({ ScheduleExpression: 'rate(10 days)' }), now)).toBe(10);
    expect(computedDays(parseSchedule({ ScheduleExpression: 'cron(0 8 ? * MON *)' }), now)).toBe(7);
  });
});

describe('validation', () => {
  it.each([
    [{ ScheduleExpression: 'rate(3 hours)' }, 'Rate in hour should be least 4 and less than 24.'],
    [{ ScheduleExpression: 'rate(24 hours)' }, 'Rate in hour should be least 4 and less than 24.'],
    [{ ScheduleExpression: 'rate(0 days)' }, 'Rate in day should be greater than 0 and less than 1000.'],
    [{ ScheduleExpression: 'rate(5 minutes)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'cron(0 10 * * ? 2027)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'cron(0 10 ? * ? *)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'cron(0 10 * * * *)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'cron(0 10 1 * MON *)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'cron(0 */2 * * ? *)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'cron(0 10 15W * ? *)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'cron(0 25 * * ? *)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'cron(0 10 * 13 ? *)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'cron(0 4/6 * * ? *)', Duration: '7h' }, 'Duration cannot be greater than Rate in hour.'],
    [{ ScheduleExpression: 'cron(0 20 * * ? *)', Duration: '5h' }, 'Starting hour and duration must be within a day.'],
    [{ AutomaticallyAfterDays: 1, Duration: '25h' }, 'Duration must be at least 1 hour, at most 24 hour.'],
  ])('%j', (rules, message) => {
    expect(() => parseSchedule(rules)).toThrow(message);
  });
  it('accepts the documented examples', () => {
    for (const e of [
      'cron(0 10 * * ? *)',
      'cron(0 18 ? * SAT *)',
      'cron(0 8 1 * ? *)',
      'cron(0 1 * 1/3 SUN *)',
      'cron(0 17 L * ? *)',
      'cron(0 8 ? * MON-FRI *)',
      'cron(0 16 1,15 * ? *)',
      'cron(0 0 ? * SUN#1 *)',
      'rate(4 hours)',
      'rate(23 hours)',
      'rate(999 days)',
    ]) {
      expect(() => parseSchedule({ ScheduleExpression: e }), e).not.toThrow();
    }
  });
});
