import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { startServer, type RunningServer } from '../../src/index.js';

/**
 * The daily workflow: --seed (JSON or YAML, idempotent, errors with their line), reset() for test suites,
 * LocalStack's health endpoint, and progress on long work.
 */
const dir = mkdtempSync(join(tmpdir(), 'secretlite-seed-'));
const SEED = `# secrets for the app's tests
secrets:
  - name: app/db
    description: Database login
    value: {username: app, password: s3cret}
    tags: {team: blue, env: test}
    policy:
      Version: "2012-10-17"
      Statement:
        - {Effect: Deny, Principal: "*", Action: "secretsmanager:DeleteSecret", Resource: "*"}
    versions:
      - {value: '{"username":"app","password":"old"}', stages: [AWSPREVIOUS]}
      - {value: next-one, stages: [NEXT]}
    rotation: {rules: {AutomaticallyAfterDays: 30}}
    replicas: [eu-west-1]
  - name: app/cert
    binary: aGVsbG8gd29ybGQ=
  - name: other/token
    account: "222222222222"
    region: ap-south-1
    value: plain-token
`;
const seedPath = join(dir, 'seed.yaml');
writeFileSync(seedPath, SEED);
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});
const sdk = (url: string, accountId = '000000000000', region = 'us-east-1') =>
  new SecretsManagerClient({ endpoint: url, region, credentials: { accessKeyId: accountId, secretAccessKey: 'x' }, maxAttempts: 1 }); // prettier-ignore
async function start(opts: Parameters<typeof startServer>[0]) {
  const s = await startServer({ port: 0, logLevel: 'silent', ...opts });
  servers.push(s);
  return s;
}

