import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
} from '@aws-sdk/client-secrets-manager';
import { awsError, startTestServer, type TestServer } from '../helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('accounts and Regions', () => {
  it('takes the account from a 12-digit access key id and the Region from the signature', async () => {
    const a = t.client({ accessKeyId: '111111111111' });
    const b = t.client({ accessKeyId: '222222222222' });
    const west = t.client({ accessKeyId: '111111111111', region: 'eu-west-1' });
    const def = t.client({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    const ra = await a.send(new CreateSecretCommand({ Name: 'shared/name', SecretString: 'A' }));
    expect(ra.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:111111111111:secret:shared\/name-/);
    const rb = await b.send(new CreateSecretCommand({ Name: 'shared/name', SecretString: 'B' }));
    expect(rb.ARN).toMatch(/:222222222222:secret:/);
    const rw = await west.send(new CreateSecretCommand({ Name: 'shared/name', SecretString: 'W' }));
    expect(rw.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:111111111111:/);
    const rd = await def.send(new CreateSecretCommand({ Name: 'shared/name', SecretString: 'D' }));
    expect(rd.ARN).toMatch(/:000000000000:secret:/);
    expect((await a.send(new GetSecretValueCommand({ SecretId: 'shared/name' }))).SecretString).toBe('A');
    expect((await b.send(new GetSecretValueCommand({ SecretId: 'shared/name' }))).SecretString).toBe('B');
    expect((await west.send(new GetSecretValueCommand({ SecretId: 'shared/name' }))).SecretString).toBe('W');
    // one account never sees another's secrets, not even by ARN
    expect((await awsError(b.send(new DescribeSecretCommand({ SecretId: ra.ARN })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect((await a.send(new ListSecretsCommand({}))).SecretList!.map((s) => s.ARN)).toEqual([ra.ARN]);
  });

  it('uses the default account and Region for unsigned requests', async () => {
    const r = await t.raw('secretsmanager.CreateSecret', { Name: 'unsigned/a' });
    expect(r.json.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:unsigned\/a-/);
  });
});
