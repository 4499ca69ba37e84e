import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { startServer, type RunningServer } from '../../src/index.js';
import { awsError } from '../helpers.js';

let dir: string;
const servers: RunningServer[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'secretlite-persist-'));
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(opts: Record<string, unknown> = {}) {
  const server = await startServer({ port: 0, logLevel: 'silent', dataDir: dir, ...opts });
  servers.push(server);
  const sm = new SecretsManagerClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 's' },
    maxAttempts: 1,
  });
  return { server, sm };
}
async function stop(server: RunningServer) {
  servers.splice(servers.indexOf(server), 1);
  await server.close();
}

const CANARY = 'canary-7f3a9c1e-plaintext-must-not-leak';
const CANARY_BYTES = Buffer.from('binary-canary-5d2e8b40-must-not-leak');
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'secretsmanager:GetSecretValue',
      Resource: '*',
    },
  ],
});

describe('SQLite persistence', () => {
  it('keeps everything across a restart', async () => {
    let { server, sm } = await start();
    const c = await sm.send(
      new CreateSecretCommand({
        Name: 'keep/a',
        SecretString: CANARY,
        Description: 'd',
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    const p = await sm.send(new PutSecretValueCommand({ SecretId: 'keep/a', SecretBinary: CANARY_BYTES }));
    await sm.send(new PutResourcePolicyCommand({ SecretId: 'keep/a', ResourcePolicy: POLICY }));
    await sm.send(new CreateSecretCommand({ Name: 'keep/deleted', SecretString: 'x' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'keep/deleted', RecoveryWindowInDays: 7 }));
    const health = await (await fetch(`${server.url}/_secretlite/health`)).json();
    expect(health).toMatchObject({ store: 'sqlite', schemaVersion: 4, secrets: 2 });
    sm.destroy();
    await stop(server);

    ({ server, sm } = await start());
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'keep/a' }));
    expect(d.ARN).toBe(c.ARN);
    expect(d.Description).toBe('d');
    expect(d.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    expect(d.VersionIdsToStages).toEqual({ [p.VersionId!]: ['AWSCURRENT'], [c.VersionId!]: ['AWSPREVIOUS'] });
    expect(
      Buffer.from((await sm.send(new GetSecretValueCommand({ SecretId: 'keep/a' }))).SecretBinary!).equals(
        CANARY_BYTES,
      ),
    ).toBe(true);
    expect(
      (await sm.send(new GetSecretValueCommand({ SecretId: 'keep/a', VersionStage: 'AWSPREVIOUS' }))).SecretString,
    ).toBe(CANARY);
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: 'keep/a' }))).ResourcePolicy).toBe(POLICY);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'keep/deleted' }))).DeletedDate).toBeInstanceOf(Date);
    sm.destroy();
  });

  it('stores no value in plaintext, base64 or hex, WAL included; the key file is 0600', async () => {
    const { server, sm } = await start();
    for (let i = 0; i < 20; i++)
      await sm.send(new CreateSecretCommand({ Name: `leak/${i}`, SecretString: `${CANARY}-${i}` }));
    await sm.send(new PutSecretValueCommand({ SecretId: 'leak/0', SecretBinary: CANARY_BYTES }));
    sm.destroy();
    const files = readdirSync(dir).map((f) => join(dir, f));
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    const needles = [
      CANARY,
      Buffer.from(CANARY).toString('base64').slice(0, 24),
      Buffer.from(CANARY).toString('hex').slice(0, 32),
      CANARY_BYTES.toString('latin1'),
      CANARY_BYTES.toString('base64').slice(0, 24),
      CANARY_BYTES.toString('hex').slice(0, 32),
    ];
    for (const f of files) {
      const bytes = readFileSync(f).toString('latin1');
      for (const n of needles) expect(bytes.includes(n), `${n} in ${f}`).toBe(false);
    }
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    await stop(server);
  });

  it('refuses to start with a wrong master key, and with a named key file that is missing', async () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const { server, sm } = await start({ masterKey: key });
    await sm.send(new CreateSecretCommand({ Name: 'k/a', SecretString: 'x' }));
    sm.destroy();
    await stop(server);
    await expect(
      startServer({ port: 0, logLevel: 'silent', dataDir: dir, masterKey: Buffer.alloc(32, 2).toString('base64') }),
    ).rejects.toThrow(/master key does not match/);
    await expect(startServer({ port: 0, logLevel: 'silent', dataDir: dir, masterKey: 'short' })).rejects.toThrow(
      /32 bytes/,
    );
    await expect(
      startServer({ port: 0, logLevel: 'silent', dataDir: dir, masterKeyFile: join(dir, 'nope.key') }),
    ).rejects.toThrow(/does not exist/);
    const again = await start({ masterKey: key });
    expect((await again.sm.send(new GetSecretValueCommand({ SecretId: 'k/a' }))).SecretString).toBe('x');
    again.sm.destroy();
  });

  it('refuses a database from a newer secretlite and leaves it untouched', async () => {
    const { server } = await start();
    await stop(server);
    const db = new Database(join(dir, 'secretlite.db'));
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    await expect(startServer({ port: 0, logLevel: 'silent', dataDir: dir })).rejects.toThrow(
      /schema version 99, newer than this secretlite supports \(4\)/,
    );
    const check = new Database(join(dir, 'secretlite.db'), { readonly: true });
    expect(check.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: '99' });
    check.close();
  });

  it('answers DecryptionFailure for a ciphertext moved to another secret', async () => {
    const { server, sm } = await start();
    await sm.send(new CreateSecretCommand({ Name: 'move/a', SecretString: 'aaa' }));
    await sm.send(new CreateSecretCommand({ Name: 'move/b', SecretString: 'bbb' }));
    await stop(server);
    const db = new Database(join(dir, 'secretlite.db'));
    const rows = db
      .prepare<[], { seq: number; val: string }>(
        'SELECT v.seq, v.val FROM versions v JOIN secrets s ON s.arn = v.arn ORDER BY s.name',
      )
      .all();
    // a's ciphertext in b's version row
    db.prepare('UPDATE versions SET val = ? WHERE seq = ?').run(rows[0]!.val, rows[1]!.seq);
    db.close();
    const again = await start();
    const r = await fetch(again.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: 'move/b' }),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      __type: 'DecryptionFailure',
      Message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
    });
    expect((await again.sm.send(new GetSecretValueCommand({ SecretId: 'move/a' }))).SecretString).toBe('aaa');
    again.sm.destroy();
  });

  it('answers DecryptionFailure, not "not found", when a value has gone from its row', async () => {
    const { server, sm } = await start();
    await sm.send(new CreateSecretCommand({ Name: 'lost/a', SecretString: 'aaa' }));
    await sm.send(new CreateSecretCommand({ Name: 'lost/b', SecretString: 'bbb' }));
    await sm.send(new CreateSecretCommand({ Name: 'lost/c', SecretString: 'ccc' }));
    await stop(server);
    const db = new Database(join(dir, 'secretlite.db'));
    const rows = db
      .prepare<[string], { seq: number; val: string }>(
        'SELECT v.seq, v.val FROM versions v JOIN secrets s ON s.arn = v.arn WHERE s.name LIKE ? ORDER BY s.name',
      )
      .all('lost/%');
    // a's and b's values swapped; c's value gone (the version row still says it has one)
    db.prepare('UPDATE versions SET val = ? WHERE seq = ?').run(rows[1]!.val, rows[0]!.seq);
    db.prepare('UPDATE versions SET val = ? WHERE seq = ?').run(rows[0]!.val, rows[1]!.seq);
    db.prepare('UPDATE versions SET val = NULL WHERE seq = ?').run(rows[2]!.seq);
    db.close();
    const again = await start();
    for (const name of ['lost/a', 'lost/b', 'lost/c']) {
      const e = await awsError(again.sm.send(new GetSecretValueCommand({ SecretId: name })));
      expect(e, name).toEqual({
        name: 'DecryptionFailure',
        message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
        status: 400,
      });
    }
    again.sm.destroy();
  });

  it('PERSISTENCE=1 turns SQLite on in a default directory', async () => {
    const { parseConfig } = await import('../../src/config.js');
    const cfg = parseConfig([], { PERSISTENCE: '1', HOME: '/home/u' });
    expect(cfg.dataDir).toBe('/home/u/.local/share/secretlite');
    expect(parseConfig([], { PERSISTENCE: '1', XDG_DATA_HOME: '/x' }).dataDir).toBe('/x/secretlite');
    expect(parseConfig([], {}).dataDir).toBeUndefined();
  });
});
