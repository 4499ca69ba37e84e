import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import type { RunningServer } from '../../src/index.js';
import { verifyAuditFile } from '../../src/audit/log.js';
import { isolatedAwsEnv } from '../helpers.js';
import { ALICE, BOB, client, failure, startAuthServer, writeCredentials } from './authHelpers.js';

/**
 * `--audit FILE` with `--auth sigv4`: a CloudTrail record per call, values never in it, the hash chain intact after
 * thousands of calls and broken by one edit; LookupEvents answers the AWS CLI.
 */
const A = '111111111111';
const credentials = {
  principals: [
    {
      ...ALICE,
      arn: `arn:aws:iam::${A}:user/alice`,
      policies: [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['secretsmanager:*', 'cloudtrail:LookupEvents'], Resource: '*' }] }, // prettier-ignore
      ],
    },
    { ...BOB, arn: `arn:aws:iam::${A}:user/bob` },
  ],
};
const CANARY = 'canary-7f3a9c-value';
const CALLS = 10_000;

let server: RunningServer;
let file: string;

const toolVersion = (): Promise<string | undefined> =>
  new Promise((resolve) => execFile('aws', ['--version'], (err, out) => resolve(err ? undefined : out)));

beforeAll(async () => {
  const creds = writeCredentials(credentials);
  file = join(dirname(creds), 'audit.jsonl');
  server = await startAuthServer(creds, { audit: file });
});
afterAll(() => server.close());

describe('--audit', () => {
  it(`${CALLS} mixed calls: one record each, the chain intact, no value anywhere in the file`, async () => {
    const sm = client(server.url, ALICE);
    await sm.send(new CreateSecretCommand({ Name: 'audited', SecretString: CANARY }));
    let n = 1;
    const workers = Array.from({ length: 16 }, async (_, w) => {
      for (let i = w; i < CALLS - 1; i += 16) {
        const k = i % 5;
        if (k === 0) await sm.send(new GetSecretValueCommand({ SecretId: 'audited' }));
        else if (k === 1) await sm.send(new DescribeSecretCommand({ SecretId: 'audited' }));
        else if (k === 2)
          await sm.send(new PutSecretValueCommand({ SecretId: 'audited', SecretString: `${CANARY}-${i}` })); // prettier-ignore
        else if (k === 3) await sm.send(new GetRandomPasswordCommand({ PasswordLength: 40 }));
        else await failure(sm.send(new GetSecretValueCommand({ SecretId: `missing-${i}` })));
        n++;
      }
    });
    await Promise.all(workers);
    await failure(client(server.url, BOB).send(new GetSecretValueCommand({ SecretId: 'audited' })));
    n++;
    await new Promise((r) => setTimeout(r, 100));
    const text = readFileSync(file, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines.length).toBe(n);
    expect(text).not.toContain(CANARY);
    const verified = await verifyAuditFile(file);
    expect(verified).toMatchObject({ ok: true, records: n });
    const denied = JSON.parse(lines.at(-1)!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(denied).toMatchObject({
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      awsRegion: 'us-east-1',
      errorCode: 'AccessDeniedException',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/bob`, accountId: A, accessKeyId: BOB.accessKeyId },
      requestParameters: { secretId: 'audited' },
      readOnly: true,
    });
    expect(denied.errorMessage).toContain('is not authorized to perform: secretsmanager:GetSecretValue');
  }, 120_000);

  it('the AWS CLI reads it with lookup-events (filters, paging)', async () => {
    if (!(await toolVersion())) {
      expect(process.env.CI, 'aws CLI required in CI').toBeFalsy();
      return;
    }
    await client(server.url, ALICE).send(
      new TagResourceCommand({ SecretId: 'audited', Tags: [{ Key: 'k', Value: 'v' }] }),
    );
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'aws',
        ['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=TagResource', '--max-results', '5', '--output', 'json'], // prettier-ignore
        {
          env: isolatedAwsEnv({
            AWS_ENDPOINT_URL: server.url,
            AWS_ACCESS_KEY_ID: ALICE.accessKeyId,
            AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey,
          }),
        },
        (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)),
      ),
    );
    const events = (JSON.parse(out) as { Events: { EventName: string; CloudTrailEvent: string; Username: string }[] })
      .Events;
    expect(events.length).toBe(1);
    expect(events[0]!.EventName).toBe('TagResource');
    expect(events[0]!.Username).toBe('alice');
    expect(JSON.parse(events[0]!.CloudTrailEvent).requestParameters).toMatchObject({ secretId: 'audited' });
    // bob may not look events up
    const denied = await new Promise<string>((resolve) =>
      execFile(
        'aws',
        ['cloudtrail', 'lookup-events', '--max-results', '1'],
        { env: isolatedAwsEnv({ AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: BOB.accessKeyId, AWS_SECRET_ACCESS_KEY: BOB.secretAccessKey }) }, // prettier-ignore
        (_err, _stdout, stderr) => resolve(stderr),
      ),
    );
    expect(denied).toContain('AccessDeniedException');
  }, 60_000);

  it('one record edited by hand breaks the chain at its line', async () => {
    await server.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const i = 1234;
    lines[i] = lines[i]!.replace('"awsRegion":"us-east-1"', '"awsRegion":"us-east-2"');
    expect(lines[i]).toContain('us-east-2');
    const edited = `${file}.edited`;
    writeFileSync(edited, `${lines.join('\n')}\n`);
    const r = await verifyAuditFile(edited);
    expect(r.ok).toBe(false);
    expect(r.brokenAt).toBe(i + 1);
  });
});
