import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CancelRotateSecretCommand,
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, DAY, startTestServer, uuid, type TestServer } from '../helpers.js';
import { startFakeLambda, templateFunction, type FakeLambda, type StepRecord } from './lambdaEndpoint.js';

let lambda: FakeLambda;
let t: TestServer;
let sm: SecretsManagerClient;
const logs: string[] = [];

beforeAll(async () => {
  lambda = await startFakeLambda();
  t = await startTestServer({
    lambdaEndpoint: lambda.url,
    logger: {
      level: 'info',
      debug: () => undefined,
      info: (msg, f) => logs.push(JSON.stringify({ msg, ...f })),
      warn: (msg, f) => logs.push(JSON.stringify({ msg, ...f })),
      error: (msg, f) => logs.push(JSON.stringify({ msg, ...f })),
    },
  });
  sm = t.client();
});
afterAll(async () => {
  await t.close();
  await lambda.close();
});
beforeEach(() => {
  lambda.invocations.length = 0;
});

let n = 0;
async function secret(value = '{"username":"app","password":"first-password"}'): Promise<{ name: string; v1: string }> {
  const name = `rot/${n++}`;
  const r = await sm.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  return { name, v1: r.VersionId! };
}

const stagesOf = async (name: string) =>
  Object.fromEntries(
    ((await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }))).Versions ?? []).map(
      (v) => [v.VersionId!, [...(v.VersionStages ?? [])].sort()],
    ),
  );

