// PostgreSQL for the benchmark (bench/run.mjs): a server given by SECRETLITE_BENCH_DATABASE_URL, or a throwaway
// cluster started from the installed binaries (/usr/lib/postgresql/<version>/bin) in a temporary directory.
//
// The throwaway cluster keeps PostgreSQL's durability defaults (fsync=on, synchronous_commit=on, full_page_writes=on):
// the benchmark measures durable writes. It listens on a free loopback port (and a Unix socket in its directory only).
// As root, initdb/pg_ctl run as the `postgres` user (`runuser -u postgres --`), PostgreSQL refusing to run as root.
// Each benchmark run gets a scratch database (CREATE DATABASE), also on a given server, which is dropped at the end.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import pg from 'pg';

/** The newest installed PostgreSQL's bin directory and major version, or undefined. */
export function findPostgresBin(root = '/usr/lib/postgresql') {
  let versions = [];
  try {
    versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    return undefined;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')) && existsSync(join(bin, 'postgres')))
      return { bin, version: v };
  }
  return undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function userIds(name) {
  try {
    const uid = Number(
      execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
    const gid = Number(
      execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a throwaway cluster. Returns { adminUrl, port, dir, version, postmasterPid, settings, stop() } where stop() is
 * synchronous (usable from exit and signal handlers), idempotent, and removes the directory. Throws with the server
 * log on failure (after cleaning up). `pg` = findPostgresBin()'s answer.
 */
export async function startCluster(found, { timeoutSeconds = 60 } = {}) {
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? userIds('postgres') : undefined;
  if (asRoot && !ids) throw new Error('running as root and there is no `postgres` user to run PostgreSQL as');
  const dir = mkdtempSync(join(tmpdir(), 'secretlite-bench-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const run = (tool, args, timeout = timeoutSeconds * 1000) => {
    const file = join(found.bin, tool);
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    return execFileSync(cmd, argv, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout });
  };
  let started = false;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (started) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '20', 'stop'], 25_000);
      } catch {
        // pg_ctl failed or timed out: kill the postmaster (its children exit when it dies).
        try {
          const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
          if (pid > 0) process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale']);
    const port = await freePort();
    // No settings that weaken durability: fsync, synchronous_commit, full_page_writes stay at their defaults (on).
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      logFile,
      '-w',
      '-t',
      String(timeoutSeconds),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
    started = true;
    const postmasterPid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const settings = await showSettings(adminUrl);
    return { adminUrl, port, dir, version: found.version, postmasterPid, settings, stop };
  } catch (err) {
    let log = '';
    try {
      log = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      // no log yet
    }
    const detail = [err?.message, err?.stderr].filter(Boolean).join('\n');
    stop();
    throw new Error(`${detail}${log ? `\nserver log:\n${log}` : ''}`);
  }
}

/** The settings that decide whether a commit is durable, as the server reports them. */
export async function showSettings(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'server_version') ORDER BY name",
    );
    return Object.fromEntries(r.rows.map((row) => [row.name, row.setting]));
  } finally {
    await c.end();
  }
}

/**
 * The postmaster's pid when the server `url` names runs on this machine (loopback or Unix socket) and is visible in
 * /proc (same pid namespace), else undefined: the parent of this connection's backend, if both are `postgres`.
 */
export async function localPostmasterPid(url) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (!['', 'localhost', '127.0.0.1', '::1'].includes(host)) return undefined;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const backend = Number((await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    const comm = (pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const stat = readFileSync(`/proc/${backend}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return comm(backend) === 'postgres' && comm(ppid) === 'postgres' ? ppid : undefined;
  } catch {
    return undefined;
  } finally {
    await c.end();
  }
}

const withDatabase = (url, name) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** Creates a scratch database on the server `url` points to; answers its URL. */
export async function createScratchDatabase(url, name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  return withDatabase(url, name);
}

export async function dropDatabase(url, name) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
  } finally {
    await c.end();
  }
}

/** Size on disk of the database `url` points to, bytes. */
export async function databaseBytes(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b);
  } finally {
    await c.end();
  }
}