describe('--seed', () => {
  const dataDir = join(dir, 'data');
  let first: { changed: string; versions: number } | undefined;

  it('applies every kind of member: values (JSON, string, binary), tags, policy, versions, rotation, replicas', async () => {
    const s = await start({ seed: seedPath, dataDir });
    const sm = sdk(s.url);
    const db = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
    expect(JSON.parse(db.SecretString!)).toEqual({ username: 'app', password: 's3cret' });
    const prev = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionStage: 'AWSPREVIOUS' }));
    expect(JSON.parse(prev.SecretString!).password).toBe('old');
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionStage: 'NEXT' }))).SecretString).toBe('next-one'); // prettier-ignore
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    expect(d.Description).toBe('Database login');
    expect(d.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'blue' },
        { Key: 'env', Value: 'test' },
      ]),
    );
    expect(d.RotationEnabled).toBe(true);
    expect(d.RotationRules?.AutomaticallyAfterDays).toBe(30);
    expect(d.ReplicationStatus?.map((r) => r.Region)).toEqual(['eu-west-1']);
    const p = await sm.send(new GetResourcePolicyCommand({ SecretId: 'app/db' }));
    expect(JSON.parse(p.ResourcePolicy!).Statement[0].Action).toBe('secretsmanager:DeleteSecret');
    const cert = await sm.send(new GetSecretValueCommand({ SecretId: 'app/cert' }));
    expect(Buffer.from(cert.SecretBinary!).toString()).toBe('hello world');
    const other = await sdk(s.url, '222222222222', 'ap-south-1').send(new GetSecretValueCommand({ SecretId: 'other/token' })); // prettier-ignore
    expect(other.SecretString).toBe('plain-token');
    const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'app/db', IncludeDeprecated: true }));
    first = { changed: String(d.LastChangedDate?.getTime()), versions: versions.Versions!.length };
    await s.close();
  });

  it('a second start with the same file changes nothing; a value put since is not put back', async () => {
    const s = await start({ seed: seedPath, dataDir });
    const sm = sdk(s.url);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'app/db', IncludeDeprecated: true }));
    expect({ changed: String(d.LastChangedDate?.getTime()), versions: versions.Versions!.length }).toEqual(first);
    await sm.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'changed-by-a-test' }));
    await s.close();
    const again = await start({ seed: seedPath, dataDir });
    const v = await sdk(again.url).send(new GetSecretValueCommand({ SecretId: 'app/db' }));
    expect(v.SecretString).toBe('changed-by-a-test');
    await again.close();
  });

  it('a value changed in the file becomes the current one at the next start', async () => {
    writeFileSync(seedPath, SEED.replace('password: s3cret', 'password: n3w'));
    const s = await start({ seed: seedPath, dataDir });
    const v = await sdk(s.url).send(new GetSecretValueCommand({ SecretId: 'app/db' }));
    expect(JSON.parse(v.SecretString!).password).toBe('n3w');
    await s.close();
    writeFileSync(seedPath, SEED);
  });

  it('errors name the file and the line: syntax, shape, and what the API refuses', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'secrets:\n  - name: ok/one\n    value: x\n  - name: "bad name!"\n    value: y\n');
    await expect(start({ seed: bad })).rejects.toThrow(
      `${bad}:4: secrets[1] (bad name!): CreateSecret: ValidationException: Invalid name. Must be a valid name ` +
        'containing alphanumeric characters, or any of the following: -/_+=.@!',
    );
    writeFileSync(bad, 'secrets:\n  - name: a\n    valu: x\n');
    await expect(start({ seed: bad })).rejects.toThrow(`${bad}:2: secrets[0]: unknown member "valu"`);
    writeFileSync(bad, 'secrets:\n  - name: a\n  value: [\n');
    await expect(start({ seed: bad })).rejects.toThrow(/bad\.yaml:\d+: neither valid JSON nor valid YAML/);
    writeFileSync(bad, '{"secrets": [{"name": "j", "value": "v", "binary": "AA=="}]}');
    await expect(start({ seed: bad })).rejects.toThrow(`${bad}:1: secrets[0]: "value" or "binary", not both`);
  });

  it('a seeded secret scheduled for deletion does not stop the next start; it is left as it is', async () => {
    const s = await start({ seed: seedPath, dataDir });
    await sdk(s.url).send(new DeleteSecretCommand({ SecretId: 'app/cert', RecoveryWindowInDays: 7 }));
    await s.close();
    writeFileSync(seedPath, SEED.replace('binary: aGVsbG8gd29ybGQ=', 'binary: Y2hhbmdlZA==\n    tags: {a: b}'));
    const again = await start({ seed: seedPath, dataDir });
    const d = await sdk(again.url).send(new DescribeSecretCommand({ SecretId: 'app/cert' }));
    expect(d.DeletedDate).toBeDefined();
    expect(d.Tags).toBeUndefined();
    await again.close();
    writeFileSync(seedPath, SEED);
  });

  it('members of the wrong shape are refused with their place, never stored as something else', async () => {
    const bad = join(dir, 'shapes.yaml');
    const cases: [string, string][] = [
      ['replicas: eu-west-1', '"replicas" must be a list of Regions or {region, kmsKeyId}'],
      ['replicas: [null]', '"replicas" must be a list of Regions or {region, kmsKeyId}'],
      ['versions: {value: x}', '"versions" must be a list'],
      ['versions: [null]', 'versions[0]: an object expected'],
      ['rotation: {rules: null}', '"rotation.rules" must be an object'],
      ['tags: team=blue', '"tags" must map keys to strings, or be a list of {Key, Value}'],
      ['tags: {env: }', '"tags" must map keys to strings, or be a list of {Key, Value}'],
      ['region: us-east1', '"region" must be a Region name such as us-east-1'],
      ['stages: [X]', 'unknown member "stages"'],
      ['binary: "not base64!"', '"binary" must be base64'],
    ];
    for (const [member, message] of cases) {
      writeFileSync(bad, `secrets:\n  - name: shaped\n    ${member}\n`);
      await expect(start({ seed: bad }), member).rejects.toThrow(`${bad}:2: secrets[0]: ${message}`);
    }
    await expect(start({ seed: { secrets: [{ name: 'x', Value: 'typo' } as never] } })).rejects.toThrow(
      'seed:1: secrets[0]: unknown member "Value"',
    );
  });

  it('a YAML date-like value stays the text written', async () => {
    const f = join(dir, 'date.yaml');
    writeFileSync(f, 'secrets:\n  - name: when\n    value: 2024-01-01\n  - name: yes-no\n    value: "yes"\n');
    const s = await start({ seed: f });
    expect((await sdk(s.url).send(new GetSecretValueCommand({ SecretId: 'when' }))).SecretString).toBe('2024-01-01');
  });

  it('takes the seed as an object too', async () => {
    const s = await start({ seed: { secrets: [{ name: 'inline', value: { a: 1 } }] } });
    const v = await sdk(s.url).send(new GetSecretValueCommand({ SecretId: 'inline' }));
    expect(v.SecretString).toBe('{"a":1}');
  });
});

