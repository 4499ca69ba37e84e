import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { startServer, type RunningServer } from '../../src/index.js';
import { ConfigError, parseConfig } from '../../src/config.js';
import { startAgentServer } from '../../src/agent/agent.js';
import { createLogger } from '../../src/logger.js';
import type { Services } from '../../src/protocol/pipeline.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { client as authClient, startAuthServer, writeCredentials, type Key } from '../auth/authHelpers.js';

/**
 * The Secrets Manager Agent endpoint against the agent's own source (github.com/aws/aws-secretsmanager-agent,
 * aws_secretsmanager_agent/src/server.rs, parse.rs, utils.rs, cache_manager.rs; aws_secretsmanager_caching's
 * output.rs): every status and body exact.
 */

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw request (node:http: the path is sent as written, headers exactly as given). */
function call(url: string, path: string, opts: { method?: string; headers?: Record<string, string> } = {}) {
  const u = new URL(url);
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const TOKEN = { 'X-Aws-Parameters-Secrets-Token': 't' };
/** utils.rs err_response, as the agent writes it */
const smError = (code: string, message: string) => `{"__type":"${code}", "message":"${message}"}`;

describe('the Secrets Manager Agent endpoint', () => {
  let t: TestServer;
  let sm: SecretsManagerClient;
  let agentUrl: string;
  const get = (path: string, headers: Record<string, string> = TOKEN, method = 'GET') =>
    call(agentUrl, path, { headers, method });

  beforeAll(async () => {
    t = await startTestServer({ agentPort: 0, agentToken: 't' });
    sm = t.client();
    agentUrl = t.server.agentUrl!;
    // a creation date with milliseconds: CreatedDate "1768473000.046"
    t.clock.advance(46);
    await sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: '{"user":"u","pass":"p\\"q"}' }));
    await sm.send(new CreateSecretCommand({ Name: 'bin', SecretBinary: Buffer.from([0, 1, 2, 250, 251]) }));
  });
  afterAll(() => t.close());

  /** The body the agent builds from GetSecretValue's answer: its members in order, CreatedDate a string. */
  async function expected(input: { SecretId: string; VersionId?: string; VersionStage?: string }): Promise<string> {
    const r = await t.raw('secretsmanager.GetSecretValue', input);
    const o = r.json;
    const parts = [`"ARN":${JSON.stringify(o.ARN)}`, `"Name":${JSON.stringify(o.Name)}`];
    parts.push(`"VersionId":${JSON.stringify(o.VersionId)}`);
    if (o.SecretString !== undefined) parts.push(`"SecretString":${JSON.stringify(o.SecretString)}`);
    if (o.SecretBinary !== undefined) parts.push(`"SecretBinary":${JSON.stringify(o.SecretBinary)}`);
    parts.push(`"VersionStages":${JSON.stringify(o.VersionStages)}`, `"CreatedDate":"${String(o.CreatedDate)}"`);
    return `{${parts.join(',')}}`;
  }

  it('answers a secret on both paths, re-serialized as the agent does', async () => {
    const current = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
    const body =
      `{"ARN":"${current.ARN}","Name":"app/db","VersionId":"${current.VersionId}",` +
      `"SecretString":"{\\"user\\":\\"u\\",\\"pass\\":\\"p\\\\\\"q\\"}","VersionStages":["AWSCURRENT"],` +
      `"CreatedDate":"1768473000.046"}`;
    const q = await get('/secretsmanager/get?secretId=app%2Fdb');
    expect(q).toMatchObject({ status: 200, body });
    // hyper's response: no Content-Type
    expect(q.headers['content-type']).toBeUndefined();
    expect(q.headers['keep-alive']).toBeUndefined();
    expect(q.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    // path style: the rest of the path is the id, slashes included
    expect(await get('/v1/app/db')).toMatchObject({ status: 200, body });
    // by ARN, and through X-Vault-Token (the agent's second token header)
    expect(await get(`/v1/${current.ARN!}`, { 'X-Vault-Token': 't' })).toMatchObject({ status: 200, body });
    expect(await get(`/secretsmanager/get?secretId=${encodeURIComponent(current.ARN!)}`)).toMatchObject({
      status: 200,
      body,
    });
    // refreshNow is accepted (there is no cache: every answer is current)
    expect(await get('/secretsmanager/get?secretId=app/db&refreshNow=TRUE')).toMatchObject({ status: 200, body });
    expect(await get('/v1/app/db?refreshNow=0')).toMatchObject({ status: 200, body });
  });

  it('answers a binary secret in base64, without SecretString', async () => {
    const r = await get('/v1/bin');
    expect(r.status).toBe(200);
    expect(r.body).toBe(await expected({ SecretId: 'bin' }));
    expect(JSON.parse(r.body)).toMatchObject({ SecretBinary: 'AAEC+vs=', CreatedDate: '1768473000.046' });
    expect(r.body).not.toContain('SecretString');
  });

  it('selects versions by versionId and versionStage', async () => {
    const first = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
    t.clock.advance(1000);
    await sm.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'second' }));
    const now = await expected({ SecretId: 'app/db' });
    expect(JSON.parse(now)).toMatchObject({ SecretString: 'second', CreatedDate: '1768473001.046' });
    expect((await get('/v1/app/db')).body).toBe(now);
    const previous = await expected({ SecretId: 'app/db', VersionStage: 'AWSPREVIOUS' });
    expect(JSON.parse(previous)).toMatchObject({ VersionId: first.VersionId, VersionStages: ['AWSPREVIOUS'] });
    for (const path of [
      '/secretsmanager/get?secretId=app/db&versionStage=AWSPREVIOUS',
      '/v1/app/db?versionStage=AWSPREVIOUS',
      `/secretsmanager/get?secretId=app/db&versionId=${first.VersionId!}`,
      `/v1/app/db?versionId=${first.VersionId!}&versionStage=AWSPREVIOUS`,
    ]) {
      expect(await get(path)).toMatchObject({ status: 200, body: previous });
    }
  });

  it('answers /ping without a token, and refuses other methods on it', async () => {
    expect(await get('/ping', {})).toMatchObject({ status: 200, body: 'healthy' });
    expect(await get('/ping?x=1', { 'X-Forwarded-For': '10.0.0.1' })).toMatchObject({ status: 200, body: 'healthy' });
    expect(await get('/ping', {}, 'POST')).toMatchObject({ status: 405, body: 'Not allowed' });
  });

  it('checks, in order, X-Forwarded-For, the token, then the method', async () => {
    const path = '/secretsmanager/get?secretId=app/db';
    expect(await get(path, {})).toMatchObject({ status: 403, body: 'Bad Token' });
    expect(await get(path, { 'X-Aws-Parameters-Secrets-Token': 'T' })).toMatchObject({
      status: 403,
      body: 'Bad Token',
    });
    expect(await get(path, { 'X-Aws-Parameters-Secrets-Token': 't ' })).toMatchObject({ status: 200 }); // trimmed
    expect(await get(path, { Authorization: 't' })).toMatchObject({ status: 403, body: 'Bad Token' });
    // a wrong first header, the right second one
    expect(await get(path, { 'X-Aws-Parameters-Secrets-Token': 'x', 'X-Vault-Token': 't' })).toMatchObject({
      status: 200,
    });
    expect(await get(path, { ...TOKEN, 'X-Forwarded-For': '54.239.28.85' })).toMatchObject({
      status: 400,
      body: 'Forwarded',
    });
    expect(await get(path, { 'X-Forwarded-For': '' })).toMatchObject({ status: 400, body: 'Forwarded' });
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']) {
      expect(await get(path, TOKEN, method)).toMatchObject({ status: 405, body: 'Not allowed' });
      expect(await get('/v1/app/db', {}, method)).toMatchObject({ status: 403, body: 'Bad Token' });
    }
    expect(await get(path, TOKEN, 'HEAD')).toMatchObject({ status: 405, body: '' });
    expect(await get('/pong')).toMatchObject({ status: 404, body: 'Not found' });
    expect(await get('/pong', {})).toMatchObject({ status: 403, body: 'Bad Token' });
    expect(await get('/secretsmanager/get/')).toMatchObject({ status: 404, body: 'Not found' });
    expect(await get('/v1')).toMatchObject({ status: 404, body: 'Not found' });
  });

  it('refuses bad queries with the agent parser texts', async () => {
    const bad = (path: string, body: string) => expect(get(path)).resolves.toMatchObject({ status: 400, body });
    await bad('/secretsmanager/get', 'missing parameter secretId');
    await bad('/secretsmanager/get?secretId=', 'missing parameter secretId');
    await bad('/secretsmanager/get?&versionStage=AWSPENDING', 'missing parameter secretId');
    await bad('/secretsmanager/get?secretId=app/db&versionStage=AWSPENDING&abc=1', 'unknown parameter: abc');
    // pairs in order: the first problem is the answer
    await bad('/secretsmanager/get?abc=1&refreshNow=maybe', 'unknown parameter: abc');
    await bad('/secretsmanager/get?refreshNow=maybe&abc=1', 'invalid refreshNow value');
    await bad('/secretsmanager/get?abc=1', 'unknown parameter: abc');
    await bad('/secretsmanager/get?SecretId=app/db', 'unknown parameter: SecretId');
    await bad('/v1/', 'missing secret ID');
    await bad('/v1/?versionStage=AWSPENDING&abc=123', 'missing secret ID');
    await bad('/v1/app/db?secretId=app/db', 'unknown parameter: secretId');
    await bad('/v1/app/db?versionStage=AWSPENDING&abc=XXXXXXXXXXXX', 'unknown parameter: abc');
    await bad('/v1/app/db?refreshNow=2', 'invalid refreshNow value');
  });

  it("passes Secrets Manager's errors on in the agent's format", async () => {
    const notFound = smError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    expect(await get('/secretsmanager/get?secretId=nope')).toEqual(
      expect.objectContaining({ status: 400, body: notFound }),
    );
    expect(await get('/v1/nope')).toMatchObject({ status: 400, body: notFound });
    // the path is not percent-decoded: app%2Fdb is a name of its own (which Secrets Manager refuses)
    const raw = await t.raw('secretsmanager.GetSecretValue', { SecretId: 'app%2Fdb' });
    expect(await get('/v1/app%2Fdb')).toMatchObject({
      status: raw.status,
      body: smError(raw.json.__type as string, raw.json.Message as string),
    });
    expect(await get('/v1/app/db?versionStage=AWSPENDING')).toMatchObject({
      status: 400,
      body: smError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
      ),
    });
    // an empty versionId is sent as such (Some("")): Secrets Manager's validation answers
    const empty = await t.raw('secretsmanager.GetSecretValue', { SecretId: 'app/db', VersionId: '' });
    expect(empty.status).toBe(400);
    expect(await get('/v1/app/db?versionId=')).toMatchObject({
      status: 400,
      body: smError(empty.json.__type as string, empty.json.Message as string),
    });
    await sm.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'x' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'gone' }));
    expect(await get('/v1/gone')).toMatchObject({
      status: 400,
      body: smError(
        'InvalidRequestException',
        "You can't perform this operation on the secret because it was marked for deletion.",
      ),
    });
  });

  it("runs the agent README's Python example as written", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secretlite-agent-'));
    const tokenFile = join(dir, 'awssmatoken');
    writeFileSync(tokenFile, 't\n');
    // README.md "Step 3: Retrieve secrets with the Secrets Manager Agent", [ Python ]; only the URL's port, the
    // secret id and the token file's path are ours
    const example = `import requests
import json

# Function that fetches the secret from Secrets Manager Agent for the provided secret id. 
def get_secret():
    # Construct the URL for the GET request
    url = f"http://localhost:2773/secretsmanager/get?secretId=<YOUR_SECRET_ID>"

    # Get the SSRF token from the token file
    with open('/var/run/awssmatoken') as fp:
        token = fp.read() 

    headers = {
        "X-Aws-Parameters-Secrets-Token": token.strip()
    }

    try:
        # Send the GET request with headers
        response = requests.get(url, headers=headers)

        # Check if the request was successful
        if response.status_code == 200:
            # Return the secret value
            return response.text
        else:
            # Handle error cases
            raise Exception(f"Status code {response.status_code} - {response.text}")

    except Exception as e:
        # Handle network errors
        raise Exception(f"Error: {e}")
`
      .replace('localhost:2773', `localhost:${new URL(agentUrl).port}`)
      .replace('<YOUR_SECRET_ID>', 'app/db')
      .replace('/var/run/awssmatoken', tokenFile);
    const script = `${example}\nprint(json.loads(get_secret())["SecretString"])\n`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'python3',
        ['-c', script],
        { env: { PATH: process.env.PATH, NO_PROXY: '*', no_proxy: '*' } },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    expect(out).toBe('second\n');
  });
});

