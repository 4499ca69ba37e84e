import { describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  UpdateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, useTestServer, uuid, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
useTestServer((server, client) => ((t = server), (sm = client)));

describe('UpdateSecret', () => {
  it('changes metadata without a new version: no VersionId in the answer', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'upd/meta', SecretString: 'a' }));
    t.clock.advance(5_000);
    const r = await t.raw('secretsmanager.UpdateSecret', {
      SecretId: 'upd/meta',
      Description: 'new',
      ClientRequestToken: uuid(),
    });
    expect(Object.keys(r.json).sort()).toEqual(['ARN', 'Name']);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'upd/meta' }));
    expect(d.Description).toBe('new');
    expect(d.VersionIdsToStages).toEqual({ [c.VersionId!]: ['AWSCURRENT'] });
    expect(d.LastChangedDate!.getTime()).toBeGreaterThan(d.CreatedDate!.getTime());
    // KmsKeyId set, then back to the default (omitted) with an empty string
    await sm.send(new UpdateSecretCommand({ SecretId: 'upd/meta', KmsKeyId: 'alias/k' }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'upd/meta' }))).KmsKeyId).toBe('alias/k');
    await sm.send(new UpdateSecretCommand({ SecretId: 'upd/meta', KmsKeyId: '' }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'upd/meta' }))).KmsKeyId).toBeUndefined();
  });

  it('creates a version for a new value; a repeated token with the same value is answered as before', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'upd/value', SecretString: 'a' }));
    const token = uuid();
    const u = await sm.send(new UpdateSecretCommand({ SecretId: c.ARN, SecretString: 'b', ClientRequestToken: token }));
    expect(u.VersionId).toBe(token);
    const again = await sm.send(
      new UpdateSecretCommand({ SecretId: c.ARN, SecretString: 'b', ClientRequestToken: token }),
    );
    expect(again.VersionId).toBe(token);
    expect(
      await awsError(
        sm.send(new UpdateSecretCommand({ SecretId: c.ARN, SecretString: 'c', ClientRequestToken: token })),
      ),
    ).toMatchObject({
      name: 'ResourceExistsException',
      message: `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${c.ARN}.`,
    });
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'upd/value' }));
    expect(d.VersionIdsToStages).toEqual({ [token]: ['AWSCURRENT'], [c.VersionId!]: ['AWSPREVIOUS'] });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'upd/value' }))).SecretString).toBe('b');
  });

  it('fills in the token of a raw value change (default), and refuses any change to a deleted secret', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'upd/raw', SecretString: 'a' }));
    const r = await t.raw('secretsmanager.UpdateSecret', { SecretId: 'upd/raw', SecretString: 'x' });
    expect(r.status).toBe(200);
    expect(typeof r.json.VersionId).toBe('string');
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'upd/raw' }));
    expect(d.VersionIdsToStages).toEqual({
      [r.json.VersionId as string]: ['AWSCURRENT'],
      [c.VersionId!]: ['AWSPREVIOUS'],
    });
    await sm.send(new DeleteSecretCommand({ SecretId: 'upd/raw' }));
    expect(await awsError(sm.send(new UpdateSecretCommand({ SecretId: 'upd/raw', Description: 'x' })))).toEqual({
      name: 'InvalidRequestException',
      message: "You can't perform this operation on the secret because it was marked for deletion.",
      status: 400,
    });
  });
});
