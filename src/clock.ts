/** Time source. Every use of "now" in the service goes through one of these, so tests can move time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: a 30-day recovery window becomes a test of milliseconds. */
export class FakeClock implements Clock {
  #now: number;
  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }
  now(): number {
    return this.#now;
  }
  set(ms: number | Date): void {
    this.#now = typeof ms === 'number' ? ms : ms.getTime();
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

export const DAY_MS = 86_400_000;

/** A clock that can be moved (FakeClock, AdjustableClock): what the clock endpoint and startServer().clock offer. */
export interface SettableClock extends Clock {
  set(ms: number | Date): void;
  advance(ms: number): void;
}

/**
 * The server's clock by default: real time plus an offset that the clock endpoint (`/_secretlite/clock`, loopback
 * only) and startServer().clock can move, so "30 days later" can be tried end to end against a running server.
 */
export class AdjustableClock implements SettableClock {
  #offset = 0;
  constructor(readonly base: Clock = systemClock) {}
  now(): number {
    return this.base.now() + this.#offset;
  }
  set(ms: number | Date): void {
    this.#offset = (typeof ms === 'number' ? ms : ms.getTime()) - this.base.now();
  }
  advance(ms: number): void {
    this.#offset += ms;
  }
  /** back to real time */
  reset(): void {
    this.#offset = 0;
  }
  get offsetMs(): number {
    return this.#offset;
  }
}

export const isSettable = (c: Clock): c is SettableClock =>
  typeof (c as Partial<SettableClock>).set === 'function' &&
  typeof (c as Partial<SettableClock>).advance === 'function';
