import type { Route, RouteResponse } from './http.js';
import { AdjustableClock, type SettableClock } from '../clock.js';

/*
 * Endpoints for people testing against a running server, on loopback only (startServer decides): today the clock.
 */

const json = (status: number, body: unknown): RouteResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30d", "12h", "90m", "45s", "250ms", or a number of milliseconds. */
function duration(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const m = typeof v === 'string' ? /^(-?\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v.trim()) : null;
  return m ? Number(m[1]) * UNITS[m[2]!]! : undefined;
}

function instant(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/**
 * `/_secretlite/clock`: GET reads the server's clock; POST `{"advance": "30d"}` (or milliseconds), `{"set":
 * "2027-01-01T00:00:00Z"}` (or epoch milliseconds) or `{"reset": true}` moves it, then runs the background jobs
 * that became due (rotation windows, purges) before it answers, so the next call sees their effect.
 */
export function clockRoute(clock: SettableClock, runJobs: () => Promise<number>): Route {
  const state = () => {
    const now = clock.now();
    return {
      now: new Date(now).toISOString(),
      epochMillis: now,
      offsetMillis: clock instanceof AdjustableClock ? clock.offsetMs : undefined,
    };
  };
  return {
    handles: (path) => path === '/_secretlite/clock',
    maxBodyBytes: 4096,
    async handle(req) {
      if (req.method === 'GET') return json(200, state());
      if (req.method !== 'POST') return json(405, { message: 'Use GET or POST.' });
      let body: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(req.body.toString('utf8') || '{}');
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
        body = parsed as Record<string, unknown>;
      } catch {
        return json(400, { message: 'The body must be a JSON object.' });
      }
      if (body.advance !== undefined) {
        const ms = duration(body.advance);
        if (ms === undefined)
          return json(400, { message: 'advance: a duration such as "30d", "12h", or milliseconds.' });
        clock.advance(ms);
      } else if (body.set !== undefined) {
        const t = instant(body.set);
        if (t === undefined) return json(400, { message: 'set: an ISO 8601 date or epoch milliseconds.' });
        clock.set(t);
      } else if (body.reset === true) {
        if (clock instanceof AdjustableClock) clock.reset();
        else return json(400, { message: 'reset: this clock has no real time to go back to.' });
      } else {
        return json(400, { message: 'Say "advance", "set" or "reset".' });
      }
      const jobsChanged = await runJobs();
      return json(200, { ...state(), jobsChanged });
    },
  };
}
