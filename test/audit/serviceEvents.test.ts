import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { startTestServer, type TestServer } from '../helpers.js';
import { createFunction } from '../rotation/functions.js';

/**
 * What Secrets Manager does on its own, in the audit log as CloudTrail service events [doc: Secrets Manager,
 * "Log entries for deletion" and "for rotation"]: a deletion scheduled (StartSecretVersionDelete), cancelled
 * (CancelSecretVersionDelete) and carried out when its window ends (EndSecretVersionDelete); a rotation started,
 * failed, and abandoned by a value written by hand (RotationAbandoned).
 */
const file = join(mkdtempSync(join(tmpdir(), 'secretlite-events-')), 'audit.jsonl');
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ audit: file });
});
afterAll(() => t.close());

type Rec = { eventType: string; eventName: string; awsRegion: string; recipientAccountId?: string };
const serviceEvents = async (): Promise<string[]> => {
  await new Promise((r) => setTimeout(r, 60)); // the log writes its batch within 10 ms
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Rec)
    .filter((r) => r.eventType === 'AwsServiceEvent')
    .map((r) => r.eventName);
};

describe('service events in the audit log', () => {
  it('a deletion scheduled, cancelled, scheduled again and carried out when its window ends', async () => {
    const sm = t.client();
    await sm.send(new CreateSecretCommand({ Name: 'events/del', SecretString: 'v' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'events/del', RecoveryWindowInDays: 7 }));
    await sm.send(new RestoreSecretCommand({ SecretId: 'events/del' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'events/del', RecoveryWindowInDays: 7 }));
    t.clock.advance(8 * 86_400_000);
    await t.server.runJobs();
    expect(await serviceEvents()).toEqual([
      'StartSecretVersionDelete',
      'CancelSecretVersionDelete',
      'StartSecretVersionDelete',
      'EndSecretVersionDelete',
    ]);
  });

  it('a rotation whose function fails, then a value put by hand: RotationAbandoned', async () => {
    const sm = t.client();
    const fn = await createFunction(t.url, 'fails', 'python3.12', 'index.handler', {
      'index.py': 'def handler(event, context):\n    raise Exception("no database here")\n',
    });
    await sm.send(new CreateSecretCommand({ Name: 'events/rot', SecretString: 'v' }));
    await sm.send(new RotateSecretCommand({ SecretId: 'events/rot', RotationLambdaARN: fn }));
    await t.server.rotationsIdle();
    await sm.send(new PutSecretValueCommand({ SecretId: 'events/rot', SecretString: 'by hand' }));
    const events = await serviceEvents();
    expect(events.slice(4)).toEqual(['RotationStarted', 'RotationFailed', 'RotationAbandoned']);
  }, 60_000);
});
