/**
 * Black-box: Terraform with the AWS provider 5.100.0 (from the local filesystem mirror, never the network)
 * against the real server, started in-process with the real clock. Checked with the AWS SDK v3.
 * Steps share state and run in order. Skipped when terraform is missing, except in CI where that fails.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { startServer, type RunningServer } from '../../src/index.js';

// ---------------------------------------------------------------------------------------------- helpers

const TERRAFORM = 'terraform';
const PLUGIN_MIRROR = '/opt/tf-plugins';
const PROVIDER_VERSION = '5.100.0';
const PROVIDER_DIR = `${PLUGIN_MIRROR}/registry.terraform.io/hashicorp/aws/${PROVIDER_VERSION}/linux_amd64`;

function terraformVersion(): string | undefined {
  try {
    return execFileSync(TERRAFORM, ['version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
      env: { PATH: process.env.PATH, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
    })
      .split('\n')[0]!
      .trim();
  } catch {
    return undefined;
  }
}

const TF_VERSION = terraformVersion();
const MIRROR_PRESENT = existsSync(PROVIDER_DIR);
const AVAILABLE = TF_VERSION !== undefined && MIRROR_PRESENT;
const IN_CI = Boolean(process.env.CI);
if (!AVAILABLE && !IN_CI) {
  console.warn(
    TF_VERSION === undefined
      ? 'terraform not found: skipping'
      : `AWS provider ${PROVIDER_VERSION} not found in ${PLUGIN_MIRROR}: skipping`,
  );
}

/** Steps that need Terraform: skipped when it is missing (in CI the presence test fails instead). */
const step = it.skipIf(!AVAILABLE);

interface TfResult {
  code: number;
  stdout: string;
  stderr: string;
}

let server: RunningServer;
let dir: string;
let sm: SecretsManagerClient;

/** A clean environment: nothing from the user's AWS or Terraform setup; TF_LOG passes through for debugging. */
function tfEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    TMPDIR: dir,
    TF_CLI_CONFIG_FILE: join(dir, 'terraform.rc'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_CONFIG_FILE: join(dir, 'no-such-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-such-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(process.env.TF_LOG ? { TF_LOG: process.env.TF_LOG } : {}),
    ...(process.env.TF_LOG_PATH ? { TF_LOG_PATH: process.env.TF_LOG_PATH } : {}),
  };
}

