import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { GetSecretValueCommand, CreateSecretCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { startServer, type RunningServer } from '../../src/index.js';
import { isolatedAwsEnv } from '../helpers.js';
import { ALICE, BOB, client, failure, startAuthServer, writeCredentials, type Key } from './authHelpers.js';

/**
 * Real signers against `--auth sigv4`: the AWS CLI and boto3 (botocore signs 4 headers and no body hash, the JS
 * SDK about 10 and x-amz-content-sha256), and STS on the same endpoint: GetCallerIdentity and AssumeRole, then
 * calls signed with the role's temporary credentials. Skipped without the tools, except in CI where that fails.
 */
const has = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
};
const AWS = has('aws', ['--version']);
const BOTO3 = has('python3', ['-c', 'import boto3']);
const IN_CI = Boolean(process.env.CI);

const A = '111111111111';
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const credentials = {
  principals: [
    {
      ...ALICE,
      arn: `arn:aws:iam::${A}:user/alice`,
      policies: [
        doc(
          { Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' },
          { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${A}:role/Reader` },
        ),
      ],
    },
    { ...BOB, arn: `arn:aws:iam::${A}:user/bob` },
  ],
  roles: [
    {
      arn: `arn:aws:iam::${A}:role/Reader`,
      tags: { team: 'blue' },
      policies: [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' })],
    },
  ],
};

let server: RunningServer;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function run(cmd: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) =>
    execFile(cmd, args, { env: isolatedAwsEnv(env), timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    ),
  );
}
const keyEnv = (k: Key): Record<string, string> => ({
  AWS_ACCESS_KEY_ID: k.accessKeyId,
  AWS_SECRET_ACCESS_KEY: k.secretAccessKey,
  ...(k.sessionToken ? { AWS_SESSION_TOKEN: k.sessionToken } : {}),
});
const aws = (k: Key, ...args: string[]) =>
  run('aws', [...args, '--output', 'json'], { AWS_ENDPOINT_URL: server.url, ...keyEnv(k) });

const BOTO = `
import boto3, json, sys
url, op = sys.argv[1], sys.argv[2]
if op == 'get':
    sm = boto3.client('secretsmanager', endpoint_url=url)
    print(json.dumps(sm.get_secret_value(SecretId=sys.argv[3])['SecretString']))
else:
    sts = boto3.client('sts', endpoint_url=url)
    print(json.dumps(sts.get_caller_identity()))
`;
const boto = (k: Key, ...args: string[]) => run('python3', ['-c', BOTO, server.url, ...args], keyEnv(k));

beforeAll(async () => {
  server = await startAuthServer(writeCredentials(credentials));
  await client(server.url, ALICE).send(new CreateSecretCommand({ Name: 'signed/by', SecretString: 'sdk-made' }));
});
afterAll(() => server.close());

describe.skipIf(!AWS && !IN_CI)('the AWS CLI against --auth sigv4', () => {
  it('is installed (required in CI)', () => expect(AWS).toBe(true));

  it('signed with a key of the file: it works; with a wrong secret: InvalidSignatureException', async () => {
    const ok = await aws(ALICE, 'secretsmanager', 'get-secret-value', '--secret-id', 'signed/by');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).SecretString).toBe('sdk-made');
    const bad = await aws({ ...ALICE, secretAccessKey: 'wrong' }, 'secretsmanager', 'list-secrets');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('(InvalidSignatureException)');
    expect(bad.stderr).not.toContain('wrong');
  });

  it('sts get-caller-identity names the principal of the key', async () => {
    const r = await aws(ALICE, 'sts', 'get-caller-identity');
    expect(r.code, r.stderr).toBe(0);
    const id = JSON.parse(r.stdout) as { Arn: string; Account: string; UserId: string };
    expect(id).toMatchObject({ Arn: `arn:aws:iam::${A}:user/alice`, Account: A });
    expect(id.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    const unknown = await aws({ accessKeyId: 'AKIANOTINTHEFILE', secretAccessKey: 'x' }, 'sts', 'get-caller-identity');
    expect(unknown.stderr).toContain('(InvalidClientTokenId)');
  });

  it('sts assume-role: temporary credentials that act as the role, within its policies', async () => {
    const r = await aws(ALICE, 'sts', 'assume-role', '--role-arn', `arn:aws:iam::${A}:role/Reader`, '--role-session-name', 'ci-job'); // prettier-ignore
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
      AssumedRoleUser: { Arn: string; AssumedRoleId: string };
    };
    expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${A}:assumed-role/Reader/ci-job`);
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA/);
    expect(Date.parse(out.Credentials.Expiration) - Date.now()).toBeGreaterThan(3_500_000);
    const role: Key = {
      accessKeyId: out.Credentials.AccessKeyId,
      secretAccessKey: out.Credentials.SecretAccessKey,
      sessionToken: out.Credentials.SessionToken,
    };
    const sm = client(server.url, role);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'signed/by' }))).SecretString).toBe('sdk-made');
    const e = await failure(sm.send(new ListSecretsCommand({})));
    expect(e.message).toBe(
      `User: arn:aws:sts::${A}:assumed-role/Reader/ci-job is not authorized to perform: secretsmanager:ListSecrets ` +
        'because no identity-based policy allows the secretsmanager:ListSecrets action',
    );
    const me = await aws(role, 'sts', 'get-caller-identity');
    expect(JSON.parse(me.stdout).Arn).toBe(`arn:aws:sts::${A}:assumed-role/Reader/ci-job`);
    // without the session token the key is unknown; with an altered one too
    expect((await failure(client(server.url, { ...role, sessionToken: undefined }).send(new ListSecretsCommand({})))).name).toBe('UnrecognizedClientException'); // prettier-ignore
    expect((await failure(client(server.url, { ...role, sessionToken: `${role.sessionToken}x` }).send(new ListSecretsCommand({})))).name).toBe('UnrecognizedClientException'); // prettier-ignore
  });

  it('assume-role without sts:AssumeRole by policy: AccessDenied (403)', async () => {
    const r = await aws(BOB, 'sts', 'assume-role', '--role-arn', `arn:aws:iam::${A}:role/Reader`, '--role-session-name', 'nope'); // prettier-ignore
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('(AccessDenied)');
    expect(r.stderr).toContain(
      `User: arn:aws:iam::${A}:user/bob is not authorized to perform: sts:AssumeRole on resource: ` +
        `arn:aws:iam::${A}:role/Reader`,
    );
  });

  it('temporary credentials expire', async () => {
    const r = await aws(ALICE, 'sts', 'assume-role', '--role-arn', `arn:aws:iam::${A}:role/Reader`, '--role-session-name', 'short', '--duration-seconds', '900'); // prettier-ignore
    const c = (JSON.parse(r.stdout) as { Credentials: Record<string, string> }).Credentials;
    const late = await startAuthServer(writeCredentials(credentials), {
      clock: { now: () => Date.now() + 901_000 },
    });
    try {
      // the same file (same keys) on another instance accepts them until they expire: here they have
      const e = await failure(
        client(late.url, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).send(new ListSecretsCommand({})), // prettier-ignore
      );
      expect(e.name).toBe('ExpiredTokenException');
      expect(e.message).toBe('The security token included in the request is expired');
    } finally {
      await late.close();
    }
  });
});

