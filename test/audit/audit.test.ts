import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Principal } from '../../src/auth/principal.js';
import {
  buildApiCallRecord,
  buildServiceEventRecord,
  javaDateText,
  type ApiCallEvent,
  type CloudTrailRecord,
} from '../../src/audit/record.js';
import { AuditLog, GENESIS, parseChainedLine, verifyAuditFile } from '../../src/audit/log.js';
import { handleCloudTrailRequest, LOOKUP_EVENTS_TARGET, lookupEvents } from '../../src/audit/lookup.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/secretlite.js', import.meta.url));

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db/prod-AbCdEf`;
const T0 = Date.UTC(2026, 11, 6, 10, 0, 0);

const alice: Principal = {
  arn: `arn:aws:iam::${ACCOUNT}:user/team/alice`,
  accountId: ACCOUNT,
  userId: 'AIDAALICE0000000000',
  accessKeyId: 'AKIAALICE00000000000',
  tags: {},
  policies: [],
  type: 'IAMUser',
};
const session: Principal = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci-run-7`,
  accountId: ACCOUNT,
  userId: 'AROADEPLOYER0000000:ci-run-7',
  accessKeyId: 'ASIASESSION000000000',
  tags: {},
  policies: [],
  roleArn: `arn:aws:iam::${ACCOUNT}:role/Deployer`,
  type: 'AssumedRole',
};

/** Deterministic event ids. */
function counter(prefix = 'e') {
  let n = 0;
  const hex = Buffer.from(prefix).toString('hex').padEnd(8, '0').slice(0, 8);
  return { uuid: () => `${hex}-0000-4000-8000-${(n++).toString(16).padStart(12, '0')}` };
}

function call(over: Partial<ApiCallEvent> = {}): ApiCallEvent {
  return {
    time: T0,
    principal: alice,
    accountId: ACCOUNT,
    region: REGION,
    sourceIp: '192.0.2.10',
    userAgent: 'aws-cli/2.15.0',
    operation: 'GetSecretValue',
    input: { SecretId: 'db/prod', VersionStage: 'AWSCURRENT' },
    requestId: 'req-1',
    resourceArn: ARN,
    ...over,
  };
}

function recorder() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    warn: (msg: string, fields?: Record<string, unknown>) => void lines.push({ level: 'warn', msg, fields }),
    error: (msg: string, fields?: Record<string, unknown>) => void lines.push({ level: 'error', msg, fields }),
  };
}

let dir: string;
let n = 0;
const fresh = () => join(dir, `audit-${n++}.jsonl`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'secretlite-audit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function writeLog(path: string, count: number, make = (i: number) => call({ time: T0 + i * 1000 })) {
  const log = await AuditLog.open(path, { random: counter() });
  for (let i = 0; i < count; i++) log.recordApiCall(make(i));
  await log.close();
  return log;
}

const linesOf = async (path: string) => (await readFile(path, 'utf8')).split('\n').slice(0, -1);

