// Security features (issue 16): GetSecretValue of random secrets against a bare node:http server, secretlite as it
// starts by default, with --auth sigv4 and policies (a signature checked and an identity policy with a condition
// plus a resource policy evaluated per request), and with --audit too (a CloudTrail record per call). Each server is
// a child process on its own; the client (this process) sends requests signed beforehand (a SigV4 signature is
// valid for 5 minutes, so signing is not measured), 16 in flight. Target: with auth and policies, GetSecretValue
// keeps at least 0.8 x its ratio to the bare server without them; the audit log costs little on top.
// Usage: npm run build && node bench/auth.mjs [--seconds 4] [--secrets 1000]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    secrets: { type: 'string', default: '1000' },
    dist: { type: 'string', default: fileURLToPath(new URL('../dist', import.meta.url)) },
  },
});
const SECONDS = Number(args.seconds);
const N = Number(args.secrets);
const IN_FLIGHT = 16;
const { sign } = await import(pathToFileURL(join(args.dist, 'auth/sigv4.js')).href);
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const KEY = { accessKeyId: 'AKIABENCHMARK0001', secretAccessKey: 'bench-secret-key' };
const dir = mkdtempSync(join(tmpdir(), 'secretlite-bench-auth-'));
const credentials = join(dir, 'credentials.json');
writeFileSync(
  credentials,
  JSON.stringify({
    principals: [
      {
        ...KEY,
        arn: 'arn:aws:iam::111111111111:user/bench',
        tags: { team: 'blue' },
        policies: [
          {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: ['secretsmanager:CreateSecret', 'secretsmanager:PutResourcePolicy'], Resource: '*' }, // prettier-ignore
              {
                Effect: 'Allow',
                Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
                Resource: 'arn:aws:secretsmanager:*:111111111111:secret:bench/*',
                Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } },
              },
              { Effect: 'Deny', Action: 'secretsmanager:*', Resource: 'arn:aws:secretsmanager:*:*:secret:admin/*' },
            ],
          },
        ],
      },
    ],
  }),
);
const RESOURCE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Deny', Principal: '*', Action: 'secretsmanager:DeleteSecret', Resource: '*' },
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }, // prettier-ignore
  ],
});

/** A child process running a server; resolves with its URL and pid. */
function child(script, env = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] }); // prettier-ignore
    let out = '';
    p.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ url: line.trim(), pid: p.pid, kill: () => p.kill() });
    });
    p.on('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
}

const SERVER = `
import { startServer } from ${JSON.stringify(pathToFileURL(join(args.dist, 'index.js')).href)};
const s = await startServer({ port: 0, logLevel: 'silent', ...JSON.parse(process.env.OPTIONS) });
process.stdout.write(s.url + '\\n');
`;
const serverScript = join(dir, 'server.mjs');
writeFileSync(serverScript, SERVER);

const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
function send(url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Signed (or not) requests, made before the measurement. */
function requests(url, op, bodies, signed) {
  const u = new URL(url);
  return bodies.map((b) => {
    const body = JSON.stringify(b);
    const base = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${op}` };
    const headers = signed
      ? sign({ method: 'POST', url: new URL(`${u.origin}/`), headers: base, body, region: 'us-east-1', service: 'secretsmanager', credentials: KEY, now: Date.now() }) // prettier-ignore
      : { ...base, authorization: 'AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0' }; // prettier-ignore
    delete headers.host;
    headers['content-length'] = String(Buffer.byteLength(body));
    return { headers, body };
  });
}

const CLK_TCK = 100;
const cpuSeconds = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
};

async function measure(server, reqs) {
  const until = performance.now() + SECONDS * 1000;
  let n = 0;
  const cpu0 = cpuSeconds(server.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, w) => {
      let i = w;
      while (performance.now() < until) {
        const r = reqs[i++ % reqs.length];
        await send(server.url, r.headers, r.body);
        n++;
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  return { rps: n / s, us: ((cpuSeconds(server.pid) - cpu0) / n) * 1e6 };
}

console.log(`secretlite auth bench; node ${process.version}; ${fmt(N)} secrets, ${SECONDS} s per row, ${IN_FLIGHT} in flight`); // prettier-ignore
const configs = [
  { name: 'default (no auth)', options: {}, signed: false },
  { name: '--auth sigv4 + policies', options: { auth: 'sigv4', credentials }, signed: true },
  { name: '--auth sigv4 + policies + --audit', options: { auth: 'sigv4', credentials, audit: join(dir, 'audit.jsonl') }, signed: true }, // prettier-ignore
];
const bare = await child(fileURLToPath(new URL('./bare-server.mjs', import.meta.url)));
const names = Array.from({ length: N }, (_, i) => `bench/app-${String(i).padStart(6, '0')}`);
const results = [];
try {
  for (const c of configs) {
    const server = await child(serverScript, { OPTIONS: JSON.stringify(c.options) });
    try {
      // seed (signed as the config wants), each secret read once (the day's first read is a write)
      const create = requests(server.url, 'CreateSecret', names.map((Name) => ({ Name, SecretString: `{"password":"${Name}-pw"}` })), c.signed); // prettier-ignore
      for (const r of create) await send(server.url, r.headers, r.body);
      const policies = requests(server.url, 'PutResourcePolicy', names.map((SecretId) => ({ SecretId, ResourcePolicy: RESOURCE_POLICY })), c.signed); // prettier-ignore
      for (const r of policies) await send(server.url, r.headers, r.body);
      const gets = requests(
        server.url,
        'GetSecretValue',
        names.map((SecretId) => ({ SecretId })),
        c.signed,
      );
      for (const r of gets) await send(server.url, r.headers, r.body);
      await measure(server, gets); // warm-up
      // alternate with the bare server: the machine drifts
      const mine = [];
      const theirs = [];
      for (let k = 0; k < 3; k++) {
        theirs.push(await measure(bare, gets));
        mine.push(await measure(server, gets));
      }
      const mid = (xs) => xs.sort((a, b) => a.rps - b.rps)[1];
      const m = mid(mine);
      const b = mid(theirs);
      results.push({ name: c.name, rps: m.rps, us: m.us, ratio: m.rps / b.rps, bare: b.rps });
    } finally {
      server.kill();
    }
  }
} finally {
  bare.kill();
  rmSync(dir, { recursive: true, force: true });
}
for (const r of results) {
  console.log(
    `  GetSecretValue, ${r.name.padEnd(36)} ${fmt(r.rps).padStart(7)} req/s  ${fmt(r.us, 1).padStart(6)} µs server CPU/req  ` +
      `${fmt(r.ratio, 2)} x bare (${fmt(r.bare)} req/s)`,
  );
}
const [plain, auth, audited] = results;
const keep = auth.ratio / plain.ratio;
console.log(
  `  auth + policies keep ${fmt(keep, 2)} of the default's ratio (target >= 0.8): ${keep >= 0.8 ? 'met' : 'NOT MET'}; ` +
    `with the audit log ${fmt(audited.ratio / plain.ratio, 2)}`,
);
process.exitCode = keep >= 0.8 ? 0 : 1;
