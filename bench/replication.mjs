// Replication (issue 15), in-process against a built secretlite (dist/), over HTTP with 16 requests in flight:
//   (a) GetSecretValue of random secrets in the primary's Region and in a replica's, at N = 1,000 and 100,000
//       secrets (each with a replica): the replica's rate should be the primary's within 10 %;
//   (b) PutSecretValue on a secret without replicas and on one with 5: at most 2x.
// Client and server share this process: compare the rows with each other, not with bench/run.mjs's.
// Usage: npm run build && node bench/replication.mjs [--dist <dir>] [--seconds 3]
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { randomInt, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

const { values: args } = parseArgs({
  options: {
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
    seconds: { type: 'string', default: '3' },
  },
});
const load = (p) => import(pathToFileURL(join(resolve(args.dist), p)).href);
const { startServer, MemoryStore } = await load('index.js');
const { newSecret } = await load('domain/secret.js');
const { newVersion, addVersion } = await load('domain/versions.js');
const { newReplica, status } = await load('domain/replicas.js');
const { accessDay } = await load('domain/lifecycle.js');

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const auth = (region) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/${region}/secretsmanager/aws4_request, SignedHeaders=host, Signature=0`;

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One request on a kept-alive connection (node:http: fetch costs the client several times the server's work). */
function send(url, region, op, payload) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `secretsmanager.${op}`,
          authorization: auth(region),
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${op}: ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** `op` with `body(i)` as fast as 16 requests in flight allow, for the configured seconds: req/s, CPU µs/req. */
async function measure(url, region, op, body) {
  const until = performance.now() + Number(args.seconds) * 1000;
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    while (performance.now() < until) {
      await send(url, region, op, JSON.stringify(body(n)));
      n++;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rps: n / s, us: (cpu.user + cpu.system) / n };
}

/** The median of three alternating measurements of `a` and `b` (the machine drifts; GC grows as data does). */
async function pair(a, b) {
  const as = [];
  const bs = [];
  for (let i = 0; i < 3; i++) {
    as.push(await a());
    bs.push(await b());
  }
  const mid = (xs) => xs.sort((x, y) => x.us - y.us)[1];
  return [mid(as), mid(bs)];
}

console.log(`secretlite replication bench; node ${process.version}; ${args.seconds} s per row, 16 in flight`);
const scope = { accountId: '000000000000', region: 'us-east-1' };
for (const n of [1_000, 100_000]) {
  const store = new MemoryStore();
  const now = Date.now();
  // every secret already read today in both Regions: the rows measure reads, not the day's first (a write)
  const today = accessDay(now);
  for (let i = 0; i < n; i++) {
    const name = `repl/${i}`;
    const arn = `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`;
    const primary = await store.mutate(scope, { kind: 'name', name }, () => {
      const s = newSecret(arn, name, now);
      addVersion(s, newVersion(randomUUID(), now, undefined, { secretString: `value-${i}` }), undefined, now);
      s.versions[0] = { ...s.versions[0], lastAccessedDate: today };
      s.lastAccessedDate = today;
      s.primaryRegion = 'us-east-1';
      s.replicationStatus = [{ ...status('eu-west-1', undefined, 'InSync'), LastAccessedDate: today }];
      return { result: s, next: s };
    });
    await store.mutate({ ...scope, region: 'eu-west-1' }, { kind: 'name', name }, () => {
      const r = newReplica(primary, 'eu-west-1', undefined, now);
      r.lastAccessedDate = today;
      return { result: null, next: r };
    });
  }
  const server = await startServer({ port: 0, logLevel: 'silent', store });
  const pick = () => ({ SecretId: `repl/${randomInt(n)}` });
  // warm both paths (the first read of each secret today is a write)
  for (const region of ['us-east-1', 'eu-west-1']) await measure(server.url, region, 'GetSecretValue', pick);
  const [p, r] = await pair(
    () => measure(server.url, 'us-east-1', 'GetSecretValue', pick),
    () => measure(server.url, 'eu-west-1', 'GetSecretValue', pick),
  );
  console.log(
    `  N=${fmt(n)}  GetSecretValue, primary Region   ${fmt(p.rps)} req/s  ${fmt(p.us, 1)} µs CPU/req\n` +
      `  N=${fmt(n)}  GetSecretValue, replica Region   ${fmt(r.rps)} req/s  ${fmt(r.us, 1)} µs CPU/req   ` +
      `replica/primary CPU ${fmt(r.us / p.us, 2)}x   target: within 10 %`,
  );
  await server.close();
}

{
  const server = await startServer({ port: 0, logLevel: 'silent' });
  const call = (op, body, region = 'us-east-1') =>
    globalThis
      .fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `secretsmanager.${op}`,
          authorization: auth(region),
        },
        body: JSON.stringify(body),
      })
      .then((r) => r.json());
  // 50 secrets of each kind, puts spread over them (a secret keeps at most 10,000 versions)
  for (let i = 0; i < 50; i++) {
    await call('CreateSecret', { Name: `plain/${i}`, SecretString: 'x' });
    await call('CreateSecret', {
      Name: `five/${i}`,
      SecretString: 'x',
      AddReplicaRegions: ['eu-west-1', 'eu-west-2', 'eu-north-1', 'ap-south-1', 'us-west-2'].map((Region) => ({
        Region,
      })),
    });
  }
  const put = (kind) => (i) => ({
    SecretId: `${kind}/${i % 50}`,
    SecretString: randomUUID(),
    ClientRequestToken: randomUUID(),
  });
  await measure(server.url, 'us-east-1', 'PutSecretValue', put('plain'));
  const [plain, five] = await pair(
    () => measure(server.url, 'us-east-1', 'PutSecretValue', put('plain')),
    () => measure(server.url, 'us-east-1', 'PutSecretValue', put('five')),
  );
  console.log(
    `  PutSecretValue, no replicas        ${fmt(plain.rps)} req/s  ${fmt(plain.us, 1)} µs CPU/req\n` +
      `  PutSecretValue, 5 replicas         ${fmt(five.rps)} req/s  ${fmt(five.us, 1)} µs CPU/req   ` +
      `cost ${fmt(five.us / plain.us, 2)}x   target: at most 2x`,
  );
  await server.close();
}
agent.destroy();
