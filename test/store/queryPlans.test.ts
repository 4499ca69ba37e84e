import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SqliteStore } from '../../src/store/sqlite.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { listPageSql } from '../../src/store/sqlSchema.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { staticKeyring } from '../../src/crypto/source.js';
import type { SortKey } from '../../src/store/Store.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../postgres.js';

// ListSecrets pages read an index in every order (issue 13): the plans of the very queries the stores run, for each
// SortBy, both directions, first page and after a cursor. No sort step, no scan of the table.
const keys = staticKeyring(new Keyring([{ id: 1, key: Buffer.alloc(32, 7) }]), 'test');
const ORDERS: SortKey[] = ['created-date', 'name', 'last-changed-date', 'last-accessed-date'];
const INDEX: Record<SortKey, string> = {
  'created-date': 'sort_created',
  name: 'sort_name',
  'last-changed-date': 'sort_changed',
  'last-accessed-date': 'sort_accessed',
};
const cases = ORDERS.flatMap((sortBy) =>
  [false, true].flatMap((descending) => [false, true].map((after) => ({ sortBy, descending, after }))),
);
const label = (c: (typeof cases)[number]) =>
  `${c.sortBy} ${c.descending ? 'desc' : 'asc'}${c.after ? ' after a cursor' : ''}`;

describe('sqlite: listing query plans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secretlite-plans-'));
  const path = join(dir, 'db.sqlite');
  let db: Database.Database;
  beforeAll(async () => {
    await new SqliteStore({ path, keys }).close(); // creates the schema
    db = new Database(path); // no statistics: SQLite plans for a large table
  });
  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  it.each(cases)('$sortBy, descending $descending, after a cursor $after: an index, no sort', (c) => {
    const sql = listPageSql('sqlite', c.sortBy, c.descending, c.after);
    const params = ['111111111111', 'us-east-1', ...(c.after ? [c.sortBy === 'name' ? 'a' : 1, 'arn:x'] : []), 100];
    const plan = db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((r) => r.detail)
      .join('; ');
    // by name, the unique (account, region, name) index (schema 4 dropped the one with the ARN): names are unique in
    // a scope, so its order is the listing's, ARN tie-breaker included
    const index = c.sortBy === 'name' ? 'by_name' : INDEX[c.sortBy];
    expect(plan, label(c)).toMatch(new RegExp(`USING (COVERING )?INDEX secrets_${index}\\b`));
    expect(plan, label(c)).not.toMatch(/TEMP B-TREE|SCAN secrets(?! USING)/);
  });
});

const available = postgresAvailable();
describe.skipIf(!available)('postgres: listing query plans', () => {
  let server: TestPostgres;
  let client: pg.Client;
  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.newDatabase();
    await (await PostgresStore.open(url, keys)).close(); // creates the schema
    client = new pg.Client({ connectionString: url });
    await client.connect();
    // An empty table is cheapest to scan and sort: forbid both, so the plan shows what the indexes can serve
    // (with them allowed on a large table the planner picks the same index scan).
    await client.query('SET enable_seqscan = off');
    await client.query('SET enable_sort = off');
    await client.query('SET enable_bitmapscan = off');
  }, 60_000);
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });
  it.each(cases)('$sortBy, descending $descending, after a cursor $after: an index scan, no sort', async (c) => {
    const sql = listPageSql('postgres', c.sortBy, c.descending, c.after);
    const params = ['111111111111', 'us-east-1', ...(c.after ? [c.sortBy === 'name' ? 'a' : 1, 'arn:x'] : []), 100];
    const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan, label(c)).toMatch(new RegExp(`Index (Only )?Scan (Backward )?using secretlite_${INDEX[c.sortBy]}`));
    expect(plan, label(c)).not.toMatch(/\bSort\b|Seq Scan/);
  });
});