describe('the agent endpoint token', () => {
  const VARS = ['AWS_TOKEN', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'] as const;
  const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
  const restore = () => {
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  };
  afterAll(restore);

  it('is read from AWS_TOKEN first (file:// names a file, trimmed), then AWS_SESSION_TOKEN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secretlite-agent-'));
    const file = join(dir, 'token');
    writeFileSync(file, '  from-file\n');
    for (const v of VARS) delete process.env[v];
    process.env.AWS_TOKEN = `file://${file}`;
    process.env.AWS_SESSION_TOKEN = 'session';
    let server = await startServer({ port: 0, agentPort: 0, logLevel: 'silent' });
    try {
      const h = (v: string) => ({ 'X-Aws-Parameters-Secrets-Token': v });
      expect(await call(server.agentUrl!, '/v1/x', { headers: h('from-file') })).toMatchObject({ status: 400 });
      expect(await call(server.agentUrl!, '/v1/x', { headers: h('session') })).toMatchObject({ status: 403 });
    } finally {
      await server.close();
    }
    delete process.env.AWS_TOKEN;
    server = await startServer({ port: 0, agentPort: 0, logLevel: 'silent' });
    try {
      const r = await call(server.agentUrl!, '/v1/x', { headers: { 'X-Vault-Token': 'session' } });
      expect(r.status).toBe(400);
      expect(r.body).toMatch(/^\{"__type":"ResourceNotFoundException", /);
    } finally {
      await server.close();
    }
    restore();
  });

  it('stops startup when there is none, or its file cannot be read', async () => {
    for (const v of VARS) delete process.env[v];
    await expect(startServer({ port: 0, agentPort: 0, logLevel: 'silent' })).rejects.toThrow(
      'Could not read SSRF token variable(s) ["AWS_TOKEN", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN"]: ' +
        'environment variable not found; give the token with --agent-token (SECRETLITE_AGENT_TOKEN)',
    );
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = 'file:///no/such/file';
    await expect(startServer({ port: 0, agentPort: 0, logLevel: 'silent' })).rejects.toThrow(
      ': No such file or directory (os error 2);',
    );
    restore();
  });

  it('is given by --agent-token or SECRETLITE_AGENT_TOKEN, with the other agent options', () => {
    expect(parseConfig(['--agent-port', '2773', '--agent-token', 'x'], {})).toMatchObject({
      agentPort: 2773,
      agentToken: 'x',
    });
    const c = parseConfig([], {
      SECRETLITE_AGENT_PORT: '0',
      SECRETLITE_AGENT_TOKEN: 'file:///run/t',
      SECRETLITE_AGENT_REGION: 'eu-west-1',
      SECRETLITE_AGENT_ACCESS_KEY: '111111111111',
    });
    expect(c).toMatchObject({ agentPort: 0, agentToken: 'file:///run/t', agentRegion: 'eu-west-1' });
    expect(parseConfig([], {}).agentPort).toBeUndefined();
    expect(() => parseConfig(['--agent-port', 'x'], {})).toThrow(new ConfigError('invalid agent port: x'));
    expect(() => parseConfig(['--agent-port', '1', '--agent-region', 'EU'], {})).toThrow(ConfigError);
    expect(() => parseConfig(['--agent-port', '1', '--auth', 'sigv4', '--credentials', 'c.json'], {})).toThrow(
      '--agent-port with --auth sigv4 needs --agent-access-key (a key id of --credentials)',
    );
  });
});

