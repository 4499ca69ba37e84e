import { describe, expect, it } from 'vitest';
import { VIEW_CACHE_MAX_CHARS, viewCache } from '../../src/protocol/answers.js';

/** A viewCache over keys { n }, counting how often it renders. */
function counted(capacity?: number, size = (n: number) => n) {
  const rendered: number[] = [];
  const view = viewCache((k: { n: number }) => {
    rendered.push(k.n);
    return { n: k.n, pad: 'x'.repeat(size(k.n)) };
  }, capacity);
  return { view, rendered };
}

describe('viewCache (the answers of DescribeSecret and ListSecrets entries)', () => {
  it('keeps a view from its second request on, and answers later requests without rendering', () => {
    const { view, rendered } = counted();
    const k = { n: 1 };
    const first = view(k);
    expect(view(k)).toBe(first);
    expect(rendered).toEqual([1, 1]); // admitted on the second request
    for (let i = 0; i < 5; i++) expect(view(k)).toBe(first);
    expect(rendered).toEqual([1, 1]);
    expect(JSON.parse(first)).toEqual({ n: 1, pad: 'x' });
    // another key (a newer snapshot) is another view
    view({ n: 1 });
    expect(rendered).toEqual([1, 1, 1]);
  });

  it('keeps at most `capacity` views, the oldest out first', () => {
    const { view, rendered } = counted(3);
    const keys = [0, 1, 2, 3].map((n) => ({ n }));
    // each admitted; the fourth evicts the first
    for (const k of keys) {
      view(k);
      view(k);
    }
    rendered.length = 0;
    for (const k of keys.slice(1)) view(k);
    expect(rendered).toEqual([]);
    view(keys[0]!);
    expect(rendered).toEqual([0]);
  });

  it('never keeps a view longer than VIEW_CACHE_MAX_CHARS: a large value is serialized at each read', () => {
    const { view, rendered } = counted(undefined, (n) => (n === 9 ? VIEW_CACHE_MAX_CHARS : 10));
    const big = { n: 9 };
    const small = { n: 2 };
    for (let i = 0; i < 4; i++) {
      view(big);
      view(small);
    }
    expect(rendered.filter((n) => n === 9)).toHaveLength(4);
    expect(rendered.filter((n) => n === 2)).toHaveLength(2);
  });
});