describe('reset() and LocalStack health', () => {
  it('reset empties every account and Region; the server goes on', async () => {
    const s = await start({});
    for (const [acct, region] of [
      ['000000000000', 'us-east-1'],
      ['111111111111', 'eu-west-1'],
    ] as const) {
      const sm = sdk(s.url, acct, region);
      for (let i = 0; i < 50; i++) await sm.send(new CreateSecretCommand({ Name: `r/${i}`, SecretString: 'v' }));
    }
    await s.reset();
    for (const [acct, region] of [
      ['000000000000', 'us-east-1'],
      ['111111111111', 'eu-west-1'],
    ] as const) {
      expect((await sdk(s.url, acct, region).send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    }
    await sdk(s.url).send(new CreateSecretCommand({ Name: 'r/0', SecretString: 'again' }));
    expect((await sdk(s.url).send(new GetSecretValueCommand({ SecretId: 'r/0' }))).SecretString).toBe('again');
  });

  it('reset({ reseed: true }) empties, then applies the seed the server started with', async () => {
    const s = await start({ seed: { secrets: [{ name: 'seeded', value: 'v1' }] } });
    await sdk(s.url).send(new CreateSecretCommand({ Name: 'made-by-a-test', SecretString: 'x' }));
    await s.reset({ reseed: true });
    const names = (await sdk(s.url).send(new ListSecretsCommand({}))).SecretList!.map((x) => x.Name);
    expect(names).toEqual(['seeded']);
  });

  it("GET /_localstack/health answers in LocalStack's shape", async () => {
    const s = await start({});
    const r = await fetch(`${s.url}/_localstack/health`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { services: Record<string, string>; edition: string; version: string };
    expect(body.services.secretsmanager).toBe('running');
    expect(body.services.sts).toBe('running');
    expect(body.edition).toBe('community');
    expect(typeof body.version).toBe('string');
  });
});

describe('progress on long work', () => {
  it('the CLI seeding a large file prints progress lines when stderr is not a terminal', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify({ secrets: Array.from({ length: 200 }, (_, i) => ({ name: `bulk/${i}`, value: `v${i}` })) })); // prettier-ignore
    const bin = new URL('../../bin/secretlite.js', import.meta.url).pathname;
    const out = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      const child = execFile(
        process.execPath,
        [bin, '--port', '0', '--seed', big, '--log-level', 'error'],
        { timeout: 60_000 },
        (err, stdout, stderr) =>
          // prettier-ignore
          err && err.signal !== 'SIGTERM' ? reject(err) : resolve({ stdout, stderr }),
      );
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('listening on')) child.kill('SIGTERM');
      });
    });
    expect(out.stdout).toContain('listening on');
    const lines = out.stderr.split('\n').filter((l) => l.startsWith('seeding ['));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.at(-1)).toBe('seeding [########################] 100% 200/200');
  }, 60_000);
});
