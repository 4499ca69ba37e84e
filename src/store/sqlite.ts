import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { Scope, Secret } from '../domain/types.js';
import type { SecretRef } from '../domain/arn.js';
import { cloneSecret } from '../domain/secret.js';
import type { KeyringSource } from '../crypto/source.js';
import { sqliteFunctions } from '../lambda/sqlFunctions.js';
import type { FunctionStore } from '../lambda/functions.js';
import { dueSql, listPageSql, rowValues, upsertSql } from './sqlSchema.js';
import { joinRows, openSecretFrom, secretDoc, type SealedSecret, type VersionRow } from './sealed.js';
import { checkKeys, keyCheckTerm, KEYCHECK_PATTERN, recordKeyCheck } from './keycheck.js';
import {
  planWrite,
  StoreError,
  type DueItem,
  type SealedValues,
  type DueKind,
  type ListPage,
  type ListQuery,
  type Mutation,
  type Store,
  type StoreStats,
} from './Store.js';
import { ListedCache, OpenedCache, scanPage, versionChanges, type ScanRow } from './shared.js';
import { setBounded } from '../bounded.js';
import { WalSync } from './walSync.js';

/**
 * Migrations, in order; the schema version is their count. A database written by a newer secretlite
 * (a higher version) is refused untouched.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE secrets (
     arn TEXT PRIMARY KEY,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     name TEXT NOT NULL,
     created_date INTEGER NOT NULL,
     last_changed INTEGER NOT NULL,
     last_accessed INTEGER NOT NULL,
     deletion_date INTEGER,
     rev INTEGER NOT NULL,
     doc TEXT NOT NULL,
     vals TEXT NOT NULL
   );
   CREATE UNIQUE INDEX secrets_by_name ON secrets(account, region, name);
   CREATE INDEX secrets_sort_name ON secrets(account, region, name, arn);
   CREATE INDEX secrets_sort_created ON secrets(account, region, created_date, arn);
   CREATE INDEX secrets_sort_changed ON secrets(account, region, last_changed, arn);
   CREATE INDEX secrets_sort_accessed ON secrets(account, region, last_accessed, arn);
   CREATE INDEX secrets_due ON secrets(deletion_date) WHERE deletion_date IS NOT NULL;`,
  // A row per version (issue 13): a write no longer rewrites every version of its secret. The secret's document
  // keeps its labelled versions (for listings); its values column goes. Existing rows move here, in order.
  `CREATE TABLE versions (
     seq INTEGER PRIMARY KEY,
     arn TEXT NOT NULL REFERENCES secrets(arn) ON DELETE CASCADE,
     version_id TEXT NOT NULL,
     doc TEXT NOT NULL,
     val TEXT,
     UNIQUE (arn, version_id)
   );
   INSERT INTO versions (arn, version_id, doc, val)
     SELECT s.arn, json_extract(v.value, '$.id'), v.value,
       (SELECT x.value FROM json_each(s.vals) x WHERE x.key = json_extract(v.value, '$.id'))
     FROM secrets s, json_each(s.doc, '$.versions') v
     ORDER BY s.arn, v.key;
   UPDATE secrets SET doc = json_set(doc, '$.versions', json((
     SELECT json_group_array(json(v.value)) FROM json_each(doc, '$.versions') v
     WHERE json_array_length(v.value, '$.stages') > 0)));
   ALTER TABLE secrets DROP COLUMN vals;`,
  // Rotation (issue 14): when a secret's rotation work is due, for the scheduler; existing secrets have none.
  // Rotation functions created on secretlite's own Lambda API live beside the secrets.
  `ALTER TABLE secrets ADD COLUMN rotation_due INTEGER;
   CREATE INDEX secrets_rotation_due ON secrets(rotation_due) WHERE rotation_due IS NOT NULL;
   CREATE TABLE lambda_functions (
     arn TEXT PRIMARY KEY,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     name TEXT NOT NULL,
     doc TEXT NOT NULL,
     code BLOB NOT NULL
   );
   CREATE UNIQUE INDEX lambda_functions_by_name ON lambda_functions(account, region, name);`,
  // Issue 13: one index less for every creation to update. secrets_by_name orders a listing by name as well (a
  // name is unique in its account and Region, so its ARN never breaks a tie: test/store/queryPlans.test.ts).
  `DROP INDEX secrets_sort_name;`,
];
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

const nameKey = (scope: Scope, name: string): string => `${scope.accountId}/${scope.region}/${name}`;

interface Located {
  arn: string;
  rev: number;
}

interface DueRow {
  account: string;
  region: string;
  arn: string;
}

/** Mutations committed together at most; the rest wait for the next batch. */
const MAX_BATCH = 256;

