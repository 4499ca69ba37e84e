/**
 * Seed 000 (LocalStack's Secrets Manager guide): the AWS CLI flow through `awslocal`, step by step in the
 * guide's order against one `secretlite`, in a scratch directory (the guide's `secrets.json`).
 *
 * `awslocal` is LocalStack's wrapper (github.com/localstack/awscli-local): the aws CLI with the endpoint set.
 * Each step runs with a prelude defining it as exactly that, so the guide's command lines stay verbatim:
 *   awslocal() { aws --endpoint-url "$ENDPOINT" "$@"; }
 * The CLI runs with an isolated environment (test credentials, us-east-1, no config files, no pager).
 *
 * Outputs are compared with the ones the guide shows (examples/000-*.out.json), random ids and dates aside,
 * key order included. The guide prints dates as epoch seconds (1692882479.857329); the AWS CLI prints what
 * the API returns (v1 the wire's epoch seconds, v2 ISO 8601 by default): we follow AWS and accept either.
 *
 * The rotation part (zip, lambda create-function, lambda add-permission, rotate-secret) needs a Lambda
 * service on the same endpoint and rotation, which issue 14 builds; those steps are `it.todo` below, their
 * text stored in examples/000-7..9 for it.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  arnPattern,
  bash,
  docOutput,
  example,
  exampleTest,
  expectOk,
  expectRecent,
  isolatedEnv,
  startSecretlite,
  Shapes,
  UUID,
  type RunResult,
  type SeedServer,
} from './seeds.js';

const AWSLOCAL = 'awslocal() { aws --endpoint-url "$ENDPOINT" "$@"; }\n';

describe('seed 000 (LocalStack guide): awslocal secretsmanager ...', () => {
  let server: SeedServer;
  let dir: string;
  // one per side, fed the same steps in the same order: a VersionId equal across steps stays equal
  const ours = new Shapes();
  const theirs = new Shapes();
  let arn = '';
  let versionId = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secretlite-seed-000-'));
    server = await startSecretlite();
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const step = exampleTest(['aws']);

  /** Runs a step of the guide (the file's text as is, after the awslocal prelude) in the scratch directory. */
  async function guide(file: string): Promise<RunResult> {
    const r = await bash(AWSLOCAL + example(file), { cwd: dir, env: isolatedEnv({ ENDPOINT: server.endpoint }) });
    expectOk(r, file);
    return r;
  }

  /** The step's JSON output, compared with the one the guide shows. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  function expectAsShown(stdout: string, shown: string): Record<string, any> {
    const j = JSON.parse(stdout);
    expect(ours.text(j)).toBe(theirs.text(docOutput(shown)));
    return j;
  }

  // bash only, no aws CLI
  exampleTest([])('touch secrets.json; cat > secrets.json << EOF ...', async () => {
    const r = await bash(example('000-1-secrets-json.sh'), { cwd: dir, env: isolatedEnv() });
    expectOk(r, '000-1-secrets-json.sh');
    expect(r.stdout).toBe('');
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(
      '{\n  "username": "admin",\n  "password": "password"\n}\n',
    );
  });

  step(
    'create-secret --name test-secret --description "LocalStack Secret" --secret-string file://secrets.json',
    async () => {
      const r = await guide('000-2-create-secret.sh');
      const j = expectAsShown(r.stdout, '000-2-create-secret.out.json');
      expect(j.ARN).toMatch(arnPattern('test-secret'));
      expect(j.Name).toBe('test-secret');
      expect(j.VersionId).toMatch(UUID);
      arn = j.ARN;
      versionId = j.VersionId;
    },
  );

  step('describe-secret --secret-id test-secret', async () => {
    const r = await guide('000-3-describe-secret.sh');
    const j = expectAsShown(r.stdout, '000-3-describe-secret.out.json');
    expect(j).toMatchObject({ ARN: arn, Name: 'test-secret', Description: 'LocalStack Secret' });
    expect(j.VersionIdsToStages).toEqual({ [versionId]: ['AWSCURRENT'] });
    expectRecent(j.CreatedDate, 'CreatedDate');
    expectRecent(j.LastChangedDate, 'LastChangedDate');
  });

  step('list-secrets --filters Key=name,Values=Secret: AWS returns nothing for test-secret', async () => {
    // The guide says this lists the secrets "that have Secret in the name", and shows no output. On AWS the
    // name filter is a case-sensitive PREFIX match (AWS user guide, "Find secrets": "Name: Data returns a
    // secret named DatabaseSecret, but not databaseSecret or MyData"), so `test-secret` is not listed: we
    // follow AWS.
    const r = await guide('000-4-list-secrets.sh');
    expect(JSON.parse(r.stdout)).toEqual({ SecretList: [] });

    // follow-up: a prefix of the name does list it
    const prefix = await bash(`${AWSLOCAL}awslocal secretsmanager list-secrets --filters Key=name,Values=test`, {
      cwd: dir,
      env: isolatedEnv({ ENDPOINT: server.endpoint }),
    });
    expectOk(prefix, 'list-secrets --filters Key=name,Values=test');
    const list = JSON.parse(prefix.stdout).SecretList as Record<string, unknown>[];
    expect(list.map((s) => s.ARN)).toEqual([arn]);
    expect(list[0]!.SecretVersionsToStages).toEqual({ [versionId]: ['AWSCURRENT'] });
  });

  step('get-secret-value --secret-id test-secret: the file, byte for byte', async () => {
    const r = await guide('000-5-get-secret-value.sh');
    const j = expectAsShown(r.stdout, '000-5-get-secret-value.out.json');
    expect(j).toMatchObject({ ARN: arn, Name: 'test-secret', VersionId: versionId, VersionStages: ['AWSCURRENT'] });
    expect(j.SecretString).toBe('{\n  "username": "admin",\n  "password": "password"\n}\n');
    expectRecent(j.CreatedDate, 'CreatedDate');
  });

  step('tag-resource --secret-id test-secret --tags Key=Environment,Value=Development', async () => {
    const r = await guide('000-6-tag-resource.sh');
    expect(r.stdout).toBe(''); // TagResource answers nothing; the guide shows nothing

    // follow-up: describe-secret shows the tag, and nothing else changed
    const d = await bash(`${AWSLOCAL}awslocal secretsmanager describe-secret --secret-id test-secret`, {
      cwd: dir,
      env: isolatedEnv({ ENDPOINT: server.endpoint }),
    });
    expectOk(d, 'describe-secret after tag-resource');
    const j = JSON.parse(d.stdout);
    expect(j.Tags).toEqual([{ Key: 'Environment', Value: 'Development' }]);
    expect(j).toMatchObject({ ARN: arn, Name: 'test-secret', Description: 'LocalStack Secret' });
    expect(j.VersionIdsToStages).toEqual({ [versionId]: ['AWSCURRENT'] });
    expectRecent(j.LastAccessedDate, 'LastAccessedDate (AWS keeps the day only)', 2 * 86_400_000);
  });

  // Rotation: a Lambda function created on the same endpoint, then rotate-secret. Note that the guide's
  // rotate-secret names `MySecret`, a secret the guide never created (it created `test-secret`): run as
  // written, AWS answers ResourceNotFoundException.
  it.todo(
    'zip my-function.zip lambda_function.py; awslocal lambda create-function ... needs a Lambda service and rotation (issue 14)',
  );
  it.todo('awslocal lambda add-permission ... needs a Lambda service and rotation (issue 14)');
  it.todo('awslocal secretsmanager rotate-secret --secret-id MySecret ... needs rotation (issue 14)');
});