describe('CloudTrail records', () => {
  it('an API call has the fields CloudTrail writes, in its order', () => {
    const rec = buildApiCallRecord(call(), counter());
    expect(Object.keys(rec).filter((k) => rec[k as keyof CloudTrailRecord] !== undefined)).toEqual([
      'eventVersion',
      'userIdentity',
      'eventTime',
      'eventSource',
      'eventName',
      'awsRegion',
      'sourceIPAddress',
      'userAgent',
      'requestParameters',
      'responseElements',
      'requestID',
      'eventID',
      'readOnly',
      'resources',
      'eventType',
      'managementEvent',
      'recipientAccountId',
      'eventCategory',
    ]);
    expect(JSON.parse(JSON.stringify(rec))).toEqual({
      eventVersion: '1.09',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDAALICE0000000000',
        arn: `arn:aws:iam::${ACCOUNT}:user/team/alice`,
        accountId: ACCOUNT,
        accessKeyId: 'AKIAALICE00000000000',
        userName: 'alice',
      },
      eventTime: '2026-12-06T10:00:00Z',
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      awsRegion: REGION,
      sourceIPAddress: '192.0.2.10',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: { secretId: 'db/prod', versionStage: 'AWSCURRENT' },
      responseElements: null,
      requestID: 'req-1',
      eventID: '65000000-0000-4000-8000-000000000000',
      readOnly: true,
      resources: [{ accountId: ACCOUNT, type: 'AWS::SecretsManager::Secret', ARN }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
    });
  });

  it('an assumed role carries its session context; a failed call its error and no response', () => {
    const rec = buildApiCallRecord(
      call({ principal: session, errorCode: 'ResourceNotFoundException', errorMessage: "Secrets Manager can't find" }),
      counter(),
    );
    expect(rec.userIdentity).toEqual({
      type: 'AssumedRole',
      principalId: 'AROADEPLOYER0000000:ci-run-7',
      arn: session.arn,
      accountId: ACCOUNT,
      accessKeyId: 'ASIASESSION000000000',
      sessionContext: {
        attributes: { mfaAuthenticated: 'false' },
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROADEPLOYER0000000',
          arn: `arn:aws:iam::${ACCOUNT}:role/Deployer`,
          accountId: ACCOUNT,
          userName: 'Deployer',
        },
      },
    });
    expect(rec.errorCode).toBe('ResourceNotFoundException');
    expect(rec.errorMessage).toBe("Secrets Manager can't find");
    expect(rec.responseElements).toBeNull();
  });

  it('writes answer the ARN; DeleteSecret its name and deletion date too', () => {
    const deletion = Date.UTC(2018, 4, 3, 17, 51, 2) / 1000;
    expect(javaDateText(deletion)).toBe('May 3, 2018 5:51:02 PM');
    const del = buildApiCallRecord(
      call({
        operation: 'DeleteSecret',
        input: { SecretId: 'db/prod', RecoveryWindowInDays: 30 },
        output: { ARN, Name: 'db/prod', DeletionDate: deletion },
      }),
      counter(),
    );
    expect(del.requestParameters).toEqual({ secretId: 'db/prod', recoveryWindowInDays: 30 });
    expect(del.responseElements).toEqual({ name: 'db/prod', deletionDate: 'May 3, 2018 5:51:02 PM', arn: ARN });
    expect(del.readOnly).toBe(false);
    const tag = buildApiCallRecord(
      call({ operation: 'TagResource', input: { SecretId: ARN, Tags: [{ Key: 'team', Value: 'db' }] }, output: {} }),
      counter(),
    );
    expect(tag.requestParameters).toEqual({ secretId: ARN, tags: [{ key: 'team', value: 'db' }] });
    expect(tag.responseElements).toBeNull();
    const rotate = buildApiCallRecord(
      call({
        operation: 'RotateSecret',
        input: { SecretId: ARN, RotationRules: { AutomaticallyAfterDays: 7 }, RotationLambdaARN: 'arn:aws:lambda:x' },
        output: { ARN, Name: 'db/prod', VersionId: 'v2' },
      }),
      counter(),
    );
    expect(rotate.requestParameters).toEqual({
      secretId: ARN,
      rotationLambdaARN: 'arn:aws:lambda:x',
      rotationRules: { automaticallyAfterDays: 7 },
    });
    expect(rotate.responseElements).toEqual({ arn: ARN });
  });

  it('a service event is written by Secrets Manager itself', () => {
    const rec = buildServiceEventRecord(
      {
        time: T0,
        accountId: ACCOUNT,
        region: REGION,
        eventName: 'RotationFailed',
        secretArn: ARN,
        errorMessage:
          'Error when executing lambda arn:aws:lambda:us-east-1:111111111111:function:r during createSecret step',
        requestId: `Rotation-${ARN}-token-1`,
        details: { versionId: 'token-1', step: 'createSecret', secretString: 'must not appear' },
      },
      counter('s'),
    );
    expect(JSON.parse(JSON.stringify(rec))).toEqual({
      eventVersion: '1.09',
      userIdentity: { accountId: ACCOUNT, invokedBy: 'secretsmanager.amazonaws.com' },
      eventTime: '2026-12-06T10:00:00Z',
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'RotationFailed',
      awsRegion: REGION,
      sourceIPAddress: 'secretsmanager.amazonaws.com',
      userAgent: 'secretsmanager.amazonaws.com',
      errorMessage:
        'Error when executing lambda arn:aws:lambda:us-east-1:111111111111:function:r during createSecret step',
      requestParameters: null,
      responseElements: null,
      additionalEventData: { SecretId: ARN },
      requestID: `Rotation-${ARN}-token-1`,
      eventID: '73000000-0000-4000-8000-000000000000',
      readOnly: false,
      resources: [{ accountId: ACCOUNT, type: 'AWS::SecretsManager::Secret', ARN }],
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      serviceEventDetails: { versionId: 'token-1', step: 'createSecret' },
      eventCategory: 'Management',
    });
  });

  it('never writes a secret value, whatever member carries it', async () => {
    const canary = 'CANARY-7f3a9c1e-secret-value';
    const binary = Buffer.from('CANARY-binary-bytes-5d2e');
    const path = fresh();
    const log = await AuditLog.open(path, { random: counter() });
    const inputs: [string, Record<string, unknown>, unknown][] = [
      [
        'CreateSecret',
        {
          Name: 'db/prod',
          SecretString: canary,
          SecretBinary: binary,
          Tags: [{ Key: 'k', Value: 'v', Extra: canary }],
          Unexpected: canary,
          Description: { nested: canary },
        },
        { ARN, Name: 'db/prod', VersionId: 'v1', SecretString: canary },
      ],
      ['PutSecretValue', { SecretId: ARN, SecretString: canary, RotationToken: canary }, { ARN, VersionId: 'v2' }],
      ['UpdateSecret', { SecretId: ARN, SecretBinary: binary }, { ARN }],
      [
        'GetSecretValue',
        { SecretId: ARN },
        { secret: { arn: ARN, versions: [{ secretString: canary }] }, version: { secretString: canary } },
      ],
      ['GetRandomPassword', { PasswordLength: 32 }, { RandomPassword: canary }],
      ['BatchGetSecretValue', { SecretIdList: [ARN] }, { values: [{ secret: { arn: ARN, secretString: canary } }] }],
      ['DescribeSecret', { SecretId: ARN }, { arn: ARN, versions: [{ secretString: canary, secretBinary: binary }] }],
      ['NotAnOperation', { SecretString: canary }, { SecretString: canary }],
    ];
    for (const [operation, input, output] of inputs) log.recordApiCall(call({ operation, input, output }));
    log.recordServiceEvent({
      time: T0,
      accountId: ACCOUNT,
      region: REGION,
      eventName: 'RotationSucceeded',
      secretArn: ARN,
      details: { secretString: canary, versionId: 'v2', step: { value: canary } },
    });
    await log.close();
    const text = await readFile(path, 'utf8');
    expect(text.split('\n')).toHaveLength(inputs.length + 2);
    for (const needle of [canary, binary.toString('base64'), binary.toString('hex'), 'CANARY']) {
      expect(text).not.toContain(needle);
    }
    expect(JSON.parse(text.split('\n')[0]!).requestParameters).toEqual({
      name: 'db/prod',
      tags: [{ key: 'k', value: 'v' }],
    });
  });
});

