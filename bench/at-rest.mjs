// Resident memory of a server at rest: issue 13's memory target measures RSS right after seeding N secrets and
// reading each once, when the heap still holds the garbage of that burst (the first read of a day is a write) and
// V8 may let it grow by --heap-growth before a full GC. A server that then goes idle is shrunk by V8's memory
// reducer, in a few rounds of seconds each. This prints VmRSS at start, after the seeding, after the reads, and
// every 5 s of idleness after that: what a deployment of N secrets holds between bursts.
// Usage: npm run build && node bench/at-rest.mjs [--n 100000] [--idle 60]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: { n: { type: 'string', default: '100000' }, idle: { type: 'string', default: '60' } },
});
const N = Number(args.n);
const heapArgs = N > 500_000 ? ['--max-old-space-size=4096'] : []; // as bench/run.mjs gives its large servers
const bin = new URL('../bin/secretlite.js', import.meta.url).pathname;
const server = spawn(process.execPath, [...heapArgs, bin, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  server.on('exit', (code) => reject(new Error(`secretlite exited (${code})`)));
  server.stdout.on('data', (d) => {
    const m = /http:\/\/[\d.]+:\d+/.exec(String(d));
    if (m) resolve(m[0]);
  });
});
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024;
const HEADERS = {
  'content-type': 'application/x-amz-json-1.1',
  // the server accepts any well-formed credentials by default; the signature is not what is measured
  authorization:
    'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0',
};

function call(operation, body) {
  return new Promise((resolve, reject) => {
    const headers = { ...HEADERS, 'x-amz-target': `secretsmanager.${operation}` };
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${operation}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** `fn(i)` for i in 0..N-1, 32 at a time. */
async function each(fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < N) await fn(next++);
    }),
  );
}

const name = (i) => `bench/app-${String(i).padStart(7, '0')}`;
const fmt = (x) => Math.round(x).toLocaleString('en-US');
try {
  console.log(`secretlite at rest, ${fmt(N)} secrets (node ${process.version}): VmRSS MiB`);
  console.log(`  at start            ${fmt(rssMiB())}`);
  await each((i) =>
    call('CreateSecret', {
      Name: name(i),
      Description: `benchmark secret ${i}`,
      SecretString: JSON.stringify({ username: `app${i}`, password: `b3nchP4ssw0rd-${i}-xYz` }),
      Tags: [
        { Key: 'env', Value: 'bench' },
        { Key: 'team', Value: `team-${i % 10}` },
      ],
    }),
  );
  console.log(`  after seeding       ${fmt(rssMiB())}`);
  await each((i) => call('GetSecretValue', { SecretId: name(i) }));
  console.log(`  after 1st reads     ${fmt(rssMiB())}`);
  for (let t = 5; t <= Number(args.idle); t += 5) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    console.log(`  idle ${String(t).padStart(3)} s          ${fmt(rssMiB())}`);
  }
} finally {
  agent.destroy();
  server.kill();
}
