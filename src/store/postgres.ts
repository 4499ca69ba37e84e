import { createRequire } from 'node:module';
import type * as PG from 'pg';
import type { Scope, Secret } from '../domain/types.js';
import type { SecretRef } from '../domain/arn.js';
import { cloneSecret } from '../domain/secret.js';
import type { KeyringSource } from '../crypto/source.js';
import { rowValues, SORT_COLUMN, upsertSql } from './sqlSchema.js';
import { joinDoc, openSecretFrom, sealSecret, splitDoc, type SealedSecret } from './sealed.js';
import { checkKeys, keyCheckTerm, KEYCHECK_PATTERN, recordKeyCheck } from './keycheck.js';
import {
  planWrite,
  StoreError,
  type DueItem,
  type SealedValues,
  type SortKey,
  type DueKind,
  type ListPage,
  type ListQuery,
  type Mutation,
  type Store,
  type StoreStats,
} from './Store.js';
import { OpenedCache, scanPage } from './shared.js';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS secretlite_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE secretlite_secrets (
     arn TEXT PRIMARY KEY,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     name TEXT NOT NULL,
     created_date BIGINT NOT NULL,
     last_changed BIGINT NOT NULL,
     last_accessed BIGINT NOT NULL,
     deletion_date BIGINT,
     rev BIGINT NOT NULL,
     doc TEXT NOT NULL,
     vals TEXT NOT NULL
   );
   CREATE UNIQUE INDEX secretlite_by_name ON secretlite_secrets(account, region, name);
   CREATE INDEX secretlite_sort_name ON secretlite_secrets(account, region, name COLLATE "C", arn COLLATE "C");
   CREATE INDEX secretlite_sort_created ON secretlite_secrets(account, region, created_date, arn COLLATE "C");
   CREATE INDEX secretlite_sort_changed ON secretlite_secrets(account, region, last_changed, arn COLLATE "C");
   CREATE INDEX secretlite_sort_accessed ON secretlite_secrets(account, region, last_accessed, arn COLLATE "C");
   CREATE INDEX secretlite_due ON secretlite_secrets(deletion_date) WHERE deletion_date IS NOT NULL;`,
];
export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

const UPSERT = upsertSql('secretlite_secrets', (i) => `$${i}`);

/** Advisory lock keys (one namespace for secretlite): migrations, and the leader lease for background work. */
const MIGRATION_LOCK = 0x5ec7e1;
const LEADER_LOCK = 0x5ec7e2;

/** Names order bytewise, as in SQLite and the memory store (collations would sort them by locale). */
const sortColumn = (key: SortKey): string => (key === 'name' ? 'name COLLATE "C"' : SORT_COLUMN[key]);

interface Located {
  arn: string;
  rev: string;
}

/**
 * The shared backend: several secretlite instances on one PostgreSQL database. A read-modify-write is one
 * transaction holding an advisory lock on the secret's name (so creating a name is serialized too) and a
 * row lock: two instances never lose each other's writes, never leave a label on two versions, never make
 * two versions of one ClientRequestToken. Background work runs only on the instance holding the leader lease.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly schemaVersion = POSTGRES_SCHEMA_VERSION;
  readonly sealedValues: SealedValues = this;
  readonly #pool: PG.Pool;
  readonly #keys: KeyringSource;
  readonly #cache = new OpenedCache<string>();
  #leaderClient: PG.PoolClient | undefined;

  private constructor(pool: PG.Pool, keys: KeyringSource) {
    this.#pool = pool;
    this.#keys = keys;
  }

  static async open(url: string, keys: KeyringSource): Promise<PostgresStore> {
    const pg = createRequire(import.meta.url)('pg') as typeof PG;
    // BIGINT columns come back as strings; the values here are epoch milliseconds, safe as numbers.
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    pool.on('error', () => {}); // an idle client's connection dropped: the pool replaces it
    const store = new PostgresStore(pool, keys);
    try {
      await store.#migrate();
      await store.#checkKeys();
    } catch (e) {
      await pool.end();
      throw e;
    }
    return store;
  }

  async #migrate(): Promise<void> {
    const c = await this.#pool.connect();
    try {
      await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await c.query('CREATE TABLE IF NOT EXISTS secretlite_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      const r = await c.query<{ value: string }>("SELECT value FROM secretlite_meta WHERE key = 'schema_version'");
      const current = Number(r.rows[0]?.value ?? 0);
      if (current > MIGRATIONS.length) {
        throw new StoreError(
          `this database has schema version ${current}, newer than this secretlite supports ` +
            `(${MIGRATIONS.length}); upgrade secretlite. The database was not changed.`,
        );
      }
      if (current < MIGRATIONS.length) {
        await c.query('BEGIN');
        for (let v = current; v < MIGRATIONS.length; v++) await c.query(MIGRATIONS[v]!);
        await c.query(
          "INSERT INTO secretlite_meta(key, value) VALUES ('schema_version', $1) " +
            'ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          [String(MIGRATIONS.length)],
        );
        await c.query('COMMIT');
      }
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
      c.release();
    }
  }

  async #setMeta(key: string, value: string): Promise<void> {
    await this.#pool.query(
      'INSERT INTO secretlite_meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  async #checkKeys(): Promise<void> {
    const r = await this.#pool.query<{ key: string; value: string }>(
      'SELECT key, value FROM secretlite_meta WHERE key LIKE $1',
      [KEYCHECK_PATTERN],
    );
    const pending: Array<[string, string]> = [];
    checkKeys(
      this.#keys.keyring(),
      r.rows.map((row) => ({ term: keyCheckTerm(row.key)!, value: row.value })),
      (k, v) => pending.push([k, v]),
    );
    for (const [k, v] of pending) await this.#setMeta(k, v);
  }

  async recordKeyTerm(): Promise<void> {
    const pending: Array<[string, string]> = [];
    recordKeyCheck(this.#keys.keyring(), (k, v) => pending.push([k, v]));
    for (const [k, v] of pending) await this.#setMeta(k, v);
  }

  /**
   * Finds the row a reference names: its ARN and revision only (a cached secret needs nothing more). Named
   * statements, so PostgreSQL parses and plans them once per connection.
   */
  async #locate(q: PG.Pool | PG.PoolClient, scope: Scope, ref: SecretRef, lock: boolean): Promise<Located | undefined> {
    const suffix = lock ? ' FOR UPDATE' : '';
    const byName = async (name: string) =>
      (
        await q.query<Located>({
          name: `sl-name${lock ? '-lock' : ''}`,
          text: `SELECT arn, rev FROM secretlite_secrets WHERE account = $1 AND region = $2 AND name = $3${suffix}`,
          values: [scope.accountId, scope.region, name],
        })
      ).rows[0];
    if (ref.kind === 'name') return byName(ref.name);
    const exact = (
      await q.query<Located>({
        name: `sl-arn${lock ? '-lock' : ''}`,
        text: `SELECT arn, rev FROM secretlite_secrets WHERE arn = $1 AND account = $2 AND region = $3${suffix}`,
        values: [ref.arn, scope.accountId, scope.region],
      })
    ).rows[0];
    if (exact || ref.partialName === undefined) return exact;
    const row = await byName(ref.partialName);
    return row && row.arn.startsWith(`${ref.arn}-`) ? row : undefined;
  }

  async #load(q: PG.Pool | PG.PoolClient, arn: string): Promise<SealedSecret | undefined> {
    const r = (
      await q.query<{ doc: string; vals: string }>({
        name: 'sl-load',
        text: 'SELECT doc, vals FROM secretlite_secrets WHERE arn = $1',
        values: [arn],
      })
    ).rows[0];
    return r ? joinDoc(r.doc, r.vals) : undefined;
  }

  async get(scope: Scope, ref: SecretRef): Promise<Secret | undefined> {
    const loc = await this.#locate(this.#pool, scope, ref, false);
    if (!loc) return undefined;
    const cached = this.#cache.get(loc.arn, loc.rev);
    if (cached) return cached;
    const sealed = await this.#load(this.#pool, loc.arn);
    if (!sealed) return undefined;
    const secret = openSecretFrom(this.#keys, sealed);
    this.#cache.set(loc.arn, loc.rev, secret);
    return secret;
  }

  async mutate<T>(scope: Scope, ref: SecretRef, fn: (current: Secret | undefined) => Mutation<T>): Promise<T> {
    this.#keys.refresh();
    const c = await this.#pool.connect();
    let written: { arn: string; rev: string; secret: Secret } | undefined;
    const removed: string[] = [];
    try {
      await c.query('BEGIN');
      // Every way of naming one secret leads to its name: lock it, so even two creations of a name are serialized.
      await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `${scope.accountId}/${scope.region}/${lockName(ref)}`,
      ]);
      const row = await this.#locate(c, scope, ref, true);
      const before = row ? await this.#load(c, row.arn) : undefined;
      const cached = row ? this.#cache.get(row.arn, row.rev) : undefined;
      const current = before ? cloneSecret(cached ?? openSecretFrom(this.#keys, before)) : undefined;
      const { result, next } = fn(current);
      const plan = planWrite(row?.arn, next);
      if (plan?.removeArn !== undefined) {
        await c.query('DELETE FROM secretlite_secrets WHERE arn = $1', [plan.removeArn]);
        removed.push(plan.removeArn);
      }
      const put = plan?.put;
      if (put) {
        await c.query('DELETE FROM secretlite_secrets WHERE account = $1 AND region = $2 AND name = $3 AND arn <> $4', [
          scope.accountId,
          scope.region,
          put.name,
          put.arn,
        ]);
        const { meta, values } = splitDoc(sealSecret(this.#keys.keyring(), put, before));
        const r = await c.query<{ rev: string }>({
          name: 'sl-upsert',
          text: UPSERT,
          values: rowValues(scope, put, meta, values),
        });
        written = { arn: put.arn, rev: r.rows[0]!.rev, secret: put };
      }
      await c.query('COMMIT');
      for (const arn of removed) this.#cache.delete(arn);
      if (written) this.#cache.set(written.arn, written.rev, written.secret);
      return result;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  async list(scope: Scope, q: ListQuery): Promise<ListPage> {
    const col = sortColumn(q.sortBy);
    const dir = q.descending ? 'DESC' : 'ASC';
    const cmp = q.descending ? '<' : '>';
    return scanPage(q, async (after, limit) => {
      const params: unknown[] = [scope.accountId, scope.region];
      let where = '';
      if (after) {
        params.push(after.value, after.arn);
        where = `AND (${col}, arn COLLATE "C") ${cmp} ($3, $4 COLLATE "C")`;
      }
      params.push(limit);
      const rows = (
        await this.#pool.query<{ arn: string; doc: string; v: string }>(
          `SELECT arn, doc, ${col.split(' ')[0]} AS v FROM secretlite_secrets
           WHERE account = $1 AND region = $2 ${where}
         ORDER BY ${col} ${dir}, arn COLLATE "C" ${dir} LIMIT $${params.length}`,
          params,
        )
      ).rows;
      // BIGINT columns arrive as strings; the sort values other than name are epoch milliseconds
      return rows.map((r) => ({ arn: r.arn, doc: r.doc, v: q.sortBy === 'name' ? r.v : Number(r.v) }));
    });
  }

  async due(_kind: DueKind, now: number, limit: number): Promise<DueItem[]> {
    // purge, the only kind yet: secrets past their deletion date
    const r = await this.#pool.query<{ account: string; region: string; arn: string }>(
      'SELECT account, region, arn FROM secretlite_secrets WHERE deletion_date IS NOT NULL AND deletion_date <= $1 ' +
        'ORDER BY deletion_date LIMIT $2',
      [now, limit],
    );
    return r.rows.map((row) => ({ scope: { accountId: row.account, region: row.region }, arn: row.arn }));
  }

  async stats(): Promise<StoreStats> {
    const r = await this.#pool.query<{ secrets: string; scopes: string }>(
      "SELECT COUNT(*) AS secrets, COUNT(DISTINCT account || '/' || region) AS scopes FROM secretlite_secrets",
    );
    return { secrets: Number(r.rows[0]!.secrets), scopes: Number(r.rows[0]!.scopes) };
  }

  /**
   * The leader lease: a session advisory lock held on a dedicated connection. Only the holder runs
   * background work; when its process or connection dies, PostgreSQL releases the lock and another
   * instance takes over at its next try.
   */
  async isLeader(): Promise<boolean> {
    if (this.#leaderClient) {
      try {
        await this.#leaderClient.query('SELECT 1');
        return true;
      } catch {
        this.#leaderClient.release(true);
        this.#leaderClient = undefined;
      }
    }
    const c = await this.#pool.connect();
    const r = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK]);
    if (r.rows[0]?.ok) {
      this.#leaderClient = c;
      return true;
    }
    c.release();
    return false;
  }

  async rewrapAll(rewrap: (s: SealedSecret) => SealedSecret | undefined): Promise<number> {
    let after = '';
    let changed = 0;
    for (;;) {
      const rows = (
        await this.#pool.query<{ arn: string }>(
          'SELECT arn FROM secretlite_secrets WHERE arn COLLATE "C" > $1 ORDER BY arn COLLATE "C" LIMIT 200',
          [after],
        )
      ).rows;
      if (rows.length === 0) return changed;
      for (const { arn } of rows) {
        const c = await this.#pool.connect();
        try {
          await c.query('BEGIN');
          const r = (
            await c.query<{ doc: string; vals: string }>(
              'SELECT doc, vals FROM secretlite_secrets WHERE arn = $1 FOR UPDATE',
              [arn],
            )
          ).rows[0];
          const next = r ? rewrap(joinDoc(r.doc, r.vals)) : undefined;
          if (next) {
            const { meta, values } = splitDoc(next);
            await c.query('UPDATE secretlite_secrets SET doc = $1, vals = $2, rev = rev + 1 WHERE arn = $3', [
              meta,
              values,
              arn,
            ]);
            changed++;
          }
          await c.query('COMMIT');
        } catch (e) {
          await c.query('ROLLBACK').catch(() => {});
          throw e;
        } finally {
          c.release();
        }
      }
      after = rows[rows.length - 1]!.arn;
    }
  }

  async *entries(): AsyncIterable<{ scope: Scope; secret: Secret }> {
    for await (const { scope, secret } of this.sealedSecrets())
      yield { scope, secret: openSecretFrom(this.#keys, secret) };
  }

  async *sealedSecrets(): AsyncGenerator<{ scope: Scope; secret: SealedSecret }> {
    let after = '';
    for (;;) {
      const rows = (
        await this.#pool.query<{ arn: string; account: string; region: string; doc: string; vals: string }>(
          'SELECT arn, account, region, doc, vals FROM secretlite_secrets ' +
            'WHERE arn COLLATE "C" > $1 ORDER BY arn COLLATE "C" LIMIT 500',
          [after],
        )
      ).rows;
      if (rows.length === 0) return;
      for (const r of rows) yield { scope: { accountId: r.account, region: r.region }, secret: joinDoc(r.doc, r.vals) };
      after = rows[rows.length - 1]!.arn;
    }
  }

  async close(): Promise<void> {
    if (this.#leaderClient) {
      const c = this.#leaderClient;
      this.#leaderClient = undefined;
      // Unlock before disconnecting: PostgreSQL notices a closed connection (and frees its locks) a moment
      // later, and another instance asking in that moment would wait a whole purge interval to lead.
      await c.query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK]).catch(() => undefined);
      c.release(true);
    }
    await this.#pool.end();
  }
}

/** The name every reference to one secret leads to: its name, or the name inside its ARN. */
function lockName(ref: SecretRef): string {
  if (ref.kind === 'name') return ref.name;
  if (ref.partialName !== undefined) return ref.partialName;
  const i = ref.arn.indexOf(':secret:');
  const rest = i > 0 ? ref.arn.slice(i + ':secret:'.length) : ref.arn;
  return rest.replace(/-[A-Za-z0-9]{6}$/, '');
}
