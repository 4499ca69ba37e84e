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
 * The rotation part (zip, lambda create-function, lambda add-permission, rotate-secret) runs on secretlite's own
 * Lambda API, the function as a local python3 process (examples/000-7..9).
 */
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  arnPattern,
  bash,
  dateMs,
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

  // Rotation: a Lambda function created on the same endpoint (secretlite's own Lambda API, run as a local python3
  // process), then rotate-secret. The guide says to "copy the code from a Secrets Manager template": the file
  // below is AWS's generic template (SecretsManagerRotationTemplate/lambda_function.py) cut to its calls.
  step('zip my-function.zip lambda_function.py; awslocal lambda create-function ... --handler my-handler', async () => {
    await writeFile(join(dir, 'lambda_function.py'), ROTATION_FUNCTION);
    const r = await guide('000-7-create-function.sh');
    expect(r.stdout).toContain('adding: lambda_function.py');
    const j = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    expect(j).toMatchObject({
      FunctionName: 'my-rotation-function',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:my-rotation-function',
      Runtime: 'python3.9',
      Handler: 'my-handler',
      Role: 'arn:aws:iam::000000000000:role/service-role/rotation-lambda-role',
      Timeout: 3,
      MemorySize: 128,
      Version: '$LATEST',
      PackageType: 'Zip',
      State: 'Active',
    });
    expect(j.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  step(
    'awslocal lambda add-permission --function-name my-rotation-function ... --principal secretsmanager.amazonaws.com',
    async () => {
      const r = await guide('000-8-add-permission.sh');
      const statement = JSON.parse(JSON.parse(r.stdout).Statement);
      expect(statement).toEqual({
        Sid: 'SecretsManager',
        Effect: 'Allow',
        Principal: { Service: 'secretsmanager.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: 'arn:aws:lambda:us-east-1:000000000000:function:my-rotation-function',
      });
    },
  );

  // the function is Python with boto3, as AWS's template
  exampleTest(['aws', 'boto3'])(
    'awslocal secretsmanager rotate-secret --secret-id MySecret ...: as written, then with MySecret created',
    async () => {
      const env = isolatedEnv({ ENDPOINT: server.endpoint });
      const cli = async (command: string) => {
        const r = await bash(`${AWSLOCAL}awslocal ${command}`, { cwd: dir, env });
        expectOk(r, command);
        return JSON.parse(r.stdout || '{}');
      };
      // The guide never created MySecret (it created test-secret): AWS answers ResourceNotFoundException.
      const missing = await bash(AWSLOCAL + example('000-9-rotate-secret.sh'), { cwd: dir, env });
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('ResourceNotFoundException');
      expect(missing.stderr).toContain("Secrets Manager can't find the specified secret.");

      await cli('secretsmanager create-secret --name MySecret --secret-string file://secrets.json');
      const r = await guide('000-9-rotate-secret.sh');
      const j = JSON.parse(r.stdout);
      expect(Object.keys(j)).toEqual(['ARN', 'Name', 'VersionId']);
      expect(j.Name).toBe('MySecret');
      const token = j.VersionId as string;

      // The guide's handler, "my-handler", names no module.function: the rotation fails at its first step, as it
      // would on AWS (Runtime.MalformedHandlerName), and the new version stays AWSPENDING without a value.
      const described = async () => cli('secretsmanager describe-secret --secret-id MySecret');
      let d = await described();
      for (let i = 0; i < 100 && d.VersionIdsToStages[token]?.includes('AWSPENDING') !== true; i++)
        d = await described();
      expect(d.VersionIdsToStages[token]).toEqual(['AWSPENDING']);
      expect(d).toMatchObject({
        RotationEnabled: true,
        RotationLambdaARN: 'arn:aws:lambda:us-east-1:000000000000:function:my-rotation-function',
        RotationRules: { Duration: '2h', ScheduleExpression: 'cron(0 16 1,15 * ? *)' },
      });
      // with a ScheduleExpression AWS also shows the days it amounts to [M]: here 13 to 17, the month decides
      expect(d.RotationRules.AutomaticallyAfterDays).toBeGreaterThanOrEqual(13);
      expect(d.RotationRules.AutomaticallyAfterDays).toBeLessThanOrEqual(17);
      const pending = await bash(
        `${AWSLOCAL}awslocal secretsmanager get-secret-value --secret-id MySecret --version-stage AWSPENDING`,
        { cwd: dir, env },
      );
      expect(pending.stderr).toContain('ResourceNotFoundException');

      // Follow-up: the template's real handler; the retry (a few seconds later: the clock endpoint moves time)
      // finishes the same rotation, with the same token.
      await cli(
        'lambda update-function-configuration --function-name my-rotation-function --handler lambda_function.lambda_handler',
      );
      for (let i = 0; i < 200 && !d.VersionIdsToStages[token]?.includes('AWSCURRENT'); i++) {
        await fetch(`${server.url}/_secretlite/clock`, { method: 'POST', body: JSON.stringify({ advance: '1m' }) });
        d = await described();
      }
      expect(d.VersionIdsToStages[token]).toEqual(['AWSCURRENT']);
      const v = await cli('secretsmanager get-secret-value --secret-id MySecret');
      expect(v.VersionId).toBe(token);
      expect(v.SecretString).toMatch(/^[!-~]{32}$/);
      const previous = await cli('secretsmanager get-secret-value --secret-id MySecret --version-stage AWSPREVIOUS');
      expect(previous.SecretString).toBe('{\n  "username": "admin",\n  "password": "password"\n}\n');
      // the next window: the 1st or the 15th, 16:00 to 18:00 UTC; NextRotationDate is its end less a second
      expect(new Date(dateMs(d.NextRotationDate)).toISOString()).toMatch(/^\d{4}-\d{2}-(01|15)T17:59:59\.000Z$/);
    },
  );
});

/** AWS's generic rotation template (aws-samples SecretsManagerRotationTemplate/lambda_function.py), its calls. */
const ROTATION_FUNCTION = `import boto3, logging, os

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def lambda_handler(event, context):
    arn = event['SecretId']
    token = event['ClientRequestToken']
    step = event['Step']
    service_client = boto3.client('secretsmanager', endpoint_url=os.environ['SECRETS_MANAGER_ENDPOINT'])
    metadata = service_client.describe_secret(SecretId=arn)
    if not metadata['RotationEnabled']:
        raise ValueError("Secret %s is not enabled for rotation" % arn)
    versions = metadata['VersionIdsToStages']
    if token not in versions:
        raise ValueError("Secret version %s has no stage for rotation of secret %s." % (token, arn))
    if "AWSCURRENT" in versions[token]:
        return
    elif "AWSPENDING" not in versions[token]:
        raise ValueError("Secret version %s not set as AWSPENDING for rotation of secret %s." % (token, arn))
    if step == "createSecret":
        service_client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
        try:
            service_client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except service_client.exceptions.ResourceNotFoundException:
            passwd = service_client.get_random_password(ExcludeCharacters='/@"\\'\\\\')
            service_client.put_secret_value(SecretId=arn, ClientRequestToken=token,
                                            SecretString=passwd['RandomPassword'], VersionStages=['AWSPENDING'])
    elif step == "finishSecret":
        current_version = None
        for version in metadata["VersionIdsToStages"]:
            if "AWSCURRENT" in metadata["VersionIdsToStages"][version]:
                if version == token:
                    return
                current_version = version
                break
        service_client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                                   MoveToVersionId=token, RemoveFromVersionId=current_version)
    elif step not in ("setSecret", "testSecret"):
        raise ValueError("Invalid step parameter")
`;
