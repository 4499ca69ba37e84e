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

/**
 * A process that seeds 100,000 secrets in a memory store (everything it makes survives, as in a seeding), then puts
 * 20,000 values on 8 of them (each put replaces its secret's copy and versions array: short-lived objects), after
 * keepShortLivedYoung() as the CLI calls it or not: how much V8's old generation grew during the puts, MiB.
 */
async function oldSpaceGrowthMiB(keep: boolean, nodeArgs: string[] = []): Promise<number> {
  const dist = (p: string) => JSON.stringify(fileURLToPath(new URL(`../../dist/${p}`, import.meta.url)));
  const script = `
    import { keepShortLivedYoung } from ${JSON.stringify(INDEX)};
    import { MemoryStore } from ${dist('store/memory.js')};
    import { newSecret } from ${dist('domain/secret.js')};
    import { addVersion, newVersion, writeValue } from ${dist('domain/versions.js')};
    import { getHeapSpaceStatistics } from 'node:v8';
    if (${keep}) keepShortLivedYoung();
    const store = new MemoryStore();
    const scope = { accountId: '000000000000', region: 'us-east-1' };
    const arn = (n) => 'arn:aws:secretsmanager:us-east-1:000000000000:secret:' + n + '-AbCdEf';
    const id = (i) => String(i).padStart(32, '0');
    for (let i = 0; i < 100000; i++) {
      const name = 's/' + i;
      await store.mutate(scope, { kind: 'name', name }, () => {
        const s = newSecret(arn(name), name, 1);
        addVersion(s, newVersion(id(i), 1, undefined, { secretString: 'v' + i }), undefined, 1);
        return { result: 0, next: s };
      });
    }
    const old = () => getHeapSpaceStatistics().find((x) => x.space_name === 'old_space').space_used_size;
    let grew = 0;
    let prev = old();
    for (let r = 0; r < 20000; r++) {
      await store.mutate(scope, { kind: 'name', name: 's/' + (r % 8) }, (s) => {
        writeValue(s, id(1e6 + r), { secretString: 'x' + r }, undefined, 2);
        return { result: 0, next: s };
      });
      const o = old();
      if (o > prev) grew += o - prev;
      prev = o;
    }
    process.stdout.write(String(grew / 1048576));`;
  const { stdout } = await run(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return Number(stdout);
}

// Issue 13: without it, Node 20's V8 pretenures the sites that made the seeded secrets, and every write's copies die
// in the old generation (PutSecretValue on a secret of 1,000+ versions: 132 -> 33 µs of server CPU at 100,000
// secrets). Node 22's V8 does not pretenure them here (20 MiB either way): there is nothing to guard, and the test
// says so rather than pass. Measured under V8's policy / with the flag: node 20 176-217 / 8-16 MiB, node 24 113-157
// / 20-21 MiB; hence the bounds: V8's policy at least 100 MiB, and kept young at most a third of it.
describe('short-lived objects kept young (keepShortLivedYoung, as the CLI calls it)', () => {
  // V8's policy, measured once for both tests
  let policy: Promise<number> | undefined;
  const v8PolicyMiB = () => (policy ??= oldSpaceGrowthMiB(false));

  it('keeps the copies writes make out of the old generation after a seeding', async (ctx) => {
    const v8Policy = await v8PolicyMiB();
    if (v8Policy < 100) ctx.skip(`this V8 (node ${process.version}) does not pretenure these sites`);
    const kept = await oldSpaceGrowthMiB(true);
    expect(kept).toBeLessThan(v8Policy / 3);
  });

  it('leaves a pretenuring flag given to node itself alone', async (ctx) => {
    const v8Policy = await v8PolicyMiB();
    if (v8Policy < 100) ctx.skip(`this V8 (node ${process.version}) does not pretenure`);
    // Whether V8 pretenures in one run depends on timing (one CI run under load saw 17 MiB with the flag given), so
    // up to three runs: a flag this overrode would keep every run young, as in the test above.
    let given = 0;
    for (let run = 0; run < 3 && given < v8Policy / 3; run++) {
      given = await oldSpaceGrowthMiB(true, ['--allocation-site-pretenuring']);
    }
    expect(given).toBeGreaterThan(v8Policy / 3);
  });
});
