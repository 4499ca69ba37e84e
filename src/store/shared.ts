import type { Secret, SecretVersion } from '../domain/types.js';
import type { Keyring } from '../crypto/keyring.js';
import { setBounded } from '../bounded.js';
import { joinDoc, sealVersion, versionDoc, withoutValues } from './sealed.js';
import type { Cursor, ListPage, ListQuery } from './Store.js';

/**
 * What the SQL backends share: a cache of opened secrets (so a read decrypts only when the row changed),
 * the version rows a write changes, and the keyset scan behind listings.
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
 * Listed secrets (metadata, no values) as parsed from their documents, by ARN, each with the document it was parsed
 * from: a row whose document is the same string gives the same object (a comparison of a few hundred bytes, where a
 * parse allocated the whole secret). Keyed by content, not by revision, so nothing needs to invalidate it: another
 * instance deleting and re-creating an ARN cannot make it answer stale metadata. Bounded: a few MB.
 */
export class ListedCache {
  readonly #entries = new Map<string, { doc: string; secret: Secret }>();
  constructor(readonly limit = 8192) {}
  parse(arn: string, doc: string): Secret {
    const e = this.#entries.get(arn);
    if (e !== undefined && e.doc === doc) return e.secret;
    const secret = withoutValues(joinDoc(doc));
    setBounded(this.#entries, arn, { doc, secret }, this.limit);
    return secret;
  }
  clear(): void {
    this.#entries.clear();
  }
}

/**
 * One listing page by keyset: fetches rows after the cursor in batches, filters them, and stops at the
 * page size or the scan limit (then the cursor says where to go on). `listed` keeps the parsed documents: a page
 * read again parses nothing, and its entries are the same objects, so their serialized
 * views are cached too (protocol/answers.ts), as the memory store's snapshots are.
 */
export async function scanPage(
  q: ListQuery,
  listed: ListedCache,
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
      const s = listed.parse(r.arn, r.doc);
      if (q.filter(s)) items.push(s);
    }
    if (rows.length <= want) return { items };
  }
}

/** What a write changes among a secret's version rows (store/sealed.ts: the layout). */
export interface VersionChanges {
  /** new versions, in creation order: id, metadata document, sealed value */
  readonly insert: Array<{ id: string; doc: string; val: string | null }>;
  /** versions whose metadata changed; `val` is set when the value changed too (a rotation's placeholder filled) */
  readonly update: Array<{ id: string; doc: string; val?: string | null }>;
  readonly remove: string[];
}

/**
 * The version rows to write for `next`, given `prev`, the stored snapshot of the same secret (undefined: a new
 * secret, every version is new). A put changes two or three rows whatever the number of versions: the new one,
 * the one AWSCURRENT left, the one AWSPREVIOUS left. Values are sealed only when new (a fresh data key each).
 */
export function versionChanges(keyring: Keyring, prev: Secret | undefined, next: Secret): VersionChanges {
  const changes: VersionChanges = { insert: [], update: [], remove: [] };
  const old = prev?.versions ?? [];
  const now = next.versions;
  // Versions keep their order (new ones are appended, pruned ones leave): walk the common prefix by position,
  // and index by id only what follows it (nothing after a put, all of them after a prune of the oldest).
  let i = 0;
  for (; i < old.length && i < now.length && old[i]!.id === now[i]!.id; i++)
    compare(keyring, next.arn, old[i]!, now[i]!, changes);
  const rest = new Map<string, SecretVersion>();
  for (let k = i; k < old.length; k++) rest.set(old[k]!.id, old[k]!);
  for (let k = i; k < now.length; k++) {
    const v = now[k]!;
    const p = rest.get(v.id);
    if (p === undefined) {
      changes.insert.push({ id: v.id, doc: versionDoc(v), val: sealVersion(keyring, next.arn, v) });
    } else {
      rest.delete(v.id);
      compare(keyring, next.arn, p, v, changes);
    }
  }
  for (const id of rest.keys()) changes.remove.push(id);
  return changes;
}

/** Adds `v` to the updates when its metadata or its value differs from `p`, the stored version of its id. */
function compare(keyring: Keyring, arn: string, p: SecretVersion, v: SecretVersion, changes: VersionChanges): void {
  if (p === v) return; // a copy of a secret may share its unchanged versions with the stored snapshot
  if (v.secretString !== p.secretString || v.secretBinary !== p.secretBinary) {
    changes.update.push({ id: v.id, doc: versionDoc(v), val: sealVersion(keyring, arn, v) });
  } else if (
    v.createdDate !== p.createdDate ||
    v.lastAccessedDate !== p.lastAccessedDate ||
    v.kmsKeyId !== p.kmsKeyId ||
    !sameLabels(v.stages, p.stages)
  ) {
    changes.update.push({ id: v.id, doc: versionDoc(v) });
  }
}

/** Labels are copy-on-write: an unchanged array means unchanged labels; a new one may still hold the same. */
function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
