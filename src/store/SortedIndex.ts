import type { Secret } from '../domain/types.js';

/**
 * A sorted index of secrets by (key, ARN): a B+tree whose leaves hold each secret's slot (the cell holding its
 * current snapshot), in order, linked both ways, each with its key beside it (a search that read the key from
 * each secret it passed paid a cache miss per comparison: writes at a million secrets cost twice those at a
 * thousand). A write that leaves an index's key as it was changes only the slot, not the index (a search down
 * four trees cost 20 µs a write at a million secrets); one that changes the key moves the entry.
 * Insertion and removal cost O(log N) and move at most one node's entries (ORDER); a listing walks
 * the leaves from a cursor in either direction, reading each secret with no lookup. It replaced sorted
 * arrays kept by splice, whose insertion moved every later entry (a name sorting first cost 536 µs at 100,000
 * secrets; issue 13), and re-sorts of every secret after each write for the keys that writes change.
 */
export type KeyOf = (s: Secret) => string | number;

/**
 * A secret's place in the indexes: its current snapshot, and its ARN (the same for the slot's life, and so its
 * name): the tie-breaker of equal keys, read without going through the snapshot (most secrets share the day of
 * their last access).
 */
export interface Slot {
  s: Secret;
  readonly arn: string;
}

/**
 * Entries per leaf and children per inner node at most; a node under a quarter of that merges with a sibling.
 * 64: a leaf's insertion moves 32 entries on average, and a million secrets make a tree of height 4.
 */
const ORDER = 64;

interface Leaf {
  readonly leaf: true;
  /** each entry's key, beside it: a search reads these, not the secrets (one cache miss per secret read) */
  keys: Array<string | number>;
  items: Slot[];
  prev: Leaf | undefined;
  next: Leaf | undefined;
}
/**
 * An inner node: children[i + 1]'s entries are all at or after (sepKeys[i], sepArns[i]), children[i]'s all
 * before. Removals keep that true; the separators are copies of keys, never snapshots (a separator holding a
 * removed snapshot would keep its values alive).
 */
interface Inner {
  readonly leaf: false;
  children: Node[];
  sepKeys: Array<string | number>;
  sepArns: string[];
}
type Node = Leaf | Inner;

/** A position: an entry of a leaf (or one past its last, which `SortedIndex.settle` moves to the next leaf). */
export interface Position {
  leaf: Leaf;
  i: number;
}

function cmp(a: string | number, aArn: string, b: string | number, bArn: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return order(aArn, bArn);
}

const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const newLeaf = (keys: Array<string | number>, items: Slot[]): Leaf => ({
  leaf: true,
  keys,
  items,
  prev: undefined,
  next: undefined,
});

export class SortedIndex {
  #root: Node = newLeaf([], []);
  #size = 0;
  readonly #leafMax: number;
  readonly #fanout: number;
  /** `order`: smaller nodes, for tests that need a deep tree with few entries */
  constructor(
    readonly key: KeyOf,
    order: { leaf: number; fanout: number } = { leaf: ORDER, fanout: ORDER },
  ) {
    this.#leafMax = Math.max(order.leaf, 4);
    this.#fanout = Math.max(order.fanout, 4);
  }

  get size(): number {
    return this.#size;
  }