describe.skipIf(!BOTO3 && !IN_CI)('boto3 against --auth sigv4', () => {
  it('is installed (required in CI)', () => expect(BOTO3).toBe(true));

  it('signs Secrets Manager and STS calls that pass; a wrong key fails with the AWS error', async () => {
    const ok = await boto(ALICE, 'get', 'signed/by');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toBe('sdk-made');
    const id = await boto(ALICE, 'id');
    expect(JSON.parse(id.stdout).Arn).toBe(`arn:aws:iam::${A}:user/alice`);
    const bad = await boto({ accessKeyId: 'AKIANOTINTHEFILE', secretAccessKey: 'x' }, 'get', 'signed/by');
    expect(bad.stderr).toContain('UnrecognizedClientException');
    const denied = await boto(BOB, 'get', 'signed/by');
    expect(denied.stderr).toContain('AccessDeniedException');
  });
});

describe.skipIf(!AWS && !IN_CI)('STS without --auth', () => {
  it('get-caller-identity answers from the access key as the account mapping does', async () => {
    const plain = await startServer({ port: 0, logLevel: 'silent' });
    try {
      const r = await run('aws', ['sts', 'get-caller-identity', '--output', 'json'], {
        AWS_ENDPOINT_URL: plain.url,
        AWS_ACCESS_KEY_ID: '222222222222',
        AWS_SECRET_ACCESS_KEY: 'x',
      });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        UserId: '222222222222',
        Account: '222222222222',
        Arn: 'arn:aws:iam::222222222222:root',
      });
    } finally {
      await plain.close();
    }
  });
});
