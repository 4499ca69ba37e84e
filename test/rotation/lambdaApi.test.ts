import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, startTestServer, type TestServer } from '../helpers.js';
import { bundleNodeFunction, createFunction, lambdaCall, makeZip, pythonTemplate } from './functions.js';

let t: TestServer;
let sm: SecretsManagerClient;

/** A CreateFunction body: a Python function, `over` replacing members. */
const createBody = (over: Record<string, unknown> = {}) => ({
  FunctionName: 'broken',
  Runtime: 'python3.12',
  Handler: 'x.y',
  Role: 'arn:aws:iam::000000000000:role/r',
  Code: { ZipFile: makeZip({ 'x.py': '' }).toString('base64') },
  ...over,
});
beforeAll(async () => {
  t = await startTestServer();
  sm = t.client();
});
afterAll(() => t.close());

const ECHO_PY = `import os

def handler(event, context):
    if event.get("fail"):
        raise ValueError("asked to fail")
    if event.get("sleep"):
        import time
        time.sleep(event["sleep"])
    print("hello from python")
    return {
        "event": event,
        "endpoint": os.environ.get("SECRETS_MANAGER_ENDPOINT"),
        "region": os.environ.get("AWS_REGION"),
        "key": os.environ.get("AWS_ACCESS_KEY_ID"),
        "custom": os.environ.get("CUSTOM"),
        "name": context.function_name,
        "remaining": context.get_remaining_time_in_millis() > 0,
    }
`;

