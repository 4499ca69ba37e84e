import { describe, expect, it } from 'vitest';
import { progress } from '../../src/cli/progress.js';

/** Progress of long work: a bar redrawn in place on a terminal, a line per 10 % otherwise. */
const sink = (isTTY: boolean) => {
  const out: string[] = [];
  return { stream: { isTTY, write: (t: string) => out.push(t) }, out };
};

describe('progress', () => {
  it('off a terminal: a line at each tenth, the last at 100 %', () => {
    const { stream, out } = sink(false);
    const p = progress('importing', 1000, stream);
    for (let i = 0; i < 1000; i++) p.tick();
    p.done();
    expect(out).toHaveLength(11);
    expect(out[0]).toBe('importing [........................] 0% 1/1,000\n');
    expect(out.at(-1)).toBe('importing [########################] 100% 1,000/1,000\n');
  });

  it('off a terminal, small work prints nothing', () => {
    const { stream, out } = sink(false);
    const p = progress('exporting', 3, stream);
    p.tick(3);
    p.done();
    expect(out).toEqual([]);
  });

  it('on a terminal: redrawn in place at most every 100 ms, a newline at the end', () => {
    const { stream, out } = sink(true);
    let t = 0;
    const p = progress('seeding', 10, stream, () => t);
    for (let i = 0; i < 10; i++) {
      t += 30;
      p.tick();
    }
    p.done();
    expect(out.every((l) => l.startsWith('\rseeding ['))).toBe(true);
    expect(out.length).toBeLessThan(10);
    expect(out.at(-1)).toBe('\rseeding [########################] 100% 10/10\n');
  });
});
