/**
 * Black-box: the real AWS CLI (v1) against the real server, started in-process with the real clock.
 * Steps share state and run in order. Skipped when `aws` is missing, except in CI where that fails.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { isolatedAwsEnv } from '../helpers.js';

// ---------------------------------------------------------------------------------------------- helpers

function toolVersion(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
}

const AWS_VERSION = toolVersion('aws', ['--version']);
const IN_CI = Boolean(process.env.CI);
if (!AWS_VERSION && !IN_CI) console.warn('aws CLI not found: skipping');

/** Steps that need the CLI: skipped when it is missing (in CI the presence test fails instead). */
const step = it.skipIf(!AWS_VERSION);

const DAY_MS = 86_400_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (empty object when stdout is empty). */
  json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let server: RunningServer;
let dir: string;

/** The environment the CLI runs with: nothing from the user's AWS setup, only what the test wants. */
const cliEnv = (): NodeJS.ProcessEnv => isolatedAwsEnv({ AWS_ENDPOINT_URL: server.url });

/** Runs `aws secretsmanager <args> --output json` without a shell; never rejects. */
function aws(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'aws',
      ['secretsmanager', ...args, '--output', 'json'],
      { env: cliEnv(), encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        let json = {};
        if (code === 0 && stdout.trim() !== '') json = JSON.parse(stdout);
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}

/** Runs `aws`, expects success, returns the parsed JSON; the CLI's output is in the failure message. */
async function ok(...args: string[]): Promise<CliResult['json']> {
  const r = await aws(...args);
  expect(r.code, `aws ${args.join(' ')}\nexit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return r.json;
}

/** Runs `aws`, expects failure; returns the result for assertions on stderr. */
async function fails(...args: string[]): Promise<CliResult> {
  const r = await aws(...args);
  expect(r.code, `aws ${args.join(' ')} should fail\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).not.toBe(0);
  return r;
}

/** CLI v1 prints timestamps as received (epoch seconds) unless configured otherwise; accept ISO too. */
function ms(v: unknown): number {
  if (typeof v === 'number') return v * 1000;
  if (typeof v === 'string') return /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  throw new Error(`not a timestamp: ${JSON.stringify(v)}`);
}

const tagsOf = (j: CliResult['json']) =>
  [...((j.Tags ?? []) as { Key: string; Value: string }[])].sort((a, b) => a.Key.localeCompare(b.Key));
const namesOf = (j: CliResult['json']) => ((j.SecretList ?? []) as { Name: string }[]).map((s) => s.Name).sort();

// ------------------------------------------------------------------------------------------------ tests

const prefix = `cli-${process.pid}-${Date.now().toString(36)}`;
const APP = `${prefix}/app`;
const BIN = `${prefix}/bin`;
const FIRST = { user: 'admin', password: 'p@ss w0rd', port: 5432, nested: { ok: true } };
const SECOND = { user: 'admin', password: 'rotated' };
const BYTES = Buffer.from([0, 1, 2, 127, 128, 250, 255, 10, 13]);

describe.skipIf(!AWS_VERSION && !IN_CI)('AWS CLI v1 against secretlite', () => {
  let appArn: string;
  let firstVersion: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secretlite-cli-'));
    server = await startServer({ port: 0, logLevel: 'silent' });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has the aws CLI installed', () => {
    expect(AWS_VERSION, 'aws CLI not found on PATH (required in CI)').toBeDefined();
    expect(AWS_VERSION).toMatch(/^aws-cli\/1\./);
  });

  step(
    'create-secret from a file, with description and tags',
    async () => {
      const file = join(dir, 'first.json');
      await writeFile(file, JSON.stringify(FIRST));
      const j = await ok(
        'create-secret',
        '--name',
        APP,
        '--description',
        'app credentials',
        '--secret-string',
        `file://${file}`,
        '--tags',
        'Key=team,Value=platform',
        'Key=env,Value=test',
      );
      expect(Object.keys(j).sort()).toEqual(['ARN', 'Name', 'VersionId']);
      expect(j.Name).toBe(APP);
      expect(j.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:\\d{12}:secret:${APP}-[A-Za-z0-9]{6}$`));
      expect(j.VersionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      appArn = j.ARN;
      firstVersion = j.VersionId;
    },
    60_000,
  );

  step(
    'describe-secret shows what was created, and only that',
    async () => {
      const before = Date.now();
      const j = await ok('describe-secret', '--secret-id', APP);
      expect(j.ARN).toBe(appArn);
      expect(j.Name).toBe(APP);
      expect(j.Description).toBe('app credentials');
      expect(j).not.toHaveProperty('RotationEnabled');
      expect(j).not.toHaveProperty('DeletedDate');
      expect(j).not.toHaveProperty('KmsKeyId');
      expect(tagsOf(j)).toEqual([
        { Key: 'env', Value: 'test' },
        { Key: 'team', Value: 'platform' },
      ]);
      expect(j.VersionIdsToStages).toEqual({ [firstVersion]: ['AWSCURRENT'] });
      expect(Math.abs(ms(j.CreatedDate) - before)).toBeLessThan(120_000);
      expect(Math.abs(ms(j.LastChangedDate) - before)).toBeLessThan(120_000);
    },
    60_000,
  );

  step(
    'list-secrets filters by name prefix, tag key and a negated tag key',
    async () => {
      const other = `${prefix}/other`;
      await ok('create-secret', '--name', other, '--secret-string', 'x', '--tags', 'Key=env,Value=test');

      const byName = await ok('list-secrets', '--filters', `Key=name,Values=${prefix}`);
      expect(namesOf(byName)).toEqual([APP, other]);
      const entry = (byName.SecretList as Record<string, unknown>[]).find((s) => s.Name === APP)!;
      expect(entry.ARN).toBe(appArn);
      expect(entry.Description).toBe('app credentials');
      expect(entry.SecretVersionsToStages).toEqual({ [firstVersion]: ['AWSCURRENT'] });

      const byTag = await ok('list-secrets', '--filters', `Key=name,Values=${prefix}`, 'Key=tag-key,Values=team');
      expect(namesOf(byTag)).toEqual([APP]);

      const notTagged = await ok('list-secrets', '--filters', `Key=name,Values=${prefix}`, 'Key=tag-key,Values=!team');
      expect(namesOf(notTagged)).toEqual([other]);

      const none = await ok('list-secrets', '--filters', `Key=name,Values=${prefix}-nothing`);
      expect(none.SecretList).toEqual([]);

      await ok('delete-secret', '--secret-id', other, '--force-delete-without-recovery');
    },
    90_000,
  );

  step(
    'get-secret-value returns the file contents as AWSCURRENT',
    async () => {
      const j = await ok('get-secret-value', '--secret-id', APP);
      expect(j.ARN).toBe(appArn);
      expect(j.Name).toBe(APP);
      expect(j.VersionId).toBe(firstVersion);
      expect(JSON.parse(j.SecretString)).toEqual(FIRST);
      expect(j.VersionStages).toEqual(['AWSCURRENT']);
      expect(j).not.toHaveProperty('SecretBinary');
    },
    60_000,
  );

  step(
    'put-secret-value makes a new AWSCURRENT; AWSPREVIOUS keeps the first value',
    async () => {
      const put = await ok('put-secret-value', '--secret-id', APP, '--secret-string', JSON.stringify(SECOND));
      expect(put.ARN).toBe(appArn);
      expect(put.Name).toBe(APP);
      expect(put.VersionStages).toEqual(['AWSCURRENT']);
      expect(put.VersionId).not.toBe(firstVersion);

      const current = await ok('get-secret-value', '--secret-id', APP);
      expect(current.VersionId).toBe(put.VersionId);
      expect(JSON.parse(current.SecretString)).toEqual(SECOND);

      const previous = await ok('get-secret-value', '--secret-id', APP, '--version-stage', 'AWSPREVIOUS');
      expect(previous.VersionId).toBe(firstVersion);
      expect(previous.VersionStages).toEqual(['AWSPREVIOUS']);
      expect(JSON.parse(previous.SecretString)).toEqual(FIRST);

      const d = await ok('describe-secret', '--secret-id', APP);
      expect(d.VersionIdsToStages).toEqual({ [put.VersionId]: ['AWSCURRENT'], [firstVersion]: ['AWSPREVIOUS'] });
    },
    90_000,
  );

  step(
    'create-secret --secret-binary fileb:// round-trips the bytes',
    async () => {
      const file = join(dir, 'blob.bin');
      await writeFile(file, BYTES);
      const c = await ok('create-secret', '--name', BIN, '--secret-binary', `fileb://${file}`);
      const j = await ok('get-secret-value', '--secret-id', BIN);
      expect(j.VersionId).toBe(c.VersionId);
      expect(j.SecretBinary).toBe(BYTES.toString('base64'));
      expect(j).not.toHaveProperty('SecretString');
      await ok('delete-secret', '--secret-id', BIN, '--force-delete-without-recovery');
    },
    60_000,
  );

  step(
    'tag-resource and untag-resource; no tags left is Tags: []',
    async () => {
      const tagged = await aws(
        'tag-resource',
        '--secret-id',
        APP,
        '--tags',
        'Key=owner,Value=alice',
        'Key=env,Value=prod',
      );
      expect(tagged.code, tagged.stderr).toBe(0);
      expect(tagged.stdout.trim()).toBe('');
      expect(tagsOf(await ok('describe-secret', '--secret-id', APP))).toEqual([
        { Key: 'env', Value: 'prod' },
        { Key: 'owner', Value: 'alice' },
        { Key: 'team', Value: 'platform' },
      ]);

      await ok('untag-resource', '--secret-id', APP, '--tag-keys', 'team', 'owner');
      expect(tagsOf(await ok('describe-secret', '--secret-id', APP))).toEqual([{ Key: 'env', Value: 'prod' }]);

      await ok('untag-resource', '--secret-id', APP, '--tag-keys', 'env');
      const d = await ok('describe-secret', '--secret-id', APP);
      expect(d.Tags).toEqual([]);
    },
    90_000,
  );

  step(
    'delete-secret with a 7-day window; the value is then refused',
    async () => {
      const before = Date.now();
      const del = await ok('delete-secret', '--secret-id', APP, '--recovery-window-in-days', '7');
      expect(del.ARN).toBe(appArn);
      expect(del.Name).toBe(APP);
      expect(Math.abs(ms(del.DeletionDate) - (before + 7 * DAY_MS))).toBeLessThan(120_000);

      const get = await fails('get-secret-value', '--secret-id', APP);
      expect(get.stderr).toContain('InvalidRequestException');
      expect(get.stderr).toContain('marked for deletion');

      const d = await ok('describe-secret', '--secret-id', APP);
      expect(Math.abs(ms(d.DeletedDate) - before)).toBeLessThan(120_000);
    },
    60_000,
  );

  step(
    'list-secrets hides it unless --include-planned-deletion',
    async () => {
      const hidden = await ok('list-secrets', '--filters', `Key=name,Values=${prefix}`);
      expect(namesOf(hidden)).toEqual([]);
      const shown = await ok('list-secrets', '--include-planned-deletion', '--filters', `Key=name,Values=${prefix}`);
      expect(namesOf(shown)).toEqual([APP]);
      expect((shown.SecretList as Record<string, unknown>[])[0]).toHaveProperty('DeletedDate');
    },
    60_000,
  );

  step(
    'restore-secret brings it back',
    async () => {
      const r = await ok('restore-secret', '--secret-id', APP);
      expect(r).toEqual({ ARN: appArn, Name: APP });
      const d = await ok('describe-secret', '--secret-id', APP);
      expect(d).not.toHaveProperty('DeletedDate');
      const get = await ok('get-secret-value', '--secret-id', APP);
      expect(JSON.parse(get.SecretString)).toEqual(SECOND);
    },
    60_000,
  );

  step(
    'delete-secret --force-delete-without-recovery; describe then fails',
    async () => {
      const del = await ok('delete-secret', '--secret-id', APP, '--force-delete-without-recovery');
      expect(del.ARN).toBe(appArn);
      expect(del.Name).toBe(APP);
      expect(Math.abs(ms(del.DeletionDate) - Date.now())).toBeLessThan(120_000);

      const d = await fails('describe-secret', '--secret-id', APP);
      expect(d.stderr).toContain('ResourceNotFoundException');
      expect(d.stderr).toContain("Secrets Manager can't find the specified secret.");
    },
    60_000,
  );

  step(
    'get-random-password --password-length 24 --exclude-punctuation',
    async () => {
      const j = await ok('get-random-password', '--password-length', '24', '--exclude-punctuation');
      expect(Object.keys(j)).toEqual(['RandomPassword']);
      expect(j.RandomPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    },
    60_000,
  );

  step(
    'create-secret with an invalid name: ValidationException in AWS words',
    async () => {
      const r = await fails('create-secret', '--name', 'bad name', '--secret-string', 'x');
      expect(r.stderr).toContain('ValidationException');
      expect(r.stderr).toContain(
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    },
    60_000,
  );
  step(
    'replicate-secret-to-regions; read in the replica Region; a refused write; stop-replication-to-replica',
    async () => {
      const name = `${prefix}/multi`;
      await ok('create-secret', '--name', name, '--secret-string', 'multi-1');
      const r = await ok(
        'replicate-secret-to-regions',
        '--secret-id',
        name,
        '--add-replica-regions',
        'Region=eu-west-1',
      );
      expect(r.ReplicationStatus).toEqual([
        { Region: 'eu-west-1', KmsKeyId: 'alias/aws/secretsmanager', Status: 'InProgress' },
      ]);
      const v = await ok('get-secret-value', '--secret-id', name, '--region', 'eu-west-1');
      expect(v.SecretString).toBe('multi-1');
      expect(v.ARN).toContain(':eu-west-1:');
      const refused = await fails(
        'put-secret-value',
        '--secret-id',
        name,
        '--secret-string',
        'x',
        '--region',
        'eu-west-1',
      );
      expect(refused.stderr).toContain('InvalidParameterException');
      expect(refused.stderr).toContain(
        "Operation not permitted on a replica secret. Call must be made in primary secret's region.",
      );
      const stop = await ok('stop-replication-to-replica', '--secret-id', name, '--region', 'eu-west-1');
      expect(stop.ARN).toBe(v.ARN);
      await ok('put-secret-value', '--secret-id', name, '--secret-string', 'west-own', '--region', 'eu-west-1');
      const d = await ok('describe-secret', '--secret-id', name);
      expect(d.ReplicationStatus).toBeUndefined();
      expect((await ok('get-secret-value', '--secret-id', name)).SecretString).toBe('multi-1');
    },
    60_000,
  );
});
