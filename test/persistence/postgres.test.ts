import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomInt, randomUUID } from 'node:crypto';
import { PostgresStore } from '../../src/store/postgres.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { staticKeyring } from '../../src/crypto/source.js';
import { postgresAvailable, pgDump, startPostgres, type TestPostgres } from '../postgres.js';
import { leaksIn } from '../leaks.js';
import { listeningUrl } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../bin/secretlite.js', import.meta.url));
const MASTER_KEY = Buffer.alloc(32, 5).toString('base64');
const available = postgresAvailable();

function serve(databaseUrl: string) {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--database-url', databaseUrl, '--log-level', 'error'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SECRETLITE_MASTER_KEY: MASTER_KEY },
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = listeningUrl(child).catch((e: Error) => Promise.reject(new Error(`${e.message} ${err}`)));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, stop };
}

async function call(url: string, op: string, body: unknown) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${op}` },
    body: JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe.runIf(process.env.CI && !available)('PostgreSQL for the tests', () => {
  it('is installed (CI needs it)', () => expect(available).toBe(true));
});

describe.skipIf(!available)('two secretlite processes on one PostgreSQL', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it(
    '32 clients through both lose no version, keep labels consistent, and make one version per token',
    { timeout: 120_000 },
    async () => {
      const db = await pg.newDatabase();
      const a = serve(db);
      const b = serve(db);
      const urls = [await a.url, await b.url];
      try {
        const names = ['hot/0', 'hot/1', 'hot/2', 'hot/3'];
        for (const name of names)
          expect(
            (await call(urls[0]!, 'CreateSecret', { Name: name, SecretString: 'v0', ClientRequestToken: randomUUID() }))
              .status,
          ).toBe(200);
        const acked = new Map<string, Map<string, string>>(names.map((n) => [n, new Map()]));
        const statuses = new Map<string, number>();
        const count = (k: string) => statuses.set(k, (statuses.get(k) ?? 0) + 1);
        const deadline = Date.now() + 6_000;
        await Promise.all(
          Array.from({ length: 32 }, async (_, client) => {
            while (Date.now() < deadline) {
              const name = names[randomInt(names.length)]!;
              const url = urls[client % 2]!;
              const roll = randomInt(10);
              if (roll < 5) {
                const token = randomUUID();
                const value = randomUUID();
                const r = await call(url, 'PutSecretValue', {
                  SecretId: name,
                  SecretString: value,
                  ClientRequestToken: token,
                });
                count(`put ${r.status}`);
                if (r.status === 200) acked.get(name)!.set(token, value);
              } else if (roll < 7) {
                // the same request retried through both instances at once: one version
                const token = randomUUID();
                const value = randomUUID();
                const body = { SecretId: name, SecretString: value, ClientRequestToken: token };
                const rs = await Promise.all(urls.map((u) => call(u, 'PutSecretValue', body)));
                for (const r of rs) {
                  count(`retry ${r.status}`);
                  expect(r.status, JSON.stringify(r.json)).toBe(200);
                  expect(r.json.VersionId).toBe(token);
                }
                acked.get(name)!.set(token, value);
              } else {
                const d = await call(url, 'DescribeSecret', { SecretId: name });
                const stages = d.json.VersionIdsToStages as Record<string, string[]>;
                const versions = Object.keys(stages);
                const label = randomInt(3) === 0 ? 'AWSCURRENT' : `L${randomInt(3)}`;
                const holder = versions.find((v) => stages[v]!.includes(label));
                const to = versions[randomInt(versions.length)]!;
                const r = await call(url, 'UpdateSecretVersionStage', {
                  SecretId: name,
                  VersionStage: label,
                  MoveToVersionId: to,
                  RemoveFromVersionId: holder !== to ? holder : undefined,
                });
                count(`stage ${r.status}`);
                // a move based on a stale read is refused, never half-applied
                if (r.status !== 200) expect(r.json.__type).toBe('InvalidParameterException');
              }
            }
          }),
        );
        for (const k of statuses.keys()) expect(k, `no 5xx: ${JSON.stringify([...statuses])}`).not.toMatch(/ 5\d\d$/);
        let total = 0;
        for (const name of names) {
          const ids: string[] = [];
          let next: string | undefined;
          do {
            const r = await call(urls[1]!, 'ListSecretVersionIds', {
              SecretId: name,
              IncludeDeprecated: true,
              MaxResults: 100,
              NextToken: next,
            });
            ids.push(...(r.json.Versions as Array<{ VersionId: string }>).map((v) => v.VersionId));
            next = r.json.NextToken as string | undefined;
          } while (next);
          const mine = acked.get(name)!;
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length, `${name}: versions = the initial one + every acknowledged token`).toBe(1 + mine.size);
          for (const [token, value] of mine) {
            expect(ids).toContain(token);
            const v = await call(urls[token.charCodeAt(0) % 2]!, 'GetSecretValue', {
              SecretId: name,
              VersionId: token,
            });
            expect(v.json.SecretString).toBe(value);
          }
          const d = await call(urls[0]!, 'DescribeSecret', { SecretId: name });
          const labels = Object.values(d.json.VersionIdsToStages as Record<string, string[]>).flat();
          expect(labels.filter((l) => l === 'AWSCURRENT')).toHaveLength(1);
          expect(new Set(labels).size, `${name}: a label on two versions`).toBe(labels.length);
          total += mine.size;
        }
        console.log(
          `postgres concurrency: ${total} acknowledged versions; ${JSON.stringify(Object.fromEntries(statuses))}`,
        );
        expect(total).toBeGreaterThan(100);
      } finally {
        await a.stop();
        await b.stop();
      }
    },
  );

  it('keeps no value in plaintext in a pg_dump', async () => {
    const db = await pg.newDatabase();
    const s = serve(db);
    const url = await s.url;
    const canaries = ['pg-canary-0b1c2d3e4f-string', 'pg-canary-9a8b7c6d-other'];
    try {
      for (const [i, c] of canaries.entries())
        await call(url, 'CreateSecret', { Name: `pgleak/${i}`, SecretString: c, ClientRequestToken: randomUUID() });
      await call(url, 'PutSecretValue', {
        SecretId: 'pgleak/0',
        SecretBinary: Buffer.from('pg-binary-canary-77').toString('base64'),
        ClientRequestToken: randomUUID(),
      });
      expect((await call(url, 'GetSecretValue', { SecretId: 'pgleak/1' })).json.SecretString).toBe(canaries[1]);
    } finally {
      await s.stop();
    }
    const dump = pgDump(db);
    expect(dump).toContain('secretlite_secrets');
    expect(leaksIn(dump, [...canaries, Buffer.from('pg-binary-canary-77')])).toEqual([]);
  });

  it('gives the leader lease to one instance at a time', async () => {
    const db = await pg.newDatabase();
    const keys = staticKeyring(new Keyring([{ id: 1, key: Buffer.from(MASTER_KEY, 'base64') }]), 'test');
    const one = await PostgresStore.open(db, keys);
    const two = await PostgresStore.open(db, keys);
    try {
      expect(await one.isLeader()).toBe(true);
      expect(await two.isLeader()).toBe(false);
      expect(await one.isLeader()).toBe(true);
      await one.close();
      expect(await two.isLeader()).toBe(true);
    } finally {
      await two.close();
    }
  });

  it('refuses a wrong master key at startup', async () => {
    const db = await pg.newDatabase();
    const good = staticKeyring(new Keyring([{ id: 1, key: Buffer.from(MASTER_KEY, 'base64') }]), 'test');
    const bad = staticKeyring(new Keyring([{ id: 1, key: Buffer.alloc(32, 6) }]), 'test');
    await (await PostgresStore.open(db, good)).close();
    await expect(PostgresStore.open(db, bad)).rejects.toThrow(/master key does not match/);
  });
});
if (!available) console.warn('PostgreSQL not found: skipping the two-instance tests');
