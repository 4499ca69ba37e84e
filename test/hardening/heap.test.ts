// Kept on purpose, though it tests V8 as much as secretlite: it guards --heap-growth (server/heap.ts), which sets a
// V8 flag at run time; a Node release whose V8 ignores or renames that flag would silently triple memory under writes.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/**
 * A process that keeps 200,000 small objects alive and replaces each of them 15 times (as writes replace
 * snapshots of secrets), after limitHeapGrowth(percent) as the CLI calls it: its peak heap, MiB.
 */
async function peakHeapMiB(percent: number, nodeArgs: string[] = []): Promise<number> {
  const script = `
    import { limitHeapGrowth } from ${JSON.stringify(INDEX)};
    limitHeapGrowth(${percent});
    const live = [];
    for (let i = 0; i < 200000; i++) live.push({ i, s: 'k' + i, t: [i] });
    let peak = 0;
    for (let r = 0; r < 15; r++) {
      for (let i = 0; i < 200000; i++) { const j = (i * 7919) % 200000; live[j] = { i, s: live[j].s, t: [r] }; }
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    process.stdout.write(String(peak / 1048576));`;
  const { stdout } = await run(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return Number(stdout);
}

describe('the heap growth limit (secretlite --heap-growth)', () => {
  it('keeps the heap of a write-heavy process much smaller than V8 left alone does', async () => {
    const v8Policy = await peakHeapMiB(0);
    const limited = await peakHeapMiB(20);
    expect(v8Policy).toBeGreaterThan(0);
    // V8 lets this heap reach about 170 MiB; at 20 % growth it stays near 90 MiB.
    expect(limited).toBeLessThan(v8Policy * 0.75);
  });

  it('leaves a growth limit given to node itself alone', async () => {
    const limited = await peakHeapMiB(20);
    const given = await peakHeapMiB(20, ['--heap-growing-percent=300']);
    expect(given).toBeGreaterThan(limited * 1.3);
  });
});