describe('the audit file', () => {
  it('writes 10,000 records in batches, one JSON object a line, and verifies them', async () => {
    const path = fresh();
    const log = await AuditLog.open(path, { random: counter() });
    for (let i = 0; i < 10_000; i++) log.recordApiCall(call({ time: T0 + i, requestId: `r${i}` }));
    await log.close();
    expect(log.head.seq).toBe(10_000);
    const lines = await linesOf(path);
    expect(lines).toHaveLength(10_000);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first.secretlite).toEqual({ seq: 1, prev: GENESIS, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(first.eventName).toBe('GetSecretValue');
    expect(parseChainedLine(lines[1]!)!.prev).toBe((first.secretlite as { hash: string }).hash);
    expect(await verifyAuditFile(path)).toEqual({ ok: true, records: 10_000 });
  });

  it('record() returns at once: nothing is written until the batch is flushed', async () => {
    const path = fresh();
    const log = await AuditLog.open(path, { random: counter(), flushIntervalMs: 60_000 });
    log.recordApiCall(call());
    expect(await readFile(path, 'utf8')).toBe('');
    await log.flush();
    expect(await linesOf(path)).toHaveLength(1);
    await log.close();
  });

  describe('tampering is found at the right line', () => {
    let original: string[];
    beforeAll(async () => {
      const path = fresh();
      await writeLog(path, 20);
      original = await linesOf(path);
    });
    const verify = async (lines: string[], raw?: string) => {
      const path = fresh();
      await writeFile(path, raw ?? `${lines.join('\n')}\n`);
      return verifyAuditFile(path);
    };

    it('an edited line', async () => {
      const lines = [...original];
      lines[6] = lines[6]!.replace('"sourceIPAddress":"192.0.2.10"', '"sourceIPAddress":"10.0.0.1"');
      expect(lines[6]).not.toBe(original[6]);
      expect(await verify(lines)).toMatchObject({ ok: false, brokenAt: 7, records: 6 });
    });

    it('an edited line whose hash was recomputed breaks the next line', async () => {
      const lines = [...original];
      const p = parseChainedLine(lines[6]!)!;
      const { chainLine } = await import('../../src/audit/log.js');
      lines[6] = chainLine(p.record.replace('192.0.2.10', '10.0.0.1'), p.seq, p.prev).line;
      expect(await verify(lines)).toMatchObject({ ok: false, brokenAt: 8 });
    });

    it('a deleted line', async () => {
      const lines = original.filter((_, i) => i !== 4);
      expect(await verify(lines)).toMatchObject({ ok: false, brokenAt: 5, records: 4 });
      expect(await verify(original.slice(1))).toMatchObject({ ok: false, brokenAt: 1 });
    });

    it('two lines swapped', async () => {
      const lines = [...original];
      [lines[9], lines[10]] = [lines[10]!, lines[9]!];
      expect(await verify(lines)).toMatchObject({ ok: false, brokenAt: 10, records: 9 });
    });

    it('an inserted line, a foreign line, a cut last line', async () => {
      const inserted = [...original.slice(0, 8), original[2]!, ...original.slice(8)];
      expect(await verify(inserted)).toMatchObject({ ok: false, brokenAt: 9 });
      const foreign = [...original.slice(0, 3), '{"eventVersion":"1.09"}', ...original.slice(3)];
      expect(await verify(foreign)).toMatchObject({ ok: false, brokenAt: 4 });
      const cut = `${original.join('\n')}\n`.slice(0, -40);
      expect(await verify([], cut)).toMatchObject({ ok: false, brokenAt: 20, records: 19 });
      expect(await verify(original)).toEqual({ ok: true, records: 20 });
    });
  });

  it('reopening continues the chain from the last line', async () => {
    const path = fresh();
    const first = await writeLog(path, 5);
    const second = await writeLog(path, 5);
    expect(second.head.seq).toBe(10);
    expect(first.head.seq).toBe(5);
    expect(await verifyAuditFile(path)).toEqual({ ok: true, records: 10 });
    expect(parseChainedLine((await linesOf(path))[5]!)!.prev).toBe(first.head.hash);
  });

  it('a write cut short by a crash is dropped on reopening, and the chain goes on', async () => {
    const path = fresh();
    await writeLog(path, 3);
    await appendFile(path, '{"eventVersion":"1.09","userIdentity":{"type":"IAMU');
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, brokenAt: 4 });
    const logger = recorder();
    const log = await AuditLog.open(path, { random: counter(), logger });
    log.recordApiCall(call());
    await log.close();
    expect(logger.lines.map((l) => l.level)).toEqual(['warn']);
    expect(await verifyAuditFile(path)).toEqual({ ok: true, records: 4 });
  });

  it('a file that is not an audit log is left alone; an unwritable path is logged once, records stay in memory', async () => {
    const foreign = fresh();
    await writeFile(foreign, 'hello\n');
    const logger = recorder();
    const log = await AuditLog.open(foreign, { random: counter(), logger });
    log.recordApiCall(call());
    await log.close();
    expect(log.failed).toBe(true);
    expect(await readFile(foreign, 'utf8')).toBe('hello\n');

    const missing = join(dir, 'no-such-dir', 'audit.jsonl');
    const logger2 = recorder();
    const log2 = await AuditLog.open(missing, { random: counter(), logger: logger2 });
    for (let i = 0; i < 3; i++) log2.recordApiCall(call({ time: T0 + i * 1000 }));
    await log2.flush();
    log2.recordApiCall(call({ operation: 'DescribeSecret', time: T0 + 5000 }));
    await log2.flush();
    expect(logger2.lines).toHaveLength(1);
    expect(logger2.lines[0]).toMatchObject({ level: 'error', fields: { path: missing, error: 'ENOENT' } });
    expect(existsSync(missing)).toBe(false);
    const r = await lookupEvents(log2, { MaxResults: 3 });
    const body = JSON.parse(r.body) as { Events: { EventName: string }[]; NextToken?: string };
    expect(body.Events.map((e) => e.EventName)).toEqual(['DescribeSecret', 'GetSecretValue', 'GetSecretValue']);
    const next = JSON.parse((await lookupEvents(log2, { MaxResults: 3, NextToken: body.NextToken })).body);
    expect(next.Events).toHaveLength(1);
    await log2.close();
  });
});