describe('the agent endpoint in another account and Region', () => {
  it('calls with --agent-access-key (a 12-digit key is the account) and --agent-region', async () => {
    const t = await startTestServer({
      agentPort: 0,
      agentToken: 't',
      agentRegion: 'eu-west-1',
      agentAccessKey: '222222222222',
    });
    try {
      const out = await t
        .client({ region: 'eu-west-1', accessKeyId: '222222222222' })
        .send(new CreateSecretCommand({ Name: 'there', SecretString: 'v' }));
      expect(out.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:222222222222:secret:there-/);
      const r = await call(t.server.agentUrl!, '/v1/there', { headers: TOKEN });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ ARN: out.ARN, SecretString: 'v' });
      // the default account and Region do not have it
      await t.client().send(new CreateSecretCommand({ Name: 'here', SecretString: 'v' }));
      expect(await call(t.server.agentUrl!, '/v1/here', { headers: TOKEN })).toMatchObject({ status: 400 });
    } finally {
      await t.close();
    }
  });
});

describe('the agent endpoint and the audit log', () => {
  it('records its calls as GetSecretValue, with the agent in the user agent', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'secretlite-agent-')), 'audit.jsonl');
    const t = await startTestServer({ agentPort: 0, agentToken: 't', audit: file });
    await t.client().send(new CreateSecretCommand({ Name: 'audited', SecretString: 'v' }));
    expect(await call(t.server.agentUrl!, '/v1/audited', { headers: TOKEN })).toMatchObject({ status: 200 });
    expect(await call(t.server.agentUrl!, '/v1/missing', { headers: TOKEN })).toMatchObject({ status: 400 });
    await t.close();
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((r) => r.eventName === 'GetSecretValue');
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ userAgent: expect.stringContaining('aws-secrets-manager-agent/') as unknown });
    expect(records[0]).toMatchObject({ sourceIPAddress: '127.0.0.1', requestParameters: { secretId: 'audited' } });
    expect(records[1]).toMatchObject({ errorCode: 'ResourceNotFoundException' });
  });
});

