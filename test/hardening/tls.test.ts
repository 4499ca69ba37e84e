import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { startServer, type RunningServer } from '../../src/index.js';
import { createLogger } from '../../src/logger.js';
import { CERT_POLL_MS, CERT_RELOAD_DEBOUNCE_MS } from '../../src/server/tls.js';
import { isolatedAwsEnv } from '../helpers.js';

/*
 * A throwaway CA and two server certificates (for 127.0.0.1 and localhost) made with openssl for this file only.
 * openssl is part of Debian's base image; without it the file is skipped, except in CI, where it fails.
 */
const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!haveOpenssl && !process.env.CI) {
  console.warn('test/hardening/tls.test.ts skipped: openssl is not installed (it makes the test certificates)');
}

const SERIAL_A = '0A01';
const SERIAL_B = '0B02';

let dir = '';
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function makeCa(): void {
  openssl(
    ...['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=secretlite test CA'],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  );
}

function makeServerCert(name: string, serial: string): void {
  writeFileSync(
    file('server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' +
      'keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  openssl('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=localhost');
  openssl(
    ...['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${serial}`],
    ...['-days', '2', '-out', `${name}.crt`, '-extfile', 'server.ext'],
  );
}

/** Replaces a served file the way certificate tools do: write beside it, then rename over it. */
function install(from: string, to: string): void {
  writeFileSync(file(`${to}.tmp`), readFileSync(file(from)));
  renameSync(file(`${to}.tmp`), file(to));
}

/** A new TLS connection trusting the test CA; resolves once the handshake is done. */
function tlsConnect(port: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, ca: readFileSync(file('ca.crt')), servername: 'localhost' }, () =>
      resolve(s),
    );
    s.on('error', reject);
  });
}

/** The serial number a new connection is shown. */
async function servedSerial(port: number): Promise<string> {
  const s = await tlsConnect(port);
  const serial = s.getPeerCertificate().serialNumber;
  s.destroy();
  return serial;
}

/** An HTTP request on an open TLS connection; the status line of the answer. */
function statusOn(s: TLSSocket): Promise<string> {
  return new Promise((resolve) => {
    s.once('data', (d: Buffer) => resolve(d.toString('latin1').split('\r\n')[0]!));
    s.write('GET /_secretlite/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  });
}

async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Long enough for a change to be seen and acted on (two polls, the debounce, slack). */
const SETTLE_MS = 2 * CERT_POLL_MS + CERT_RELOAD_DEBOUNCE_MS + 500;

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

describe.skipIf(!haveOpenssl && !process.env.CI)('HTTPS', () => {
  let server: RunningServer;
  const logLines: string[] = [];
  beforeAll(async () => {
    if (!haveOpenssl) throw new Error('openssl is required to make the test certificates (CI is set)');
    dir = mkdtempSync(join(tmpdir(), 'secretlite-tls-'));
    makeCa();
    makeServerCert('a', SERIAL_A);
    makeServerCert('b', SERIAL_B);
    install('a.crt', 'server.crt');
    install('a.key', 'server.key');
    server = await startServer({
      port: 0,
      logger: createLogger('info', (l) => logLines.push(l)),
      tls: { certFile: file('server.crt'), keyFile: file('server.key') },
    });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the AWS API over HTTPS to an SDK client that trusts the CA', async () => {
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    const sm = new SecretsManagerClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: readFileSync(file('ca.crt')) }) }),
    });
    await sm.send(new CreateSecretCommand({ Name: 'over-tls', SecretString: 'hush' }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'over-tls' }))).SecretString).toBe('hush');
    // and by name: the certificate is for localhost too
    const byName = new SecretsManagerClient({
      endpoint: `https://localhost:${server.port}`,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: readFileSync(file('ca.crt')) }) }),
    });
    expect((await byName.send(new GetSecretValueCommand({ SecretId: 'over-tls' }))).SecretString).toBe('hush');
  });

  it('boto3 and the AWS CLI, trusting the test CA (AWS_CA_BUNDLE), read over HTTPS; untrusting, they refuse', async () => {
    // asynchronously: the server answers from this very process
    const run = (cmd: string, args: string[], extra: Record<string, string>) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          cmd,
          args,
          { env: isolatedAwsEnv({ AWS_ENDPOINT_URL: server.url, ...extra }), timeout: 60_000 },
          (err, stdout, stderr) =>
            // prettier-ignore
            resolve({ code: err ? Number(err.code ?? 1) || 1 : 0, stdout, stderr }),
        ),
      );
    const haveAws = spawnSync('aws', ['--version']).status === 0;
    const haveBoto3 = spawnSync('python3', ['-c', 'import boto3']).status === 0;
    if (process.env.CI) expect([haveAws, haveBoto3]).toEqual([true, true]);
    const trusted = { AWS_CA_BUNDLE: file('ca.crt') };
    const boto = "import boto3; print(boto3.client('secretsmanager').get_secret_value(SecretId='over-tls')['SecretString'])"; // prettier-ignore
    if (haveBoto3) {
      const ok = await run('python3', ['-c', boto], trusted);
      expect(ok.stdout.trim(), ok.stderr).toBe('hush');
      const refused = await run('python3', ['-c', boto], {});
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/SSL|certificate/i);
    }
    if (haveAws) {
      const args = ['secretsmanager', 'get-secret-value', '--secret-id', 'over-tls', '--query', 'SecretString'];
      const ok = await run('aws', [...args, '--output', 'text'], trusted);
      expect(ok.stdout.trim(), ok.stderr).toBe('hush');
      const refused = await run('aws', args, {});
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/SSL|certificate/i);
    }
  }, 60_000);

  it('is refused by a client that does not trust the CA', async () => {
    const sm = new SecretsManagerClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    await expect(sm.send(new ListSecretsCommand({}))).rejects.toThrow(/certificate/i);
  });

  it('takes up a replaced certificate without a restart, keeping open connections and a bad pair out', async () => {
    expect(await servedSerial(server.port)).toBe(SERIAL_A);
    const open = await tlsConnect(server.port);
    expect(await statusOn(open)).toBe('HTTP/1.1 200 OK');

    // Half a replacement (the new certificate, the old key) does not load: the old pair stays, and the log says so.
    install('b.crt', 'server.crt');
    await sleep(SETTLE_MS);
    expect(await servedSerial(server.port)).toBe(SERIAL_A);
    const failure = logLines.find((l) => l.includes('reload failed'));
    expect(failure).toBeDefined();
    expect(JSON.parse(failure!)).toMatchObject({
      level: 'warn',
      certFile: file('server.crt'),
      reason: 'the private key does not belong to the certificate',
    });
    for (const l of logLines) expect(l).not.toMatch(/PRIVATE KEY|BEGIN/);

    // The key follows: new connections get the new certificate.
    install('b.key', 'server.key');
    expect(await eventually(async () => (await servedSerial(server.port)) === SERIAL_B, SETTLE_MS * 2)).toBe(true);
    expect(logLines.some((l) => l.includes('certificate reloaded'))).toBe(true);

    // A connection opened before keeps its certificate and is still served.
    expect(open.getPeerCertificate().serialNumber).toBe(SERIAL_A);
    expect(await statusOn(open)).toBe('HTTP/1.1 200 OK');
    open.destroy();
  });

  it('stops watching the files once closed', async () => {
    await server.close();
    const before = logLines.length;
    install('a.crt', 'server.crt');
    install('a.key', 'server.key');
    await sleep(SETTLE_MS);
    expect(logLines.slice(before).filter((l) => l.includes('tls:'))).toEqual([]);
  });
});
