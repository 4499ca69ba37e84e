import { describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  TagResourceCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { useTestServer, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
useTestServer((server, client) => ((t = server), (sm = client)));

const describeRaw = async (id: string) => (await t.raw('secretsmanager.DescribeSecret', { SecretId: id })).json;

describe('DescribeSecret', () => {
  it('returns only fields that have a value [M; LS-val]', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'desc/a', SecretString: 'x', Description: 'the app' }));
    const d = await describeRaw('desc/a');
    expect(Object.keys(d).sort()).toEqual([
      'ARN',
      'CreatedDate',
      'Description',
      'LastChangedDate',
      'Name',
      'VersionIdsToStages',
    ]);
    expect(d.VersionIdsToStages).toEqual({ [c.VersionId!]: ['AWSCURRENT'] });
    // no RotationEnabled, no KmsKeyId for the default key, no Tags when never tagged
    for (const k of [
      'RotationEnabled',
      'RotationRules',
      'KmsKeyId',
      'Tags',
      'DeletedDate',
      'LastAccessedDate',
      'PrimaryRegion',
      'ReplicationStatus',
    ]) {
      expect(d[k], k).toBeUndefined();
    }
  });

  it('moves LastChangedDate with every change, metadata included', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'desc/changed', SecretString: 'x' }));
    const created = (await describeRaw('desc/changed')).LastChangedDate as number;
    t.clock.advance(60_000);
    await sm.send(new TagResourceCommand({ SecretId: 'desc/changed', Tags: [{ Key: 'a', Value: 'b' }] }));
    const tagged = (await describeRaw('desc/changed')).LastChangedDate as number;
    expect(tagged).toBe(created + 60);
    t.clock.advance(60_000);
    await sm.send(new PutSecretValueCommand({ SecretId: 'desc/changed', SecretString: 'y' }));
    expect((await describeRaw('desc/changed')).LastChangedDate).toBe(tagged + 60);
    expect((await describeRaw('desc/changed')).CreatedDate).toBe(created);
  });

  it('still describes a secret scheduled for deletion, with DeletedDate', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'desc/deleted', SecretString: 'x' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'desc/deleted' }));
    expect((await describeRaw('desc/deleted')).DeletedDate).toBe(t.clock.now() / 1000);
  });

  it('resolves names that end like an ARN suffix only by exact name or full ARN', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'desc/name-a1b2c3', SecretString: 'x' }));
    expect((await describeRaw('desc/name-a1b2c3')).ARN).toBe(c.ARN);
    expect((await describeRaw(c.ARN!)).ARN).toBe(c.ARN);
    // the partial ARN of this name is ambiguous: AWS cannot find it [LS-val]
    const partial = await t.raw('secretsmanager.DescribeSecret', { SecretId: c.ARN!.slice(0, -7) });
    expect(partial.json.__type).toBe('ResourceNotFoundException');
  });
});
