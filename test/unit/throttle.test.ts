import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../src/model/service.js';
import { QUOTAS, QUOTA_OF, Throttle, quotaTable, throttlingError } from '../../src/server/throttle.js';

/** A clock the test moves by hand, ms. */
function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** How many of `n` requests in a row (no time passing) are let through. */
function burst(th: Throttle, n: number, op: string, account = '111111111111', region = 'us-east-1'): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (th.take(account, region, op)) ok++;
  return ok;
}

describe('Throttle', () => {
  it('lets a full second of requests through at once, then refuses (burst = rate)', () => {
    const clock = fakeClock();
    const th = new Throttle({ now: clock.now });
    expect(burst(th, 60, 'CreateSecret')).toBe(50);
    expect(th.take('111111111111', 'us-east-1', 'CreateSecret')).toBe(false);
  });

  it('refills at the rate: 50/s is one request every 20 ms, never above the capacity', () => {
    const clock = fakeClock();
    const th = new Throttle({ now: clock.now });
    burst(th, 50, 'CreateSecret');
    clock.advance(19);
    expect(th.take('111111111111', 'us-east-1', 'CreateSecret')).toBe(false);
    clock.advance(1);
    expect(th.take('111111111111', 'us-east-1', 'CreateSecret')).toBe(true);
    expect(th.take('111111111111', 'us-east-1', 'CreateSecret')).toBe(false);
    clock.advance(60_000);
    expect(burst(th, 100, 'CreateSecret')).toBe(50);
  });

  it('operations AWS combines share one bucket; others do not', () => {
    const clock = fakeClock();
    const th = new Throttle({ now: clock.now });
    expect(burst(th, 30, 'PutSecretValue')).toBe(30);
    expect(burst(th, 30, 'UpdateSecret')).toBe(20);
    expect(burst(th, 5, 'UpdateSecretVersionStage')).toBe(0);
    expect(burst(th, 5, 'ReplicateSecretToRegions')).toBe(0);
    expect(burst(th, 25, 'TagResource') + burst(th, 50, 'UntagResource')).toBe(50);
    expect(burst(th, 25, 'RotateSecret') + burst(th, 50, 'CancelRotateSecret')).toBe(50);
    expect(burst(th, 20, 'GetResourcePolicy') + burst(th, 50, 'ValidateResourcePolicy')).toBe(50);
    // CreateSecret has its own bucket, untouched by the writes above
    expect(burst(th, 60, 'CreateSecret')).toBe(50);
  });

  it('GetSecretValue and DescribeSecret have separate buckets (10,000/s and 40,000/s)', () => {
    const clock = fakeClock();
    const th = new Throttle({ now: clock.now });
    expect(burst(th, 10_001, 'GetSecretValue')).toBe(10_000);
    expect(burst(th, 40_001, 'DescribeSecret')).toBe(40_000);
    expect(burst(th, 101, 'ListSecrets')).toBe(100);
    expect(burst(th, 101, 'BatchGetSecretValue')).toBe(100);
    expect(burst(th, 51, 'ListSecretVersionIds')).toBe(50);
  });

  it('keeps separate buckets per account and per Region', () => {
    const clock = fakeClock();
    const th = new Throttle({ now: clock.now });
    expect(burst(th, 60, 'DeleteSecret', '111111111111', 'us-east-1')).toBe(50);
    expect(burst(th, 60, 'DeleteSecret', '222222222222', 'us-east-1')).toBe(50);
    expect(burst(th, 60, 'DeleteSecret', '111111111111', 'eu-west-1')).toBe(50);
    expect(burst(th, 1, 'DeleteSecret', '111111111111', 'us-east-1')).toBe(0);
  });

  it('scale shrinks every rate and burst, but a bucket always holds one request', () => {
    const clock = fakeClock();
    const th = new Throttle({ now: clock.now, scale: 0.01 });
    expect(burst(th, 200, 'GetSecretValue')).toBe(100);
    expect(burst(th, 5, 'ListSecrets')).toBe(1);
    // 50/s * 0.01 = 0.5/s: one request, then the next only two seconds later
    expect(burst(th, 5, 'CreateSecret')).toBe(1);
    clock.advance(1_999);
    expect(burst(th, 1, 'CreateSecret')).toBe(0);
    clock.advance(1);
    expect(burst(th, 1, 'CreateSecret')).toBe(1);
  });

  it('quotas replace AWS rates by name (and are scaled too)', () => {
    const clock = fakeClock();
    const th = new Throttle({ now: clock.now, quotas: { GetSecretValue: 3, Tagging: 200 }, scale: 0.5 });
    expect(burst(th, 10, 'GetSecretValue')).toBe(1);
    expect(burst(th, 500, 'TagResource')).toBe(100);
    expect(burst(th, 100, 'CreateSecret')).toBe(25);
  });

  it('a clock moved back neither refills nor stalls the bucket', () => {
    const clock = fakeClock();
    const th = new Throttle({ now: clock.now });
    burst(th, 50, 'RestoreSecret');
    clock.advance(-5_000);
    expect(burst(th, 1, 'RestoreSecret')).toBe(0);
    clock.advance(20);
    expect(burst(th, 5, 'RestoreSecret')).toBe(1);
  });

  it('does not count operations it does not know', () => {
    const th = new Throttle({ now: () => 0, scale: 0 });
    expect(burst(th, 10, 'NoSuchOperation')).toBe(10);
    expect(burst(th, 10, 'constructor')).toBe(10);
  });

  it('every operation of the model has a quota, and the table lists each once', () => {
    for (const op of OPERATION_NAMES) expect(QUOTAS[QUOTA_OF[op]].perSecond).toBeGreaterThan(0);
    const listed = quotaTable().flatMap((r) => r.operations);
    expect([...listed].sort()).toEqual([...OPERATION_NAMES].sort());
  });

  it('the error is ThrottlingException "Rate exceeded", HTTP 400', () => {
    const e = throttlingError();
    expect([e.code, e.message, e.status]).toEqual(['ThrottlingException', 'Rate exceeded', 400]);
  });
});
