import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { leaksIn } from '../leaks.js';
import { listeningUrl } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../bin/secretlite.js', import.meta.url));
const CANARY = `leak-canary-${randomUUID()}`;
const BINARY = Buffer.from(`bin-canary-${randomUUID()}`);
let child: ChildProcess;
let url = '';
let logs = '';
const bodies: string[] = [];

async function call(op: string, body: unknown, keep = true) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${op}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  if (keep) bodies.push(`${op} ${r.status} ${text}`);
  return { status: r.status, text };
}

beforeAll(async () => {
  // strict AWS mode: the token-less PutSecretValue below is one of the refusals checked (by default it is served)
  child = spawn(process.execPath, [BIN, '--port', '0', '--log-level', 'debug', '--strict-aws'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
  url = await listeningUrl(child, (chunk) => (logs += chunk));
});
afterAll(() => {
  child.kill('SIGKILL');
});

describe('secret values never leak', () => {
  it('not into logs, error messages or the health output', async () => {
    const token = randomUUID();
    expect(
      (await call('CreateSecret', { Name: 'leak/a', SecretString: CANARY, ClientRequestToken: token })).status,
    ).toBe(200);
    expect(
      (
        await call('PutSecretValue', {
          SecretId: 'leak/a',
          SecretBinary: BINARY.toString('base64'),
          ClientRequestToken: randomUUID(),
        })
      ).status,
    ).toBe(200);
    // every kind of refusal, each carrying the canary somewhere sensitive
    const refusals: Array<[string, unknown]> = [
      ['CreateSecret', { Name: 'leak/a', SecretString: `${CANARY}-other`, ClientRequestToken: token }],
      [
        'CreateSecret',
        { Name: 'leak/big', SecretString: `${CANARY}${'x'.repeat(65_536)}`, ClientRequestToken: randomUUID() },
      ],
      [
        'CreateSecret',
        {
          Name: 'leak/both',
          SecretString: CANARY,
          SecretBinary: BINARY.toString('base64'),
          ClientRequestToken: randomUUID(),
        },
      ],
      ['CreateSecret', { Name: 'bad name', SecretString: CANARY, ClientRequestToken: randomUUID() }],
      ['CreateSecret', { Name: 'leak/obj', SecretString: { v: CANARY }, ClientRequestToken: randomUUID() }],
      ['CreateSecret', `{"Name":"leak/sur","SecretString":"${CANARY}\\ud800","ClientRequestToken":"${randomUUID()}"}`],
      ['PutSecretValue', { SecretId: 'leak/a', SecretString: CANARY }],
      ['PutSecretValue', { SecretId: 'leak/a', SecretBinary: `${CANARY}!!`, ClientRequestToken: randomUUID() }],
      [
        'PutSecretValue',
        { SecretId: 'leak/a', SecretString: CANARY, ClientRequestToken: randomUUID(), RotationToken: `${CANARY}*` },
      ],
      ['PutSecretValue', { SecretId: 'leak/missing', SecretString: CANARY, ClientRequestToken: randomUUID() }],
      ['UpdateSecret', { SecretId: 'leak/a', SecretString: '', ClientRequestToken: randomUUID() }],
      [
        'UpdateSecret',
        {
          SecretId: 'leak/a',
          SecretBinary: Buffer.alloc(65_537, 1).toString('base64'),
          ClientRequestToken: randomUUID(),
        },
      ],
      ['GetSecretValue', { SecretId: 'leak/a', VersionStage: 'nope' }],
    ];
    for (const [op, body] of refusals) {
      const r = await call(op, body);
      expect(r.status, `${op} ${r.text}`).toBe(400);
    }
    // successful reads carry the value, as they must; they are not part of what is checked
    const read = await call('GetSecretValue', { SecretId: 'leak/a', VersionStage: 'AWSPREVIOUS' }, false);
    expect(read.text).toContain(CANARY);
    const health = await (await fetch(`${url}/_secretlite/health`)).text();
    const found = {
      logs: leaksIn(logs, [CANARY, BINARY]),
      errors: leaksIn(bodies.join('\n'), [CANARY, BINARY]),
      health: leaksIn(health, [CANARY, BINARY]),
    };
    expect(found).toEqual({ logs: [], errors: [], health: [] });
  });

  it('logs one structured JSON line per request at debug level, without bodies', async () => {
    const lines = logs.split('\n').filter((l) => l.startsWith('{'));
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(15);
    for (const r of requests) {
      expect(Object.keys(r).sort()).toEqual(['level', 'method', 'ms', 'msg', 'operation', 'status', 'time']);
      expect(typeof r.ms).toBe('number');
    }
    expect(requests.some((r) => r.operation === 'CreateSecret' && r.status === 400)).toBe(true);
  });
});