describe('LookupEvents', () => {
  let path: string;
  let log: AuditLog;
  const ROLE_KEY = 'ASIASESSION000000000';
  const OTHER = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:other-XyZ123`;

  beforeAll(async () => {
    path = fresh();
    // an earlier process wrote these ...
    const earlier = await AuditLog.open(path, { random: counter('a') });
    for (let i = 0; i < 6; i++) {
      earlier.recordApiCall(call({ time: T0 + i * 60_000, requestId: `a${i}`, input: { SecretId: ARN } }));
    }
    earlier.recordApiCall(
      call({
        time: T0 + 6 * 60_000,
        principal: session,
        operation: 'PutSecretValue',
        input: { SecretId: OTHER, SecretString: 'x' },
        output: { ARN: OTHER },
        resourceArn: OTHER,
      }),
    );
    earlier.recordApiCall(call({ time: T0 + 7 * 60_000, accountId: '222222222222', operation: 'ListSecrets' }));
    await earlier.close();
    // ... and this one goes on
    log = await AuditLog.open(path, { random: counter('b') });
    log.recordServiceEvent({
      time: T0 + 8 * 60_000,
      accountId: ACCOUNT,
      region: REGION,
      eventName: 'RotationSucceeded',
      secretArn: ARN,
    });
    log.recordApiCall(call({ time: T0 + 9 * 60_000, region: 'eu-west-1', operation: 'DescribeSecret' }));
  });
  afterAll(() => log.close());

  const scope = { accountId: ACCOUNT, region: REGION };
  async function lookup(body: Record<string, unknown>) {
    const r = await lookupEvents(log, body, { scope, requestId: 'rq' });
    return { status: r.status, headers: r.headers, body: JSON.parse(r.body) as Record<string, unknown> };
  }
  const names = (b: Record<string, unknown>) => (b.Events as { EventName: string }[]).map((e) => e.EventName);

  it("answers the scope's events newest first, as CloudTrail's Event shape", async () => {
    const r = await lookup({});
    expect(r.status).toBe(200);
    expect(r.headers).toEqual({ 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'rq' });
    expect(names(r.body)).toEqual(['RotationSucceeded', 'PutSecretValue', ...Array(6).fill('GetSecretValue')]);
    const events = r.body.Events as Record<string, unknown>[];
    const put = events[1]!;
    expect(Object.keys(put)).toEqual([
      'EventId',
      'EventName',
      'ReadOnly',
      'AccessKeyId',
      'EventTime',
      'EventSource',
      'Username',
      'Resources',
      'CloudTrailEvent',
    ]);
    expect(put).toMatchObject({
      EventName: 'PutSecretValue',
      ReadOnly: 'false',
      AccessKeyId: ROLE_KEY,
      EventTime: (T0 + 6 * 60_000) / 1000,
      EventSource: 'secretsmanager.amazonaws.com',
      Username: 'ci-run-7',
      Resources: [{ ResourceType: 'AWS::SecretsManager::Secret', ResourceName: OTHER }],
    });
    const inner = JSON.parse(put.CloudTrailEvent as string) as Record<string, unknown>;
    expect(inner.eventID).toBe(put.EventId);
    expect(inner).not.toHaveProperty('secretlite');
    expect(inner.requestParameters).toEqual({ secretId: OTHER });
    expect(r.body).not.toHaveProperty('NextToken');
  });

  it('filters by each lookup attribute', async () => {
    const by = async (AttributeKey: string, AttributeValue: string) =>
      names((await lookup({ LookupAttributes: [{ AttributeKey, AttributeValue }] })).body);
    expect(await by('EventName', 'PutSecretValue')).toEqual(['PutSecretValue']);
    expect(await by('ReadOnly', 'true')).toEqual(Array(6).fill('GetSecretValue'));
    expect(await by('ReadOnly', 'false')).toEqual(['RotationSucceeded', 'PutSecretValue']);
    expect(await by('Username', 'alice')).toEqual(Array(6).fill('GetSecretValue'));
    expect(await by('Username', 'ci-run-7')).toEqual(['PutSecretValue']);
    expect(await by('AccessKeyId', ROLE_KEY)).toEqual(['PutSecretValue']);
    expect(await by('ResourceName', OTHER)).toEqual(['PutSecretValue']);
    expect(await by('ResourceName', ARN)).toEqual(['RotationSucceeded', ...Array(6).fill('GetSecretValue')]);
    expect(await by('ResourceType', 'AWS::SecretsManager::Secret')).toHaveLength(8);
    expect(await by('ResourceType', 'AWS::KMS::Key')).toEqual([]);
    expect(await by('EventSource', 'secretsmanager.amazonaws.com')).toHaveLength(8);
    expect(await by('EventSource', 'kms.amazonaws.com')).toEqual([]);
    const all = (await lookup({})).body.Events as { EventId: string; EventName: string }[];
    expect(await by('EventId', all[3]!.EventId)).toEqual(['GetSecretValue']);
  });

  it('filters by time range, both ends inclusive', async () => {
    const r = await lookup({ StartTime: (T0 + 2 * 60_000) / 1000, EndTime: (T0 + 6 * 60_000) / 1000 });
    expect(names(r.body)).toEqual(['PutSecretValue', ...Array(4).fill('GetSecretValue')]);
    expect(names((await lookup({ StartTime: (T0 + 8 * 60_000) / 1000 })).body)).toEqual(['RotationSucceeded']);
    expect(names((await lookup({ EndTime: T0 / 1000 - 1 })).body)).toEqual([]);
  });

  it('pages with MaxResults and NextToken', async () => {
    const seen: string[] = [];
    let token: unknown;
    let pages = 0;
    do {
      const r = await lookup({ MaxResults: 3, NextToken: token });
      expect((r.body.Events as unknown[]).length).toBeLessThanOrEqual(3);
      seen.push(...(r.body.Events as { EventId: string }[]).map((e) => e.EventId));
      token = r.body.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    const all = (await lookup({})).body.Events as { EventId: string }[];
    expect(seen).toEqual(all.map((e) => e.EventId));
    // with a filter
    const first = await lookup({
      MaxResults: 4,
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetSecretValue' }],
    });
    expect(names(first.body)).toHaveLength(4);
    const second = await lookup({
      MaxResults: 4,
      NextToken: first.body.NextToken,
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetSecretValue' }],
    });
    expect(names(second.body)).toHaveLength(2);
    expect(second.body).not.toHaveProperty('NextToken');
    // a token is good only for the same question
    const other = await lookup({ MaxResults: 4, NextToken: first.body.NextToken });
    expect(other).toMatchObject({ status: 400, body: { __type: 'InvalidNextTokenException' } });
    expect(await lookup({ NextToken: 'not-a-token' })).toMatchObject({
      status: 400,
      body: { __type: 'InvalidNextTokenException' },
    });
  });

  it('answers errors as CloudTrail does', async () => {
    const attr = (AttributeKey: unknown, AttributeValue: unknown) => ({ AttributeKey, AttributeValue });
    const cases: [Record<string, unknown>, string][] = [
      [{ LookupAttributes: [attr('EventName', 'a'), attr('Username', 'b')] }, 'InvalidLookupAttributesException'],
      [{ LookupAttributes: [attr('Region', 'a')] }, 'InvalidLookupAttributesException'],
      [{ LookupAttributes: [attr('EventName', '')] }, 'InvalidLookupAttributesException'],
      [{ LookupAttributes: [attr('EventName', '_'.repeat(1001))] }, 'InvalidLookupAttributesException'],
      [{ StartTime: 200, EndTime: 100 }, 'InvalidTimeRangeException'],
      [{ MaxResults: 51 }, 'InvalidMaxResultsException'],
      [{ MaxResults: 0 }, 'InvalidMaxResultsException'],
      [{ EventCategory: 'data' }, 'InvalidEventCategoryException'],
      [{ StartTime: 'yesterday' }, 'SerializationException'],
      [{ LookupAttributes: {} }, 'SerializationException'],
    ];
    for (const [body, code] of cases) {
      const r = await lookup(body);
      expect([r.status, r.body.__type], JSON.stringify(body)).toEqual([400, code]);
    }
    expect((await lookup({ MaxResults: 51 })).body.Message).toBe(
      'A max results value of 51 is invalid. Specify max results between 1 and 50.',
    );
    expect((await lookup({ EventCategory: 'insight' })).body).toEqual({ Events: [] });
    const unknown = await handleCloudTrailRequest(
      log,
      'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails',
      Buffer.from('{}'),
    );
    expect(JSON.parse(unknown.body).__type).toBe('UnknownOperationException');
    const bad = await handleCloudTrailRequest(log, LOOKUP_EVENTS_TARGET, Buffer.from('{'));
    expect([bad.status, JSON.parse(bad.body).__type]).toEqual([400, 'SerializationException']);
  });

  describe.skipIf(!hasAwsCli())('through the AWS CLI', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const target = String(req.headers['x-amz-target'] ?? '');
          void handleCloudTrailRequest(log, target, Buffer.concat(chunks), { scope, requestId: 'cli' }).then((r) => {
            res.writeHead(r.status, r.headers).end(r.body);
          });
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('aws cloudtrail lookup-events pages through every event', async () => {
      const { stdout } = await run(
        'aws',
        [
          'cloudtrail',
          'lookup-events',
          '--endpoint-url',
          url,
          '--lookup-attributes',
          'AttributeKey=EventName,AttributeValue=GetSecretValue',
          '--page-size',
          '4',
          '--output',
          'json',
        ],
        {
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: 'AKIAALICE00000000000',
            AWS_SECRET_ACCESS_KEY: 'secret',
            AWS_DEFAULT_REGION: REGION,
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          },
        },
      );
      const out = JSON.parse(stdout) as { Events: { EventName: string; Username: string; CloudTrailEvent: string }[] };
      expect(out.Events).toHaveLength(6);
      expect(out.Events.every((e) => e.EventName === 'GetSecretValue' && e.Username === 'alice')).toBe(true);
      expect(JSON.parse(out.Events[0]!.CloudTrailEvent).eventTime).toBe('2026-12-06T10:05:00Z');
    });
  });
});

function hasAwsCli(): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => existsSync(join(d, 'aws')));
}

describe.skipIf(!existsSync(fileURLToPath(new URL('../../dist/secretlite.js', import.meta.url))))(
  'secretlite audit verify',
  () => {
    const cli = (args: string[]) =>
      run(process.execPath, [BIN, 'audit', ...args]).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );

    it('exits 0 for an intact file, 1 where it breaks, 2 without a file', async () => {
      const path = fresh();
      await writeLog(path, 4);
      const ok = await cli(['verify', path]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toBe(`${path}: intact, 4 records\n`);

      const lines = await linesOf(path);
      await writeFile(path, `${[lines[0], lines[2], lines[1], lines[3]].join('\n')}\n`);
      const broken = await cli(['verify', path]);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`${path}: broken at line 2:`);

      expect((await cli(['verify'])).code).toBe(2);
      expect((await cli(['verify', join(dir, 'missing.jsonl')])).code).toBe(1);
    });
  },
);
