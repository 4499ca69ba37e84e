/**
 * Progress of long work (export, import, seeding) on stderr: a bar redrawn in place on a terminal, plain lines
 * (every 10 %, and only for 100 items or more) otherwise, so that logs and CI output stay readable.
 */
export interface Progress {
  /** `n` more items done */
  tick(n?: number): void;
  /** the last line (100 %, or what was done) */
  done(): void;
}

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

const BAR = 24;
/** Off a terminal, work this small prints no progress lines (a log of an export of 3 secrets needs none). */
const QUIET_BELOW = 100;
/** A terminal is redrawn at most this often, ms. */
const REDRAW_MS = 100;

export function progress(
  label: string,
  total: number,
  stream: ProgressStream = process.stderr,
  now: () => number = () => performance.now(),
): Progress {
  let done = 0;
  let lastDraw = -Infinity;
  let lastDecile = -1;
  const fmt = (n: number) => n.toLocaleString('en-US');
  const line = () => {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * BAR);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}`;
    return `${label} [${bar}] ${Math.floor(share * 100)}% ${fmt(done)}/${fmt(total)}`;
  };
  const draw = (final: boolean) => {
    if (!stream.isTTY && total < QUIET_BELOW) return;
    if (stream.isTTY) {
      const t = now();
      if (!final && t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      stream.write(`\r${line()}${final ? '\n' : ''}`);
      return;
    }
    const decile = total > 0 ? Math.floor((Math.min(done, total) / total) * 10) : 10;
    if (final || decile > lastDecile) {
      lastDecile = decile;
      stream.write(`${line()}\n`);
    }
  };
  return {
    tick(n = 1) {
      done += n;
      draw(false);
    },
    done() {
      if (!stream.isTTY && lastDecile === 10) return;
      draw(true);
    },
  };
}