/** Runs terraform in the work dir without a shell; never rejects. */
function tf(...args: string[]): Promise<TfResult> {
  return new Promise((resolve) => {
    execFile(
      TERRAFORM,
      args,
      { cwd: join(dir, 'stack'), env: tfEnv(), encoding: 'utf8', timeout: 170_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const show = (args: string[], r: TfResult) =>
  `terraform ${args.join(' ')}\nexit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** Runs terraform and expects the given exit code (0 unless told); the output is in the failure message. */
async function tfExpect(code: number, ...args: string[]): Promise<TfResult> {
  const r = await tf(...args);
  expect(r.code, show(args, r)).toBe(code);
  return r;
}

/** `terraform output -json`, as plain values. */
async function outputs(): Promise<Record<string, unknown>> {
  const r = await tfExpect(0, 'output', '-json', '-no-color');
  const raw = JSON.parse(r.stdout) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.value]));
}

/** The error name DescribeSecret fails with, or a note that it succeeded. */
async function describeError(secretId: string): Promise<string> {
  try {
    await sm.send(new DescribeSecretCommand({ SecretId: secretId }));
  } catch (e) {
    return (e as Error).name;
  }
  return 'the secret still exists';
}

const prefix = `tf-${process.pid}-${Date.now().toString(36)}`;
const APP = `${prefix}/app`;
const BLOB = `${prefix}/blob`;
const BYTES = Buffer.from([0, 1, 2, 127, 128, 250, 255, 10, 13]);
const PRINCIPAL = 'arn:aws:iam::000000000000:root';

const cliConfig = () => `provider_installation {
  filesystem_mirror {
    path    = "${PLUGIN_MIRROR}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`;

/** The stack under test; only the password changes between applies. */
const mainTf = (password: string) => `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "${PROVIDER_VERSION}"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 1

  endpoints {
    secretsmanager = "${server.url}"
  }
}

resource "aws_secretsmanager_secret" "app" {
  name                    = "${APP}"
  description             = "managed by terraform"
  recovery_window_in_days = 0
  tags = {
    team = "platform"
    env  = "test"
  }
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id     = aws_secretsmanager_secret.app.id
  secret_string = jsonencode({ user = "admin", password = "${password}" })
}

resource "aws_secretsmanager_secret" "blob" {
  name                    = "${BLOB}"
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "blob" {
  secret_id     = aws_secretsmanager_secret.blob.id
  secret_binary = "${BYTES.toString('base64')}"
}

resource "aws_secretsmanager_secret_policy" "app" {
  secret_arn = aws_secretsmanager_secret.app.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowRead"
      Effect    = "Allow"
      Principal = { AWS = "${PRINCIPAL}" }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })
}

data "aws_secretsmanager_secret" "app" {
  arn = aws_secretsmanager_secret_policy.app.secret_arn
}

data "aws_secretsmanager_secret_version" "app" {
  secret_id  = aws_secretsmanager_secret.app.id
  depends_on = [aws_secretsmanager_secret_version.app]
}

output "secret_arn" {
  value = aws_secretsmanager_secret.app.arn
}
output "version_id" {
  value = aws_secretsmanager_secret_version.app.version_id
}
output "blob_version_id" {
  value = aws_secretsmanager_secret_version.blob.version_id
}
output "data_name" {
  value = data.aws_secretsmanager_secret.app.name
}
output "data_description" {
  value = data.aws_secretsmanager_secret.app.description
}
output "data_tags" {
  value = data.aws_secretsmanager_secret.app.tags
}
output "data_policy" {
  value = data.aws_secretsmanager_secret.app.policy
}
output "data_version_id" {
  value = data.aws_secretsmanager_secret_version.app.version_id
}
output "data_version_stages" {
  value = data.aws_secretsmanager_secret_version.app.version_stages
}
output "data_secret_string" {
  value     = data.aws_secretsmanager_secret_version.app.secret_string
  sensitive = true
}
`;

async function writeStack(password: string): Promise<void> {
  await writeFile(join(dir, 'stack', 'main.tf'), mainTf(password));
}

// ------------------------------------------------------------------------------------------------ tests

describe.skipIf(!AVAILABLE && !IN_CI)('Terraform AWS provider 5.100 against secretlite', () => {
  let firstVersion: string;
  let secretArn: string;
  let needsDestroy = false;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secretlite-tf-'));
    await mkdir(join(dir, 'stack'));
    await writeFile(join(dir, 'terraform.rc'), cliConfig());
    server = await startServer({ port: 0, logLevel: 'silent' });
    sm = new SecretsManagerClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    // Best effort: whatever a failed step left behind.
    if (needsDestroy) await tf('destroy', '-auto-approve', '-no-color', '-input=false');
    sm?.destroy();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 180_000);

  it('has terraform and the AWS provider mirror installed', () => {
    expect(TF_VERSION, 'terraform not found on PATH (required in CI)').toBeDefined();
    expect(TF_VERSION).toMatch(/^Terraform v1\./);
    expect(MIRROR_PRESENT, `AWS provider ${PROVIDER_VERSION} not found at ${PROVIDER_DIR}`).toBe(true);
  });

  step(
    'init installs the provider from the filesystem mirror',
    async () => {
      await writeStack('first-password');
      const r = await tfExpect(0, 'init', '-no-color', '-input=false');
      // A registry install would say "(signed by HashiCorp)"; the mirror's unpacked layout is linked in place.
      expect(r.stdout, show(['init'], r)).toContain(`Installed hashicorp/aws v${PROVIDER_VERSION} (unauthenticated)`);
      expect(r.stdout).toContain('Terraform has been successfully initialized!');
      const installed = join(
        dir,
        'stack',
        '.terraform/providers/registry.terraform.io/hashicorp/aws',
        PROVIDER_VERSION,
        'linux_amd64',
      );
      expect(realpathSync(installed)).toBe(realpathSync(PROVIDER_DIR));
      needsDestroy = true;
    },
    180_000,
  );

  step(
    'apply creates the secrets, versions and policy',
    async () => {
      const r = await tfExpect(0, 'apply', '-auto-approve', '-no-color', '-input=false');
      expect(r.stdout, show(['apply'], r)).toContain('Apply complete! Resources: 5 added, 0 changed, 0 destroyed.');

      const out = await outputs();
      secretArn = out.secret_arn as string;
      firstVersion = out.version_id as string;
      expect(secretArn).toMatch(
        new RegExp(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:${APP}-[A-Za-z0-9]{6}$`),
      );

      // What the server holds, seen through the SDK.
      const d = await sm.send(new DescribeSecretCommand({ SecretId: APP }));
      expect(d.ARN).toBe(secretArn);
      expect(d.Description).toBe('managed by terraform');
      expect([...(d.Tags ?? [])].sort((a, b) => a.Key!.localeCompare(b.Key!))).toEqual([
        { Key: 'env', Value: 'test' },
        { Key: 'team', Value: 'platform' },
      ]);
      expect(d.VersionIdsToStages).toEqual({ [firstVersion]: ['AWSCURRENT'] });

      const v = await sm.send(new GetSecretValueCommand({ SecretId: APP }));
      expect(v.VersionId).toBe(firstVersion);
      expect(JSON.parse(v.SecretString!)).toEqual({ user: 'admin', password: 'first-password' });

      const b = await sm.send(new GetSecretValueCommand({ SecretId: BLOB }));
      expect(b.VersionId).toBe(out.blob_version_id);
      expect(Buffer.from(b.SecretBinary!).equals(BYTES)).toBe(true);
      expect(b.SecretString).toBeUndefined();

      const p = await sm.send(new GetResourcePolicyCommand({ SecretId: APP }));
      expect(p.ARN).toBe(secretArn);
      const policy = JSON.parse(p.ResourcePolicy!);
      expect(policy.Statement).toHaveLength(1);
      expect(policy.Statement[0]).toMatchObject({
        Sid: 'AllowRead',
        Effect: 'Allow',
        Principal: { AWS: PRINCIPAL },
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
      });

      // What the data sources read back.
      expect(out.data_name).toBe(APP);
      expect(out.data_description).toBe('managed by terraform');
      expect(out.data_tags).toEqual({ team: 'platform', env: 'test' });
      expect(JSON.parse(out.data_policy as string)).toEqual(policy);
      expect(out.data_version_id).toBe(firstVersion);
      expect(out.data_version_stages).toEqual(['AWSCURRENT']);
      expect(JSON.parse(out.data_secret_string as string)).toEqual({ user: 'admin', password: 'first-password' });
    },
    180_000,
  );

  step(
    'plan shows no drift',
    async () => {
      await tfExpect(0, 'plan', '-detailed-exitcode', '-no-color', '-input=false');
    },
    180_000,
  );

  step(
    'changing secret_string makes a new AWSCURRENT; the old value is AWSPREVIOUS',
    async () => {
      await writeStack('second-password');
      const r = await tfExpect(0, 'apply', '-auto-approve', '-no-color', '-input=false');
      expect(r.stdout, show(['apply'], r)).toMatch(/Apply complete! Resources: 1 added, \d+ changed, 1 destroyed\./);

      const out = await outputs();
      const secondVersion = out.version_id as string;
      expect(secondVersion).not.toBe(firstVersion);

      const cur = await sm.send(new GetSecretValueCommand({ SecretId: APP }));
      expect(cur.VersionId).toBe(secondVersion);
      expect(cur.VersionStages).toEqual(['AWSCURRENT']);
      expect(JSON.parse(cur.SecretString!)).toEqual({ user: 'admin', password: 'second-password' });

      const prev = await sm.send(new GetSecretValueCommand({ SecretId: APP, VersionStage: 'AWSPREVIOUS' }));
      expect(prev.VersionId).toBe(firstVersion);
      expect(JSON.parse(prev.SecretString!)).toEqual({ user: 'admin', password: 'first-password' });

      const d = await sm.send(new DescribeSecretCommand({ SecretId: APP }));
      expect(d.VersionIdsToStages).toEqual({ [secondVersion]: ['AWSCURRENT'], [firstVersion]: ['AWSPREVIOUS'] });

      expect(out.data_version_id).toBe(secondVersion);
      expect(JSON.parse(out.data_secret_string as string)).toEqual({ user: 'admin', password: 'second-password' });
    },
    180_000,
  );

  step(
    'plan shows no drift after the change',
    async () => {
      await tfExpect(0, 'plan', '-detailed-exitcode', '-no-color', '-input=false');
    },
    180_000,
  );

  step(
    'destroy deletes the secrets at once',
    async () => {
      const r = await tfExpect(0, 'destroy', '-auto-approve', '-no-color', '-input=false');
      expect(r.stdout, show(['destroy'], r)).toContain('Destroy complete! Resources: 5 destroyed.');
      needsDestroy = false;
      expect(await describeError(APP)).toBe('ResourceNotFoundException');
      expect(await describeError(BLOB)).toBe('ResourceNotFoundException');
    },
    180_000,
  );
});

// ------------------------------------------------------------------------------------------------ replicas

const MULTI = `${prefix}/multi`;

/** A secret with replica blocks for `regions`. */
const replicaTf = (regions: readonly string[]) => `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "${PROVIDER_VERSION}"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 1

  endpoints {
    secretsmanager = "${server.url}"
  }
}

resource "aws_secretsmanager_secret" "multi" {
  name                    = "${MULTI}"
  recovery_window_in_days = 0
${regions.map((r) => `  replica {\n    region = "${r}"\n  }`).join('\n')}
}

resource "aws_secretsmanager_secret_version" "multi" {
  secret_id     = aws_secretsmanager_secret.multi.id
  secret_string = "replicated value"
}
`;

describe.skipIf(!AVAILABLE && !IN_CI)('Terraform: a secret with replica blocks', () => {
  let needsDestroy = false;
  const inRegion = (region: string) =>
    new SecretsManagerClient({
      endpoint: server.url,
      region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secretlite-tf-replica-'));
    await mkdir(join(dir, 'stack'));
    await writeFile(join(dir, 'terraform.rc'), cliConfig());
    server = await startServer({ port: 0, logLevel: 'silent' });
    sm = inRegion('us-east-1');
  });
  afterAll(async () => {
    if (needsDestroy) await tf('destroy', '-auto-approve', '-no-color', '-input=false');
    sm?.destroy();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 180_000);

  const statuses = async () =>
    ((await sm.send(new DescribeSecretCommand({ SecretId: MULTI }))).ReplicationStatus ?? []).map((s) => [
      s.Region,
      s.Status,
    ]);

  step(
    'apply makes the secret and its replica; the replica answers in its Region; no drift',
    async () => {
      await writeFile(join(dir, 'stack', 'main.tf'), replicaTf(['eu-west-1']));
      await tfExpect(0, 'init', '-no-color', '-input=false');
      needsDestroy = true;
      const r = await tfExpect(0, 'apply', '-auto-approve', '-no-color', '-input=false');
      expect(r.stdout, show(['apply'], r)).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
      expect(await statuses()).toEqual([['eu-west-1', 'InSync']]);
      const west = inRegion('eu-west-1');
      const v = await west.send(new GetSecretValueCommand({ SecretId: MULTI }));
      expect(v.SecretString).toBe('replicated value');
      expect(v.ARN).toContain(':eu-west-1:');
      west.destroy();
      await tfExpect(0, 'plan', '-detailed-exitcode', '-no-color', '-input=false');
    },
    180_000,
  );

  step(
    'adding and removing a replica block adds and removes the replica; no drift',
    async () => {
      await writeFile(join(dir, 'stack', 'main.tf'), replicaTf(['eu-west-1', 'eu-north-1']));
      await tfExpect(0, 'apply', '-auto-approve', '-no-color', '-input=false');
      expect(await statuses()).toEqual([
        ['eu-west-1', 'InSync'],
        ['eu-north-1', 'InSync'],
      ]);
      await tfExpect(0, 'plan', '-detailed-exitcode', '-no-color', '-input=false');
      await writeFile(join(dir, 'stack', 'main.tf'), replicaTf(['eu-north-1']));
      await tfExpect(0, 'apply', '-auto-approve', '-no-color', '-input=false');
      expect(await statuses()).toEqual([['eu-north-1', 'InSync']]);
      const west = inRegion('eu-west-1');
      expect(await west.send(new GetSecretValueCommand({ SecretId: MULTI })).catch((e: Error) => e.name)).toBe(
        'ResourceNotFoundException',
      );
      west.destroy();
      await tfExpect(0, 'plan', '-detailed-exitcode', '-no-color', '-input=false');
    },
    180_000,
  );

  step(
    'destroy removes the replicas, then the secret',
    async () => {
      const r = await tfExpect(0, 'destroy', '-auto-approve', '-no-color', '-input=false');
      expect(r.stdout, show(['destroy'], r)).toContain('Destroy complete! Resources: 2 destroyed.');
      needsDestroy = false;
      expect(await describeError(MULTI)).toBe('ResourceNotFoundException');
      const north = inRegion('eu-north-1');
      expect(await north.send(new GetSecretValueCommand({ SecretId: MULTI })).catch((e: Error) => e.name)).toBe(
        'ResourceNotFoundException',
      );
      north.destroy();
    },
    180_000,
  );
});
