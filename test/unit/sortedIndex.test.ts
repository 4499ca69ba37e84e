import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newSecret } from '../../src/domain/secret.js';
import type { Secret } from '../../src/domain/types.js';
import { SortedIndex, type Position, type Slot } from '../../src/store/SortedIndex.js';

// The memory store's B+tree against a sorted array, through random insertions, removals and updates, with
// nodes small enough (4 to 8 entries) that a few hundred operations split and merge inner nodes several levels up.
const snapshot = (n: number, changed: number): Secret => {
  const s = newSecret(`arn:aws:secretsmanager:us-east-1:111111111111:secret:s${n}-AbCdEf`, `s${n}`, 0);
  s.lastChangedDate = changed;
  return s;
};
const byChanged = (s: Secret) => s.lastChangedDate;
const order = (a: Secret, b: Secret) =>
  a.lastChangedDate - b.lastChangedDate || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);

function walk(idx: SortedIndex, from: Position, step: 1 | -1): Secret[] {
  const out: Secret[] = [];
  for (let p = from; p.i >= 0 && p.i < p.leaf.items.length; p = idx.settle({ leaf: p.leaf, i: p.i + step })) {
    out.push(p.leaf.items[p.i]!.s);
  }
  return out;
}

type Op = { kind: 'insert' | 'remove' | 'change' | 'cut'; n: number; at: number };
const op = fc.record({
  kind: fc.constantFrom<Op['kind']>('insert', 'insert', 'remove', 'change'),
  n: fc.integer({ min: 0, max: 300 }),
  at: fc.integer({ min: 0, max: 50 }),
});

describe('SortedIndex (B+tree)', () => {
  it('keeps (key, ARN) order through insertions, removals and key changes, seeks and walks both ways', () => {
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 1000 }),
        fc.array(op, { minLength: 1, maxLength: 1000 }),
        fc.array(op, { maxLength: 200 }),
        fc.constantFrom(4, 5, 6, 8, 64),
        fc.integer({ min: 0, max: 50 }),
        (grow, shrink, regrow, size, probe) => {
          // a phase of mostly insertions, then one of removals of runs of neighbours: splits, then merges, and the
          // shares of entries between an emptied node and a full sibling (random removals rarely leave one)
          // then insertions again, which find their leaves through the separators the merges and shares left
          const ops = [
            ...grow,
            ...shrink.map((o): Op => (o.kind === 'insert' ? { ...o, kind: 'cut' } : o)),
            ...regrow.map((o): Op => ({ ...o, kind: 'insert' })),
          ];
          const idx = new SortedIndex(byChanged, { leaf: size, fanout: size });
          const live = new Map<number, Secret>();
          const slots = new Map<number, Slot>();
          for (const o of ops) {
            // removals and changes pick a live entry (so that the tree shrinks too), insertions any number
            const keys = [...live.keys()];
            const n = o.kind === 'insert' || keys.length === 0 ? o.n : keys[o.n % keys.length]!;
            const cur = live.get(n);
            if (o.kind === 'cut') {
              const sorted = [...live.values()].sort(order);
              for (const s of sorted.splice(o.n % Math.max(sorted.length, 1), o.at + 1)) {
                expect(idx.remove(s)).toBe(true);
                live.delete(Number(s.name.slice(1)));
              }
            }
            if (o.kind === 'insert' && !cur) {
              const s = snapshot(n, o.at);
              const slot: Slot = { s, arn: s.arn };
              idx.insert(slot);
              slots.set(n, slot);
              live.set(n, s);
            } else if (o.kind === 'remove' && cur) {
              expect(idx.remove(cur)).toBe(true);
              live.delete(n);
            } else if (o.kind === 'change' && cur) {
              // as the memory store does: the slot takes the new snapshot; a new key moves the entry
              const next = snapshot(n, o.at);
              const slot = slots.get(n)!;
              if (next.lastChangedDate !== cur.lastChangedDate) {
                expect(idx.remove(cur)).toBe(true);
                slot.s = next;
                idx.insert(slot);
              } else slot.s = next;
              live.set(n, next);
            }
          }
          const expected = [...live.values()].sort(order);
          expect(idx.size).toBe(expected.length);
          expect([...idx]).toEqual(expected);
          expect(walk(idx, idx.edge(false), 1)).toEqual(expected);
          expect(walk(idx, idx.edge(true), -1)).toEqual([...expected].reverse());
          // every entry is found where it is (the separators route to it)
          for (const s of expected) {
            const p = idx.seek(s.lastChangedDate, s.arn, true);
            expect(p.leaf.items[p.i]!.s).toBe(s);
          }
          // seeks from a cursor (value, ARN), after it ascending and before it descending, as ListSecrets pages
          const arn = `arn:aws:secretsmanager:us-east-1:111111111111:secret:s${probe * 7}-AbCdEf`;
          const after = expected.filter((s) => order(s, { lastChangedDate: probe, arn } as Secret) > 0);
          const atOrAfter = expected.filter((s) => order(s, { lastChangedDate: probe, arn } as Secret) >= 0);
          expect(walk(idx, idx.seek(probe, arn, false), 1)).toEqual(after);
          expect(walk(idx, idx.seek(probe, arn, true), 1)).toEqual(atOrAfter);
          const before = expected.filter((s) => order(s, { lastChangedDate: probe, arn } as Secret) < 0).reverse();
          const back = idx.seek(probe, arn, true);
          expect(walk(idx, idx.settle({ leaf: back.leaf, i: back.i - 1 }), -1)).toEqual(before);
          // an entry not there is not removed
          expect(idx.remove(snapshot(9999, 1))).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('merges and shares inner nodes: runs of neighbours removed from a deep tree, insertions in between', () => {
    for (const size of [5, 8]) {
      let seed = size;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const idx = new SortedIndex(byChanged, { leaf: size, fanout: size });
      const live: Secret[] = [];
      let n = 0;
      const add = () => {
        const s = snapshot(n++, Math.floor(random() * 1000));
        idx.insert({ s, arn: s.arn });
        live.push(s);
      };
      for (let i = 0; i < 2000; i++) add();
      for (let round = 0; live.length > 0; round++) {
        live.sort(order);
        for (const s of live.splice(Math.floor(random() * live.length), 1 + Math.floor(random() * 60))) {
          expect(idx.remove(s)).toBe(true);
        }
        if (round % 4 === 0) for (let i = 0; i < 5; i++) add();
        if (round % 8 === 0) {
          live.sort(order);
          expect([...idx]).toEqual(live);
          for (const s of live) {
            expect(idx.seek(s.lastChangedDate, s.arn, true).leaf.items.map((slot) => slot.s)).toContain(s);
          }
        }
      }
      expect(idx.size).toBe(0);
    }
  });

  it('empties and fills again', () => {
    const idx = new SortedIndex(byChanged, { leaf: 4, fanout: 4 });
    const all = Array.from({ length: 500 }, (_, n) => snapshot(n, n % 17));
    for (const s of all) idx.insert({ s, arn: s.arn });
    for (const s of all) expect(idx.remove(s)).toBe(true);
    expect(idx.size).toBe(0);
    expect([...idx]).toEqual([]);
    expect(walk(idx, idx.edge(true), -1)).toEqual([]);
    for (const s of all.slice(0, 10)) idx.insert({ s, arn: s.arn });
    expect([...idx]).toEqual(all.slice(0, 10).sort(order));
  });
});
