import { setFlagsFromString } from 'node:v8';

/**
 * How far V8's old generation may grow past what the last full GC left alive before the next one, percent. V8's
 * own policy lets a heap that allocates fast reach 4 times its live size, and each write replaces a snapshot that
 * dies in the old generation (figures: CONTRIBUTING, "Performance").
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 50;

/**
 * Caps the heap's growth between full GCs (see above); 0 keeps V8's policy. A `--heap-growing-percent` given to
 * node itself (command line or NODE_OPTIONS) wins. This V8 flag is read at each GC, so setting it after start
 * takes effect (unlike the young generation's size, which is fixed when the process starts). The CLI calls this;
 * `startServer()` does not, as the process belongs to the application that embeds it.
 */
export function limitHeapGrowth(percent: number): void {
  if (!(percent > 0)) return;
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) =>
    /^--heap[-_]growing[-_]percent\b/.test(a),
  );
  if (!given) setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
}
