import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sign } from '../../src/auth/sigv4.js';
import { createLogger } from '../../src/logger.js';
import type { RunningServer } from '../../src/index.js';
import { makeZip, pythonTemplate } from '../rotation/functions.js';
import { client, startAuthServer, writeCredentials, type Key } from './authHelpers.js';

/**
 * With --auth, a rotation function calls Secrets Manager with its execution role's credentials (STS session
 * credentials of a role in the credentials file), so the role's policies can deny a rotation as on AWS; and the
 * Lambda API itself is behind the same checks (creating a function is running code).
 */
const A = '111111111111';
const ADMIN: Key = { accessKeyId: 'AKIAROTATIONADMIN', secretAccessKey: 'admin-secret' };
const BUILDER: Key = { accessKeyId: 'AKIAROTATIONBUILD', secretAccessKey: 'builder-secret' };
const DEV: Key = { accessKeyId: 'AKIAROTATIONDEV01', secretAccessKey: 'dev-secret' };
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const rotatorActions = [
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecretVersionStage',
  'secretsmanager:GetRandomPassword',
];
const credentials = {
  principals: [
    {
      ...ADMIN,
      arn: `arn:aws:iam::${A}:user/admin`,
      policies: [doc({ Effect: 'Allow', Action: ['secretsmanager:*', 'lambda:*', 'iam:PassRole'], Resource: '*' })],
    },
    {
      ...BUILDER,
      arn: `arn:aws:iam::${A}:user/builder`,
      policies: [doc({ Effect: 'Allow', Action: 'lambda:*', Resource: '*' })],
    },
    {
      ...DEV,
      arn: `arn:aws:iam::${A}:user/dev`,
      policies: [doc({ Effect: 'Allow', Action: ['secretsmanager:*', 'lambda:Get*'], Resource: '*' })],
    },
  ],
  roles: [
    { arn: `arn:aws:iam::${A}:role/Rotator`, policies: [doc({ Effect: 'Allow', Action: rotatorActions, Resource: '*' })] }, // prettier-ignore
    {
      arn: `arn:aws:iam::${A}:role/ReadOnly`,
      policies: [
        doc({ Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:GetRandomPassword'], Resource: '*' }), // prettier-ignore
      ],
    },
  ],
};

let server: RunningServer;
let auditFile: string;
const lines: string[] = [];

/** One Lambda REST call signed for `lambda` with our SigV4 signer (checked against AWS's vectors). */
async function lambda(key: Key, method: string, path: string, body?: unknown) {
  const url = new URL(`${server.url}/2015-03-31/functions${path}`);
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers = sign({
    method,
    url,
    headers: { 'content-type': 'application/json' },
    body: text,
    region: 'us-east-1',
    service: 'lambda',
    credentials: key,
    now: Date.now(),
  });
  delete headers.host;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : text });
  const out = await res.text();
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), json: out ? (JSON.parse(out) as Record<string, string>) : {} }; // prettier-ignore
}

async function createRotator(name: string, role: string): Promise<string> {
  const r = await lambda(ADMIN, 'POST', '', {
    FunctionName: name,
    Runtime: 'python3.12',
    Handler: 'lambda_function.lambda_handler',
    Role: `arn:aws:iam::${A}:role/${role}`,
    Code: { ZipFile: makeZip({ 'lambda_function.py': pythonTemplate() }).toString('base64') },
    Timeout: 30,
  });
  expect(r.status).toBe(201);
  const p = await lambda(ADMIN, 'POST', `/${name}/policy`, {
    StatementId: 'SecretsManager',
    Action: 'lambda:InvokeFunction',
    Principal: 'secretsmanager.amazonaws.com',
  });
  expect(p.status).toBe(201);
  return r.json.FunctionArn!;
}

beforeAll(async () => {
  const logger = createLogger('warn', (l) => lines.push(l));
  const path = writeCredentials(credentials);
  auditFile = join(dirname(path), 'audit.jsonl');
  server = await startAuthServer(path, { logger, audit: auditFile });
});
afterAll(() => server.close());