describe('the agent endpoint with --auth sigv4', () => {
  const A = '111111111111';
  const ADMIN: Key = { accessKeyId: 'AKIAADMIN0000000', secretAccessKey: 'admin-secret' };
  const AGENT_KEY: Key = { accessKeyId: 'AKIAAGENT0000000', secretAccessKey: 'agent-secret' };
  const doc = (Statement: object) => ({ Version: '2012-10-17', Statement: [Statement] });
  const credentials = writeCredentials({
    principals: [
      {
        ...ADMIN,
        accountId: A,
        arn: `arn:aws:iam::${A}:user/admin`,
        policies: [doc({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' })],
      },
      {
        ...AGENT_KEY,
        accountId: A,
        arn: `arn:aws:iam::${A}:user/agent`,
        policies: [
          doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:*:${A}:secret:app/*` }), // prettier-ignore
        ],
      },
    ],
  });
  let server: RunningServer;
  beforeAll(async () => {
    server = await startAuthServer(credentials, {
      agentPort: 0,
      agentToken: 't',
      agentAccessKey: AGENT_KEY.accessKeyId,
    });
    const admin = authClient(server.url, ADMIN);
    await admin.send(new CreateSecretCommand({ Name: 'app/one', SecretString: 'allowed' }));
    await admin.send(new CreateSecretCommand({ Name: 'ops/two', SecretString: 'denied' }));
    admin.destroy();
  });
  afterAll(() => server.close());

  it("signs as the key's principal: its policies allow and deny", async () => {
    const ok = await call(server.agentUrl!, '/v1/app/one', { headers: TOKEN });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ Name: 'app/one', SecretString: 'allowed' });
    const denied = await call(server.agentUrl!, '/secretsmanager/get?secretId=ops/two', { headers: TOKEN });
    expect(denied.status).toBe(400);
    expect(denied.body).toMatch(
      new RegExp(
        `^\\{"__type":"AccessDeniedException", "message":"User: arn:aws:iam::${A}:user/agent is not authorized to ` +
          'perform: secretsmanager:GetSecretValue on resource: ops/two because no identity-based policy allows ' +
          'the secretsmanager:GetSecretValue action"\\}$',
      ),
    );
  });

  it('needs --agent-access-key, a key of the credentials file', async () => {
    await expect(startAuthServer(credentials, { agentPort: 0, agentToken: 't' })).rejects.toThrow(
      '--agent-port with --auth sigv4 needs --agent-access-key (a key id of the credentials file)',
    );
    await expect(
      startAuthServer(credentials, { agentPort: 0, agentToken: 't', agentAccessKey: 'AKIANOSUCHKEY000' }),
    ).rejects.toThrow('--agent-access-key AKIANOSUCHKEY000 is not a key of the credentials file');
  });
});

describe('the agent connection limit', () => {
  it('answers 429 past max_conn, with 2 more connections for /ping (server.rs validate_max_conn)', async () => {
    // the limit is checked before anything reaches the API: no services are used
    const services = { log: createLogger('silent'), defaults: { accountId: '0', region: 'us-east-1' } };
    const agent = await startAgentServer({
      services: services as unknown as Services,
      host: '127.0.0.1',
      port: 0,
      token: 't',
      maxConnections: 1,
    });
    const held: Socket[] = [];
    const hold = () =>
      new Promise<void>((resolve) => {
        const s = connect(agent.port, '127.0.0.1', () => resolve());
        held.push(s);
      });
    try {
      await hold(); // one connection open: the limit
      expect(await call(agent.url, '/v1/x')).toMatchObject({ status: 429, body: 'Connection limit exceeded' });
      expect(await call(agent.url, '/ping')).toMatchObject({ status: 200, body: 'healthy' });
      await hold();
      expect(await call(agent.url, '/ping')).toMatchObject({ status: 200, body: 'healthy' });
      await hold();
      expect(await call(agent.url, '/ping')).toMatchObject({ status: 429, body: 'Connection limit exceeded' });
      for (const s of held) s.destroy();
      await new Promise((r) => setTimeout(r, 50));
      expect(await call(agent.url, '/v1/x')).toMatchObject({ status: 403, body: 'Bad Token' });
    } finally {
      for (const s of held) s.destroy();
      await agent.close(100);
    }
  });
});
