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
