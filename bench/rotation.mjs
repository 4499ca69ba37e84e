// Rotation (issue 14), in-process against a built secretlite (dist/): RotateSecret over HTTP with
//   (a) the built-in rotator, end to end (server CPU per rotation, the process's own: client and server share it);
//   (b) a Python and a Node function on secretlite's Lambda API, each created fresh (a cold worker): wall time from
//       RotateSecret to the new version being AWSCURRENT (4 invocations);
//   (c) the scheduler's tick: memory store of N secrets with rotation on, of which 100 are due (built-in rotator),
//       at N = 1,000 and 100,000: the tick's time should follow the due ones, not N.
// Usage: npm run build && node bench/rotation.mjs [--dist <dir>] [--rotations 200] [--no-functions]
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';

const { values: args } = parseArgs({
  options: {
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
    rotations: { type: 'string', default: '200' },
    'no-functions': { type: 'boolean', default: false },
  },
});
const load = (p) => import(pathToFileURL(join(resolve(args.dist), p)).href);
const { startServer, FakeClock, MemoryStore } = await load('index.js');
const { newSecret } = await load('domain/secret.js');
const { newVersion, addVersion } = await load('domain/versions.js');
const { writeZip: zip } = await load('lambda/zip.js');

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function call(url, op, body) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${op}` },
    body: JSON.stringify(body),
  });
  const json = await r.json();
  if (r.status !== 200) throw new Error(`${op}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

console.log(`secretlite rotation bench; node ${process.version}`);

// (a) built-in rotations
{
  const server = await startServer({ port: 0, logLevel: 'silent' });
  const n = Number(args.rotations);
  for (let i = 0; i < n; i++)
    await call(server.url, 'CreateSecret', { Name: `b/${i}`, SecretString: '{"password":"x"}' });
  // warm-up
  for (let i = 0; i < 20; i++) await call(server.url, 'RotateSecret', { SecretId: `b/${i}` });
  const lat = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await call(server.url, 'RotateSecret', { SecretId: `b/${i}`, RotationRules: { AutomaticallyAfterDays: 30 } });
    lat.push(performance.now() - s);
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `  built-in rotation end to end (RotateSecret, new value readable on return)   ${fmt(n / (wall / 1000))} /s  ` +
      `p50 ${fmt(pct(lat, 0.5), 2)} ms  p99 ${fmt(pct(lat, 0.99), 2)} ms  ` +
      `${fmt((cpu.user + cpu.system) / n)} µs CPU/rotation (client and server)   target: under 20 ms`,
  );
  await server.close();
}

