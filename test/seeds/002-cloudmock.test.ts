/**
 * Seed 002 (CloudMock's Secrets Manager page): the curl quick start (no Authorization header, no
 * ClientRequestToken), the Node.js example and the Python (boto3) example, in the document's order against one
 * `secretlite`.
 *
 * The page's scrape lost the code blocks' newlines; examples/002-* restore them, every token unchanged.
 * The quick start and the Node.js example are two ways of doing the same thing: both create
 * `/app/db-password`. On one server the second CreateSecret would meet the first one's secret and get
 * ResourceExistsException, as on AWS; so, as a reader trying the second example would, the test deletes the
 * quick start's secret first (ForceDeleteWithoutRecovery), after checking what the quick start left.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  arnPattern,
  bash,
  cacheFile,
  example,
  exampleTest,
  expectOk,
  isolatedEnv,
  jsonValues,
  raw,
  rawOk,
  run,
  startSecretlite,
  UUID,
  withEndpoint,
  type RunResult,
  type SeedServer,
} from './seeds.js';

describe('seed 002 (CloudMock): curl quick start, Node.js, Python', () => {
  let server: SeedServer;
  let quickStartVersion = '';

  beforeAll(async () => {
    server = await startSecretlite();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Writes the example, endpoint filled in, into the repo's cache and runs it with `cmd`. */
  async function runFile(file: string, cmd: string): Promise<RunResult> {
    const generated = await cacheFile(file, withEndpoint(example(file), server.endpoint));
    try {
      return await run(cmd, [generated.path], { env: isolatedEnv() });
    } finally {
      await generated.remove();
    }
  }

  exampleTest(['curl'])('quick start: CreateSecret then GetSecretValue with curl', async () => {
    const r = await bash(withEndpoint(example('002-quickstart.sh'), server.endpoint));
    expectOk(r, '002-quickstart.sh');
    // curl without -s: the progress meter goes to stderr; stdout is the two answers, one after the other
    const [create, get, ...more] = jsonValues(r.stdout) as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(more).toEqual([]);
    expect(Object.keys(create!)).toEqual(['ARN', 'Name', 'VersionId']);
    expect(create!.ARN).toMatch(arnPattern('/app/db-password'));
    expect(create!.Name).toBe('/app/db-password');
    expect(create!.VersionId).toMatch(UUID);
    expect(Object.keys(get!)).toEqual(['ARN', 'Name', 'VersionId', 'SecretString', 'VersionStages', 'CreatedDate']);
    expect(get).toMatchObject({
      ARN: create!.ARN,
      Name: '/app/db-password',
      VersionId: create!.VersionId,
      SecretString: 'supersecret',
      VersionStages: ['AWSCURRENT'],
    });
    quickStartVersion = create!.VersionId;

    // follow-up: one version, AWSCURRENT
    const d = await rawOk(server.url, 'DescribeSecret', { SecretId: '/app/db-password' });
    expect(d.VersionIdsToStages).toEqual({ [create!.VersionId]: ['AWSCURRENT'] });

    // make room for the Node.js example, which creates the same secret (see the top of this file)
    await rawOk(server.url, 'DeleteSecret', { SecretId: '/app/db-password', ForceDeleteWithoutRecovery: true });
    const gone = await raw(server.url, 'DescribeSecret', { SecretId: '/app/db-password' });
    expect(gone.status).toBe(400);
    expect(gone.json.__type).toBe('ResourceNotFoundException');
  });

  exampleTest([])('Node.js: the SDK v3 creates the secret and prints its value', async () => {
    const r = await runFile('002-node.mjs', process.execPath);
    expectOk(r, '002-node.mjs');
    expect(r.stdout).toBe('supersecret\n');

    // follow-up: a new secret (not the quick start's version), value as sent
    const get = await rawOk(server.url, 'GetSecretValue', { SecretId: '/app/db-password' });
    expect(get).toMatchObject({ Name: '/app/db-password', SecretString: 'supersecret', VersionStages: ['AWSCURRENT'] });
    expect(get.VersionId).toMatch(UUID);
    expect(get.VersionId).not.toBe(quickStartVersion);
  });

  exampleTest(['boto3'])('Python: boto3 creates a JSON secret and prints its host', async () => {
    const r = await runFile('002-python.py', 'python3');
    expectOk(r, '002-python.py');
    expect(r.stdout).toBe('db.local\n');

    // follow-up: the value is json.dumps's text, unchanged
    const get = await rawOk(server.url, 'GetSecretValue', { SecretId: '/app/config' });
    expect(get).toMatchObject({ Name: '/app/config', VersionStages: ['AWSCURRENT'] });
    expect(get.SecretString).toBe('{"host": "db.local", "password": "s3cr3t"}');
    expect(get.ARN).toMatch(arnPattern('/app/config'));

    const list = await rawOk(server.url, 'ListSecrets', {});
    expect((list.SecretList as { Name: string }[]).map((s) => s.Name).sort()).toEqual([
      '/app/config',
      '/app/db-password',
    ]);
  });
});
