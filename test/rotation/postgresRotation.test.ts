import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  RotateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { startTestServer, type TestServer } from '../helpers.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../postgres.js';
import { bundleNodeFunction, createFunction } from './functions.js';

/**
 * A real password rotated end to end: a Node rotation function (the SDK and `pg`, bundled as users deploy it),
 * AWS's single-user strategy (aws-samples SecretsManagerRDSPostgreSQLRotationSingleUser), run by secretlite on its
 * own Lambda API against a PostgreSQL cluster that checks passwords.
 */
const IN_CI = Boolean(process.env.CI);
const run = postgresAvailable() || IN_CI ? describe : describe.skip;

run('rotating a PostgreSQL role password', () => {
  let db: TestPostgres & { adminUrl: string };
  let t: TestServer;
  let port: number;

  beforeAll(async () => {
    db = await startPostgres({ passwords: true });
    port = Number(new URL(db.adminUrl).port);
    const admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    await admin.query("CREATE ROLE app_user LOGIN PASSWORD 'old-password-1'");
    await admin.end();
    t = await startTestServer();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await db?.stop();
  });

  const login = async (password: string): Promise<string> => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'app_user', password, database: 'postgres' });
    try {
      await c.connect();
      return (await c.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u;
    } finally {
      await c.end().catch(() => undefined);
    }
  };

  it('the new password logs in, the old one is refused, AWSPREVIOUS holds the old one', async () => {
    expect(await login('old-password-1')).toBe('app_user');
    const sm = t.client();
    const secret = {
      engine: 'postgres',
      host: '127.0.0.1',
      port,
      username: 'app_user',
      password: 'old-password-1',
      dbname: 'postgres',
    };
    await sm.send(new CreateSecretCommand({ Name: 'db/app', SecretString: JSON.stringify(secret) }));
    const fn = await createFunction(
      t.url,
      'pg-single-user',
      'nodejs20.x',
      'index.handler',
      { 'index.mjs': await bundleNodeFunction(SINGLE_USER) },
      { timeout: 30 },
    );
    const r = await sm.send(new RotateSecretCommand({ SecretId: 'db/app', RotationLambdaARN: fn }));
    await t.server.rotationsIdle();

    const versions = (await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'db/app' }))).Versions!;
    expect(versions.find((v) => v.VersionId === r.VersionId)?.VersionStages).toEqual(['AWSCURRENT']);
    const current = JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: 'db/app' }))).SecretString!);
    expect(current.password).not.toBe('old-password-1');
    expect(current).toMatchObject({ username: 'app_user', host: '127.0.0.1', port });
    expect(await login(current.password)).toBe('app_user');
    await expect(login('old-password-1')).rejects.toThrow(/password authentication failed/);
    const previous = JSON.parse(
      (await sm.send(new GetSecretValueCommand({ SecretId: 'db/app', VersionStage: 'AWSPREVIOUS' }))).SecretString!,
    );
    expect(previous.password).toBe('old-password-1');
  });
});

/** AWS's single-user PostgreSQL rotation, in TypeScript: the same steps and calls. */
const SINGLE_USER = `
import pg from 'pg';
import {
  SecretsManagerClient, DescribeSecretCommand, GetSecretValueCommand, GetRandomPasswordCommand,
  PutSecretValueCommand, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

const sm = new SecretsManagerClient({ endpoint: process.env.SECRETS_MANAGER_ENDPOINT });
type Db = { host: string; port: number; username: string; password: string; dbname: string };

const value = async (arn: string, stage: string, token?: string): Promise<Db> =>
  JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage, VersionId: token }))).SecretString!);

async function connect(d: Db): Promise<pg.Client | undefined> {
  const c = new pg.Client({ host: d.host, port: d.port, user: d.username, password: d.password, database: d.dbname });
  try {
    await c.connect();
    return c;
  } catch {
    return undefined;
  }
}

export const handler = async (event: { SecretId: string; ClientRequestToken: string; Step: string }) => {
  const { SecretId: arn, ClientRequestToken: token, Step: step } = event;
  const meta = await sm.send(new DescribeSecretCommand({ SecretId: arn }));
  if (!meta.RotationEnabled) throw new Error('Secret ' + arn + ' is not enabled for rotation');
  const versions = meta.VersionIdsToStages ?? {};
  if (!versions[token]) throw new Error('Secret version ' + token + ' has no stage for rotation');
  if (versions[token].includes('AWSCURRENT')) return;
  if (!versions[token].includes('AWSPENDING')) throw new Error('Secret version ' + token + ' not set as AWSPENDING');
  if (step === 'createSecret') {
    const current = await value(arn, 'AWSCURRENT');
    try {
      await value(arn, 'AWSPENDING', token);
    } catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
      const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({ ExcludeCharacters: ':/@"\\'\\\\' }));
      await sm.send(new PutSecretValueCommand({
        SecretId: arn, ClientRequestToken: token, VersionStages: ['AWSPENDING'],
        SecretString: JSON.stringify({ ...current, password: RandomPassword }),
      }));
    }
  } else if (step === 'setSecret') {
    const pending = await value(arn, 'AWSPENDING', token);
    const already = await connect(pending);
    if (already) return void (await already.end());
    const current = await value(arn, 'AWSCURRENT');
    const c = await connect(current);
    if (!c) throw new Error('setSecret: unable to log into the database with the current secret of ' + arn);
    try {
      await c.query('ALTER USER ' + c.escapeIdentifier(pending.username) + ' WITH PASSWORD ' + c.escapeLiteral(pending.password));
    } finally {
      await c.end();
    }
  } else if (step === 'testSecret') {
    const c = await connect(await value(arn, 'AWSPENDING', token));
    if (!c) throw new Error('testSecret: unable to log into the database with the pending secret of ' + arn);
    await c.query('SELECT NOW()');
    await c.end();
  } else if (step === 'finishSecret') {
    const current = Object.keys(versions).find((v) => versions[v]!.includes('AWSCURRENT'));
    await sm.send(new UpdateSecretVersionStageCommand({
      SecretId: arn, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: current,
    }));
  } else {
    throw new Error('Invalid step parameter ' + step);
  }
};
`;
