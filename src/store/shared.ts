import type { Secret } from '../domain/types.js';
import { setBounded } from '../bounded.js';
import { joinDoc, withoutValues } from './sealed.js';
import type { Cursor, ListPage, ListQuery } from './Store.js';

/**
 * What the SQL backends share: a cache of opened secrets (so a read decrypts only when the row changed),
 * and the keyset scan behind listings.
 */
export class OpenedCache<Rev extends string | number> {
  readonly #entries = new Map<string, { rev: Rev; secret: Secret }>();
  /** entries kept at most (oldest inserted go first) */
  constructor(readonly limit = 200_000) {}
  get(arn: string, rev: Rev): Secret | undefined {
    const e = this.#entries.get(arn);
    return e && e.rev === rev ? e.secret : undefined;
  }
  set(arn: string, rev: Rev, secret: Secret): void {
    setBounded(this.#entries, arn, { rev, secret }, this.limit);
  }
  /** The entry for an ARN whatever its revision (for a cache known to be coherent). */
  peek(arn: string): Secret | undefined {
    return this.#entries.get(arn)?.secret;
  }
  delete(arn: string): void {
    this.#entries.delete(arn);
  }
  clear(): void {
    this.#entries.clear();
  }
}

export interface ScanRow {
  arn: string;
  /** the metadata document (no values) */
  doc: string;
  /** the sort column's value */
  v: string | number;
}

/**
 * One listing page by keyset: fetches rows after the cursor in batches, filters them, and stops at the
 * page size or the scan limit (then the cursor says where to go on).
 */
export async function scanPage(
  q: ListQuery,
  fetch: (after: Cursor | undefined, limit: number) => Promise<ScanRow[]> | ScanRow[],
): Promise<ListPage> {
  const items: Secret[] = [];
  let scanned = 0;
  let last: Cursor | undefined = q.after;
  const batch = Math.min(Math.max(q.limit, 50), 500);
  for (;;) {
    const want = Math.min(batch, q.scanLimit - scanned);
    const rows = await fetch(last, want + 1);
    for (const r of rows) {
      if (items.length >= q.limit || scanned >= q.scanLimit) return { items, next: last };
      scanned++;
      last = { value: r.v, arn: r.arn };
      const s = withoutValues(joinDoc(r.doc));
      if (q.filter(s)) items.push(s);
    }
    if (rows.length <= want) return { items };
  }
}
