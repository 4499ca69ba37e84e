import { describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, useTestServer, uuid, DAY, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
useTestServer((server, client) => ((t = server), (sm = client)));

describe('GetSecretValue', () => {
  it('returns AWSCURRENT by name, full ARN and partial ARN', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'get/basic', SecretString: 's3cr3t' }));
    expect(c.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:get\/basic-[A-Za-z0-9]{6}$/);
    for (const id of [c.Name!, c.ARN!, c.ARN!.slice(0, -7)]) {
      const r = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      expect(r.SecretString).toBe('s3cr3t');
      expect(r.VersionId).toBe(c.VersionId);
      expect(r.VersionStages).toEqual(['AWSCURRENT']);
      expect(r.CreatedDate).toBeInstanceOf(Date);
      expect(r.SecretBinary).toBeUndefined();
    }
  });

  it('round-trips binary values', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await sm.send(new CreateSecretCommand({ Name: 'get/binary', SecretBinary: bytes }));
    const r = await sm.send(new GetSecretValueCommand({ SecretId: 'get/binary' }));
    expect(Array.from(r.SecretBinary!)).toEqual(Array.from(bytes));
    expect(r.SecretString).toBeUndefined();
    const raw = await t.raw('secretsmanager.GetSecretValue', { SecretId: 'get/binary' });
    expect(raw.json.SecretBinary).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('names the missing stage or version in AWS words', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'get/empty' }));
    expect(await awsError(sm.send(new GetSecretValueCommand({ SecretId: 'get/empty' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
      status: 400,
    });
    const id = uuid();
    expect(await awsError(sm.send(new GetSecretValueCommand({ SecretId: 'get/empty', VersionId: id })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Secrets Manager can't find the specified secret value for VersionId: ${id}`,
    });
    expect(await awsError(sm.send(new GetSecretValueCommand({ SecretId: 'get/missing' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
      status: 400,
    });
  });

  it('refuses a VersionStage that the VersionId does not carry', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'get/mismatch', SecretString: 'a' }));
    await sm.send(new PutSecretValueCommand({ SecretId: 'get/mismatch', SecretString: 'b' }));
    const prev = await sm.send(new GetSecretValueCommand({ SecretId: 'get/mismatch', VersionStage: 'AWSPREVIOUS' }));
    expect(prev.SecretString).toBe('a');
    expect(prev.VersionId).toBe(c.VersionId);
    expect(
      await awsError(
        sm.send(
          new GetSecretValueCommand({ SecretId: 'get/mismatch', VersionId: c.VersionId, VersionStage: 'AWSCURRENT' }),
        ),
      ),
    ).toEqual({
      name: 'InvalidRequestException',
      message: 'You provided a VersionStage that is not associated to the provided VersionId.',
      status: 400,
    });
  });

  it('refuses reads of a secret scheduled for deletion', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'get/deleted', SecretString: 'a' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'get/deleted', RecoveryWindowInDays: 7 }));
    expect(await awsError(sm.send(new GetSecretValueCommand({ SecretId: 'get/deleted' })))).toEqual({
      name: 'InvalidRequestException',
      message: "You can't perform this operation on the secret because it was marked for deletion.",
      status: 400,
    });
  });

  it('records LastAccessedDate at day resolution', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'get/accessed', SecretString: 'a' }));
    const before = await t.raw('secretsmanager.DescribeSecret', { SecretId: 'get/accessed' });
    expect(before.json.LastAccessedDate).toBeUndefined();
    await sm.send(new GetSecretValueCommand({ SecretId: 'get/accessed' }));
    const after = await t.raw('secretsmanager.DescribeSecret', { SecretId: 'get/accessed' });
    const midnight = Math.floor(t.clock.now() / DAY) * DAY;
    expect(after.json.LastAccessedDate).toBe(midnight / 1000);
  });

  it("records the next day's first read, after reads served from the same day", async () => {
    await sm.send(new CreateSecretCommand({ Name: 'get/next-day', SecretString: 'a' }));
    for (let i = 0; i < 3; i++) await sm.send(new GetSecretValueCommand({ SecretId: 'get/next-day' }));
    const day1 = Math.floor(t.clock.now() / DAY) * DAY;
    t.clock.advance(DAY);
    const value = await sm.send(new GetSecretValueCommand({ SecretId: 'get/next-day' }));
    expect(value.SecretString).toBe('a');
    const described = await t.raw('secretsmanager.DescribeSecret', { SecretId: 'get/next-day' });
    expect(described.json.LastAccessedDate).toBe((day1 + DAY) / 1000);
    const versions = await t.raw('secretsmanager.ListSecretVersionIds', { SecretId: 'get/next-day' });
    expect((versions.json.Versions as Array<Record<string, unknown>>)[0]!.LastAccessedDate).toBe((day1 + DAY) / 1000);
  });

  it('validates input types and lengths before looking anything up', async () => {
    const r = await t.raw('secretsmanager.GetSecretValue', { SecretId: 'x', VersionId: 'short' });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      __type: 'ValidationException',
      Message:
        "1 validation error detected: Value 'short' at 'versionId' failed to satisfy constraint: Member must have length greater than or equal to 32",
    });
    const wrongType = await t.raw('secretsmanager.GetSecretValue', { SecretId: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.__type).toBe('SerializationException');
    const missing = await t.raw('secretsmanager.GetSecretValue', {});
    expect(missing.json).toEqual({
      __type: 'ValidationException',
      Message:
        "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
    });
  });
});
