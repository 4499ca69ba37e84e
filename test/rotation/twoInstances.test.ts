import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateSecretCommand, ListSecretVersionIdsCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DAY, startTestServer, type TestServer } from '../helpers.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../postgres.js';

/**
 * Two secretlite instances on one PostgreSQL database, each with its scheduler: when scheduled rotations fall due,
 * each runs exactly once, whichever instance takes it (the claim is a transition on the secret's row).
 */
const IN_CI = Boolean(process.env.CI);
const run = postgresAvailable() || IN_CI ? describe : describe.skip;

run('scheduled rotations on two instances sharing PostgreSQL', () => {
  let pg: TestPostgres;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    pg = await startPostgres();
    const databaseUrl = await pg.newDatabase();
    const masterKey = Buffer.alloc(32, 3).toString('base64');
    a = await startTestServer({ databaseUrl, masterKey });
    b = await startTestServer({ databaseUrl, masterKey });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pg?.stop();
  });

  it('each due rotation runs exactly once', async () => {
    const sm = a.client();
    const names = Array.from({ length: 20 }, (_, i) => `two/${i}`);
    for (const name of names) {
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v0' }));
      await sm.send(new RotateSecretCommand({ SecretId: name, RotationRules: { AutomaticallyAfterDays: 1 } }));
    }
    // two versions each now (the created one and the first rotation's)
    a.clock.advance(2 * DAY);
    b.clock.advance(2 * DAY);
    const [ra, rb] = await Promise.all([a.server.runJobs(), b.server.runJobs()]);
    expect(ra + rb).toBe(names.length);
    for (const name of names) {
      const versions = (
        await b.client().send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }))
      ).Versions!;
      expect(versions, name).toHaveLength(3);
      expect(versions.filter((v) => v.VersionStages?.includes('AWSCURRENT'))).toHaveLength(1);
    }
    // nothing more is due
    expect((await a.server.runJobs()) + (await b.server.runJobs())).toBe(0);
  }, 60_000);
});