/** A queued mutation. */
interface Job {
  scope: Scope;
  ref: SecretRef;
  fn: (current: Secret | undefined) => Mutation<unknown>;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/** A secret written by a mutation of the current batch (not committed yet). */
interface Written {
  arn: string;
  rev: number;
  secret: Secret;
}

/** What a mutation did, applied to the caches once its batch committed. */
interface Effects {
  result: unknown;
  removed: Array<{ arn: string; key: string }>;
  written?: Written;
}

export interface SqliteStoreOptions {
  path: string;
  keys: KeyringSource;
}

/**
 * The embedded backend: better-sqlite3, WAL; a write is acknowledged only once it is durable (the WAL synced after
 * its commit, off the event loop: store/walSync.ts); concurrent writes share a transaction (group commit, see
 * `mutate`) and commits share a sync. A row per secret
 * (its metadata document; the sort keys and the purge date as indexed columns, so listings page by keyset and
 * never load every secret) and a row per version (store/sealed.ts: the layout).
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly schemaVersion = SQLITE_SCHEMA_VERSION;
  readonly sealedValues: SealedValues = this;
  readonly #db: BetterSqlite3.Database;
  readonly #keys: KeyringSource;
  readonly #cache = new OpenedCache<number>();
  /** listed secrets as parsed, for listings */
  readonly #listed = new ListedCache();
  /** scope and name -> ARN of the secrets in #cache, for reads by name without a query */
  readonly #names = new Map<string, string>();
  /** PRAGMA data_version when the caches were last known coherent with the database */
  #dataVersion = -1;
  /** whether data_version was checked in this turn of the event loop */
  #checked = false;
  readonly #q;
  readonly #queue: Job[] = [];
  #flushScheduled = false;
  /** the sync of the last commits, while it runs (the queue waits for its end) */
  #syncing: Promise<void> | undefined;
  #commits = 0;
  /** the prepared statement of each kind of listing page (16: order, direction, with a cursor or not) */
  readonly #pages = new Map<string, BetterSqlite3.Statement<unknown[], ScanRow>>();
  readonly functions: FunctionStore;
  readonly #batchTx: (batch: Job[], outcomes: Array<Effects | { error: unknown }>) => void;
  readonly #step: (job: Job, written: ReadonlyMap<string, Written>) => Effects;
  readonly #read: (arn: string) => { rev: number; sealed: SealedSecret } | undefined;
  /** syncs the WAL after commits; undefined when the database is not in WAL mode (it then keeps synchronous=FULL) */
  readonly #wal: WalSync | undefined;

