/**
 * Seed 001's curl quick start against `secretlite --strict-aws` (and SECRETLITE_STRICT_AWS=1): there
 * secretlite answers as AWS does where its default is lenient. The quick start's CreateSecret carries no
 * ClientRequestToken, which AWS requires of a raw call: HTTP 400 InvalidRequestException, nothing is created,
 * and the script's `jq -r '.ARN'` prints `Secret ARN: null`.
 *
 * (Real AWS would refuse the page's `Signature=fake` for access key `test` before it looked at the body;
 * secretlite checks no signature, in either mode, so the token is what strict mode refuses.)
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  bash,
  example,
  exampleTest,
  expectOk,
  rawOk,
  startSecretlite,
  withEndpoint,
  type SeedServer,
} from './seeds.js';

const NO_TOKEN =
  '{"__type":"InvalidRequestException","Message":"You must provide a ClientRequestToken value. We recommend a UUID-type value."}';
const NOT_FOUND =
  '{"__type":"ResourceNotFoundException","Message":"Secrets Manager can\'t find the specified secret."}';

/** The quick start's CreateSecret curl command, as written (the part of `SECRET_ARN=$(...)` before `| jq`). */
function createCall(quickStart: string): string {
  const m = /SECRET_ARN=\$\((curl [\s\S]*?) \\\n\| jq -r '\.ARN'\)/.exec(quickStart);
  if (!m) throw new Error('001-quickstart.sh: no `SECRET_ARN=$(curl ... | jq -r .ARN)`');
  return m[1]!;
}

const MODES: { mode: string; args: string[]; env: Record<string, string> }[] = [
  { mode: '--strict-aws', args: ['--strict-aws'], env: {} },
  { mode: 'SECRETLITE_STRICT_AWS=1', args: [], env: { SECRETLITE_STRICT_AWS: '1' } },
];

describe.each(MODES)('seed 001 quick start against secretlite $mode', ({ args, env }) => {
  let server: SeedServer;
  beforeAll(async () => {
    server = await startSecretlite(args, env);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const test = exampleTest(['curl', 'jq']);

  test('the CreateSecret call without a ClientRequestToken: HTTP 400 InvalidRequestException', async () => {
    const quickStart = withEndpoint(example('001-quickstart.sh'), server.endpoint);
    const r = await bash(`${createCall(quickStart)} -w '\\n%{http_code}'`);
    expectOk(r, 'the quick start create call');
    expect(r.stdout).toBe(`${NO_TOKEN}\n400`);
  });

  test('the whole quick start as written: "Secret ARN: null", then the secret is not found', async () => {
    const r = await bash(withEndpoint(example('001-quickstart.sh'), server.endpoint));
    expectOk(r, '001-quickstart.sh');
    expect(r.stdout).toBe(`Secret ARN: null\n${NOT_FOUND}`);
    // nothing was created
    expect(await rawOk(server.url, 'ListSecrets', {})).toEqual({ SecretList: [] });
  });
});
