import type { Scope, Secret } from '../domain/types.js';
import type { SecretRef } from '../domain/arn.js';
import { cloneSecret } from '../domain/secret.js';
import {
  compareKeys,
  sortValue,
  type Cursor,
  type ListPage,
  type ListQuery,
  type Mutation,
  type SortKey,
  type Store,
  type StoreStats,
} from './Store.js';

/**
 * A sorted index of (value, arn), kept in order by binary insertion, with the secret each entry stands for:
 * a listing walks the index and reads the secrets beside it, with no lookup per entry. Parallel arrays rather
 * than an object per entry: a number array is stored unboxed, which matters at a million secrets.
 */
class SortedIndex {
  readonly values: Array<string | number> = [];
  readonly arns: string[] = [];
  readonly secrets: Secret[] = [];
  get size(): number {
    return this.arns.length;
  }
  /** first position whose entry sorts after (value, arn), or at/after it with `inclusive` */
  bound(value: string | number, arn: string, inclusive: boolean): number {
    let lo = 0;
    let hi = this.arns.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareKeys(this.values[mid]!, this.arns[mid]!, value, arn);
      if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  insert(value: string | number, s: Secret): void {
    const i = this.bound(value, s.arn, false);
    if (i === this.arns.length) {
      this.values.push(value);
      this.arns.push(s.arn);
      this.secrets.push(s);
    } else {
      this.values.splice(i, 0, value);
      this.arns.splice(i, 0, s.arn);
      this.secrets.splice(i, 0, s);
    }
  }
  /** the entry of `s` (same value, same ARN) now stands for this newer snapshot of it */
  update(value: string | number, s: Secret): void {
    const i = this.bound(value, s.arn, true);
    if (this.arns[i] === s.arn) this.secrets[i] = s;
  }
  remove(value: string | number, arn: string): void {
    const i = this.bound(value, arn, true);
    if (this.arns[i] === arn) {
      this.values.splice(i, 1);
      this.arns.splice(i, 1);
      this.secrets.splice(i, 1);
    }
  }
  static sorted(pairs: Array<[string | number, Secret]>): SortedIndex {
    pairs.sort((a, b) => compareKeys(a[0], a[1].arn, b[0], b[1].arn));
    const idx = new SortedIndex();
    for (const [v, s] of pairs) {
      idx.values.push(v);
      idx.arns.push(s.arn);
      idx.secrets.push(s);
    }
    return idx;
  }
}

class ScopeState {
  readonly byArn = new Map<string, Secret>();
  /** name -> the secret itself (not its ARN): a read by name is one lookup */
  readonly byName = new Map<string, Secret>();
  /** created-date and name never change for a secret: kept sorted incrementally */
  readonly created = new SortedIndex();
  readonly names = new SortedIndex();
  /** the keys that change with every write are sorted on demand and cached until the next write */
  readonly lazy = new Map<SortKey, SortedIndex>();
  readonly scheduled = new Set<string>();
  constructor(readonly scope: Scope) {}

  add(s: Secret): void {
    this.byArn.set(s.arn, s);
    this.byName.set(s.name, s);
    this.created.insert(s.createdDate, s);
    this.names.insert(s.name, s);
    if (s.deletionDate !== undefined) this.scheduled.add(s.arn);
    this.lazy.clear();
  }
  /** a newer snapshot of a stored secret (same ARN, so same name and creation date) */
  replace(s: Secret): void {
    this.byArn.set(s.arn, s);
    this.byName.set(s.name, s);
    this.created.update(s.createdDate, s);
    this.names.update(s.name, s);
    if (s.deletionDate !== undefined) this.scheduled.add(s.arn);
    else this.scheduled.delete(s.arn);
    this.lazy.clear();
  }
  remove(s: Secret): void {
    this.byArn.delete(s.arn);
    if (this.byName.get(s.name)?.arn === s.arn) this.byName.delete(s.name);
    this.created.remove(s.createdDate, s.arn);
    this.names.remove(s.name, s.arn);
    this.scheduled.delete(s.arn);
    this.lazy.clear();
  }
  index(key: SortKey): SortedIndex {
    if (key === 'created-date') return this.created;
    if (key === 'name') return this.names;
    let idx = this.lazy.get(key);
    if (!idx) {
      idx = SortedIndex.sorted([...this.byArn.values()].map((s): [string | number, Secret] => [sortValue(s, key), s]));
      this.lazy.set(key, idx);
    }
    return idx;
  }
  resolve(ref: SecretRef): Secret | undefined {
    if (ref.kind === 'arn') {
      const exact = this.byArn.get(ref.arn);
      if (exact || ref.partialName === undefined) return exact;
      const s = this.byName.get(ref.partialName);
      return s && s.arn.startsWith(`${ref.arn}-`) ? s : undefined;
    }
    return this.byName.get(ref.name);
  }
}

/** The in-memory backend: the default, ephemeral like the peers. JavaScript's single thread makes each mutate atomic. */
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
    if (next === undefined) return result;
    if (next === null) {
      if (current) st.remove(current);
      return result;
    }
    if (current && current.arn === next.arn) {
      st.replace(next);
    } else {
      if (current) st.remove(current);
      const clash = st.byName.get(next.name);
      if (clash !== undefined && clash.arn !== next.arn) st.remove(clash);
      st.add(next);
    }
    return result;
  }

  async list(scope: Scope, q: ListQuery): Promise<ListPage> {
    const st = this.#state(scope, false);
    if (!st) return { items: [] };
    const idx = st.index(q.sortBy);
    const items: Secret[] = [];
    let scanned = 0;
    let last: Cursor | undefined;
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
        return { items, next: last };
      }
      const s = idx.secrets[i]!;
      scanned++;
      last = { value: idx.values[i]!, arn: s.arn };
      if (q.filter(s)) items.push(s);
    }
    return { items };
  }

  async dueForPurge(now: number, limit: number): Promise<Array<{ scope: Scope; arn: string }>> {
    const out: Array<{ scope: Scope; arn: string }> = [];
    for (const st of this.#states()) {
      for (const arn of st.scheduled) {
        const s = st.byArn.get(arn);
        if (s?.deletionDate !== undefined && s.deletionDate <= now) out.push({ scope: st.scope, arn });
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  async stats(): Promise<StoreStats> {
    let secrets = 0;
    let scopes = 0;
    for (const st of this.#states()) {
      secrets += st.byArn.size;
      scopes++;
    }
    return { secrets, scopes };
  }

  async *entries(): AsyncIterable<{ scope: Scope; secret: Secret }> {
    for (const st of this.#states()) for (const secret of st.byArn.values()) yield { scope: st.scope, secret };
  }

  async close(): Promise<void> {}
}
