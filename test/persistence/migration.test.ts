import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SqliteStore } from '../../src/store/sqlite.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { staticKeyring } from '../../src/crypto/source.js';
import { seal, type SealedValue } from '../../src/crypto/envelope.js';
import { writeValue } from '../../src/domain/versions.js';
import { versionsToStages } from '../../src/domain/views.js';
import type { Store } from '../../src/store/Store.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../postgres.js';

/**
 * Schema 2 moved versions to rows of their own. A database written by schema 1 (a row per secret holding every
 * version's metadata in `doc` and every sealed value in `vals`) must keep working: its rows are moved by the
 * migration, in order, values untouched. The schema-1 rows are written here as schema 1's code wrote them.
 */
const keyring = new Keyring([{ id: 1, key: Buffer.alloc(32, 4) }]);
const keys = staticKeyring(keyring, 'test');
const scope = { accountId: '111111111111', region: 'us-east-1' };
const arnOf = (name: string) => `arn:aws:secretsmanager:us-east-1:111111111111:secret:${name}-AbCdEf`;
const id = (n: string) => n.padEnd(32, 'x');

interface OldVersion {
  id: string;
  createdDate: number;
  stages: string[];
  value?: string;
  /** schema 1's documents before the `valued` marker existed had none */
  unmarked?: boolean;
}

/** A secret as schema 1 stored it: the metadata document and the values document (sealed.ts splitDoc then). */
function oldRow(name: string, versions: OldVersion[]) {
  const arn = arnOf(name);
  const values: Record<string, SealedValue> = {};
  const docVersions = versions.map((v) => {
    const meta: Record<string, unknown> = { id: v.id, createdDate: v.createdDate, stages: v.stages };
    if (v.value !== undefined) {
      values[v.id] = seal(keyring, arn, v.id, { secretString: v.value });
      if (!v.unmarked) meta.valued = 1;
    }
    return meta;
  });
  const doc = {
    arn,
    name,
    createdDate: 1000,
    lastChangedDate: 2000,
    description: `about ${name}`,
    versions: docVersions,
  };
  return [
    arn,
    scope.accountId,
    scope.region,
    name,
    1000,
    2000,
    0,
    null,
    1,
    JSON.stringify(doc),
    JSON.stringify(values),
  ];
}

// Versions out of creation-date order on purpose: the stored order is the truth.
const MANY: OldVersion[] = [
  { id: id('v1'), createdDate: 30, stages: [], value: 'one' },
  { id: id('v2'), createdDate: 10, stages: ['AWSPREVIOUS'], value: 'two' },
  { id: id('v3'), createdDate: 20, stages: ['AWSCURRENT', 'mine'], value: 'three' },
  { id: id('v4'), createdDate: 40, stages: [], value: 'four', unmarked: true },
  { id: id('v5'), createdDate: 50, stages: ['AWSPENDING'] }, // a rotation's placeholder: no value
];
const OLD_ROWS = [oldRow('old/many', MANY), oldRow('old/one', [MANY[2]!])];