describe('the Lambda API on secretlite (REST JSON, /2015-03-31/functions)', () => {
  it('CreateFunction answers 201 with the FunctionConfiguration; GetFunction, ListFunctions read it back', async () => {
    const zip = makeZip({ 'lambda_function.py': ECHO_PY });
    const r = await lambdaCall(t.url, 'POST', '', {
      FunctionName: 'echo',
      Runtime: 'python3.12',
      Handler: 'lambda_function.handler',
      Role: 'arn:aws:iam::000000000000:role/r',
      Code: { ZipFile: zip.toString('base64') },
      Environment: { Variables: { CUSTOM: 'yes' } },
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      FunctionName: 'echo',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
      Runtime: 'python3.12',
      Handler: 'lambda_function.handler',
      CodeSize: zip.length,
      Timeout: 3,
      MemorySize: 128,
      Version: '$LATEST',
      Environment: { Variables: { CUSTOM: 'yes' } },
      PackageType: 'Zip',
      State: 'Active',
    });
    expect(r.json.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(Buffer.from(r.json.CodeSha256, 'base64')).toHaveLength(32);
    const got = await lambdaCall(t.url, 'GET', '/echo');
    expect(got.json.Configuration.RevisionId).toBe(r.json.RevisionId);
    expect(got.json.Code.RepositoryType).toBe('S3');
    const code = await fetch(got.json.Code.Location);
    expect(Buffer.from(await code.arrayBuffer()).equals(zip)).toBe(true);
    const list = await lambdaCall(t.url, 'GET', '/');
    expect(list.json.Functions.map((f: { FunctionName: string }) => f.FunctionName)).toContain('echo');
    expect(list.json.Functions[0].State).toBeUndefined();
  });

  it('errors as AWS sends them: status, x-amzn-ErrorType, and the message member of each shape', async () => {
    const dup = await lambdaCall(t.url, 'POST', '', createBody({ FunctionName: 'echo' }));
    expect(dup.status).toBe(409);
    expect(dup.headers.get('x-amzn-errortype')).toBe('ResourceConflictException');
    expect(dup.json).toEqual({ Type: 'User', message: 'Function already exist: echo' });
    const missing = await lambdaCall(t.url, 'GET', '/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      Type: 'User',
      Message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
    });
    const badZip = await lambdaCall(
      t.url,
      'POST',
      '',
      createBody({ Code: { ZipFile: Buffer.from('x').toString('base64') } }),
    );
    expect(badZip.status).toBe(400);
    expect(badZip.json).toEqual({
      Type: 'User',
      message: 'Could not unzip uploaded file. Please check your file, then try to upload again.',
    });
    const badRole = await lambdaCall(t.url, 'POST', '', createBody({ Role: 'r1' }));
    expect(badRole.status).toBe(400);
    expect(badRole.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(badRole.json.message).toMatch(/^1 validation error detected: Value 'r1' at 'role'/);
    const reserved = await lambdaCall(
      t.url,
      'POST',
      '',
      createBody({ Environment: { Variables: { AWS_REGION: 'eu-west-1' } } }),
    );
    expect(reserved.json.message).toContain('Reserved keys used in this request: AWS_REGION');
    expect((await lambdaCall(t.url, 'GET', '/broken')).status).toBe(404);
    // a malformed path is a 400, never a 500
    const bad = await lambdaCall(t.url, 'GET', '/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });

  it('AddPermission, GetPolicy, RemovePermission', async () => {
    const add = await lambdaCall(t.url, 'POST', '/echo/policy', {
      StatementId: 'sm',
      Action: 'lambda:InvokeFunction',
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: '000000000000',
    });
    expect(add.status).toBe(201);
    expect(JSON.parse(add.json.Statement)).toEqual({
      Sid: 'sm',
      Effect: 'Allow',
      Principal: { Service: 'secretsmanager.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
      Condition: { StringEquals: { 'AWS:SourceAccount': '000000000000' } },
    });
    const again = await lambdaCall(t.url, 'POST', '/echo/policy', {
      StatementId: 'sm',
      Action: 'lambda:InvokeFunction',
      Principal: 'secretsmanager.amazonaws.com',
    });
    expect(again.status).toBe(409);
    expect(again.json.message).toBe(
      'The statement id (sm) provided already exists. Please provide a new statement id, or remove the existing statement.',
    );
    const policy = await lambdaCall(t.url, 'GET', '/echo/policy');
    expect(JSON.parse(policy.json.Policy)).toMatchObject({ Version: '2012-10-17', Id: 'default' });
    expect(policy.json.RevisionId).toBe((await lambdaCall(t.url, 'GET', '/echo')).json.Configuration.RevisionId);
    expect((await lambdaCall(t.url, 'DELETE', '/echo/policy/sm')).status).toBe(204);
    const gone = await lambdaCall(t.url, 'GET', '/echo/policy');
    expect(gone.status).toBe(404);
    expect(gone.json.Message).toBe('The resource you requested does not exist.');
    expect((await lambdaCall(t.url, 'DELETE', '/echo/policy/sm')).json.Message).toBe(
      'No policy is associated with the given resource.',
    );
  });

  it('Invoke runs the function as a local python3 process: result, environment, context, logs', async () => {
    const r = await lambdaCall(t.url, 'POST', '/echo/invocations', { a: 1 }, { 'x-amz-log-type': 'Tail' });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(r.headers.get('x-amz-function-error')).toBeNull();
    expect(r.json).toEqual({
      event: { a: 1 },
      endpoint: t.url,
      region: 'us-east-1',
      key: '000000000000',
      custom: 'yes',
      name: 'echo',
      remaining: true,
    });
    const log = Buffer.from(r.headers.get('x-amz-log-result')!, 'base64').toString();
    expect(log).toMatch(/^START RequestId: \S+ Version: \$LATEST\n/);
    expect(log).toContain('hello from python');
    expect(log).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms/);
  });

  it('a function error: 200, X-Amz-Function-Error: Unhandled, and the runtime error payload', async () => {
    const r = await lambdaCall(t.url, 'POST', '/echo/invocations', { fail: true });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(r.json).toMatchObject({ errorMessage: 'asked to fail', errorType: 'ValueError' });
    expect(r.json.stackTrace.join('')).toContain('raise ValueError');
  });

  it('a timeout kills the worker: Sandbox.Timedout; the next call starts a new one', async () => {
    await lambdaCall(t.url, 'PUT', '/echo/configuration', { Timeout: 1 });
    const r = await lambdaCall(t.url, 'POST', '/echo/invocations', { sleep: 5 });
    expect(r.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(r.json.errorType).toBe('Sandbox.Timedout');
    expect(r.json.errorMessage).toMatch(/^RequestId: \S+ Error: Task timed out after 1.00 seconds$/);
    const ok = await lambdaCall(t.url, 'POST', '/echo/invocations', { b: 2 });
    expect(ok.json.event).toEqual({ b: 2 });
  });

  it('DryRun 204, Event 202; UpdateFunctionCode changes what runs', async () => {
    expect(
      (await lambdaCall(t.url, 'POST', '/echo/invocations', {}, { 'x-amz-invocation-type': 'DryRun' })).status,
    ).toBe(204);
    expect(
      (await lambdaCall(t.url, 'POST', '/echo/invocations', {}, { 'x-amz-invocation-type': 'Event' })).status,
    ).toBe(202);
    const up = await lambdaCall(t.url, 'PUT', '/echo/code', {
      ZipFile: makeZip({ 'lambda_function.py': 'def handler(event, context):\n    return "v2"\n' }).toString('base64'),
    });
    expect(up.status).toBe(200);
    expect((await lambdaCall(t.url, 'POST', '/echo/invocations', {})).json).toBe('v2');
    expect((await lambdaCall(t.url, 'DELETE', '/echo')).status).toBe(204);
    expect((await lambdaCall(t.url, 'POST', '/echo/invocations', {})).json.Message).toBe(
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:echo:$LATEST',
    );
  });

  it('a nodejs function (ESM, async handler) with its errors', async () => {
    await createFunction(t.url, 'node-echo', 'nodejs20.x', 'index.handler', {
      'index.mjs':
        'export const handler = async (event, context) => { if (event.fail) throw new TypeError("nope"); ' +
        'return { event, name: context.functionName, endpoint: process.env.AWS_ENDPOINT_URL }; };\n',
    });
    const r = await lambdaCall(t.url, 'POST', '/node-echo/invocations', { x: 1 });
    expect(r.json).toEqual({ event: { x: 1 }, name: 'node-echo', endpoint: t.url });
    const e = await lambdaCall(t.url, 'POST', '/node-echo/invocations', { fail: true });
    expect(e.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(e.json).toMatchObject({ errorType: 'TypeError', errorMessage: 'nope' });
    expect(e.json.trace[0]).toBe('TypeError: nope');
  });
});

describe('rotation with functions on secretlite', () => {
  it('a Python function in the shape of AWS template rotates a secret: four invocations', async () => {
    const fn = await createFunction(t.url, 'py-rotator', 'python3.12', 'lambda_function.lambda_handler', {
      'lambda_function.py': PY_TEMPLATE,
    });
    await sm.send(new CreateSecretCommand({ Name: 'local/py', SecretString: 'before' }));
    const r = await sm.send(new RotateSecretCommand({ SecretId: 'local/py', RotationLambdaARN: fn }));
    await t.server.rotationsIdle();
    const v = await sm.send(new GetSecretValueCommand({ SecretId: 'local/py' }));
    expect(v.VersionId).toBe(r.VersionId);
    expect(v.SecretString).toMatch(/^[!-~]{32}$/);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'local/py' }));
    expect(d.VersionIdsToStages![r.VersionId!]).toEqual(['AWSCURRENT']);
  });

  it('a Node function bundled with the SDK rotates a secret', async () => {
    const code = await bundleNodeFunction(NODE_TEMPLATE);
    const fn = await createFunction(t.url, 'node-rotator', 'nodejs20.x', 'index.handler', { 'index.mjs': code });
    await sm.send(new CreateSecretCommand({ Name: 'local/node', SecretString: '{"password":"a"}' }));
    const r = await sm.send(new RotateSecretCommand({ SecretId: 'local/node', RotationLambdaARN: fn }));
    await t.server.rotationsIdle();
    const v = await sm.send(new GetSecretValueCommand({ SecretId: 'local/node' }));
    expect(v.VersionId).toBe(r.VersionId);
    expect(JSON.parse(v.SecretString!).password).toMatch(/^[!-~]{20}$/);
  });

  it('a function without the secretsmanager.amazonaws.com permission: AccessDeniedException, in both modes', async () => {
    const fn = await createFunction(
      t.url,
      'closed',
      'python3.12',
      'lambda_function.lambda_handler',
      {
        'lambda_function.py': PY_TEMPLATE,
      },
      { open: false },
    );
    await sm.send(new CreateSecretCommand({ Name: 'local/closed', SecretString: 'x' }));
    const e = await awsError(sm.send(new RotateSecretCommand({ SecretId: 'local/closed', RotationLambdaARN: fn })));
    expect(e.name).toBe('AccessDeniedException');
  });

  it('a step that passes its timeout fails the attempt: logged as Sandbox.Timedout, labels left as they are', async () => {
    const lines: string[] = [];
    const own = await startTestServer({
      logger: {
        level: 'warn',
        debug: () => undefined,
        info: () => undefined,
        warn: (msg, f) => lines.push(JSON.stringify({ msg, ...f })),
        error: (msg, f) => lines.push(JSON.stringify({ msg, ...f })),
      },
    });
    try {
      const slow = pythonTemplate('        time.sleep(10)');
      const fn = await createFunction(
        own.url,
        'slow',
        'python3.12',
        'lambda_function.lambda_handler',
        {
          'lambda_function.py': slow,
        },
        { timeout: 3 },
      );
      const c = own.client();
      const created = await c.send(new CreateSecretCommand({ Name: 'local/slow', SecretString: 'x' }));
      const r = await c.send(new RotateSecretCommand({ SecretId: 'local/slow', RotationLambdaARN: fn }));
      await own.server.rotationsIdle();
      const d = await c.send(new DescribeSecretCommand({ SecretId: 'local/slow' }));
      expect(d.VersionIdsToStages).toEqual({ [created.VersionId!]: ['AWSCURRENT'], [r.VersionId!]: ['AWSPENDING'] });
      const line = lines.find((l) => l.includes('rotation step failed'));
      expect(line).toContain('"step":"setSecret"');
      expect(line).toMatch(/Sandbox\.Timedout: RequestId: \S+ Error: Task timed out after 3\.00 seconds/);
    } finally {
      await own.close();
    }
  });

  it('off when asked (the API runs code): no Lambda API, and no local functions for rotation', async () => {
    const off = await startTestServer({ lambdaApi: false });
    try {
      const r = await lambdaCall(off.url, 'POST', '', { FunctionName: 'x' });
      expect(r.status).not.toBe(201);
    } finally {
      await off.close();
    }
  });
});

const PY_TEMPLATE = pythonTemplate();

const NODE_TEMPLATE = `
import {
  SecretsManagerClient, DescribeSecretCommand, GetSecretValueCommand, GetRandomPasswordCommand,
  PutSecretValueCommand, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

const sm = new SecretsManagerClient({ endpoint: process.env.SECRETS_MANAGER_ENDPOINT });

export const handler = async (event: { SecretId: string; ClientRequestToken: string; Step: string }) => {
  const { SecretId: arn, ClientRequestToken: token, Step: step } = event;
  const versions = (await sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages ?? {};
  if (versions[token]?.includes('AWSCURRENT')) return;
  if (step === 'createSecret') {
    const current = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
    const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 20, ExcludePunctuation: true }));
    const doc = { ...JSON.parse(current.SecretString ?? '{}'), password: RandomPassword };
    await sm.send(new PutSecretValueCommand({
      SecretId: arn, ClientRequestToken: token, SecretString: JSON.stringify(doc), VersionStages: ['AWSPENDING'],
    }));
  } else if (step === 'finishSecret') {
    const current = Object.keys(versions).find((v) => versions[v]!.includes('AWSCURRENT'));
    await sm.send(new UpdateSecretVersionStageCommand({
      SecretId: arn, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: current,
    }));
  }
};
`;
