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
  if (!givenToNode(/^--heap[-_]growing[-_]percent\b/))
    setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
}

/**
 * Turns V8's allocation-site pretenuring off (issue 13). Seeding makes objects that nearly all survive (every secret
 * created is kept), so Node 20's V8 decides that the sites making them allocate straight into the old generation
 * (Node 22's did not, measured the same way: the flag changes nothing there). From then on the short-lived copies
 * every write makes there (a transition's secret, the versions array the next put replaces) die in the old
 * generation, where only full GCs reclaim them: PutSecretValue on a secret of 1,000+ versions cost 132 µs of server
 * CPU at 100,000 secrets, 12 full GCs in 5 s, and 33 µs without. What does live long is promoted after two
 * young-generation collections anyway. A pretenuring flag given to node itself wins; the CLI calls this,
 * `startServer()` does not (as limitHeapGrowth).
 */
export function keepShortLivedYoung(): void {
  if (!givenToNode(/^--(no-)?allocation[-_]site[-_]pretenuring\b/))
    setFlagsFromString('--no-allocation-site-pretenuring');
}

/** Whether node was started with a flag (command line or NODE_OPTIONS). */
function givenToNode(flag: RegExp): boolean {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => flag.test(a));
}