describe('RotateSecret with a function on a Lambda endpoint', () => {
  it('runs the four steps after answering, each with the ARN, the token and a rotation token', async () => {
    const records: StepRecord[] = [];
    const fn = lambda.add('rotate-ok', templateFunction(t.client(), records));
    const { name, v1 } = await secret();
    const token = uuid();
    const r = await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: fn,
        RotationRules: { AutomaticallyAfterDays: 30 },
        ClientRequestToken: token,
      }),
    );
    expect(r.VersionId).toBe(token);
    expect(
      Object.keys(r)
        .filter((k) => k !== '$metadata')
        .sort(),
    ).toEqual(['ARN', 'Name', 'VersionId']);
    await t.server.rotationsIdle();

    const calls = lambda.invocations.filter((i) => i.type === 'RequestResponse');
    expect(calls.map((c) => c.event!.Step)).toEqual(['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
    for (const c of calls) {
      expect(c.event).toEqual({
        Step: c.event!.Step,
        SecretId: r.ARN,
        ClientRequestToken: token,
        RotationToken: calls[0]!.event!.RotationToken,
      });
      expect(c.event!.RotationToken).toMatch(/^[a-zA-Z0-9-]{36,256}$/);
      // signed as a Lambda call in the function's Region
      expect(c.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=\w+\/\d{8}\/us-east-1\/lambda\/aws4_request/);
    }
    // the pending version existed, without a value, before createSecret ran
    expect(records[0]!.stages[token]).toEqual(['AWSPENDING']);
    expect(records[0]!.pendingError).toBe(
      "Secrets Manager can't find the specified secret value for VersionId: " + token,
    );
    expect(await stagesOf(name)).toEqual({ [v1]: ['AWSPREVIOUS'], [token]: ['AWSCURRENT'] });
    const value = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    expect(value.VersionId).toBe(token);
    expect(value.SecretString).not.toContain('first-password');

    const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    const now = t.clock.now();
    expect(d.RotationEnabled).toBe(true);
    expect(d.RotationLambdaARN).toBe(fn);
    expect(d.RotationRules).toEqual({ AutomaticallyAfterDays: 30 });
    expect(d.LastRotatedDate?.getTime()).toBe(now);
    // the end of the window 30 days after the day of the rotation, less a second [REAL]
    const day = Math.floor(now / DAY) * DAY;
    expect(d.NextRotationDate?.toISOString()).toBe(new Date(day + 31 * DAY - 1000).toISOString());
    expect(logs.some((l) => l.includes('rotation succeeded') && l.includes(token))).toBe(true);

    const listed = (await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [name] }] }))).SecretList!;
    expect(listed[0]).toMatchObject({ RotationEnabled: true, RotationLambdaARN: fn });
    expect(listed[0]!.NextRotationDate?.getTime()).toBe(d.NextRotationDate!.getTime());
  });

  it('a second RotateSecret with nothing else reuses the stored function and rules [REC A2]', async () => {
    const fn = lambda.add('rotate-again', templateFunction(t.client(), []));
    const { name } = await secret();
    const first = await sm.send(
      new RotateSecretCommand({ SecretId: name, RotationLambdaARN: fn, RotationRules: { AutomaticallyAfterDays: 7 } }),
    );
    await t.server.rotationsIdle();
    const second = await sm.send(new RotateSecretCommand({ SecretId: name }));
    await t.server.rotationsIdle();
    expect(await stagesOf(name)).toMatchObject({
      [first.VersionId!]: ['AWSPREVIOUS'],
      [second.VersionId!]: ['AWSCURRENT'],
    });
    const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(d.RotationRules).toEqual({ AutomaticallyAfterDays: 7 });
    expect(d.VersionIdsToStages).toEqual({ [first.VersionId!]: ['AWSPREVIOUS'], [second.VersionId!]: ['AWSCURRENT'] });
  });

  it('RotateImmediately=false runs testSecret only, on a pending copy of the current value, then removes it', async () => {
    const records: StepRecord[] = [];
    const fn = lambda.add('rotate-test-only', templateFunction(t.client(), records));
    const { name, v1 } = await secret('{"password":"unchanged"}');
    const r = await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: fn,
        RotationRules: { ScheduleExpression: 'rate(10 days)' },
        RotateImmediately: false,
      }),
    );
    await t.server.rotationsIdle();
    expect(lambda.invocations.filter((i) => i.type === 'RequestResponse').map((i) => i.event!.Step)).toEqual([
      'testSecret',
    ]);
    expect(records[0]!.pendingValue).toBe('{"password":"unchanged"}');
    expect(records[0]!.stages[r.VersionId!]).toEqual(['AWSPENDING']);
    expect(await stagesOf(name)).toEqual({ [v1]: ['AWSCURRENT'], [r.VersionId!]: [] });
    const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(d.RotationEnabled).toBe(true);
    expect(d.LastRotatedDate).toBeUndefined();
    expect(d.RotationRules).toEqual({ AutomaticallyAfterDays: 10, ScheduleExpression: 'rate(10 days)' });
    expect(d.NextRotationDate).toBeDefined();
  });

  it('a failed step leaves the labels, is logged without the value, and is retried with the same token', async () => {
    let failing = true;
    const fn = lambda.add(
      'rotate-flaky',
      templateFunction(t.client(), [], (step) => failing && step === 'setSecret'),
    );
    const { name, v1 } = await secret('{"password":"s3cr3t-value-never-logged"}');
    const r = await sm.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: fn }));
    await t.server.rotationsIdle();
    const after = await stagesOf(name);
    expect(after[v1]).toEqual(['AWSCURRENT']);
    expect(after[r.VersionId!]).toEqual(['AWSPENDING']); // filled by createSecret, not finished
    const failure = logs.find((l) => l.includes('rotation step failed') && l.includes(r.VersionId!));
    expect(failure).toContain('setSecret failed on purpose');
    expect(logs.join('\n')).not.toContain('s3cr3t-value-never-logged');
    // no failure field in DescribeSecret [DOC]
    expect(Object.keys(await sm.send(new DescribeSecretCommand({ SecretId: name })))).not.toContain('RotationFailure');

    // the retry is due after a delay: the scheduler runs it with the same token
    failing = false;
    lambda.invocations.length = 0;
    t.clock.advance(5_000);
    await t.server.runJobs();
    expect(
      lambda.invocations.filter((i) => i.type === 'RequestResponse').map((i) => i.event!.ClientRequestToken),
    ).toEqual(Array(4).fill(r.VersionId));
    expect(await stagesOf(name)).toMatchObject({ [v1]: ['AWSPREVIOUS'], [r.VersionId!]: ['AWSCURRENT'] });
  });

  it('an error text holding a secret value is kept and logged masked', async () => {
    const c = t.client();
    const fn = lambda.add('rotate-leaky', async (event) => {
      const v = await c.send(new GetSecretValueCommand({ SecretId: event.SecretId }));
      throw new Error(`could not log in with ${v.SecretString}`);
    });
    const { name } = await secret('{"password":"leaked-password-1234"}');
    const r = await sm.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: fn }));
    await t.server.rotationsIdle();
    const line = logs.find((l) => l.includes('rotation step failed') && l.includes(r.VersionId!));
    expect(line).toContain('could not log in with ***');
    expect(logs.join('\n')).not.toContain('leaked-password-1234');
    await sm.send(new CancelRotateSecretCommand({ SecretId: name }));
  });

  it('"A previous rotation isn\'t complete" until a value put by hand abandons it', async () => {
    const fn = lambda.add(
      'rotate-broken',
      templateFunction(t.client(), [], (step) => step === 'testSecret'),
    );
    const { name } = await secret();
    const first = await sm.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: fn }));
    await t.server.rotationsIdle();
    const refused = await awsError(sm.send(new RotateSecretCommand({ SecretId: name })));
    expect(refused).toEqual({
      name: 'InvalidRequestException',
      message: "A previous rotation isn't complete. That rotation will be reattempted.",
      status: 400,
    });
    // nothing stored by the refused call
    const stages = await stagesOf(name);
    expect(Object.values(stages).filter((s) => s.includes('AWSPENDING'))).toHaveLength(1);

    const manual = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'by hand' }));
    const abandoned = await stagesOf(name);
    expect(abandoned[first.VersionId!]).toEqual([]);
    expect(abandoned[manual.VersionId!]).toEqual(['AWSCURRENT']);
    // a later attempt of the abandoned rotation does nothing
    lambda.invocations.length = 0;
    t.clock.advance(10 * 60_000);
    await t.server.runJobs();
    expect(lambda.invocations.filter((i) => i.event?.ClientRequestToken === first.VersionId)).toEqual([]);
  });

  it('gives up after five attempts and waits for the next window', async () => {
    const fn = lambda.add(
      'rotate-never',
      templateFunction(t.client(), [], (step) => step === 'createSecret'),
    );
    const { name } = await secret();
    const r = await sm.send(
      new RotateSecretCommand({ SecretId: name, RotationLambdaARN: fn, RotationRules: { AutomaticallyAfterDays: 2 } }),
    );
    await t.server.rotationsIdle();
    for (let i = 0; i < 6; i++) {
      t.clock.advance(10 * 60_000);
      await t.server.runJobs();
    }
    const attempts = lambda.invocations.filter(
      (i) => i.event?.Step === 'createSecret' && i.event.ClientRequestToken === r.VersionId,
    );
    expect(attempts).toHaveLength(5);
    // the next window reattempts the same pending version ("That rotation will be reattempted")
    lambda.invocations.length = 0;
    t.clock.advance(3 * DAY);
    await t.server.runJobs();
    expect(lambda.invocations.some((i) => i.event?.ClientRequestToken === r.VersionId)).toBe(true);
    await sm.send(new CancelRotateSecretCommand({ SecretId: name }));
  });

  it('CancelRotateSecret turns rotation off, keeps the function and rules, and names the pending version', async () => {
    const fn = lambda.add(
      'rotate-cancelled',
      templateFunction(t.client(), [], (step) => step === 'finishSecret'),
    );
    const { name } = await secret();
    const r = await sm.send(
      new RotateSecretCommand({ SecretId: name, RotationLambdaARN: fn, RotationRules: { AutomaticallyAfterDays: 5 } }),
    );
    await t.server.rotationsIdle();
    const c = await sm.send(new CancelRotateSecretCommand({ SecretId: name }));
    expect(c.VersionId).toBe(r.VersionId);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(d.RotationEnabled).toBe(false);
    expect(d.RotationLambdaARN).toBe(fn);
    expect(d.RotationRules).toEqual({ AutomaticallyAfterDays: 5 });
    expect(d.NextRotationDate).toBeUndefined();
    // labels untouched [DOC]
    expect(d.VersionIdsToStages![r.VersionId!]).toEqual(['AWSPENDING']);
    // no retry after a cancel
    lambda.invocations.length = 0;
    t.clock.advance(DAY);
    await t.server.runJobs();
    expect(lambda.invocations.filter((i) => i.fn === 'rotate-cancelled')).toEqual([]);
    // a secret never rotated: succeeds, no VersionId
    const plain = await secret();
    const c2 = await sm.send(new CancelRotateSecretCommand({ SecretId: plain.name }));
    expect(c2.VersionId).toBeUndefined();
  });

  it('a function closed to Secrets Manager: AccessDeniedException, nothing stored [LS-val A3]', async () => {
    const fn = lambda.add('rotate-closed', templateFunction(t.client(), []), { denied: true });
    const { name, v1 } = await secret();
    const e = await awsError(
      sm.send(
        new RotateSecretCommand({
          SecretId: name,
          RotationLambdaARN: fn,
          RotationRules: { AutomaticallyAfterDays: 1 },
        }),
      ),
    );
    expect(e).toEqual({
      name: 'AccessDeniedException',
      message:
        'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants ' +
        'access to the principal secretsmanager.amazonaws.com.',
      status: 400,
    });
    const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(d.RotationEnabled).toBeUndefined();
    expect(d.RotationRules).toBeUndefined();
    expect(d.VersionIdsToStages).toEqual({ [v1]: ['AWSCURRENT'] });
  });
});

