import type { Scope, Secret } from '../domain/types.js';
import type { SecretRef } from '../domain/arn.js';
import { cloneSecret } from '../domain/secret.js';
import { MemoryFunctionStore } from '../lambda/functions.js';
import { SortedIndex, type Position, type Slot } from './SortedIndex.js';
import {
  planWrite,
  SORT_KEYS,
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

/** Where an ARN with its 6-character suffix puts the secret's name: between ":secret:" and "-XXXXXX". */
function nameInArn(arn: string): string | undefined {
  const i = arn.indexOf(':secret:');
  return i > 0 && arn.length > i + 8 + 7 ? arn.slice(i + 8, arn.length - 7) : undefined;
}

const SORT_KEY_LIST = Object.keys(SORT_KEYS) as SortKey[];
const CHANGING_KEYS: readonly SortKey[] = ['last-changed-date', 'last-accessed-date'];
const ROTATION_DUE = (s: Secret): number => s.rotationDueDate ?? 0;

class ScopeState {
  /**
   * name -> the secret's slot (its current snapshot): a read by name is one lookup, and so is a read by ARN
   * (the name is part of it). The one map of a scope: names are unique in it, and a second map by ARN cost 50
   * bytes a secret. The indexes hold the same slots: a write changes the slot, and only the indexes whose key
   * it changed.
   */
  readonly byName = new Map<string, Slot>();
  /**
   * One B+tree per ListSecrets sort key, each kept in order by every write (O(log N)): a write never costs a
   * re-sort, and a listing in any order starts at once.
   */
  readonly indexes: { readonly [K in SortKey]: SortedIndex } = {
    'created-date': new SortedIndex(SORT_KEYS['created-date']),
    name: new SortedIndex(SORT_KEYS.name),
    'last-changed-date': new SortedIndex(SORT_KEYS['last-changed-date']),
    'last-accessed-date': new SortedIndex(SORT_KEYS['last-accessed-date']),
  };
  /** names of the secrets scheduled for deletion */
  readonly scheduled = new Set<string>();
  /** the secrets with rotation work ahead, by when it is due: the scheduler reads only the due ones */
  readonly rotations = new SortedIndex(ROTATION_DUE);
  constructor(readonly scope: Scope) {}

  add(s: Secret): void {
    const slot: Slot = { s, arn: s.arn };
    this.byName.set(s.name, slot);
    for (const key of SORT_KEY_LIST) this.indexes[key].insert(slot);
    if (s.deletionDate !== undefined) this.scheduled.add(s.name);
    if (s.rotationDueDate !== undefined) this.rotations.insert(slot);
  }
  /** `s`: a newer snapshot of `prev`, the stored one (same ARN, so same name and creation date) */
  replace(prev: Secret, s: Secret): void {
    const slot = this.byName.get(s.name)!;
    slot.s = s;
    // the name and creation date never change; the dates a write changed move their entries
    for (const key of CHANGING_KEYS) {
      const idx = this.indexes[key];
      if (idx.key(prev) !== idx.key(s)) {
        idx.remove(prev);
        idx.insert(slot);
      }
    }
    if (s.deletionDate !== undefined) this.scheduled.add(s.name);
    else this.scheduled.delete(s.name);
    if (prev.rotationDueDate !== s.rotationDueDate) {
      if (prev.rotationDueDate !== undefined) this.rotations.remove(prev);
      if (s.rotationDueDate !== undefined) this.rotations.insert(slot);
    }
  }
  remove(s: Secret): void {
    if (this.byName.get(s.name)?.s.arn !== s.arn) return;
    this.byName.delete(s.name);
    for (const key of SORT_KEY_LIST) this.indexes[key].remove(s);
    this.scheduled.delete(s.name);
    if (s.rotationDueDate !== undefined) this.rotations.remove(s);
  }
  resolve(ref: SecretRef): Secret | undefined {
    if (ref.kind === 'arn') {
      const name = nameInArn(ref.arn);
      const exact = name === undefined ? undefined : this.byName.get(name)?.s;
      if (exact?.arn === ref.arn) return exact;
      if (ref.partialName === undefined) return undefined;
      const s = this.byName.get(ref.partialName)?.s;
      return s && s.arn.startsWith(`${ref.arn}-`) ? s : undefined;
    }
    return this.byName.get(ref.name)?.s;
  }
}

/** The in-memory backend: the default, ephemeral like the peers. The single thread makes each mutate atomic. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly functions = new MemoryFunctionStore();
  /** account -> region -> state: two lookups by the request's own strings, no key built per request */
  readonly #byAccount = new Map<string, Map<string, ScopeState>>();

  async clear(): Promise<void> {
    this.#byAccount.clear();
    this.functions.clear();
  }

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
        st.replace(current, put);
      } else {
        const clash = st.byName.get(put.name)?.s;
        if (clash !== undefined && clash.arn !== put.arn) st.remove(clash);
        st.add(put);
      }
    }
    return result;
  }

  async list(scope: Scope, q: ListQuery): Promise<ListPage> {
    const st = this.#state(scope, false);
    if (!st) return { items: [], withValues: true };
    const idx = st.indexes[q.sortBy];
    const step = q.descending ? -1 : 1;
    let p: Position;
    if (!q.after) p = idx.edge(q.descending);
    else if (!q.descending) p = idx.seek(q.after.value, q.after.arn, false);
    else {
      const at = idx.seek(q.after.value, q.after.arn, true);
      p = idx.settle({ leaf: at.leaf, i: at.i - 1 });
    }
    const items: Secret[] = [];
    let scanned = 0;
    // The last secret examined: its cursor is made once, when a page ends (not one per entry).
    let last: Secret | undefined;
    // the leaves walked in place, their neighbour links followed (no position object per entry)
    let leaf: Position['leaf'] | undefined = p.leaf;
    let i = p.i;
    while (leaf) {
      if (i < 0 || i >= leaf.items.length) {
        leaf = step > 0 ? leaf.next : leaf.prev;
        i = step > 0 ? 0 : (leaf?.items.length ?? 0) - 1;
        continue;
      }
      if (items.length >= q.limit || scanned >= q.scanLimit) {
        const next: Cursor | undefined = last && { value: idx.key(last), arn: last.arn };
        return { items, next, withValues: true };
      }
      const s = leaf.items[i]!.s;
      i += step;
      scanned++;
      last = s;
      if (q.filter(s)) items.push(s);
    }
    return { items, withValues: true };
  }

  async due(kind: DueKind, now: number, limit: number): Promise<DueItem[]> {
    const out: DueItem[] = [];
    for (const st of this.#states()) {
      if (kind === 'rotate') {
        // ascending from the earliest: stops at the first not yet due
        const start = st.rotations.edge(false);
        for (let leaf: Position['leaf'] | undefined = start.leaf; leaf; leaf = leaf.next) {
          let i = 0;
          for (; i < leaf.items.length && out.length < limit && (leaf.keys[i] as number) <= now; i++) {
            out.push({ scope: st.scope, arn: leaf.items[i]!.arn });
          }
          if (i < leaf.items.length) break;
        }
      } else {
        for (const name of st.scheduled) {
          const s = st.byName.get(name)?.s;
          if (s?.deletionDate !== undefined && s.deletionDate <= now) out.push({ scope: st.scope, arn: s.arn });
          if (out.length >= limit) return out;
        }
      }
      if (out.length >= limit) return out;
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
    for (const st of this.#states()) for (const slot of st.byName.values()) yield { scope: st.scope, secret: slot.s };
  }

  async close(): Promise<void> {}
}
