import { describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, useTestServer, uuid, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
useTestServer((server, client) => ((t = server), (sm = client)));

describe('CreateSecret', () => {
  it('answers ARN, Name and VersionId; the ARN ends in - and 6 random characters', async () => {
    const token = uuid();
    const r = await t.raw('secretsmanager.CreateSecret', {
      Name: 'create/basic',
      SecretString: 'v',
      ClientRequestToken: token,
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(Object.keys(r.json).sort()).toEqual(['ARN', 'Name', 'VersionId']);
    expect(r.json.VersionId).toBe(token);
    expect(r.json.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:create\/basic-[A-Za-z0-9]{6}$/);
  });

  it('creates a secret without a value, as Terraform does: no VersionId, no versions', async () => {
    const r = await t.raw('secretsmanager.CreateSecret', { Name: 'create/empty', ClientRequestToken: uuid() });
    expect(Object.keys(r.json).sort()).toEqual(['ARN', 'Name']);
    const d = await t.raw('secretsmanager.DescribeSecret', { SecretId: 'create/empty' });
    expect(Object.keys(d.json).sort()).toEqual(['ARN', 'CreatedDate', 'LastChangedDate', 'Name']);
    // a raw call without a token and without a value is fine too: no version is created
    const noToken = await t.raw('secretsmanager.CreateSecret', { Name: 'create/empty-no-token' });
    expect(noToken.status).toBe(200);
  });

  it('fills in ClientRequestToken on a raw call that creates a version, as the SDKs do (AWS refuses it: --strict-aws, test/protocol/strictAws.test.ts)', async () => {
    const r = await t.raw('secretsmanager.CreateSecret', { Name: 'create/no-token', SecretString: 'v' });
    expect(r.status).toBe(200);
    expect(r.json.VersionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const v = await sm.send(new GetSecretValueCommand({ SecretId: 'create/no-token' }));
    expect(v).toMatchObject({ SecretString: 'v', VersionId: r.json.VersionId, VersionStages: ['AWSCURRENT'] });
    // a second token-less call is a new request (a new token), so the name is taken
    const again = await t.raw('secretsmanager.CreateSecret', { Name: 'create/no-token', SecretString: 'v' });
    expect(again.json).toEqual({
      __type: 'ResourceExistsException',
      Message: 'The operation failed because the secret create/no-token already exists.',
    });
  });

  it('refuses both SecretString and SecretBinary', async () => {
    const e = await awsError(
      sm.send(new CreateSecretCommand({ Name: 'create/both', SecretString: 'a', SecretBinary: new Uint8Array([1]) })),
    );
    expect(e).toEqual({
      name: 'InvalidParameterException',
      message: "You can't specify both a binary secret value and a string secret value in the same secret.",
      status: 400,
    });
  });

  it('refuses an existing name, and a name scheduled for deletion', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'create/dup', SecretString: 'a' }));
    expect(await awsError(sm.send(new CreateSecretCommand({ Name: 'create/dup', SecretString: 'a' })))).toEqual({
      name: 'ResourceExistsException',
      message: 'The operation failed because the secret create/dup already exists.',
      status: 400,
    });
    await sm.send(new DeleteSecretCommand({ SecretId: 'create/dup' }));
    expect(await awsError(sm.send(new CreateSecretCommand({ Name: 'create/dup', SecretString: 'a' })))).toEqual({
      name: 'InvalidRequestException',
      message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
      status: 400,
    });
  });

  it('is idempotent on ClientRequestToken: same value ignored, other value refused', async () => {
    const token = uuid();
    const first = await sm.send(
      new CreateSecretCommand({ Name: 'create/idem', SecretString: 'a', ClientRequestToken: token }),
    );
    const again = await sm.send(
      new CreateSecretCommand({ Name: 'create/idem', SecretString: 'a', ClientRequestToken: token }),
    );
    expect(again.ARN).toBe(first.ARN);
    expect(again.VersionId).toBe(token);
    expect(
      await awsError(
        sm.send(new CreateSecretCommand({ Name: 'create/idem', SecretString: 'b', ClientRequestToken: token })),
      ),
    ).toEqual({
      name: 'ResourceExistsException',
      message: `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${first.ARN}.`,
      status: 400,
    });
  });

  it('gives a re-created name a new ARN', async () => {
    const a = await sm.send(new CreateSecretCommand({ Name: 'create/again', SecretString: 'a' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'create/again', ForceDeleteWithoutRecovery: true }));
    const b = await sm.send(new CreateSecretCommand({ Name: 'create/again', SecretString: 'b' }));
    expect(b.ARN).not.toBe(a.ARN);
    // the old ARN no longer names anything
    expect((await awsError(sm.send(new DescribeSecretCommand({ SecretId: a.ARN })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect((await sm.send(new GetSecretValueCommand({ SecretId: b.ARN }))).SecretString).toBe('b');
  });

  it.each(['bad name', 'é', 'a*b', 'x?', 'tab\there'])(
    'refuses the name %j with AWS’s ValidationException',
    async (name) => {
      const r = await t.raw('secretsmanager.CreateSecret', { Name: name, ClientRequestToken: uuid() });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({
        __type: 'ValidationException',
        Message:
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      });
    },
  );

  it('accepts every character AWS allows, including path-like names', async () => {
    for (const name of ['Valid/_+=.@-Name', '../../etc/passwd', 'a//b', '/abs', 'Foo', 'foo']) {
      const r = await sm.send(new CreateSecretCommand({ Name: name, SecretString: name }));
      expect(r.Name).toBe(name);
    }
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'Foo' }))).SecretString).toBe('Foo');
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'foo' }))).SecretString).toBe('foo');
  });

  it('enforces the model limits: name 512, value 65,536, description 2,048, tags', async () => {
    const long = await t.raw('secretsmanager.CreateSecret', { Name: 'n'.repeat(513), ClientRequestToken: uuid() });
    expect(long.json).toEqual({
      __type: 'ValidationException',
      Message: `1 validation error detected: Value '${'n'.repeat(513)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 512`,
    });
    const max = await t.raw('secretsmanager.CreateSecret', {
      Name: 'create/max',
      SecretString: 'x'.repeat(65_536),
      ClientRequestToken: uuid(),
    });
    expect(max.status).toBe(200);
    // 65,536 four-byte characters still count as 65,536 (Smithy counts code points)
    const emoji = await t.raw('secretsmanager.CreateSecret', {
      Name: 'create/emoji',
      SecretString: '😀'.repeat(65_536),
      ClientRequestToken: uuid(),
    });
    expect(emoji.status).toBe(200);
    const over = await t.raw('secretsmanager.CreateSecret', {
      Name: 'create/over',
      SecretString: 'x'.repeat(65_537),
      ClientRequestToken: uuid(),
    });
    // the secret value is never echoed
    expect(over.json).toEqual({
      __type: 'ValidationException',
      Message:
        "1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536",
    });
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const tooMany = await t.raw('secretsmanager.CreateSecret', {
      Name: 'create/tags',
      Tags: tags,
      ClientRequestToken: uuid(),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.__type).toBe('InvalidParameterException');
  });

  it('keeps tags, description, KmsKeyId and Type', async () => {
    await sm.send(
      new CreateSecretCommand({
        Name: 'create/meta',
        SecretString: 'a',
        Description: 'd',
        KmsKeyId: 'alias/custom',
        Tags: [{ Key: 'env', Value: 'dev' }],
      }),
    );
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'create/meta' }));
    expect(d.Description).toBe('d');
    expect(d.KmsKeyId).toBe('alias/custom');
    expect(d.Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
  });
});