// (b) function rotations, cold
if (!args['no-functions']) {
  const server = await startServer({ port: 0, logLevel: 'silent' });
  const { build } = await import('esbuild');
  const py = `import boto3, os
def handler(event, context):
    arn, token, step = event['SecretId'], event['ClientRequestToken'], event['Step']
    sm = boto3.client('secretsmanager', endpoint_url=os.environ['SECRETS_MANAGER_ENDPOINT'])
    versions = sm.describe_secret(SecretId=arn)['VersionIdsToStages']
    if 'AWSCURRENT' in versions[token]:
        return
    if step == 'createSecret':
        sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString='new', VersionStages=['AWSPENDING'])
    elif step == 'finishSecret':
        current = next(v for v, s in versions.items() if 'AWSCURRENT' in s)
        sm.update_secret_version_stage(SecretId=arn, VersionStage='AWSCURRENT', MoveToVersionId=token,
                                       RemoveFromVersionId=current)
`;
  const nodeSource = `
import { SecretsManagerClient, DescribeSecretCommand, PutSecretValueCommand, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({ endpoint: process.env.SECRETS_MANAGER_ENDPOINT });
export const handler = async ({ SecretId: arn, ClientRequestToken: token, Step: step }) => {
  const versions = (await sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages;
  if (versions[token].includes('AWSCURRENT')) return;
  if (step === 'createSecret') await sm.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: token, SecretString: 'new', VersionStages: ['AWSPENDING'] }));
  if (step === 'finishSecret') {
    const current = Object.keys(versions).find((v) => versions[v].includes('AWSCURRENT'));
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: current }));
  }
};`;
  const bundled = (
    await build({
      stdin: { contents: nodeSource, resolveDir: new URL('..', import.meta.url).pathname },
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    })
  ).outputFiles[0].text;
  const kinds = [
    ['Python 3 (boto3)', 'python3.12', 'f.handler', { 'f.py': py }],
    ['Node (SDK v3, bundled)', 'nodejs20.x', 'index.handler', { 'index.mjs': bundled }],
  ];
  for (const [label, runtime, handler, files] of kinds) {
    const times = [];
    for (let i = 0; i < 3; i++) {
      const name = `fn-${runtime.replace(/\W/g, '')}-${i}`;
      const headers = { 'content-type': 'application/json' };
      let r = await fetch(`${server.url}/2015-03-31/functions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          FunctionName: name,
          Runtime: runtime,
          Handler: handler,
          Role: 'arn:aws:iam::000000000000:role/r',
          Timeout: 30,
          Code: { ZipFile: zip(files).toString('base64') },
        }),
      });
      if (r.status !== 201) throw new Error(await r.text());
      r = await fetch(`${server.url}/2015-03-31/functions/${name}/policy`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          StatementId: 's',
          Action: 'lambda:InvokeFunction',
          Principal: 'secretsmanager.amazonaws.com',
        }),
      });
      const secret = `f/${name}`;
      await call(server.url, 'CreateSecret', { Name: secret, SecretString: 'old' });
      const s = performance.now();
      const rot = await call(server.url, 'RotateSecret', {
        SecretId: secret,
        RotationLambdaARN: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
        ClientRequestToken: randomUUID(),
      });
      await server.rotationsIdle();
      times.push(performance.now() - s);
      const d = await call(server.url, 'DescribeSecret', { SecretId: secret });
      if (!d.VersionIdsToStages[rot.VersionId]?.includes('AWSCURRENT'))
        throw new Error(`${label}: rotation did not finish`);
    }
    console.log(
      `  ${`${label} function rotation, cold (4 invocations)`.padEnd(72)} ` +
        `${times.map((t) => `${fmt(t)} ms`).join(', ')} wall   target: under 2,000 ms`,
    );
  }
  await server.close();
}

// (c) the scheduler's tick
for (const n of [1_000, 100_000]) {
  const clock = new FakeClock(Date.UTC(2030, 0, 1));
  const store = new MemoryStore();
  const scope = { accountId: '000000000000', region: 'us-east-1' };
  const now = clock.now();
  for (let i = 0; i < n; i++) {
    const name = `sched/${i}`;
    const arn = `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`;
    await store.mutate(scope, { kind: 'name', name }, () => {
      const s = newSecret(arn, name, now - 40 * 86_400_000);
      addVersion(s, newVersion(randomUUID(), now - 40 * 86_400_000, undefined, { secretString: 'v' }), undefined, now);
      s.rotationEnabled = true;
      s.rotationRules = { AutomaticallyAfterDays: 30 };
      // 100 due now, the others within the next 30 days
      s.rotationDueDate = i < 100 ? now - 1000 : now + 1 + (i % 29) * 86_400_000;
      return { result: null, next: s };
    });
  }
  const server = await startServer({ port: 0, logLevel: 'silent', store, clock });
  const t0 = performance.now();
  const changed = await server.runJobs();
  const tick = performance.now() - t0;
  const t1 = performance.now();
  const idle = await server.runJobs();
  const empty = performance.now() - t1;
  console.log(
    `  scheduler tick, ${fmt(n)} secrets with rotation on, ${changed} due (built-in rotator)`.padEnd(82) +
      `${fmt(tick, 1)} ms (${fmt((tick * 1000) / Math.max(changed, 1))} µs per due secret); next tick, ${idle} due: ${fmt(empty, 2)} ms`,
  );
  await server.close();
}