  /** The child of `n` whose range holds (k, arn): after every separator at or before it. */
  #child(n: Inner, k: string | number, arn: string): number {
    let lo = 0;
    let hi = n.sepKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(n.sepKeys[mid]!, n.sepArns[mid]!, k, arn) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** In a leaf: the first entry after (k, arn), or at or after it with `inclusive`. */
  #bound(leaf: Leaf, k: string | number, arn: string, inclusive: boolean): number {
    const keys = leaf.keys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = keys[mid]!;
      // the ARN (a read of the secret) only on equal keys
      const c = m < k ? -1 : m > k ? 1 : order(leaf.items[mid]!.arn, arn);
      if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The leaf whose range holds (k, arn), and the inner nodes above it with the child taken in each. */
  #descend(k: string | number, arn: string, path?: Array<[Inner, number]>): Leaf {
    let n = this.#root;
    while (!n.leaf) {
      const c = this.#child(n, k, arn);
      path?.push([n, c]);
      n = n.children[c]!;
    }
    return n;
  }

  /** Adds a slot, under its snapshot's key. */
  insert(slot: Slot): void {
    const k = this.key(slot.s);
    const arn = slot.arn;
    const path: Array<[Inner, number]> = [];
    const leaf = this.#descend(k, arn, path);
    const i = this.#bound(leaf, k, arn, false);
    leaf.keys.splice(i, 0, k);
    leaf.items.splice(i, 0, slot);
    this.#size++;
    if (leaf.items.length > this.#leafMax) this.#split(leaf, path);
  }

  /** Removes the entry of `s`'s secret, found by its ARN and `s`'s key (the snapshot it was indexed under). */
  remove(s: Secret): boolean {
    const k = this.key(s);
    const path: Array<[Inner, number]> = [];
    const leaf = this.#descend(k, s.arn, path);
    const i = this.#bound(leaf, k, s.arn, true);
    if (leaf.items[i]?.arn !== s.arn) return false;
    leaf.keys.splice(i, 1);
    leaf.items.splice(i, 1);
    this.#size--;
    if (leaf.items.length < this.#leafMax / 4) this.#rebalance(path);
    return true;
  }

  #split(full: Node, path: Array<[Inner, number]>): void {
    let node = full;
    for (;;) {
      let right: Node;
      let sepKey: string | number;
      let sepArn: string;
      if (node.leaf) {
        const half = node.items.length >>> 1;
        const r = newLeaf(node.keys.slice(half), node.items.slice(half));
        node.keys.length = half;
        node.items.length = half;
        r.next = node.next;
        r.prev = node;
        if (node.next) node.next.prev = r;
        node.next = r;
        right = r;
        sepKey = r.keys[0]!;
        sepArn = r.items[0]!.arn;
      } else {
        const half = node.children.length >>> 1;
        sepKey = node.sepKeys[half - 1]!;
        sepArn = node.sepArns[half - 1]!;
        right = {
          leaf: false,
          children: node.children.slice(half),
          sepKeys: node.sepKeys.slice(half),
          sepArns: node.sepArns.slice(half),
        };
        node.children.length = half;
        node.sepKeys.length = half - 1;
        node.sepArns.length = half - 1;
      }
      const up = path.pop();
      if (!up) {
        this.#root = { leaf: false, children: [node, right], sepKeys: [sepKey], sepArns: [sepArn] };
        return;
      }
      const [parent, c] = up;
      parent.children.splice(c + 1, 0, right);
      parent.sepKeys.splice(c, 0, sepKey);
      parent.sepArns.splice(c, 0, sepArn);
      if (parent.children.length <= this.#fanout) return;
      node = parent;
    }
  }

  /**
   * A node under a quarter full merges with a sibling, or shares their entries when both would not fit in one;
   * a merge takes a child from the parent, which may then be under a quarter full in turn.
   */
  #rebalance(path: Array<[Inner, number]>): void {
    while (path.length > 0) {
      const [parent, c] = path.pop()!;
      // the right sibling, or the left one for the last child
      const l = c + 1 < parent.children.length ? c : c - 1;
      if (l < 0) break; // an only child: a root with one child, collapsed below
      const left = parent.children[l]!;
      const right = parent.children[l + 1]!;
      if (left.leaf && right.leaf) {
        if (left.items.length + right.items.length > this.#leafMax) return this.#share(parent, l, left, right);
        for (let j = 0; j < right.items.length; j++) {
          left.keys.push(right.keys[j]!);
          left.items.push(right.items[j]!);
        }
        left.next = right.next;
        if (right.next) right.next.prev = left;
      } else if (!left.leaf && !right.leaf) {
        if (left.children.length + right.children.length > this.#fanout) return this.#share(parent, l, left, right);
        left.sepKeys.push(parent.sepKeys[l]!, ...right.sepKeys);
        left.sepArns.push(parent.sepArns[l]!, ...right.sepArns);
        for (const child of right.children) left.children.push(child);
      }
      parent.children.splice(l + 1, 1);
      parent.sepKeys.splice(l, 1);
      parent.sepArns.splice(l, 1);
      if (parent.children.length >= this.#fanout / 4) break;
    }
    const root = this.#root;
    if (!root.leaf && root.children.length === 1) this.#root = root.children[0]!;
  }

  /** Two siblings too full to merge: entries move from the fuller to the other, and their separator follows. */
  #share(parent: Inner, l: number, left: Node, right: Node): void {
    if (left.leaf && right.leaf) {
      const all = left.items.concat(right.items);
      const keys = left.keys.concat(right.keys);
      const half = all.length >>> 1;
      left.items = all.slice(0, half);
      right.items = all.slice(half);
      left.keys = keys.slice(0, half);
      right.keys = keys.slice(half);
      parent.sepKeys[l] = right.keys[0]!;
      parent.sepArns[l] = right.items[0]!.arn;
    } else if (!left.leaf && !right.leaf) {
      const children = left.children.concat(right.children);
      const keys = [...left.sepKeys, parent.sepKeys[l]!, ...right.sepKeys];
      const arns = [...left.sepArns, parent.sepArns[l]!, ...right.sepArns];
      const half = children.length >>> 1;
      left.children = children.slice(0, half);
      right.children = children.slice(half);
      left.sepKeys = keys.slice(0, half - 1);
      left.sepArns = arns.slice(0, half - 1);
      parent.sepKeys[l] = keys[half - 1]!;
      parent.sepArns[l] = arns[half - 1]!;
      right.sepKeys = keys.slice(half);
      right.sepArns = arns.slice(half);
    }
  }

  /** The first entry at or after (inclusive) or after (k, arn). */
  seek(k: string | number, arn: string, inclusive: boolean): Position {
    const leaf = this.#descend(k, arn);
    return this.settle({ leaf, i: this.#bound(leaf, k, arn, inclusive) });
  }

  /** The first entry, or the last. */
  edge(last: boolean): Position {
    let n = this.#root;
    while (!n.leaf) n = n.children[last ? n.children.length - 1 : 0]!;
    return this.settle({ leaf: n, i: last ? n.items.length - 1 : 0 });
  }

  /** A position past its leaf's end moves to the next leaf's first entry; before its start, to the previous last. */
  settle(p: Position): Position {
    while (p.i >= p.leaf.items.length && p.leaf.next) p = { leaf: p.leaf.next, i: 0 };
    while (p.i < 0 && p.leaf.prev) p = { leaf: p.leaf.prev, i: p.leaf.prev.items.length - 1 };
    return p;
  }

  /** Every entry in order (tests, export). */
  *[Symbol.iterator](): Generator<Secret> {
    for (let p = this.edge(false); p.i < p.leaf.items.length; p = this.settle({ leaf: p.leaf, i: p.i + 1 })) {
      yield p.leaf.items[p.i]!.s;
    }
  }
}
