/**
 * Seed 001 (AWSim's Secrets Manager page): the curl quick start, the four curl examples and the SDK example,
 * in the document's order against one `secretlite` (each builds on the state the previous ones left).
 *
 * The curl calls carry the page's fake `Authorization: AWS4-HMAC-SHA256 ... Signature=fake` header (kept:
 * secretlite reads the account and Region from its scope and checks no signature) and no ClientRequestToken,
 * which AWS requires of a raw call; secretlite fills one in by default, as the SDKs and the CLI do
 * (src/compat.ts; `--strict-aws` refuses as AWS does, see strict.test.ts).
 */
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  arnPattern,
  bash,
  cacheFile,
  example,
  exampleTest,
  expectOk,
  expectRecent,
  isolatedEnv,
  raw,
  rawOk,
  run,
  startSecretlite,
  UUID,
  withEndpoint,
  type SeedServer,
} from './seeds.js';

const DB_V1 = {
  host: 'db.example.com',
  port: 5432,
  username: 'app_user',
  password: 'SuperSecret123!',
  dbname: 'myapp',
};
const DB_V2 = { ...DB_V1, password: 'NewPassword456!' };

describe('seed 001 (AWSim): curl quick start, curl examples, SDK example', () => {
  let server: SeedServer;
  /** names the examples created, in order */
  const created: string[] = [];
  let dbArn = '';
  let dbV1 = '';
  let dbV2 = '';

  beforeAll(async () => {
    server = await startSecretlite();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const curlJq = exampleTest(['curl', 'jq']);
  const curl = exampleTest(['curl']);
  const node = exampleTest([]);

  const script = (file: string) => bash(withEndpoint(example(file), server.endpoint));

  curlJq('quick start: CreateSecret piped to jq prints the ARN, GetSecretValue returns the value', async () => {
    const r = await script('001-quickstart.sh');
    expectOk(r, '001-quickstart.sh');
    const newline = r.stdout.indexOf('\n');
    const first = r.stdout.slice(0, newline);
    expect(first).toMatch(/^Secret ARN: /);
    const arn = first.slice('Secret ARN: '.length);
    expect(arn).toMatch(arnPattern('my-db-password'));

    // GetSecretValue's answer: what the page lists ("SecretString ..., VersionId, VersionStages, Name, ARN,
    // CreatedDate"), in AWS's order
    const get = JSON.parse(r.stdout.slice(newline + 1));
    expect(Object.keys(get)).toEqual(['ARN', 'Name', 'VersionId', 'SecretString', 'VersionStages', 'CreatedDate']);
    expect(get).toMatchObject({
      ARN: arn,
      Name: 'my-db-password',
      SecretString: 's3cur3p@ss',
      VersionStages: ['AWSCURRENT'],
    });
    expect(get.VersionId).toMatch(UUID);
    expectRecent(get.CreatedDate, 'CreatedDate');

    // the description was stored, and the one version is AWSCURRENT
    const d = await rawOk(server.url, 'DescribeSecret', { SecretId: 'my-db-password' });
    expect(d).toMatchObject({ ARN: arn, Name: 'my-db-password', Description: 'Production DB password' });
    expect(d.VersionIdsToStages).toEqual({ [get.VersionId]: ['AWSCURRENT'] });
    created.push('my-db-password');
  });

  curl('curl 1: CreateSecret with a JSON SecretString', async () => {
    const r = await script('001-curl-1-create-json.sh');
    expectOk(r, '001-curl-1-create-json.sh');
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['ARN', 'Name', 'VersionId']);
    expect(j.ARN).toMatch(arnPattern('/myapp/prod/db'));
    expect(j.Name).toBe('/myapp/prod/db');
    expect(j.VersionId).toMatch(UUID);
    dbArn = j.ARN;
    dbV1 = j.VersionId;
    created.push('/myapp/prod/db');
  });

  curl('curl 2: GetSecretValue by name returns the JSON string as sent', async () => {
    const r = await script('001-curl-2-get.sh');
    expectOk(r, '001-curl-2-get.sh');
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['ARN', 'Name', 'VersionId', 'SecretString', 'VersionStages', 'CreatedDate']);
    expect(j).toMatchObject({ ARN: dbArn, Name: '/myapp/prod/db', VersionId: dbV1, VersionStages: ['AWSCURRENT'] });
    expect(j.SecretString).toBe(JSON.stringify(DB_V1));
    expect(JSON.parse(j.SecretString).host).toBe('db.example.com');
    expectRecent(j.CreatedDate, 'CreatedDate');
  });

  curl('curl 3: PutSecretValue makes a new AWSCURRENT; the first version becomes AWSPREVIOUS', async () => {
    const r = await script('001-curl-3-put.sh');
    expectOk(r, '001-curl-3-put.sh');
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['ARN', 'Name', 'VersionId', 'VersionStages']);
    expect(j).toMatchObject({ ARN: dbArn, Name: '/myapp/prod/db', VersionStages: ['AWSCURRENT'] });
    expect(j.VersionId).toMatch(UUID);
    expect(j.VersionId).not.toBe(dbV1);
    dbV2 = j.VersionId;

    // follow-up: the stages moved, and each stage still returns its own value
    const d = await rawOk(server.url, 'DescribeSecret', { SecretId: '/myapp/prod/db' });
    expect(d.VersionIdsToStages).toEqual({ [dbV2]: ['AWSCURRENT'], [dbV1]: ['AWSPREVIOUS'] });
    const current = await rawOk(server.url, 'GetSecretValue', { SecretId: '/myapp/prod/db' });
    expect(current).toMatchObject({
      VersionId: dbV2,
      SecretString: JSON.stringify(DB_V2),
      VersionStages: ['AWSCURRENT'],
    });
    const previous = await rawOk(server.url, 'GetSecretValue', {
      SecretId: '/myapp/prod/db',
      VersionStage: 'AWSPREVIOUS',
    });
    expect(previous).toMatchObject({
      VersionId: dbV1,
      SecretString: JSON.stringify(DB_V1),
      VersionStages: ['AWSPREVIOUS'],
    });
  });

  curl('curl 4: ListSecrets lists every secret created so far', async () => {
    const r = await script('001-curl-4-list.sh');
    expectOk(r, '001-curl-4-list.sh');
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['SecretList']); // one page: no NextToken
    const list = j.SecretList as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(list.map((s) => s.Name).sort()).toEqual([...created].sort());
    const db = list.find((s) => s.Name === '/myapp/prod/db')!;
    expect(db).toMatchObject({ ARN: dbArn, Name: '/myapp/prod/db', Description: 'Production database credentials' });
    expect(db.SecretVersionsToStages).toEqual({ [dbV2]: ['AWSCURRENT'], [dbV1]: ['AWSPREVIOUS'] });
    expectRecent(db.LastChangedDate, 'LastChangedDate');
    expectRecent(db.CreatedDate, 'CreatedDate');
    expect(db).not.toHaveProperty('SecretString');
  });

  node(
    'SDK example (TypeScript, transpiled with esbuild): create, get, put, get AWSPREVIOUS, describe, delete',
    async () => {
      const ts = withEndpoint(example('001-sdk.ts'), server.endpoint);
      const { code } = await transform(ts, { loader: 'ts', format: 'esm' });
      const file = await cacheFile('001-sdk.mjs', code);
      let r;
      try {
        r = await run(process.execPath, [file.path], { env: isolatedEnv() });
      } finally {
        await file.remove();
      }
      expectOk(r, '001-sdk.ts');

      const lines = r.stdout.split('\n');
      expect(lines[0]).toMatch(/^Secret ARN: /);
      const arn = lines[0]!.slice('Secret ARN: '.length);
      expect(arn).toMatch(arnPattern('/myapp/prod/database'));
      expect(lines[1]).toBe('DB Host: db.example.com');
      expect(lines[2]).toBe('Previous password: SuperSecret123!');
      // console.log of the VersionIdsToStages map: { '<uuid>': [ 'AWSCURRENT' ], '<uuid>': [ 'AWSPREVIOUS' ] }
      const rest = lines.slice(3).join('\n');
      expect(rest).toMatch(/^Versions: \{[\s\S]*\}\n$/);
      const printed = Object.fromEntries(
        [...rest.matchAll(/'([0-9a-f-]{36})': \[ '(\w+)' \]/g)].map((m) => [m[1]!, [m[2]!]]),
      );
      expect(Object.values(printed).flat().sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
      for (const id of Object.keys(printed)) expect(id).toMatch(UUID);

      // follow-up: the secret is scheduled for deletion (7-day window), its tags and versions are what the
      // example made, and its value is refused as AWS refuses it
      const d = await rawOk(server.url, 'DescribeSecret', { SecretId: '/myapp/prod/database' });
      expect(d).toMatchObject({
        ARN: arn,
        Name: '/myapp/prod/database',
        Description: 'Production database credentials',
      });
      expect(d.VersionIdsToStages).toEqual(printed);
      expect([...(d.Tags as { Key: string; Value: string }[])].sort((a, b) => a.Key.localeCompare(b.Key))).toEqual([
        { Key: 'environment', Value: 'prod' },
        { Key: 'service', Value: 'api' },
      ]);
      expectRecent(d.DeletedDate, 'DeletedDate');

      const get = await raw(server.url, 'GetSecretValue', { SecretId: '/myapp/prod/database' });
      expect(get.status).toBe(400);
      expect(get.json).toEqual({
        __type: 'InvalidRequestException',
        Message: "You can't perform this operation on the secret because it was marked for deletion.",
      });

      const listed = await rawOk(server.url, 'ListSecrets', {});
      expect((listed.SecretList as { Name: string }[]).map((s) => s.Name)).not.toContain('/myapp/prod/database');
      const planned = await rawOk(server.url, 'ListSecrets', { IncludePlannedDeletion: true });
      const entry = (planned.SecretList as Record<string, unknown>[]).find((s) => s.Name === '/myapp/prod/database');
      expect(entry).toBeDefined();
      expectRecent(entry!.DeletedDate, 'DeletedDate');

      // the previous value is still there for a restore
      const restored = await rawOk(server.url, 'RestoreSecret', { SecretId: '/myapp/prod/database' });
      expect(restored).toEqual({ ARN: arn, Name: '/myapp/prod/database' });
      const value = await rawOk(server.url, 'GetSecretValue', {
        SecretId: '/myapp/prod/database',
        VersionStage: 'AWSPREVIOUS',
      });
      expect(JSON.parse(value.SecretString as string)).toEqual(DB_V1);
    },
  );
  // The operation table: "RotateSecret — configure rotation ... Input: SecretId, optional RotationLambdaARN,
  // RotationRules({AutomaticallyAfterDays: N}) — Stores rotation config, creates a new AWSCURRENT version";
  // "CancelRotateSecret — disable rotation". Raw calls as the page makes them (no ClientRequestToken): the
  // built-in rotator (no function to call) does the four steps before answering.
  node('RotateSecret and CancelRotateSecret as the operation table describes them', async () => {
    const created = await rawOk(server.url, 'CreateSecret', {
      Name: 'awsim/rotated',
      SecretString: JSON.stringify({ username: 'admin', password: 'initial' }),
    });
    const rotated = await rawOk(server.url, 'RotateSecret', {
      SecretId: 'awsim/rotated',
      RotationRules: { AutomaticallyAfterDays: 30 },
    });
    expect(Object.keys(rotated).sort()).toEqual(['ARN', 'Name', 'VersionId']);
    const current = await rawOk(server.url, 'GetSecretValue', { SecretId: 'awsim/rotated' });
    expect(current.VersionId).toBe(rotated.VersionId);
    expect(current.VersionStages).toEqual(['AWSCURRENT']);
    const doc = JSON.parse(current.SecretString as string) as Record<string, string>;
    expect(doc.username).toBe('admin');
    expect(doc.password).not.toBe('initial');
    const previous = await rawOk(server.url, 'GetSecretValue', {
      SecretId: 'awsim/rotated',
      VersionStage: 'AWSPREVIOUS',
    });
    expect(previous.VersionId).toBe(created.VersionId);
    const d = await rawOk(server.url, 'DescribeSecret', { SecretId: 'awsim/rotated' });
    expect(d).toMatchObject({ RotationEnabled: true, RotationRules: { AutomaticallyAfterDays: 30 } });
    expectRecent(d.LastRotatedDate, 'LastRotatedDate');
    expect(typeof d.NextRotationDate).toBe('number');

    const cancelled = await rawOk(server.url, 'CancelRotateSecret', { SecretId: 'awsim/rotated' });
    expect(cancelled).toEqual({ ARN: created.ARN, Name: 'awsim/rotated' });
    const after = await rawOk(server.url, 'DescribeSecret', { SecretId: 'awsim/rotated' });
    expect(after.RotationEnabled).toBe(false);
    expect(after.NextRotationDate).toBeUndefined();
    expect(after.RotationRules).toEqual({ AutomaticallyAfterDays: 30 });
  });
});
