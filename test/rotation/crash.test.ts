import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { listeningUrl } from '../helpers.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../postgres.js';
import { createFunction, pythonTemplate } from './functions.js';

/**
 * kill -9 in the middle of a rotation (a function that sleeps in setSecret), on SQLite and PostgreSQL: after a
 * restart the rotation is taken up again once its lease has run out (the clock endpoint moves time) and finishes
 * with the same token; no version is lost, the labels are consistent.
 */
const BIN = fileURLToPath(new URL('../../bin/secretlite.js', import.meta.url));
const IN_CI = Boolean(process.env.CI);

/** Sleeps in setSecret the first time (a mark file in MARK_DIR says it did), long enough to be killed there. */
const SLOW_FUNCTION = pythonTemplate(`        mark = os.path.join(os.environ['MARK_DIR'], 'slept-' + token)
        if not os.path.exists(mark):
            open(mark, 'w').close()
            time.sleep(30)`);

function start(args: string[]): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--log-level', 'error', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SECRETLITE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') },
  });
  child.stderr!.on('data', () => undefined);
  return { child, url: listeningUrl(child) };
}

const client = (url: string) =>
  new SecretsManagerClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
    maxAttempts: 1,
  });

async function crashMidRotation(args: string[], name: string, markDir: string): Promise<void> {
  const first = start(args);
  try {
    await killedMidRotation(first, args, name, markDir);
  } finally {
    // a failed step must not leave a server behind
    if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
  }
}

async function killedMidRotation(
  first: { child: ChildProcess; url: Promise<string> },
  args: string[],
  name: string,
  markDir: string,
): Promise<void> {
  const url = await first.url;
  const sm = client(url);
  const fn = await createFunction(
    url,
    `slow-${name.replace(/\W/g, '-')}`,
    'python3.12',
    'lambda_function.lambda_handler',
    {
      'lambda_function.py': SLOW_FUNCTION,
    },
    { timeout: 60, environment: { MARK_DIR: markDir } },
  );
  const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'original' }));
  const r = await sm.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: fn }));
  const token = r.VersionId!;
  // wait until the function sleeps in setSecret (createSecret has filled the pending version)
  for (let i = 0; i < 300; i++) {
    const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    const pending = await sm
      .send(new GetSecretValueCommand({ SecretId: name, VersionId: token, VersionStage: 'AWSPENDING' }))
      .catch(() => undefined);
    if (pending && d.VersionIdsToStages?.[token]) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  await new Promise((res) => setTimeout(res, 500));
  first.child.kill('SIGKILL');
  await new Promise((res) => first.child.once('exit', res));
  sm.destroy();

  const second = start(args);
  const url2 = await second.url;
  const sm2 = client(url2);
  try {
    // nothing lost: both versions, the labels as the crash left them
    const before = (await sm2.send(new ListSecretVersionIdsCommand({ SecretId: name }))).Versions!;
    expect(before.find((v) => v.VersionId === created.VersionId)?.VersionStages).toEqual(['AWSCURRENT']);
    expect(before.find((v) => v.VersionId === token)?.VersionStages).toEqual(['AWSPENDING']);
    // the lease (4 x 60 s + 60 s) runs out: the scheduler takes the rotation up again, same token
    const moved = await fetch(`${url2}/_secretlite/clock`, {
      method: 'POST',
      body: JSON.stringify({ advance: '10m' }),
    });
    expect(moved.status).toBe(200);
    const after = (await sm2.send(new ListSecretVersionIdsCommand({ SecretId: name }))).Versions!;
    expect(after.find((v) => v.VersionId === token)?.VersionStages).toEqual(['AWSCURRENT']);
    expect(after.find((v) => v.VersionId === created.VersionId)?.VersionStages).toEqual(['AWSPREVIOUS']);
    expect((await sm2.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toMatch(/^[!-~]{32}$/);
    const d = await sm2.send(new DescribeSecretCommand({ SecretId: name }));
    expect(d.LastRotatedDate).toBeDefined();
  } finally {
    sm2.destroy();
    second.child.kill('SIGTERM');
    await new Promise((res) => second.child.once('exit', res));
  }
}

describe('kill -9 in the middle of a rotation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secretlite-rotation-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SQLite: after a restart the rotation is reattempted and completes', async () => {
    await crashMidRotation(['--data-dir', dir], 'crash/sqlite', dir);
  }, 120_000);

  const pgRun = postgresAvailable() || IN_CI ? it : it.skip;
  let pg: TestPostgres | undefined;
  beforeAll(async () => {
    if (postgresAvailable() || IN_CI) pg = await startPostgres();
  }, 60_000);
  afterAll(async () => pg?.stop());
  pgRun(
    'PostgreSQL: the same',
    async () => {
      await crashMidRotation(['--database-url', await pg!.newDatabase()], 'crash/postgres', dir);
    },
    120_000,
  );
});
