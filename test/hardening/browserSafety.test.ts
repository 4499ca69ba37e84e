import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { startServer, type RunningServer } from '../../src/index.js';
import { REFUSED } from '../../src/server/origin.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw request to 127.0.0.1 (or `address`), with exactly the headers given (Host included, when given). */
function send(
  port: number,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string; address?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: opts.address ?? '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/_secretlite/health',
        headers: opts.headers ?? {},
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Writes `text` on a new connection and reads until the server closes it. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(text));
    let data = '';
    s.on('data', (d) => (data += d.toString()));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
}

/** An AWS JSON call made the way a web page would (headers of the test's choosing). */
const api = (port: number, target: string, body: unknown, headers: Record<string, string> = {}, address?: string) =>
  send(port, {
    method: 'POST',
    path: '/',
    address,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${target}`, ...headers },
    body: JSON.stringify(body),
  });

const corsHeaders = (a: Answer) => Object.keys(a.headers).filter((k) => k.startsWith('access-control-'));

function expectRefused(a: Answer, message: string): void {
  expect(a.status).toBe(403);
  expect(JSON.parse(a.body)).toEqual({ __type: 'AccessDeniedException', Message: message });
  expect(corsHeaders(a)).toEqual([]);
}

const sdk = (url: string) =>
  new SecretsManagerClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });

describe('browser safety, listening on loopback', () => {
  let server: RunningServer;
  let port = 0;
  beforeAll(async () => {
    server = await startServer({ port: 0, logLevel: 'silent', allowedHosts: ['secrets.test', '*.dev.internal'] });
    port = server.port;
  });
  afterAll(() => server.close());

  it('refuses a CORS preflight, on the API and beside it, without any Access-Control-Allow-* header', async () => {
    for (const path of ['/', '/_secretlite/health', '/_secretlite/clock']) {
      const a = await send(port, {
        method: 'OPTIONS',
        path,
        headers: {
          origin: 'http://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-amz-target',
        },
      });
      expectRefused(a, REFUSED.preflight);
    }
  });

  it('refuses a cross-origin POST before acting on it', async () => {
    const a = await api(
      port,
      'CreateSecret',
      { Name: 'from-a-web-page', SecretString: 'x' },
      {
        origin: 'http://evil.example',
      },
    );
    expectRefused(a, REFUSED.crossOrigin);
    await expect(sdk(server.url).send(new DescribeSecretCommand({ SecretId: 'from-a-web-page' }))).rejects.toThrow(
      /can't find the specified secret/,
    );
  });

  it('refuses other origins: another port, another scheme, an opaque origin, Sec-Fetch-Site: cross-site', async () => {
    const refusedHeaders: Record<string, string>[] = [
      { origin: `http://127.0.0.1:${port + 1}` },
      { origin: `https://127.0.0.1:${port}` },
      { origin: `http://localhost:${port}` }, // Host says 127.0.0.1: another origin
      { origin: 'null' },
      { origin: 'not a url' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of refusedHeaders) {
      expectRefused(await api(port, 'ListSecrets', {}, headers), REFUSED.crossOrigin);
    }
    expectRefused(await send(port, { headers: { origin: 'http://evil.example' } }), REFUSED.crossOrigin);
  });

  it('serves a page of its own origin', async () => {
    const allowed: Record<string, string>[] = [
      { origin: `http://127.0.0.1:${port}` },
      { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' },
      { origin: `http://LOCALHOST:${port}`, host: `localhost:${port}` },
      { 'sec-fetch-site': 'none' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of allowed) {
      const a = await api(port, 'ListSecrets', {}, headers);
      expect(a.status).toBe(200);
      expect(corsHeaders(a)).toEqual([]);
    }
  });

  it('serves SDK calls (no Origin)', async () => {
    const sm = sdk(server.url);
    await sm.send(new CreateSecretCommand({ Name: 'sdk-secret', SecretString: 's3cr3t' }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'sdk-secret' }))).SecretString).toBe('s3cr3t');
  });

  it('refuses a Host that is not loopback (DNS rebinding), on every path', async () => {
    const evil = [
      'evil.example',
      `evil.example:${port}`,
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      'evil.example@localhost',
      'localhost/x',
      '0.0.0.0',
      '10.0.0.1',
      '[::2]',
      'localhost.',
    ];
    for (const host of evil) {
      expect([host, (await send(port, { headers: { host } })).status]).toEqual([host, 403]);
      expectRefused(await send(port, { headers: { host } }), REFUSED.host);
      expectRefused(await api(port, 'ListSecrets', {}, { host }), REFUSED.host);
    }
    // a same-origin page under a rebound name is still refused: its Host is not loopback
    const rebound = await api(
      port,
      'ListSecrets',
      {},
      { host: `evil.example:${port}`, origin: `http://evil.example:${port}` },
    );
    expectRefused(rebound, REFUSED.host);
  });

  it('serves every loopback name and address, with any port', async () => {
    const hosts = [
      'localhost',
      `localhost:${port}`,
      'LOCALHOST:1',
      'api.localhost:8080',
      '127.0.0.1',
      `127.0.0.1:${port}`,
      '127.1.2.3:80',
      '[::1]',
      `[::1]:${port}`,
      '[0:0:0:0:0:0:0:1]:9',
      // LocalStack's name (public DNS answers 127.0.0.1), and the names --allowed-hosts adds
      `localhost.localstack.cloud:${port}`,
      'sm.localhost.localstack.cloud',
      `secrets.test:${port}`,
      'a.dev.internal',
    ];
    for (const host of hosts) {
      const a = await send(port, { headers: { host } });
      expect([host, a.status]).toEqual([host, 200]);
    }
    // only those: a name next to them is still refused
    for (const host of ['secrets.test.evil.example', 'dev.internal.evil.example', 'xsecrets.test']) {
      expect([host, (await send(port, { headers: { host } })).status]).toEqual([host, 403]);
    }
  });

  it('serves an HTTP/1.0 request without Host; refuses an empty Host', async () => {
    expect(await rawRequest(port, 'GET /_secretlite/health HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
    const empty = await rawRequest(port, 'GET /_secretlite/health HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n');
    expect(empty).toMatch(/^HTTP\/1\.1 403 /);
    expect(empty).toContain(JSON.stringify(REFUSED.host));
  });
});

/** An IPv4 address of this machine that is not loopback, if it has one. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;

describe.skipIf(lanAddress === undefined)('browser safety, listening on a non-loopback address', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ host: lanAddress, port: 0, logLevel: 'silent' });
  });
  afterAll(() => server?.close());

  it('serves any Host (names that resolve to this machine are its own business)', async () => {
    for (const host of ['secrets.internal.example', `${lanAddress}:${server.port}`, 'localhost']) {
      const a = await send(server.port, { address: lanAddress, headers: { host } });
      expect([host, a.status]).toEqual([host, 200]);
      expect((await api(server.port, 'ListSecrets', {}, { host }, lanAddress)).status).toBe(200);
    }
  });

  it('still refuses other origins and preflights', async () => {
    const host = `secrets.internal.example:${server.port}`;
    const a = await api(server.port, 'ListSecrets', {}, { host, origin: 'http://evil.example' }, lanAddress);
    expectRefused(a, REFUSED.crossOrigin);
    const same = await api(server.port, 'ListSecrets', {}, { host, origin: `http://${host}` }, lanAddress);
    expect(same.status).toBe(200);
    const pre = await send(server.port, { method: 'OPTIONS', path: '/', address: lanAddress, headers: { host } });
    expectRefused(pre, REFUSED.preflight);
  });
});
