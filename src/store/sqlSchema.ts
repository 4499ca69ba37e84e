import type { Scope, Secret } from '../domain/types.js';
import type { DueKind, SortKey } from './Store.js';

/**
 * The one description of the tables both SQL backends keep (created by each backend's migrations, which are
 * history and never change). Secrets (SQLite's `secrets`, PostgreSQL's `secretlite_secrets`): one row per secret,
 * its metadata document (store/sealed.ts secretDoc) and as columns what the database must find or order by: the
 * scope and name, the sort keys of ListSecrets, and the dates the purge and rotation jobs ask for (deletion_date,
 * rotation_due). Versions (`versions`, `secretlite_versions`): one row per version, `seq` (creation order), `arn`
 * (its secret's; deleted with it), `version_id`, `doc` (its metadata) and `val` (its sealed value, or null), unique
 * by (arn, version_id). Functions (`lambda_functions`, `secretlite_lambda_functions`): secretlite's Lambda API's,
 * their configuration as a document and their zip.
 */

/** ListSecrets' sort keys as columns. */
export const SORT_COLUMN = {
  'created-date': 'created_date',
  name: 'name',
  'last-changed-date': 'last_changed',
  'last-accessed-date': 'last_accessed',
} as const satisfies Record<SortKey, string>;

/**
 * One keyset page of a listing, as each backend runs it: the scope's rows after (or before) the cursor in the
 * order of a sort column, the ARN breaking ties. Each order has an index on (account, region, column, arn), so
 * a page reads only its rows (test/store/queryPlans.test.ts shows the plans). PostgreSQL compares names and ARNs
 * bytewise (COLLATE "C"), as SQLite and the memory store do, and as its indexes are built.
 * Parameters: account, region, [cursor value, cursor ARN,] limit.
 */
export function listPageSql(
  dialect: 'sqlite' | 'postgres',
  sortBy: SortKey,
  descending: boolean,
  after: boolean,
): string {
  const pg = dialect === 'postgres';
  const column = SORT_COLUMN[sortBy];
  const col = pg && sortBy === 'name' ? `${column} COLLATE "C"` : column;
  const arn = pg ? 'arn COLLATE "C"' : 'arn';
  const p = (i: number) => (pg ? `$${i}` : '?');
  const dir = descending ? 'DESC' : 'ASC';
  const cursor = after
    ? ` AND (${col}, ${arn}) ${descending ? '<' : '>'} (${p(3)}, ${p(4)}${pg ? ' COLLATE "C"' : ''})`
    : '';
  return (
    `SELECT arn, doc, ${column} AS v FROM ${pg ? 'secretlite_secrets' : 'secrets'} ` +
    `WHERE account = ${p(1)} AND region = ${p(2)}${cursor} ` +
    `ORDER BY ${col} ${dir}, ${arn} ${dir} LIMIT ${p(after ? 5 : 3)}`
  );
}

/** The columns a write sets, in order; `rev` counts the row's writes (the caches of opened secrets key on it). */
const WRITTEN = [
  'arn',
  'account',
  'region',
  'name',
  'created_date',
  'last_changed',
  'last_accessed',
  'deletion_date',
  'doc',
  'rotation_due',
] as const;

/** The values of WRITTEN for a secret and its metadata document (store/sealed.ts secretDoc). */
export function rowValues(scope: Scope, s: Secret, doc: string): unknown[] {
  return [
    s.arn,
    scope.accountId,
    scope.region,
    s.name,
    s.createdDate,
    s.lastChangedDate,
    s.lastAccessedDate ?? 0,
    s.deletionDate ?? null,
    doc,
    s.rotationDueDate ?? null,
  ];
}

/** The query of secrets with background work due (store.due): by an index on its date column, earliest first. */
export function dueSql(dialect: 'sqlite' | 'postgres', kind: DueKind): string {
  const pg = dialect === 'postgres';
  const column = kind === 'purge' ? 'deletion_date' : 'rotation_due';
  return (
    `SELECT account, region, arn FROM ${pg ? 'secretlite_secrets' : 'secrets'} ` +
    `WHERE ${column} IS NOT NULL AND ${column} <= ${pg ? '$1' : '?'} ORDER BY ${column} LIMIT ${pg ? '$2' : '?'}`
  );
}

/** INSERT or UPDATE of a row by ARN, returning its new revision; `param(i)`: the dialect's i-th placeholder, from 1. */
export function upsertSql(table: string, param: (i: number) => string): string {
  const params = WRITTEN.map((_, i) => param(i + 1));
  const updated = WRITTEN.filter(
    (c) => c !== 'arn' && c !== 'account' && c !== 'region' && c !== 'name' && c !== 'created_date',
  );
  return `INSERT INTO ${table} (${WRITTEN.join(', ')}, rev) VALUES (${params.join(', ')}, 1)
    ON CONFLICT (arn) DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}, rev = ${table}.rev + 1
    RETURNING rev`;
}