  constructor(opts: SqliteStoreOptions) {
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    this.#keys = opts.keys;
    this.#db = new Database(opts.path);
    try {
      const wal = this.#db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
      this.#db.pragma('synchronous = FULL');
      this.#db.pragma('busy_timeout = 10000');
      this.#db.pragma('foreign_keys = ON');
      this.#migrate();
      const db = this.#db;
      this.#q = {
        meta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
        setMeta: db.prepare(
          'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        ),
        allMeta: db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM meta WHERE key LIKE ?'),
        revByName: db.prepare<[string, string, string], { arn: string; rev: number }>(
          'SELECT arn, rev FROM secrets WHERE account = ? AND region = ? AND name = ?',
        ),
        revByArn: db.prepare<[string, string, string], { arn: string; rev: number }>(
          'SELECT arn, rev FROM secrets WHERE arn = ? AND account = ? AND region = ?',
        ),
        doc: db.prepare<[string], { rev: number; doc: string }>('SELECT rev, doc FROM secrets WHERE arn = ?'),
        versions: db.prepare<[string], VersionRow>('SELECT doc, val FROM versions WHERE arn = ? ORDER BY seq'),
        insertVersion: db.prepare('INSERT INTO versions (arn, version_id, doc, val) VALUES (?, ?, ?, ?)'),
        updateVersion: db.prepare('UPDATE versions SET doc = ? WHERE arn = ? AND version_id = ?'),
        updateVersionValue: db.prepare('UPDATE versions SET doc = ?, val = ? WHERE arn = ? AND version_id = ?'),
        removeVersion: db.prepare('DELETE FROM versions WHERE arn = ? AND version_id = ?'),
        setValue: db.prepare('UPDATE versions SET val = ? WHERE arn = ? AND version_id = ?'),
        bumpRev: db.prepare('UPDATE secrets SET rev = rev + 1 WHERE arn = ?'),
        remove: db.prepare('DELETE FROM secrets WHERE arn = ?'),
        removeName: db.prepare('DELETE FROM secrets WHERE account = ? AND region = ? AND name = ? AND arn <> ?'),
        upsert: db.prepare<unknown[], { rev: number }>(upsertSql('secrets', () => '?')),
        due: {
          purge: db.prepare<[number, number], DueRow>(dueSql('sqlite', 'purge')),
          rotate: db.prepare<[number, number], DueRow>(dueSql('sqlite', 'rotate')),
        },
        stats: db.prepare<[], { secrets: number; scopes: number }>(
          "SELECT COUNT(*) AS secrets, COUNT(DISTINCT account || '/' || region) AS scopes FROM secrets",
        ),
        page: db.prepare<[string, number], { arn: string; account: string; region: string; doc: string }>(
          'SELECT arn, account, region, doc FROM secrets WHERE arn > ? ORDER BY arn LIMIT ?',
        ),
        dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      };
      this.functions = sqliteFunctions(db, () => this.#durable());
      this.#batchTx = db.transaction(this.#runBatch.bind(this)).immediate;
      this.#step = db.transaction(this.#apply.bind(this));
      this.#read = db.transaction(this.#loadRows.bind(this));
      this.#checkKeys();
      // the migrations and key checks above were synced by FULL; from here on, commits are synced by #wal
      this.#wal = wal ? WalSync.open(opts.path) : undefined;
      if (this.#wal) this.#db.pragma('synchronous = NORMAL');
    } catch (e) {
      this.#db.close();
      throw e;
    }
  }

  /** Resolves once everything committed so far is durable. */
  #durable(): Promise<void> {
    return this.#wal ? this.#wal.durable() : Promise.resolve();
  }

  #checkKeys(): void {
    const checks = this.#q.allMeta.all(KEYCHECK_PATTERN).map((r) => ({ term: keyCheckTerm(r.key)!, value: r.value }));
    checkKeys(this.#keys.keyring(), checks, (k, v) => this.#q.setMeta.run(k, v));
  }

  #migrate(): void {
    const db = this.#db;
    const hasMeta =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
    const current = hasMeta
      ? Number(
          (db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined)
            ?.value ?? 0,
        )
      : 0;
    if (current > MIGRATIONS.length) {
      throw new StoreError(
        `this database has schema version ${current}, newer than this secretlite supports ` +
          `(${MIGRATIONS.length}); upgrade secretlite. The database was not changed.`,
      );
    }
    if (current === MIGRATIONS.length) return;
    db.transaction(() => {
      for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
      db.prepare(
        "INSERT INTO meta(key, value) VALUES ('schema_version', ?) " +
          'ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ).run(String(MIGRATIONS.length));
    }).immediate();
  }

  #revOf(scope: Scope, ref: SecretRef): Located | undefined {
    if (ref.kind === 'name') return this.#q.revByName.get(scope.accountId, scope.region, ref.name);
    const exact = this.#q.revByArn.get(ref.arn, scope.accountId, scope.region);
    if (exact || ref.partialName === undefined) return exact;
    const row = this.#q.revByName.get(scope.accountId, scope.region, ref.partialName);
    return row && row.arn.startsWith(`${ref.arn}-`) ? row : undefined;
  }

