import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A throwaway PostgreSQL for tests: SECRETLITE_TEST_DATABASE_URL when set, otherwise a cluster made from
 * the machine's binaries (initdb/pg_ctl, as the unprivileged postgres user when running as root) on a free
 * loopback port. `available` is false when neither exists; in CI that must fail the run, not skip it.
 */
export interface TestPostgres {
  /** a URL to a fresh, empty database */
  newDatabase(): Promise<string>;
  stop(): Promise<void>;
}

function findBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(base, v, 'bin', 'initdb'))) return join(base, v, 'bin');
  return undefined;
}

export const postgresAvailable = (): boolean =>
  process.env.SECRETLITE_TEST_DATABASE_URL !== undefined || findBin() !== undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function databaseMaker(adminUrl: string): Promise<(name?: string) => Promise<string>> {
  return async () => {
    const name = `sl_${randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${name}`);
    } finally {
      await c.end();
    }
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    return u.toString();
  };
}

/**
 * `passwords`: TCP connections authenticate with SCRAM passwords (the superuser's is in the URLs), so a test can
 * show a password working or refused; by default the cluster trusts every connection.
 */
export async function startPostgres(opts: { passwords?: boolean } = {}): Promise<TestPostgres & { adminUrl: string }> {
  const given = process.env.SECRETLITE_TEST_DATABASE_URL;
  if (given) return { adminUrl: given, newDatabase: await databaseMaker(given), stop: async () => {} };
  const bin = findBin();
  if (!bin) throw new Error('PostgreSQL binaries not found (install postgresql, or set SECRETLITE_TEST_DATABASE_URL)');
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'secretlite-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const asPg = (cmd: string, args: string[]) =>
    (root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
  const superPassword = randomBytes(12).toString('hex');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${superPassword}\n`);
  if (root) execFileSync('chown', ['-R', 'postgres', dir]);
  const auth = opts.passwords
    ? ['--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`]
    : ['-A', 'trust'];
  execFileSync(...asPg(join(bin, 'initdb'), ['-D', data, ...auth, '-U', 'postgres', '--no-sync', '-E', 'UTF8']), {
    stdio: 'pipe',
  });
  const port = await freePort();
  const serverOpts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  execFileSync(...asPg(join(bin, 'pg_ctl'), ['-D', data, '-o', serverOpts, '-l', join(dir, 'log'), '-w', 'start']), {
    stdio: 'pipe',
  });
  const adminUrl = opts.passwords
    ? `postgres://postgres:${superPassword}@127.0.0.1:${port}/postgres`
    : `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    newDatabase: await databaseMaker(adminUrl),
    async stop() {
      spawnSync(...asPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** pg_dump of a database, for the at-rest proof. */
export function pgDump(url: string): string {
  const bin = findBin();
  const dump = bin ? join(bin, 'pg_dump') : 'pg_dump';
  return execFileSync(dump, ['--data-only', url], { encoding: 'utf8', maxBuffer: 1 << 28 });
}
