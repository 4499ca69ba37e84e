import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module of the benchmark, without types
import { renderReport } from '../../bench/report.mjs';

/** The benchmark's HTML report: one page, charts as inline SVG, every label escaped. */
const row = (op: string, kind: string, n: number, rps: number, ratio: number, p99: number, store = 'memory') => ({
  op,
  kind,
  n,
  rps,
  ratio,
  p99,
  store,
});

describe('bench report', () => {
  const html = (renderReport as (r: unknown) => string)({
    date: '2026-12-06T07:00:00Z',
    node: 'v20.20.2',
    results: [
      row('bare node:http (reference)', 'bare', 1000, 30000, 1, 1.1),
      row('bare node:http (reference)', 'bare', 100000, 29000, 1, 1.2),
      row('GetSecretValue', 'get', 1000, 27000, 0.9, 1.5),
      row('GetSecretValue', 'get', 100000, 25000, 0.86, 1.9),
      row('<script>alert(1)</script>', 'put', 1000, 9000, 0.3, 4.2),
      row('[sqlite] PutSecretValue', 'put', 1000, 2000, 0.07, 30, 'sqlite'),
      { op: '  - sub', kind: 'x:y', n: 1000, rps: 1, sub: true },
    ],
  });

  it('draws throughput and p99 charts per store, each size a bar, the bare p99 as a tick', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(4); // memory and sqlite, two charts each
    expect(html).toContain('N=1k');
    expect(html).toContain('N=100k');
    expect(html).toContain('GetSecretValue, N=100k: 0.86×');
    expect(html).toContain('class="ref"');
    expect(html).not.toContain('- sub');
  });

  it('escapes every label and has no script', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