describe('RotateSecret with the built-in rotator (default mode, no function)', () => {
  it('rotates at once: a new password in the JSON, the labels moved, readable right after [seed 001]', async () => {
    const { name, v1 } = await secret('{"username":"app","password":"old","host":"db"}');
    const r = await sm.send(new RotateSecretCommand({ SecretId: name }));
    const v = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    expect(v.VersionId).toBe(r.VersionId);
    const doc = JSON.parse(v.SecretString!) as Record<string, string>;
    expect(doc).toMatchObject({ username: 'app', host: 'db' });
    expect(doc.password).toHaveLength(32);
    expect(doc.password).not.toMatch(/[/@"'\\]/);
    expect(await stagesOf(name)).toEqual({ [v1]: ['AWSPREVIOUS'], [r.VersionId!]: ['AWSCURRENT'] });
    const prev = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }));
    expect(prev.SecretString).toContain('"old"');
    const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(d).toMatchObject({ RotationEnabled: true });
    expect(d.LastRotatedDate?.getTime()).toBe(t.clock.now());
    expect(d.RotationLambdaARN).toBeUndefined();
    expect(d.NextRotationDate).toBeUndefined(); // no schedule
  });

  it('managed external secrets: Type, ExternalSecretRotationMetadata and the role are stored and echoed', async () => {
    const name = `rot/external-${n++}`;
    await sm.send(
      new CreateSecretCommand({
        Name: name,
        Type: 'SalesforceClientSecret',
        SecretString: '{"consumerKey":"k","consumerSecret":"s"}',
      }),
    );
    await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationRules: { AutomaticallyAfterDays: 30 },
        ExternalSecretRotationMetadata: [
          { Key: 'apiVersion', Value: 'v65.0' },
          { Key: 'adminSecretArn', Value: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:admin-AbCdEf' },
        ],
        ExternalSecretRotationRoleArn: 'arn:aws:iam::000000000000:role/partner-rotation',
      }),
    );
    const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(d).toMatchObject({
      Type: 'SalesforceClientSecret',
      ExternalSecretRotationMetadata: [
        { Key: 'apiVersion', Value: 'v65.0' },
        { Key: 'adminSecretArn', Value: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:admin-AbCdEf' },
      ],
      ExternalSecretRotationRoleArn: 'arn:aws:iam::000000000000:role/partner-rotation',
    });
    const listed = (await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [name] }] }))).SecretList!;
    expect(listed[0]!.ExternalSecretRotationRoleArn).toBe('arn:aws:iam::000000000000:role/partner-rotation');
    // the role ARN's length is the model's constraint (20..2048)
    const e = await awsError(
      sm.send(new RotateSecretCommand({ SecretId: name, ExternalSecretRotationRoleArn: 'short' })),
    );
    expect(e.name).toBe('ValidationException');
  });

  it('a plain string becomes a new password; an ARN no host knows also falls back to the built-in rotator', async () => {
    const { name } = await secret('plain-old');
    await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: 'arn:aws:lambda:us-east-1:000000000000:function:nowhere',
      }),
    );
    const v = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    expect(v.SecretString).not.toBe('plain-old');
    expect(v.SecretString).toHaveLength(32);
  });
});

