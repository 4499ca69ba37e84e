import type { Scope, Secret } from '../domain/types.js';
import type { SecretRef } from '../domain/arn.js';
import { cloneSecret } from '../domain/secret.js';
import {
  compareKeys,
  planWrite,
  sortValue,
  type Cursor,
  type DueItem,
  type DueKind,
  type ListPage,
  type ListQuery,
  type Mutation,
  type SortKey,
  type Store,
  type StoreStats,
} from './Store.js';

/**
 * A sorted index of (value, ARN), kept in order by binary insertion, with the secret each entry stands for:
 * a listing walks the index and reads the secrets beside it, with no lookup per entry. Parallel arrays rather
 * than an object per entry: a number array is stored unboxed, which matters at a million secrets. An entry's
 * ARN is its secret's (same ARN in every snapshot): not kept a second time.
 */
class SortedIndex {
  readonly values: Array<string | number> = [];
  readonly secrets: Secret[] = [];
  get size(): number {
    return this.secrets.length;
  }
  /** first position whose entry sorts after (value, arn), or at/after it with `inclusive` */
  bound(value: string | number, arn: string, inclusive: boolean): number {
    let lo = 0;
    let hi = this.secrets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareKeys(this.values[mid]!, this.secrets[mid]!.arn, value, arn);
      if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  insert(value: string | number, s: Secret): void {
    const i = this.bound(value, s.arn, false);
    if (i === this.secrets.length) {
      this.values.push(value);
      this.secrets.push(s);
    } else {
      this.values.splice(i, 0, value);
      this.secrets.splice(i, 0, s);
    }
  }
  /** the entry of `s` (same value, same ARN) now stands for this newer snapshot of it */
  update(value: string | number, s: Secret): void {
    const i = this.bound(value, s.arn, true);
    if (this.secrets[i]?.arn === s.arn) this.secrets[i] = s;
  }
  remove(value: string | number, arn: string): void {
    const i = this.bound(value, arn, true);
    if (this.secrets[i]?.arn === arn) {
      this.values.splice(i, 1);
      this.secrets.splice(i, 1);
    }
  }
  static sorted(pairs: Array<[string | number, Secret]>): SortedIndex {
    pairs.sort((a, b) => compareKeys(a[0], a[1].arn, b[0], b[1].arn));
    const idx = new SortedIndex();
    for (const [v, s] of pairs) {
      idx.values.push(v);
      idx.secrets.push(s);
    }
    return idx;
  }
}

/** Where an ARN with its 6-character suffix puts the secret's name: between ":secret:" and "-XXXXXX". */
function nameInArn(arn: string): string | undefined {
  const i = arn.indexOf(':secret:');
  return i > 0 && arn.length > i + 8 + 7 ? arn.slice(i + 8, arn.length - 7) : undefined;
}

class ScopeState {
  /**
   * name -> the secret itself: a read by name is one lookup, and so is a read by ARN (the name is part of
   * it). The one map of a scope: names are unique in it, and a second map by ARN cost 50 bytes a secret.
   */
  readonly byName = new Map<string, Secret>();
  /** created-date and name never change for a secret: kept sorted incrementally */
  readonly created = new SortedIndex();
  readonly names = new SortedIndex();
  /** the keys that change with every write are sorted on demand and cached until the next write */
  readonly lazy = new Map<SortKey, SortedIndex>();
  /** names of the secrets scheduled for deletion */
  readonly scheduled = new Set<string>();
  constructor(readonly scope: Scope) {}

