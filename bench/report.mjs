// The benchmark's HTML report: one self-contained page (inline SVG, no scripts, no downloads) with, per store,
// each operation's throughput as a share of the bare node:http server's and its p99 latency against the bare
// server's, by number of secrets, so the shape is seen at a glance. bench/run.mjs writes it beside its JSON;
// `node bench/report.mjs results.json [report.html]` makes it again from a results file.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const fmtN = (n) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const fmt = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '-');
const COLORS = ['#2563eb', '#16a34a', '#d97706', '#9333ea'];
const ROW = 22;
const LABEL = 330;
const WIDTH = 900;

/** Horizontal grouped bars: one group per operation, one bar per N; `ref` draws each N's reference as a tick. */
function chart(title, ops, sizes, value, { max, unit, ref, refLabel, step }) {
  const plot = WIDTH - LABEL - 90;
  const groupH = ROW * sizes.length + 8;
  const height = 40 + ops.length * groupH + 30;
  const x = (v) => LABEL + Math.min(1, Math.max(0, v / max)) * plot;
  const parts = [
    `<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">`,
    `<title>${esc(title)}</title>`,
    `<text x="0" y="18" class="h">${esc(title)}</text>`,
  ];
  const ticks = step ? Math.max(1, Math.round(max / step)) : 4;
  for (let t = 0; t <= ticks; t++) {
    const v = (max * t) / ticks;
    parts.push(
      `<line x1="${x(v)}" y1="30" x2="${x(v)}" y2="${height - 24}" class="grid"/>`,
      `<text x="${x(v)}" y="${height - 8}" class="tick" text-anchor="middle">${esc(fmt(v, v < 10 ? 2 : 0))}${esc(unit)}</text>`,
    );
  }
  ops.forEach((op, i) => {
    const top = 36 + i * groupH;
    parts.push(`<text x="${LABEL - 8}" y="${top + groupH / 2}" class="op" text-anchor="end">${esc(op.label)}</text>`);
    sizes.forEach((n, j) => {
      const row = op.byN.get(n);
      const y = top + j * ROW;
      const v = row ? value(row) : undefined;
      if (v === undefined || !Number.isFinite(v)) return;
      parts.push(
        `<rect x="${LABEL}" y="${y}" width="${Math.max(1, x(v) - LABEL)}" height="${ROW - 6}" fill="${COLORS[j % COLORS.length]}">` +
          `<title>${esc(`${op.label}, N=${fmtN(n)}: ${fmt(v)}${unit}`)}</title></rect>`,
        `<text x="${x(v) + 4}" y="${y + ROW - 10}" class="val">${esc(fmt(v))}${esc(unit)}</text>`,
      );
      const r = ref?.(n);
      if (r !== undefined && Number.isFinite(r)) {
        parts.push(`<line x1="${x(r)}" y1="${y - 1}" x2="${x(r)}" y2="${y + ROW - 5}" class="ref"/>`);
      }
    });
  });
  const legend = sizes
    .map((n, j) => `<tspan fill="${COLORS[j % COLORS.length]}">■</tspan> N=${esc(fmtN(n))}`)
    .join('   ');
  parts.push(`<text x="${WIDTH - 10}" y="18" class="legend" text-anchor="end">${legend}${refLabel ? `   <tspan class="reftxt">| ${esc(refLabel)}</tspan>` : ''}</text>`); // prettier-ignore
  parts.push('</svg>');
  return parts.join('\n');
}

/** The report's HTML for a results object as bench/run.mjs writes it ({ results: rows, ... }). */
export function renderReport(results) {
  const rows = (results.results ?? []).filter((r) => !r.sub && Number.isFinite(r.rps));
  const stores = [...new Set(rows.map((r) => r.store ?? 'memory'))];
  const sections = [];
  for (const store of stores) {
    const mine = rows.filter((r) => (r.store ?? 'memory') === store);
    const sizes = [...new Set(mine.map((r) => r.n))].sort((a, b) => a - b);
    const bare = new Map(mine.filter((r) => r.kind === 'bare').map((r) => [r.n, r]));
    const byOp = new Map();
    for (const r of mine) {
      if (r.kind === 'bare') continue;
      const label = String(r.op).replace(/^\[[a-z]+\]\s*/, '');
      if (!byOp.has(label)) byOp.set(label, { label, byN: new Map() });
      byOp.get(label).byN.set(r.n, r);
    }
    const ops = [...byOp.values()];
    if (ops.length === 0) continue;
    const maxRatio = Math.max(1.2, ...mine.map((r) => (r.kind === 'bare' ? 0 : (r.ratio ?? 0))));
    const maxP99 = Math.max(1, ...mine.map((r) => r.p99 ?? 0));
    sections.push(
      `<section><h2>${esc(store)} store</h2>`,
      chart(`Throughput, × the bare node:http server (${store})`, ops, sizes, (r) => r.ratio, {
        max: Math.ceil(maxRatio * 4) / 4,
        unit: '×',
        step: 0.25,
        ref: () => 1,
        refLabel: 'bare = 1',
      }),
      chart(`p99 latency, ms (${store})`, ops, sizes, (r) => r.p99, {
        max: Math.ceil(maxP99),
        unit: ' ms',
        ref: (n) => bare.get(n)?.p99,
        refLabel: "tick: the bare server's p99",
      }),
      '</section>',
    );
  }
  const when = results.startedAt ?? results.date ?? '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>secretlite benchmark</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#111}h1{font-size:20px}h2{font-size:16px;margin-top:32px}
svg{max-width:100%;height:auto;display:block;margin:12px 0}.h{font-weight:600;font-size:14px}.op{font-size:12px}
.val,.tick{font-size:11px;fill:#444}.legend{font-size:12px}.grid{stroke:#e5e7eb}.ref{stroke:#111;stroke-width:2}
.reftxt{fill:#111}p{max-width:900px;color:#333}
</style></head><body>
<h1>secretlite benchmark</h1>
<p>${esc(when ? `Run of ${when}. ` : '')}Each bar is one operation at one number of secrets; the bare server (node:http answering a fixed
body) was measured in the same run. Throughput is a share of the bare server's (1 = as fast); the tick on each
latency bar is the bare server's p99 at that size.${results.node ? ` Node ${esc(results.node)}.` : ''}</p>
${sections.join('\n')}
</body></html>
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [input, output] = process.argv.slice(2);
  if (!input) {
    console.error('usage: node bench/report.mjs results.json [report.html]');
    process.exit(2);
  }
  const out = output ?? input.replace(/\.json$/, '') + '.html';
  writeFileSync(out, renderReport(JSON.parse(readFileSync(input, 'utf8'))));
  console.log(`report: ${out}`);
}
