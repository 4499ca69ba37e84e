import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { leaksIn } from '../leaks.js';
import { listeningUrl } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../bin/secretlite.js', import.meta.url));
const run = promisify(execFile);
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'secretlite-admin-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function serve(dataDir: string) {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.on('data', () => {});
  const url = listeningUrl(child);
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, stop };
}
const client = (url: string) =>
  new SecretsManagerClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  });

describe('secretlite rotate-master-key', () => {
  it('adds a key term and re-wraps every data key while a server keeps serving', async () => {
    const dir = join(root, 'rotate');
    const s = serve(dir);
    const sm = client(await s.url);
    for (let i = 0; i < 30; i++)
      await sm.send(new CreateSecretCommand({ Name: `rot/${i}`, SecretString: `value-${i}` }));
    const { stdout } = await run(process.execPath, [BIN, 'rotate-master-key', '--data-dir', dir]);
    expect(stdout).toMatch(/key term 2 added; 30 secrets re-wrapped/);
    const keyFile = JSON.parse(readFileSync(join(dir, 'master.key'), 'utf8'));
    expect(keyFile.terms.map((t: { id: number }) => t.id)).toEqual([1, 2]);
    // the running server reads the re-wrapped values and writes new ones
    for (let i = 0; i < 30; i++)
      expect((await sm.send(new GetSecretValueCommand({ SecretId: `rot/${i}` }))).SecretString).toBe(`value-${i}`);
    await new Promise((r) => setTimeout(r, 1100)); // it re-reads a changed key file at most once a second
    await sm.send(new PutSecretValueCommand({ SecretId: 'rot/0', SecretString: 'after' }));
    sm.destroy();
    await s.stop();
    const db = new Database(join(dir, 'secretlite.db'), { readonly: true });
    const terms = db
      .prepare<[], { val: string }>('SELECT val FROM versions WHERE val IS NOT NULL')
      .all()
      .map((r) => (JSON.parse(r.val) as { t: number }).t);
    db.close();
    expect(new Set(terms)).toEqual(new Set([2]));
    const again = serve(dir);
    const sm2 = client(await again.url);
    expect((await sm2.send(new GetSecretValueCommand({ SecretId: 'rot/0' }))).SecretString).toBe('after');
    expect((await sm2.send(new GetSecretValueCommand({ SecretId: 'rot/29' }))).SecretString).toBe('value-29');
    sm2.destroy();
    await again.stop();
  });
});

describe('secretlite export and import', () => {
  it('moves every scope between data directories, encrypted with a passphrase', async () => {
    const from = join(root, 'from');
    const s = serve(from);
    const url = await s.url;
    const a = client(url);
    const other = new SecretsManagerClient({
      endpoint: url,
      region: 'eu-west-1',
      credentials: { accessKeyId: '123456789012', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    await a.send(
      new CreateSecretCommand({ Name: 'exp/a', SecretString: 'export-canary-31415', Tags: [{ Key: 't', Value: 'v' }] }),
    );
    await a.send(new PutSecretValueCommand({ SecretId: 'exp/a', SecretBinary: Buffer.from([1, 2, 3]) }));
    await other.send(new CreateSecretCommand({ Name: 'exp/b', SecretString: 'other-scope' }));
    a.destroy();
    other.destroy();
    await s.stop();

    const out = join(root, 'dump.json');
    const env = { ...process.env, SECRETLITE_EXPORT_PASSPHRASE: 'correct horse battery staple' };
    await run(process.execPath, [BIN, 'export', '--data-dir', from, '--out', out], { env });
    const dump = readFileSync(out, 'utf8');
    expect(leaksIn(dump, ['export-canary-31415', 'other-scope'])).toEqual([]);
    await expect(
      run(process.execPath, [BIN, 'export', '--data-dir', from], {
        env: { ...process.env, SECRETLITE_EXPORT_PASSPHRASE: '' },
      }),
    ).rejects.toMatchObject({ code: 1 });

    const to = join(root, 'to');
    await expect(
      run(process.execPath, [BIN, 'import', out, '--data-dir', to], {
        env: { ...process.env, SECRETLITE_EXPORT_PASSPHRASE: 'wrong' },
      }),
    ).rejects.toThrow(/wrong passphrase/);
    const { stdout } = await run(process.execPath, [BIN, 'import', out, '--data-dir', to], { env });
    expect(stdout).toMatch(/imported 2 secrets/);
    const t = serve(to);
    const url2 = await t.url;
    const a2 = client(url2);
    const other2 = new SecretsManagerClient({
      endpoint: url2,
      region: 'eu-west-1',
      credentials: { accessKeyId: '123456789012', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    expect(Buffer.from((await a2.send(new GetSecretValueCommand({ SecretId: 'exp/a' }))).SecretBinary!)).toEqual(
      Buffer.from([1, 2, 3]),
    );
    expect(
      (await a2.send(new GetSecretValueCommand({ SecretId: 'exp/a', VersionStage: 'AWSPREVIOUS' }))).SecretString,
    ).toBe('export-canary-31415');
    expect((await other2.send(new GetSecretValueCommand({ SecretId: 'exp/b' }))).SecretString).toBe('other-scope');
    a2.destroy();
    other2.destroy();
    await t.stop();
  });

  it('writes plaintext only when asked to', async () => {
    const dir = join(root, 'plain');
    const s = serve(dir);
    const sm = client(await s.url);
    await sm.send(new CreateSecretCommand({ Name: 'p/a', SecretString: 'visible' }));
    sm.destroy();
    await s.stop();
    const out = join(root, 'plain.json');
    await run(process.execPath, [BIN, 'export', '--data-dir', dir, '--out', out, '--plaintext'], {
      env: { ...process.env, SECRETLITE_EXPORT_PASSPHRASE: '' },
    });
    const dump = JSON.parse(readFileSync(out, 'utf8'));
    expect(dump.encryption).toBe('none');
    expect(dump.secrets[0].secret.versions[0].SecretString).toBe('visible');
    writeFileSync(join(root, 'bad.json'), '{"format":"something-else"}');
    await expect(
      run(process.execPath, [BIN, 'import', join(root, 'bad.json'), '--data-dir', join(root, 'x')]),
    ).rejects.toThrow(/not a secretlite export/);
  });
});
