// A/B of two builds of secretlite's request pipeline, in one process: `node bench/ab.mjs <A dir> <B dir>
// [--sizes 1000,100000] [--rounds 15] [--window-ms 150]` (each dir a checkout with dist/ built; default A is the
// first argument, B this checkout).
//
// Why: `npm run bench` measures through HTTP against a bare node:http server, and on this machine the speed of
// the machine itself drifts by 15 % and more between its runs of several minutes (the bare server's CPU per
// request changed by 70 % between two runs). A change of a few percent in our own code is lost in that. Here both
// builds are loaded side by side (each with its own memory store of N secrets) and measured in alternating short
// windows, many rounds: drift hits both alike. What is measured is handleApiRequest (request object in, response
// out, the serialized body included; a JsonList is left unjoined, as the HTTP layer writes it), the CPU time per
// operation, median over the rounds. node:http's own cost, the same for both builds, is not in these figures.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sizes: { type: 'string', default: '1000,100000' },
    rounds: { type: 'string', default: '15' },
    'window-ms': { type: 'string', default: '150' },
  },
});
if (positionals.length < 1) {
  console.error(
    'usage: node bench/ab.mjs <A checkout> [<B checkout>] [--sizes 1000,100000] [--rounds 15] [--window-ms 150]',
  );
  process.exit(2);
}
const dirs = [resolve(positionals[0]), resolve(positionals[1] ?? new URL('..', import.meta.url).pathname)];
const sizes = args.sizes.split(',').map(Number);
const rounds = Number(args.rounds);
const windowMs = Number(args['window-ms']);

async function load(dir) {
  const mod = (p) => import(pathToFileURL(`${dir}/dist/${p}`).href);
  const [{ handleApiRequest }, { MemoryStore }, { FakeClock }, { cryptoRandom }, { createLogger }] = await Promise.all([
    mod('protocol/pipeline.js'),
    mod('store/memory.js'),
    mod('clock.js'),
    mod('random.js'),
    mod('logger.js'),
  ]);
  return { dir, handleApiRequest, MemoryStore, FakeClock, cryptoRandom, createLogger };
}

const req = (op, body) => ({
  method: 'POST',
  query: '',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${op}` },
  body: Buffer.from(JSON.stringify(body)),
});
const name = (i) => `bench/app-${String(i).padStart(7, '0')}/db-password`;

async function prepare(build, n) {
  const svc = {
    store: new build.MemoryStore(),
    clock: new build.FakeClock(Date.UTC(2026, 0, 15, 12)),
    random: build.cryptoRandom,
    defaults: { accountId: '000000000000', region: 'us-east-1' },
    log: build.createLogger('silent'),
    strictAws: false,
  };
  const call = async (op, body) => {
    const r = await build.handleApiRequest(req(op, body), svc);
    if (r.status !== 200)
      throw new Error(`${build.dir}: ${op} answered ${r.status} ${typeof r.body === 'string' ? r.body : ''}`);
    return r;
  };
  for (let i = 0; i < n; i++) {
    await call('CreateSecret', {
      Name: name(i),
      SecretString: `{"user":"app","password":"${randomUUID()}"}`,
      ClientRequestToken: randomUUID(),
      Tags: [
        { Key: 'env', Value: i % 2 ? 'prod' : 'dev' },
        { Key: 'team', Value: `t${i % 10}` },
        { Key: 'n', Value: String(i) },
      ],
    });
  }
  for (let i = 0; i < n; i++) await call('GetSecretValue', { SecretId: name(i) }); // the day's first reads
  return { svc, call };
}

/** The operations measured; each makes the request for its k-th run. */
function operations(n) {
  const pick = (k) => name((k * 7919) % n);
  return {
    GetSecretValue: (k) => req('GetSecretValue', { SecretId: pick(k) }),
    DescribeSecret: (k) => req('DescribeSecret', { SecretId: pick(k) }),
    ListSecretVersionIds: (k) => req('ListSecretVersionIds', { SecretId: pick(k) }),
    'ListSecrets page': () => req('ListSecrets', { MaxResults: 100 }),
    'BatchGetSecretValue ids': (k) =>
      req('BatchGetSecretValue', { SecretIdList: Array.from({ length: 20 }, (_, j) => pick(k * 20 + j)) }),
    'BatchGetSecretValue filter': () =>
      req('BatchGetSecretValue', { Filters: [{ Key: 'tag-value', Values: ['prod'] }], MaxResults: 20 }),
    UpdateSecret: (k) => req('UpdateSecret', { SecretId: pick(k), Description: `d${k % 3}` }),
    PutSecretValue: (k) =>
      req('PutSecretValue', { SecretId: pick(k), SecretString: `v${k}`, ClientRequestToken: randomUUID() }),
    TagResource: (k) => req('TagResource', { SecretId: pick(k), Tags: [{ Key: 'x', Value: String(k % 5) }] }),
  };
}

/** CPU µs per operation over one window. */
async function measure(build, svc, make) {
  let k = 0;
  const start = process.cpuUsage();
  const until = performance.now() + windowMs;
  while (performance.now() < until) {
    for (let j = 0; j < 50; j++) {
      const r = build.handleApiRequest(make(k++), svc);
      const res = r instanceof Promise ? await r : r;
      if (res.status !== 200) throw new Error(`answered ${res.status}`);
    }
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / k;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const builds = await Promise.all(dirs.map(load));
console.log(
  `A = ${dirs[0]}\nB = ${dirs[1]}\n${rounds} rounds of ${windowMs} ms windows, alternating A and B; CPU µs per operation, median\n`,
);
for (const n of sizes) {
  const states = [];
  for (const b of builds) states.push(await prepare(b, n));
  const ops = operations(n);
  console.log(`N = ${n.toLocaleString('en')}`);
  console.log(`${'operation'.padEnd(28)} ${'A µs'.padStart(8)} ${'B µs'.padStart(8)}  B/A`);
  for (const [op, make] of Object.entries(ops)) {
    const samples = [[], []];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? [1, 0] : [0, 1];
      for (const i of order) samples[i].push(await measure(builds[i], states[i].svc, make));
    }
    const [a, b] = samples.map(median);
    console.log(`${op.padEnd(28)} ${a.toFixed(2).padStart(8)} ${b.toFixed(2).padStart(8)}  ${(b / a).toFixed(3)}`);
  }
  console.log('');
}