describe('schedules', () => {
  let own: TestServer;
  beforeAll(async () => {
    own = await startTestServer();
  });
  afterAll(() => own.close());

  it('the clock moved past a window rotates exactly the due secrets, and schedules the next', async () => {
    const c = own.client();
    own.clock.set(Date.UTC(2026, 1, 3, 9, 0, 0));
    for (const name of ['due', 'later', 'off'])
      await c.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));
    await c.send(new RotateSecretCommand({ SecretId: 'due', RotationRules: { AutomaticallyAfterDays: 30 } }));
    await c.send(new RotateSecretCommand({ SecretId: 'later', RotationRules: { AutomaticallyAfterDays: 60 } }));
    const d = await c.send(new DescribeSecretCommand({ SecretId: 'due' }));
    expect(d.NextRotationDate?.toISOString()).toBe('2026-03-05T23:59:59.000Z');
    const current = async (id: string) => (await c.send(new GetSecretValueCommand({ SecretId: id }))).VersionId;
    const before = await current('due');
    const laterBefore = await current('later');

    // a day short of the window: nothing
    await own.server.runJobs();
    own.clock.advance(29 * DAY);
    expect(await own.server.runJobs()).toBe(0);
    // through the HTTP clock endpoint, as a user would: the window opens at midnight
    const res = await fetch(`${own.url}/_secretlite/clock`, {
      method: 'POST',
      body: JSON.stringify({ advance: '1d' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { now: string; jobsChanged: number };
    expect(body).toMatchObject({ now: '2026-03-05T09:00:00.000Z', jobsChanged: 1 });
    expect(await current('due')).not.toBe(before);
    expect(await current('later')).toBe(laterBefore);
    expect((await c.send(new ListSecretVersionIdsCommand({ SecretId: 'off' }))).Versions).toHaveLength(1);
    const after = await c.send(new DescribeSecretCommand({ SecretId: 'due' }));
    expect(after.LastRotatedDate?.toISOString()).toBe('2026-03-05T09:00:00.000Z');
    expect(after.NextRotationDate?.toISOString()).toBe('2026-04-04T23:59:59.000Z');
    const clock = (await (await fetch(`${own.url}/_secretlite/clock`)).json()) as { epochMillis: number };
    expect(clock.epochMillis).toBe(own.clock.now());
    // a bad request to the clock changes nothing
    const bad = await fetch(`${own.url}/_secretlite/clock`, {
      method: 'POST',
      body: JSON.stringify({ advance: 'soon' }),
    });
    expect(bad.status).toBe(400);
    expect(own.clock.now()).toBe(clock.epochMillis);
  });

  it('a value put by hand counts as a rotation for AutomaticallyAfterDays [M]', async () => {
    const c = own.client();
    await c.send(new CreateSecretCommand({ Name: 'manual', SecretString: 'v' }));
    await c.send(new RotateSecretCommand({ SecretId: 'manual', RotationRules: { AutomaticallyAfterDays: 10 } }));
    own.clock.advance(5 * DAY);
    await c.send(new PutSecretValueCommand({ SecretId: 'manual', SecretString: 'by hand' }));
    const day = Math.floor(own.clock.now() / DAY) * DAY;
    const d = await c.send(new DescribeSecretCommand({ SecretId: 'manual' }));
    expect(d.NextRotationDate?.getTime()).toBe(day + 11 * DAY - 1000);
  });
});

describe('RotateSecret checks, in AWS order; nothing stored when one fails', () => {
  it('unknown secret, deleted secret', async () => {
    expect((await awsError(sm.send(new RotateSecretCommand({ SecretId: 'rot/missing' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it.each([
    [
      { AutomaticallyAfterDays: 3, ScheduleExpression: 'rate(3 days)' },
      'You cannot specify both rotation frequency and schedule expression together.',
    ],
    [{ ScheduleExpression: 'rate(2 hours)' }, 'Rate in hour should be least 4 and less than 24.'],
    [{ ScheduleExpression: 'rate(1000 days)' }, 'Rate in day should be greater than 0 and less than 1000.'],
    [{ ScheduleExpression: 'cron(30 10 * * ? *)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'cron(0 10 * * * *)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'cron(0 10 * * ?)' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'every day' }, 'Invalid schedule expression.'],
    [{ ScheduleExpression: 'rate(6 hours)', Duration: '7h' }, 'Duration cannot be greater than Rate in hour.'],
    [{ ScheduleExpression: 'cron(0 22 * * ? *)', Duration: '3h' }, 'Starting hour and duration must be within a day.'],
    [{ AutomaticallyAfterDays: 3, Duration: '0h' }, 'Duration must be at least 1 hour, at most 24 hour.'],
  ])('rules %j: InvalidParameterException', async (rules, message) => {
    const { name } = await secret();
    const e = await awsError(sm.send(new RotateSecretCommand({ SecretId: name, RotationRules: rules })));
    expect(e).toEqual({ name: 'InvalidParameterException', message, status: 400 });
    const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(d.RotationEnabled).toBeUndefined();
    expect(Object.keys(d.VersionIdsToStages!)).toHaveLength(1);
  });

  it('a ClientRequestToken that names an existing version: ResourceExistsException, nothing stored', async () => {
    const { name, v1 } = await secret();
    const e = await awsError(sm.send(new RotateSecretCommand({ SecretId: name, ClientRequestToken: v1 })));
    expect(e.name).toBe('ResourceExistsException');
    expect((await sm.send(new DescribeSecretCommand({ SecretId: name }))).RotationEnabled).toBeUndefined();
  });

  it('AutomaticallyAfterDays beyond 1000: the model constraint (ValidationException)', async () => {
    const { name } = await secret();
    const e = await awsError(
      sm.send(new RotateSecretCommand({ SecretId: name, RotationRules: { AutomaticallyAfterDays: 1001 } })),
    );
    expect(e.name).toBe('ValidationException');
  });
});

describe('strict AWS mode: no built-in rotator', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startTestServer({ strictAws: true, lambdaEndpoint: lambda.url });
  });
  afterAll(() => strict.close());

  it('no function ARN ever: InvalidRequestException; an unknown function: AccessDeniedException; nothing stored', async () => {
    const c = strict.client();
    await c.send(new CreateSecretCommand({ Name: 'strict/a', SecretString: 'x' }));
    expect(
      await awsError(
        c.send(new RotateSecretCommand({ SecretId: 'strict/a', RotationRules: { AutomaticallyAfterDays: 1 } })),
      ),
    ).toEqual({
      name: 'InvalidRequestException',
      message: 'No Lambda rotation function ARN is associated with this secret.',
      status: 400,
    });
    const e = await awsError(
      c.send(
        new RotateSecretCommand({
          SecretId: 'strict/a',
          RotationLambdaARN: 'arn:aws:lambda:us-east-1:000000000000:function:missing',
        }),
      ),
    );
    expect(e.name).toBe('AccessDeniedException');
    const d = await c.send(new DescribeSecretCommand({ SecretId: 'strict/a' }));
    expect(d.RotationEnabled).toBeUndefined();
    expect(d.RotationLambdaARN).toBeUndefined();
    expect(Object.keys(d.VersionIdsToStages!)).toHaveLength(1);
  });
});
