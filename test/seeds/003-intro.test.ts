/**
 * Seed 003 (Pulumi's "What is AWS Secrets Manager?"): the AWS CLI examples, in the document's order against
 * one `secretlite`.
 *
 * `aws configure` is interactive (it asks for an access key, a secret key, a Region and an output format):
 * the test gives the CLI the same settings through the environment instead, chosen so that the account and
 * Region match the document's outputs: AWS_ACCESS_KEY_ID=111111111111 (secretlite takes a 12-digit access
 * key id as the account) and AWS_DEFAULT_REGION=eu-central-1. AWS_ENDPOINT_URL points the CLI at the server,
 * so the document's plain `aws secretsmanager ...` lines run verbatim; no config file, JSON output.
 *
 * Outputs are compared with the document's (examples/003-*.out.json), random ids and dates aside, key order
 * included. The document's CLI (v2) prints ISO 8601 dates; CLI v1 prints the API's epoch seconds: either is
 * accepted.
 *
 * The Pulumi programs (TypeScript, Python, Go, C#) need Pulumi and its AWS provider, which this machine does
 * not have: no test.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
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
  type SeedServer,
} from './seeds.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-central-1';

describe('seed 003 (Pulumi intro): aws secretsmanager create-secret, list-secrets, get-secret-value', () => {
  let server: SeedServer;
  const ours = new Shapes();
  const theirs = new Shapes();
  let arn = '';
  let versionId = '';

  beforeAll(async () => {
    server = await startSecretlite();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const step = exampleTest(['aws']);

  /** Runs the document's command line and compares its output with the one the document shows. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function asShown(file: string, shown: string): Promise<Record<string, any>> {
    const env = isolatedEnv({
      AWS_ACCESS_KEY_ID: ACCOUNT,
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: REGION,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: server.endpoint,
    });
    const r = await bash(example(file), { env });
    expectOk(r, file);
    const j = JSON.parse(r.stdout);
    expect(ours.text(j)).toBe(theirs.text(docOutput(shown)));
    return j;
  }

  step('aws secretsmanager create-secret --name MySecretName --secret-string "MySecretValue"', async () => {
    const j = await asShown('003-1-create-secret.sh', '003-1-create-secret.out.json');
    expect(j.ARN).toMatch(arnPattern('MySecretName', REGION, ACCOUNT));
    expect(j.Name).toBe('MySecretName');
    expect(j.VersionId).toMatch(UUID);
    arn = j.ARN;
    versionId = j.VersionId;
  });

  step('aws secretsmanager list-secrets', async () => {
    // before any read: no LastAccessedDate, as in the document
    const j = await asShown('003-2-list-secrets.sh', '003-2-list-secrets.out.json');
    expect(j.SecretList).toHaveLength(1);
    const entry = j.SecretList[0];
    expect(Object.keys(entry)).toEqual(['ARN', 'Name', 'LastChangedDate', 'SecretVersionsToStages', 'CreatedDate']);
    expect(entry).toMatchObject({ ARN: arn, Name: 'MySecretName' });
    expect(entry.SecretVersionsToStages).toEqual({ [versionId]: ['AWSCURRENT'] });
    expectRecent(entry.LastChangedDate, 'LastChangedDate');
    expectRecent(entry.CreatedDate, 'CreatedDate');
  });

  step('aws secretsmanager get-secret-value --secret-id MySecretName', async () => {
    const j = await asShown('003-3-get-secret-value.sh', '003-3-get-secret-value.out.json');
    expect(j).toMatchObject({
      ARN: arn,
      Name: 'MySecretName',
      VersionId: versionId,
      SecretString: 'MySecretValue',
      VersionStages: ['AWSCURRENT'],
    });
    expectRecent(j.CreatedDate, 'CreatedDate');
  });
});
