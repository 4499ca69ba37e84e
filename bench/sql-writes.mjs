// Durable writes of the SQL stores, in-process (issue 13): opens a built store (dist/, or the build named by --dist)
// directly and times
//   (a) 32 concurrent PutSecretValue-like mutations on SQLite (temp dir, synchronous=FULL): writes/s and p99;
//   (b) one put on a secret with 10 versions vs 1,000 versions (a put per secret over 50 secrets of each kind,
//       interleaved, caches warm), on SQLite and, unless --no-pg, PostgreSQL (a throwaway cluster from bench/postgres.mjs,
//       durability settings at their defaults).
// Usage: npm run build && node bench/sql-writes.mjs [--dist <dir>] [--no-pg] [--seconds 5]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createScratchDatabase, findPostgresBin, startCluster } from './postgres.mjs';

const { values: args } = parseArgs({
  options: {
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
    'no-pg': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '5' },
  },
});
const load = (p) => import(pathToFileURL(join(resolve(args.dist), p)).href);
const { SqliteStore } = await load('store/sqlite.js');
const { PostgresStore } = await load('store/postgres.js');
const { Keyring } = await load('crypto/keyring.js');
const { staticKeyring } = await load('crypto/source.js');
const { newSecret } = await load('domain/secret.js');
const { newVersion, writeValue, addVersion } = await load('domain/versions.js');

const keys = staticKeyring(new Keyring([{ id: 1, key: Buffer.alloc(32, 3) }]), 'bench');
const scope = { accountId: '000000000000', region: 'us-east-1' };
const arnOf = (name) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`;
let clock = Date.UTC(2030, 0, 1);
const now = () => ++clock;

/** A secret with `n` versions, written in one mutation. */
function create(store, name, n) {
  return store.mutate(scope, { kind: 'name', name }, () => {
    const s = newSecret(arnOf(name), name, now());
    for (let i = 0; i < n; i++)
      addVersion(s, newVersion(randomUUID(), now(), undefined, { secretString: `v${i}` }), undefined, clock);
    return { result: undefined, next: s };
  });
}

/** What PutSecretValue does to a secret. */
const put = (store, name) =>
  store.mutate(scope, { kind: 'name', name }, (s) => {
    const t = now();
    writeValue(s, randomUUID(), { secretString: `value-${t}` }, undefined, t);
    s.lastChangedDate = t;
    return { result: undefined, next: s };
  });

const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const ms = (x) => x.toFixed(2);

async function concurrent(store, clients, seconds) {
  const names = Array.from({ length: 256 }, (_, i) => `c/${i}`);
  for (const name of names) await create(store, name, 3);
  const lat = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < end; i += clients) {
        const t0 = performance.now();
        await put(store, names[i % names.length]);
        lat.push(performance.now() - t0);
      }
    }),
  );
  return { perSecond: Math.round(lat.length / seconds), p50: pct(lat, 50), p99: pct(lat, 99) };
}

/** Mean and median time of a put on secrets of `small` and of `large` versions, interleaved (the same drift for both). */
async function putCost(store, small, large, secrets = 50) {
  const sets = [small, large].map((n) => Array.from({ length: secrets }, (_, i) => `v${n}/${i}`));
  for (const [k, n] of [small, large].entries()) for (const name of sets[k]) await create(store, name, n);
  for (const names of sets) for (const name of names) await store.get(scope, { kind: 'name', name }); // warm caches
  const lat = [[], []];
  for (let i = 0; i < secrets; i++) {
    for (const k of i % 2 ? [1, 0] : [0, 1]) {
      const t0 = performance.now();
      await put(store, sets[k][i]);
      lat[k].push(performance.now() - t0);
    }
  }
  return lat.map((xs) => ({ mean: xs.reduce((a, b) => a + b, 0) / xs.length, p50: pct(xs, 50) }));
}

async function versionsCompared(label, open) {
  const store = await open();
  try {
    const [small, large] = await putCost(store, 10, 1000);
    console.log(
      `${label}: put at 10 versions ${ms(small.mean)} ms mean (p50 ${ms(small.p50)}), at 1,000 versions ` +
        `${ms(large.mean)} ms mean (p50 ${ms(large.p50)}): x${(large.mean / small.mean).toFixed(2)}`,
    );
  } finally {
    await store.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'secretlite-sqlbench-'));
try {
  let n = 0;
  const sqlite = () => new SqliteStore({ path: join(dir, `db${n++}.sqlite`), keys });
  const store = sqlite();
  const r = await concurrent(store, 32, Number(args.seconds));
  await store.close();
  console.log(`sqlite, 32 concurrent puts: ${r.perSecond}/s, p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms`);
  await versionsCompared('sqlite', sqlite);
  const found = !args['no-pg'] && findPostgresBin();
  if (found) {
    const cluster = await startCluster(found);
    try {
      let d = 0;
      await versionsCompared('postgres', async () =>
        PostgresStore.open(await createScratchDatabase(cluster.adminUrl, `bench_${d++}`), keys),
      );
    } finally {
      cluster.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
