import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ReplicateSecretToRegionsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { startTestServer, type TestServer } from '../helpers.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../postgres.js';

/**
 * Two secretlite instances on one PostgreSQL: a write to a primary through instance A is read from its replica
 * through instance B immediately after, value and metadata.
 */
const IN_CI = Boolean(process.env.CI);
const run = postgresAvailable() || IN_CI ? describe : describe.skip;

run('replicas across two instances on one PostgreSQL', () => {
  let pg: TestPostgres;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    pg = await startPostgres();
    const databaseUrl = await pg.newDatabase();
    const masterKey = Buffer.alloc(32, 5).toString('base64');
    a = await startTestServer({ databaseUrl, masterKey });
    b = await startTestServer({ databaseUrl, masterKey });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pg?.stop();
  });

  it('a write through A is read from the replica through B at once', async () => {
    const primary = a.client({ region: 'us-east-1' });
    const replicaB = b.client({ region: 'eu-west-1' });
    await primary.send(new CreateSecretCommand({ Name: 'shared/x', SecretString: 'one' }));
    await primary.send(
      new ReplicateSecretToRegionsCommand({ SecretId: 'shared/x', AddReplicaRegions: [{ Region: 'eu-west-1' }] }),
    );
    expect((await replicaB.send(new GetSecretValueCommand({ SecretId: 'shared/x' }))).SecretString).toBe('one');
    for (const value of ['two', 'three', 'four']) {
      await primary.send(new PutSecretValueCommand({ SecretId: 'shared/x', SecretString: value }));
      const v = await replicaB.send(new GetSecretValueCommand({ SecretId: 'shared/x' }));
      expect(v.SecretString).toBe(value);
      expect(v.ARN).toContain(':eu-west-1:');
    }
    await primary.send(new TagResourceCommand({ SecretId: 'shared/x', Tags: [{ Key: 'k', Value: 'v' }] }));
    const d = await replicaB.send(new DescribeSecretCommand({ SecretId: 'shared/x' }));
    expect(d.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    expect(d.PrimaryRegion).toBe('us-east-1');
  });
});