  /** A secret's document and versions, read in one transaction (a snapshot: another process may be writing). */
  #loadRows(arn: string): { rev: number; sealed: SealedSecret } | undefined {
    const row = this.#q.doc.get(arn);
    return row && { rev: row.rev, sealed: joinRows(row.doc, this.#q.versions.all(arn)) };
  }

  /** The opened secret of an ARN, from the cache when its revision is there, else read and opened (then cached). */
  #load(arn: string, rev: number): Secret | undefined {
    const cached = this.#cache.get(arn, rev);
    if (cached) return cached;
    const loaded = this.#read(arn);
    if (!loaded) return undefined;
    const secret = openSecretFrom(this.#keys, loaded.sealed);
    this.#cache.set(arn, loaded.rev, secret);
    return secret;
  }

  /**
   * Reads by name are answered from the cache without a query while the database has not been changed by
   * another connection (another process: `secretlite rotate-master-key`, an import). SQLite's data_version
   * tells, and it is asked once per turn of the event loop: a change committed elsewhere is seen by every
   * request read from a socket after the turn's first read. Our own writes keep the caches up to date.
   */
  #coherent(): void {
    if (this.#checked) return;
    this.#checked = true;
    setImmediate(() => {
      this.#checked = false;
    });
    const v = this.#q.dataVersion.get()!;
    if (v !== this.#dataVersion) {
      this.#dataVersion = v;
      this.#cache.clear();
      this.#names.clear();
    }
  }

  /** Bounded like the cache it points into: the oldest names go first. */
  #rememberName(key: string, arn: string): void {
    setBounded(this.#names, key, arn, this.#cache.limit);
  }

  get(scope: Scope, ref: SecretRef): Secret | undefined {
    this.#coherent();
    const key = ref.kind === 'name' ? nameKey(scope, ref.name) : undefined;
    if (key !== undefined) {
      const arn = this.#names.get(key);
      const cached = arn === undefined ? undefined : this.#cache.peek(arn);
      if (cached) return cached;
    }
    const hit = this.#revOf(scope, ref);
    if (!hit) return undefined;
    const secret = this.#load(hit.arn, hit.rev);
    if (!secret) return undefined;
    this.#rememberName(nameKey(scope, secret.name), hit.arn);
    return secret;
  }

  /**
   * Group commit: a mutation waits in a queue; the flush, scheduled with setImmediate (so every request read
   * from the sockets in this turn of the event loop joins), runs the queued mutations in order in one transaction
   * (batches of MAX_BATCH), each in its own savepoint. A transition that throws, or whose SQL fails, is rolled
   * back alone; every promise settles only after its commit and a sync of the WAL started after it (#flush), so a
   * write is acknowledged only once durable.
   */
  mutate<T>(scope: Scope, ref: SecretRef, fn: (current: Secret | undefined) => Mutation<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ scope, ref, fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(this.#flush);
      }
    });
  }

  /** How many write transactions this store committed (for tests: group commit makes it fewer than mutations). */
  get commits(): number {
    return this.#commits;
  }

  /** How many syncs of the WAL started and finished (for tests); undefined when the database is not in WAL mode. */
  get walSyncs(): { readonly started: number; readonly finished: number } | undefined {
    return this.#wal?.counts;
  }

  /**
   * Commits what is queued, then syncs the WAL once for all of it. While a sync runs, nothing is committed: the
   * writes that arrive meanwhile could not be answered before the next sync anyway, so they wait and go into one
   * transaction when it ends (fewer, larger commits: fewer pages written per write). `force` (close, reset) commits
   * at once.
   */
  readonly #flush = (force = false): void => {
    this.#flushScheduled = false;
    if (this.#syncing && !force) return; // the sync's end flushes
    if (!this.#db.open) {
      for (const job of this.#queue.splice(0)) job.reject(new StoreError('the store is closed'));
      return;
    }
    this.#coherent();
    this.#keys.refresh();
    const done: Array<{ job: Job; result: unknown }> = [];
    // a transition may queue another mutation (it joins the next batch of this loop)
    while (this.#queue.length > 0) this.#commit(this.#queue.splice(0, MAX_BATCH), done);
    if (done.length === 0) return;
    const synced = this.#durable().then(
      () => {
        for (const d of done) d.job.resolve(d.result);
      },
      (e: unknown) => {
        // committed but perhaps not on disk (an I/O error): not acknowledged
        for (const d of done) d.job.reject(e);
      },
    );
    if (!this.#wal) return;
    this.#syncing = synced;
    void synced.then(() => {
      this.#syncing = undefined;
      if (this.#queue.length > 0 && !this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(this.#flush);
      }
    });
  };

  /** One batch in one transaction; the mutations that succeeded go to `done`, to be answered after the sync. */
  #commit(batch: Job[], done: Array<{ job: Job; result: unknown }>): void {
    const outcomes: Array<Effects | { error: unknown }> = [];
    try {
      this.#batchTx(batch, outcomes);
      this.#commits++;
    } catch (e) {
      // the commit failed (or SQLite rolled the transaction back): nothing of the batch was written
      for (let i = 0; i < batch.length; i++) {
        const o = outcomes[i];
        batch[i]!.reject(o && 'error' in o ? o.error : e);
      }
      return;
    }
    // the caches follow the database at once (later reads and batches see the commit); the answers wait for the sync
    for (let i = 0; i < batch.length; i++) {
      const job = batch[i]!;
      const o = outcomes[i]!;
      if ('error' in o) {
        job.reject(o.error);
        continue;
      }
      for (const r of o.removed) {
        this.#cache.delete(r.arn);
        this.#names.delete(r.key);
      }
      if (o.written) {
        this.#cache.set(o.written.arn, o.written.rev, o.written.secret);
        this.#rememberName(nameKey(job.scope, o.written.secret.name), o.written.arn);
      }
      done.push({ job, result: o.result });
    }
  }

  /** The batch's transaction body: each mutation in a savepoint; the secrets written so far, by ARN. */
  #runBatch(batch: Job[], outcomes: Array<Effects | { error: unknown }>): void {
    const written = new Map<string, Written>();
    for (const job of batch) {
      try {
        const effects = this.#step(job, written);
        for (const r of effects.removed) written.delete(r.arn);
        if (effects.written) written.set(effects.written.arn, effects.written);
        outcomes.push(effects);
      } catch (error) {
        outcomes.push({ error });
        // an error that made SQLite roll the whole transaction back (a full disk, I/O): the batch fails
        if (!this.#db.inTransaction) throw error;
      }
    }
  }

  /** One mutation, inside the batch's transaction; `written`: what earlier mutations of the batch wrote. */
  #apply(job: Job, written: ReadonlyMap<string, Written>): Effects {
    const { scope, ref } = job;
    const removed: Effects['removed'] = [];
    const row = this.#revOf(scope, ref);
    let prev: Secret | undefined;
    if (row) {
      const mine = written.get(row.arn);
      prev = mine && mine.rev === row.rev ? mine.secret : this.#load(row.arn, row.rev);
    }
    const { result, next } = job.fn(prev && cloneSecret(prev));
    const plan = planWrite(row?.arn, next);
    if (plan?.removeArn !== undefined) {
      this.#q.remove.run(plan.removeArn); // its versions go with it (ON DELETE CASCADE)
      removed.push({ arn: plan.removeArn, key: nameKey(scope, prev!.name) });
    }
    if (!plan?.put) return { result, removed };
    const put = plan.put;
    // a secret found by its ARN has its name: another row can hold the name only when this one is new
    if (row?.arn !== put.arn) this.#q.removeName.run(scope.accountId, scope.region, put.name, put.arn);
    const { rev } = this.#q.upsert.get(...rowValues(scope, put, secretDoc(put)))!;
    const changes = versionChanges(this.#keys.keyring(), row?.arn === put.arn ? prev : undefined, put);
    for (const id of changes.remove) this.#q.removeVersion.run(put.arn, id);
    for (const u of changes.update) {
      if (u.val === undefined) this.#q.updateVersion.run(u.doc, put.arn, u.id);
      else this.#q.updateVersionValue.run(u.doc, u.val, put.arn, u.id);
    }
    for (const v of changes.insert) this.#q.insertVersion.run(put.arn, v.id, v.doc, v.val);
    return { result, removed, written: { arn: put.arn, rev, secret: put } };
  }

  async list(scope: Scope, q: ListQuery): Promise<ListPage> {
    return scanPage(q, this.#listed, (after, limit) => {
      const sql = listPageSql('sqlite', q.sortBy, q.descending, after !== undefined);
      let statement = this.#pages.get(sql);
      if (!statement) this.#pages.set(sql, (statement = this.#db.prepare<unknown[], ScanRow>(sql)));
      return statement.all(scope.accountId, scope.region, ...(after ? [after.value, after.arn] : []), limit);
    });
  }

  async due(kind: DueKind, now: number, limit: number): Promise<DueItem[]> {
    return this.#q.due[kind]
      .all(now, limit)
      .map((r) => ({ scope: { accountId: r.account, region: r.region }, arn: r.arn }));
  }

  async stats(): Promise<StoreStats> {
    return this.#q.stats.get()!;
  }

  /**
   * Re-wraps every data key under the keyring's current term, a batch of secrets per transaction; how many
   * secrets changed. Only the changed versions' values are written.
   */
  rewrapAll(rewrap: (s: SealedSecret) => SealedSecret | undefined): number {
    let after = '';
    let changed = 0;
    for (;;) {
      const rows = this.#q.page.all(after, 200);
      if (rows.length === 0) return changed;
      this.#db
        .transaction(() => {
          for (const r of rows) {
            const before = this.#loadRows(r.arn)?.sealed;
            const next = before && rewrap(before);
            if (!before || !next) continue;
            next.versions.forEach((v, i) => {
              if (v !== before.versions[i] && v.sealed) this.#q.setValue.run(JSON.stringify(v.sealed), r.arn, v.id);
            });
            this.#q.bumpRev.run(r.arn);
            changed++;
          }
        })
        .immediate();
      this.#wal?.syncNow();
      after = rows[rows.length - 1]!.arn;
    }
  }

  /** After a new key term: record its check (the old terms' checks stay until nothing uses them). */
  recordKeyTerm(): void {
    recordKeyCheck(this.#keys.keyring(), (k, v) => this.#q.setMeta.run(k, v));
    this.#wal?.syncNow();
  }

  async *entries(): AsyncIterable<{ scope: Scope; secret: Secret }> {
    for (const { scope, secret } of this.sealedSecrets()) yield { scope, secret: openSecretFrom(this.#keys, secret) };
  }

  /** Every sealed secret, in ARN order. */
  *sealedSecrets(): Generator<{ scope: Scope; secret: SealedSecret }> {
    let after = '';
    for (;;) {
      const rows = this.#q.page.all(after, 500);
      if (rows.length === 0) return;
      for (const r of rows) {
        const secret = this.#read(r.arn)?.sealed;
        if (secret) yield { scope: { accountId: r.account, region: r.region }, secret };
      }
      after = rows[rows.length - 1]!.arn;
    }
  }

  async clear(): Promise<void> {
    // queued mutations first, in order: a change acknowledged before the reset is not left half-applied after it
    while (this.#queue.length > 0 && this.#db.open) this.#flush(true);
    this.#db.transaction(() => {
      this.#db.exec('DELETE FROM versions; DELETE FROM secrets; DELETE FROM lambda_functions;');
    })();
    this.#cache.clear();
    this.#listed.clear();
    this.#names.clear();
    await this.#durable();
  }

  async close(): Promise<void> {
    // mutations still queued are committed first: a caller awaiting one gets its answer once its sync is done
    while (this.#queue.length > 0 && this.#db.open) this.#flush(true);
    if (this.#db.open) this.#db.close();
    await this.#wal?.close();
  }
}
