import { setFlagsFromString } from 'node:v8';

/**
 * How far V8's old generation may grow past what the last full GC left alive before the next one, percent.
 *
 * V8's own policy lets the heap reach up to 4 times its live size between full GCs when the program allocates
 * fast (tuned for throughput): at 100,000 secrets, a few seconds of writes at full speed took the server from
 * 270 MB to 600 MB resident, of which 300 MB was garbage (each write replaces a secret's snapshot, and the old
 * one dies in the old generation). At 50 %, the same runs peak near 290 MB, for about 5-10 % more CPU per write
 * (more full GCs, mostly concurrent); reads allocate little in the old generation and are not affected.
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
