// Summarizes a V8 .cpuprofile: self time per function, highest first.
// CLI: node bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

export function summarizeProfile(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id -> microseconds
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
  const byFn = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const where = cf.url ? `${cf.url.replace(/^file:\/\/.*?\/(dist|bench|node_modules)\//, '$1/')}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonymous)'}\u0000${where}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    total += us;
  }
  const rows = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => {
    const [name, where] = k.split('\u0000');
    return { name, where, selfMs: us / 1000, selfPct: (100 * us) / total };
  });
  return { totalMs: total / 1000, top: rows };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = summarizeProfile(JSON.parse(readFileSync(process.argv[2], 'utf8')), Number(process.argv[3] ?? 25));
  console.log(`${s.totalMs.toFixed(0)} ms sampled`);
  for (const r of s.top) console.log(`${r.selfPct.toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(7)} ms  ${r.name}  ${r.where}`);
}