  add(s: Secret): void {
    this.byName.set(s.name, s);
    this.created.insert(s.createdDate, s);
    this.names.insert(s.name, s);
    if (s.deletionDate !== undefined) this.scheduled.add(s.name);
    this.lazy.clear();
  }
  /** a newer snapshot of a stored secret (same ARN, so same name and creation date) */
  replace(s: Secret): void {
    this.byName.set(s.name, s);
    this.created.update(s.createdDate, s);
    this.names.update(s.name, s);
    if (s.deletionDate !== undefined) this.scheduled.add(s.name);
    else this.scheduled.delete(s.name);
    this.lazy.clear();
  }
  remove(s: Secret): void {
    if (this.byName.get(s.name)?.arn !== s.arn) return;
    this.byName.delete(s.name);
    this.created.remove(s.createdDate, s.arn);
    this.names.remove(s.name, s.arn);
    this.scheduled.delete(s.name);
    this.lazy.clear();
  }
  index(key: SortKey): SortedIndex {
    if (key === 'created-date') return this.created;
    if (key === 'name') return this.names;
    let idx = this.lazy.get(key);
    if (!idx) {
      idx = SortedIndex.sorted([...this.byName.values()].map((s): [string | number, Secret] => [sortValue(s, key), s]));
      this.lazy.set(key, idx);
    }
    return idx;
  }
  resolve(ref: SecretRef): Secret | undefined {
    if (ref.kind === 'arn') {
      const name = nameInArn(ref.arn);
      const exact = name === undefined ? undefined : this.byName.get(name);
      if (exact?.arn === ref.arn) return exact;
      if (ref.partialName === undefined) return undefined;
      const s = this.byName.get(ref.partialName);
      return s && s.arn.startsWith(`${ref.arn}-`) ? s : undefined;
    }
    return this.byName.get(ref.name);
  }
}

/** The in-memory backend: the default, ephemeral like the peers. The single thread makes each mutate atomic. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  /** account -> region -> state: two lookups by the request's own strings, no key built per request */
  readonly #byAccount = new Map<string, Map<string, ScopeState>>();

  #state(scope: Scope, create: boolean): ScopeState | undefined {
    let regions = this.#byAccount.get(scope.accountId);
    let st = regions?.get(scope.region);
    if (!st && create) {
      st = new ScopeState({ accountId: scope.accountId, region: scope.region });
      if (!regions) this.#byAccount.set(scope.accountId, (regions = new Map()));
      regions.set(scope.region, st);
    }
    return st;
  }

  *#states(): Generator<ScopeState> {
    for (const regions of this.#byAccount.values()) yield* regions.values();
  }

  get(scope: Scope, ref: SecretRef): Secret | undefined {
    return this.#state(scope, false)?.resolve(ref);
  }

  async mutate<T>(scope: Scope, ref: SecretRef, fn: (current: Secret | undefined) => Mutation<T>): Promise<T> {
    const st = this.#state(scope, true)!;
    const current = st.resolve(ref);
    const { result, next } = fn(current ? cloneSecret(current) : undefined);
    const plan = planWrite(current?.arn, next);
    if (plan?.removeArn !== undefined) st.remove(current!);
    const put = plan?.put;
    if (put) {
      if (current && current.arn === put.arn) {
        st.replace(put);
      } else {
        const clash = st.byName.get(put.name);
        if (clash !== undefined && clash.arn !== put.arn) st.remove(clash);
        st.add(put);
      }
    }
    return result;
  }

  async list(scope: Scope, q: ListQuery): Promise<ListPage> {
    const st = this.#state(scope, false);
    if (!st) return { items: [], withValues: true };
    const idx = st.index(q.sortBy);
    const items: Secret[] = [];
    let scanned = 0;
    // The position of the last entry examined: its cursor is made once, when a page ends (not one per entry).
    let last = -1;
    const cursor = (i: number): Cursor => ({ value: idx.values[i]!, arn: idx.secrets[i]!.arn });
    const step = q.descending ? -1 : 1;
    let i = q.after
      ? q.descending
        ? idx.bound(q.after.value, q.after.arn, true) - 1
        : idx.bound(q.after.value, q.after.arn, false)
      : q.descending
        ? idx.size - 1
        : 0;
    for (; i >= 0 && i < idx.size; i += step) {
      if (items.length >= q.limit || scanned >= q.scanLimit) {
        return { items, next: last < 0 ? undefined : cursor(last), withValues: true };
      }
      const s = idx.secrets[i]!;
      scanned++;
      last = i;
      if (q.filter(s)) items.push(s);
    }
    return { items, withValues: true };
  }

  async due(_kind: DueKind, now: number, limit: number): Promise<DueItem[]> {
    // purge, the only kind yet: secrets past their deletion date
    const out: DueItem[] = [];
    for (const st of this.#states()) {
      for (const name of st.scheduled) {
        const s = st.byName.get(name);
        if (s?.deletionDate !== undefined && s.deletionDate <= now) out.push({ scope: st.scope, arn: s.arn });
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  async stats(): Promise<StoreStats> {
    let secrets = 0;
    let scopes = 0;
    for (const st of this.#states()) {
      secrets += st.byName.size;
      scopes++;
    }
    return { secrets, scopes };
  }

  async *entries(): AsyncIterable<{ scope: Scope; secret: Secret }> {
    for (const st of this.#states()) for (const secret of st.byName.values()) yield { scope: st.scope, secret };
  }

  async close(): Promise<void> {}
}