describe('--auth: the Lambda API and rotation functions', () => {
  it('the Lambda API needs a signature and the action by policy (403, as Lambda answers)', async () => {
    const unsigned = await fetch(`${server.url}/2015-03-31/functions`);
    expect(unsigned.status).toBe(403);
    const r = await lambda(DEV, 'POST', '', { FunctionName: 'dev-fn', Runtime: 'python3.12', Role: 'x', Code: {} });
    expect(r.status).toBe(403);
    expect(r.type).toBe('AccessDeniedException');
    expect(r.json.Message).toBe(
      `User: arn:aws:iam::${A}:user/dev is not authorized to perform: lambda:CreateFunction on resource: ` +
        `arn:aws:lambda:us-east-1:${A}:function:dev-fn because no identity-based policy allows the ` +
        'lambda:CreateFunction action',
    );
    const list = await lambda(DEV, 'GET', '');
    expect(list.status).toBe(403);
    // giving a function a role needs iam:PassRole on it: its code would act as the role
    const role = `arn:aws:iam::${A}:role/Rotator`;
    const passed = await lambda(BUILDER, 'POST', '', { FunctionName: 'b-fn', Runtime: 'python3.12', Role: role, Code: {} }); // prettier-ignore
    expect(passed.status).toBe(403);
    expect(passed.json.Message).toBe(
      `User: arn:aws:iam::${A}:user/builder is not authorized to perform: iam:PassRole on resource: ${role} ` +
        'because no identity-based policy allows the iam:PassRole action',
    );
  });

  it("a rotation runs with its role's credentials: allowed by the role's policy, it rotates", async () => {
    const fn = await createRotator('rotator-ok', 'Rotator');
    const sm = client(server.url, ADMIN);
    await sm.send(new CreateSecretCommand({ Name: 'rot/ok', SecretString: 'before' }));
    const r = await sm.send(new RotateSecretCommand({ SecretId: 'rot/ok', RotationLambdaARN: fn }));
    await server.rotationsIdle();
    const v = await sm.send(new GetSecretValueCommand({ SecretId: 'rot/ok' }));
    expect(v.VersionId).toBe(r.VersionId);
    expect(v.SecretString).not.toBe('before');
  }, 60_000);

  it("denied by the role's policy, the rotation fails at its step and the value stays", async () => {
    const fn = await createRotator('rotator-weak', 'ReadOnly');
    const sm = client(server.url, ADMIN);
    await sm.send(new CreateSecretCommand({ Name: 'rot/weak', SecretString: 'before' }));
    const r = await sm.send(new RotateSecretCommand({ SecretId: 'rot/weak', RotationLambdaARN: fn }));
    await server.rotationsIdle();
    const v = await sm.send(new GetSecretValueCommand({ SecretId: 'rot/weak' }));
    expect(v.SecretString).toBe('before');
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'rot/weak' }));
    expect(d.VersionIdsToStages![r.VersionId!]).toEqual(['AWSPENDING']);
    const failed = lines.find((l) => l.includes('rot/weak') || l.includes('AccessDenied'));
    expect(failed).toContain('AccessDeniedException');
    expect(failed).toContain(`assumed-role/ReadOnly/rotator-weak is not authorized to perform: secretsmanager:PutSecretValue`); // prettier-ignore
  }, 60_000);

  it('the audit log has the service events of both rotations, and the calls of the role session', async () => {
    await new Promise((r) => setTimeout(r, 50));
    const records = readFileSync(auditFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const service = records.filter((r) => r.eventType === 'AwsServiceEvent').map((r) => r.eventName);
    expect(service).toEqual(expect.arrayContaining(['RotationStarted', 'RotationSucceeded', 'RotationFailed']));
    const put = records.find(
      (r) => r.eventName === 'PutSecretValue' && r.userIdentity?.arn?.includes('assumed-role/ReadOnly/rotator-weak'),
    );
    expect(put).toMatchObject({ errorCode: 'AccessDeniedException', userIdentity: { type: 'AssumedRole' } });
  });
});
