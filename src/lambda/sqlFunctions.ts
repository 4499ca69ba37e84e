import type BetterSqlite3 from 'better-sqlite3';
import type PG from 'pg';
import type { Scope } from '../domain/types.js';
import type { FunctionStore, LambdaFunction } from './functions.js';

/*
 * Functions in the SQL stores (table created by migration 3 of each): a row per function, its configuration as a
 * JSON document and its zip as bytes, found by ARN or by scope and name.
 */

/** `durable`: resolves once what was committed is on disk (the store's WAL sync) */
export function sqliteFunctions(db: BetterSqlite3.Database, durable: () => Promise<void>): FunctionStore {
  const q = {
    get: db.prepare<[string, string, string], { doc: string }>(
      'SELECT doc FROM lambda_functions WHERE account = ? AND region = ? AND name = ?',
    ),
    code: db.prepare<[string], { code: Buffer }>('SELECT code FROM lambda_functions WHERE arn = ?'),
    upsert: db.prepare(
      'INSERT INTO lambda_functions (arn, account, region, name, doc, code) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (arn) DO UPDATE SET doc = excluded.doc, code = excluded.code',
    ),
    setDoc: db.prepare('UPDATE lambda_functions SET doc = ? WHERE arn = ?'),
    delete: db.prepare('DELETE FROM lambda_functions WHERE account = ? AND region = ? AND name = ?'),
    list: db.prepare<[string, string], { doc: string }>(
      'SELECT doc FROM lambda_functions WHERE account = ? AND region = ? ORDER BY name',
    ),
  };
  return {
    async get(scope: Scope, name: string) {
      const r = q.get.get(scope.accountId, scope.region, name);
      return r && (JSON.parse(r.doc) as LambdaFunction);
    },
    async code(arn: string) {
      return q.code.get(arn)?.code;
    },
    async put(fn: LambdaFunction, code?: Buffer) {
      if (code) q.upsert.run(fn.arn, fn.accountId, fn.region, fn.name, JSON.stringify(fn), code);
      else q.setDoc.run(JSON.stringify(fn), fn.arn);
      await durable();
    },
    async delete(scope: Scope, name: string) {
      const deleted = q.delete.run(scope.accountId, scope.region, name).changes > 0;
      await durable();
      return deleted;
    },
    async list(scope: Scope) {
      return q.list.all(scope.accountId, scope.region).map((r) => JSON.parse(r.doc) as LambdaFunction);
    },
  };
}

export function postgresFunctions(pool: PG.Pool): FunctionStore {
  const T = 'secretlite_lambda_functions';
  return {
    async get(scope: Scope, name: string) {
      const r = await pool.query<{ doc: string }>(
        `SELECT doc FROM ${T} WHERE account = $1 AND region = $2 AND name = $3`,
        [scope.accountId, scope.region, name],
      );
      return r.rows[0] && (JSON.parse(r.rows[0].doc) as LambdaFunction);
    },
    async code(arn: string) {
      const r = await pool.query<{ code: Buffer }>(`SELECT code FROM ${T} WHERE arn = $1`, [arn]);
      return r.rows[0]?.code;
    },
    async put(fn: LambdaFunction, code?: Buffer) {
      if (code) {
        await pool.query(
          `INSERT INTO ${T} (arn, account, region, name, doc, code) VALUES ($1, $2, $3, $4, $5, $6) ` +
            'ON CONFLICT (arn) DO UPDATE SET doc = excluded.doc, code = excluded.code',
          [fn.arn, fn.accountId, fn.region, fn.name, JSON.stringify(fn), code],
        );
      } else {
        await pool.query(`UPDATE ${T} SET doc = $1 WHERE arn = $2`, [JSON.stringify(fn), fn.arn]);
      }
    },
    async delete(scope: Scope, name: string) {
      const r = await pool.query(`DELETE FROM ${T} WHERE account = $1 AND region = $2 AND name = $3`, [
        scope.accountId,
        scope.region,
        name,
      ]);
      return (r.rowCount ?? 0) > 0;
    },
    async list(scope: Scope) {
      const r = await pool.query<{ doc: string }>(
        `SELECT doc FROM ${T} WHERE account = $1 AND region = $2 ORDER BY name COLLATE "C"`,
        [scope.accountId, scope.region],
      );
      return r.rows.map((row) => JSON.parse(row.doc) as LambdaFunction);
    },
  };
}