async function checkMigrated(open: () => Promise<Store>): Promise<void> {
  let store = await open();
  // SQLite 4: its redundant name index dropped (issue 13); PostgreSQL's orders names by "C", its by_name does not
  expect(store.schemaVersion).toBe(store.kind === 'sqlite' ? 4 : 3);
  const s = await store.get(scope, { kind: 'name', name: 'old/many' });
  expect(s?.description).toBe('about old/many');
  expect(s?.versions.map((v) => [v.id, v.createdDate, v.stages, v.secretString])).toEqual(
    MANY.map((v) => [v.id, v.createdDate, v.stages, v.value]),
  );
  const page = await store.list(scope, {
    sortBy: 'name',
    descending: false,
    limit: 10,
    scanLimit: 100,
    filter: () => true,
  });
  expect(page.items.map((i) => [i.name, versionsToStages(i)])).toEqual([
    ['old/many', { [id('v2')]: ['AWSPREVIOUS'], [id('v3')]: ['AWSCURRENT', 'mine'], [id('v5')]: ['AWSPENDING'] }],
    ['old/one', { [id('v3')]: ['AWSCURRENT', 'mine'] }],
  ]);
  // a put on a migrated secret, then a restart
  await store.mutate(scope, { kind: 'name', name: 'old/many' }, (cur) => {
    writeValue(cur!, id('v6'), { secretString: 'six' }, undefined, 60);
    return { result: undefined, next: cur };
  });
  await store.close();
  store = await open();
  const after = await store.get(scope, { kind: 'name', name: 'old/many' });
  expect(after?.versions.map((v) => [v.id, v.stages, v.secretString])).toEqual([
    [id('v1'), [], 'one'],
    [id('v2'), [], 'two'],
    [id('v3'), ['mine', 'AWSPREVIOUS'], 'three'],
    [id('v4'), [], 'four'],
    [id('v5'), ['AWSPENDING'], undefined],
    [id('v6'), ['AWSCURRENT'], 'six'],
  ]);
  expect((await store.get(scope, { kind: 'name', name: 'old/one' }))?.versions[0]?.secretString).toBe('three');
  await store.close();
}

describe('schema 1 -> 2 (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secretlite-migrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('moves every version of an existing database to its own row, in order, values untouched', async () => {
    const path = join(dir, 'old.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE secrets (
        arn TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        created_date INTEGER NOT NULL, last_changed INTEGER NOT NULL, last_accessed INTEGER NOT NULL,
        deletion_date INTEGER, rev INTEGER NOT NULL, doc TEXT NOT NULL, vals TEXT NOT NULL);
      CREATE UNIQUE INDEX secrets_by_name ON secrets(account, region, name);
      CREATE INDEX secrets_sort_name ON secrets(account, region, name, arn);
      CREATE INDEX secrets_sort_created ON secrets(account, region, created_date, arn);
      CREATE INDEX secrets_sort_changed ON secrets(account, region, last_changed, arn);
      CREATE INDEX secrets_sort_accessed ON secrets(account, region, last_accessed, arn);
      CREATE INDEX secrets_due ON secrets(deletion_date) WHERE deletion_date IS NOT NULL;
      INSERT INTO meta VALUES ('schema_version', '1');`);
    const insert = db.prepare('INSERT INTO secrets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const row of OLD_ROWS) insert.run(...row);
    db.close();
    await checkMigrated(async () => new SqliteStore({ path, keys }));
    const check = new Database(path, { readonly: true });
    const columns = check.prepare<[], { name: string }>('PRAGMA table_info(secrets)').all();
    expect(columns.map((c) => c.name)).not.toContain('vals');
    expect(check.prepare('SELECT COUNT(*) AS n FROM versions').get()).toEqual({ n: 7 });
    const indexes = check.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'").all();
    expect(indexes.map((i) => i.name)).toContain('secrets_by_name');
    expect(indexes.map((i) => i.name)).not.toContain('secrets_sort_name');
    check.close();
  });
});

const available = postgresAvailable();
describe.skipIf(!available)('schema 1 -> 2 (PostgreSQL)', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('moves every version of an existing database to its own row, in order, values untouched', async () => {
    const url = await server.newDatabase();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`CREATE TABLE secretlite_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE secretlite_secrets (
          arn TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
          created_date BIGINT NOT NULL, last_changed BIGINT NOT NULL, last_accessed BIGINT NOT NULL,
          deletion_date BIGINT, rev BIGINT NOT NULL, doc TEXT NOT NULL, vals TEXT NOT NULL);
        CREATE UNIQUE INDEX secretlite_by_name ON secretlite_secrets(account, region, name);
        INSERT INTO secretlite_meta VALUES ('schema_version', '1');`);
      for (const row of OLD_ROWS)
        await c.query('INSERT INTO secretlite_secrets VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)', row);
    } finally {
      await c.end();
    }
    await checkMigrated(() => PostgresStore.open(url, keys));
  });
});
