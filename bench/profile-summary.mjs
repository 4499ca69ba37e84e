// Summarizes a V8 .cpuprofile (self time per function, highest first) or a sampling .heapprofile (live bytes by
// allocating function).
// CLI: node bench/profile-summary.mjs <file.cpuprofile|file.heapprofile> [top=25]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

const keyOf = (cf) => {
  const where = cf.url
    ? `${cf.url.replace(/^file:\/\/.*?\/(dist|bench|node_modules)\//, '$1/')}:${cf.lineNumber + 1}`
    : '';
  return `${cf.functionName || '(anonymous)'}\u0000${where}`;
};

/**
 * Self time per function and inclusive time (the function or anything it calls, counted once per sample),
 * highest first (the first sample left out, see below). Note: samples are wall-clock: a thread descheduled inside a system call (writev, on a busy
 * machine) is charged to that call, so `writev` is inflated when the CPUs are oversubscribed.
 */
export function summarizeProfile(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map(); // node id -> microseconds
  const { samples = [], timeDeltas = [] } = profile;
  // The first sample's delta runs from the profiler's start, whose set-up (logging every compiled function, a heap
  // walk: over a second with a million secrets) it would charge to whatever function was sampled first: skipped.
  for (let i = 1; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
  const byFn = new Map();
  let total = 0;
  const inclusive = new Map();
  for (const [id, us] of self) {
    byFn.set(keyOf(byId.get(id).callFrame), (byFn.get(keyOf(byId.get(id).callFrame)) ?? 0) + us);
    total += us;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf(byId.get(at).callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const rowsOf = (m) => topRows(m, top, total, (us) => ({ ms: us / 1000 }));
  return { totalMs: total / 1000, top: rowsOf(byFn), inclusive: rowsOf(inclusive) };
}

/**
 * The `top` largest entries of a map from `name\u0000where` keys to amounts, (root) left out: each with its name,
 * place, `amount(value)`'s fields and its share of `total`.
 */
function topRows(m, top, total, amount) {
  return [...m]
    .filter(([k]) => !k.startsWith('(root)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => {
      const [name, where] = k.split('\u0000');
      return { name, where, ...amount(v), pct: (100 * v) / total };
    });
}

/**
 * Summarizes a V8 sampling heap profile (.heapprofile: a tree of allocation stacks with selfSize in bytes, live objects
 * only when taken after a GC): bytes by allocating function, and inclusive (the function or anything it calls).
 */
export function summarizeHeapProfile(profile, top = 25) {
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  const walk = (node, stack) => {
    const k = keyOf(node.callFrame);
    const size = node.selfSize ?? 0;
    if (size > 0) {
      // A built-in (Array.prototype.push, Map.prototype.set...) is charged to it as called from its caller.
      const parent = stack[stack.length - 1];
      const selfKey =
        node.callFrame.url || !parent
          ? k
          : `${node.callFrame.functionName || '(anonymous)'} <- ${parent.replace('\u0000', ' ')}\u0000`;
      self.set(selfKey, (self.get(selfKey) ?? 0) + size);
      total += size;
      for (const a of new Set([...stack, k])) inclusive.set(a, (inclusive.get(a) ?? 0) + size);
    }
    for (const c of node.children ?? []) walk(c, [...stack, k]);
  };
  walk(profile.head, []);
  const rowsOf = (m) => topRows(m, top, total, (bytes) => ({ bytes }));
  return { totalBytes: total, top: rowsOf(self), inclusive: rowsOf(inclusive) };
}

if (
  process.argv[1] &&
  fileURLToPath(import.meta.url) === process.argv[1] &&
  process.argv[2]?.endsWith('.heapprofile')
) {
  const s = summarizeHeapProfile(JSON.parse(readFileSync(process.argv[2], 'utf8')), Number(process.argv[3] ?? 25));
  console.log(`${(s.totalBytes / 1048576).toFixed(1)} MiB sampled live`);
  for (const [title, list] of [
    ['allocated by (self):', s.top],
    ['inclusive:', s.inclusive],
  ]) {
    console.log(title);
    for (const r of list)
      console.log(
        `${r.pct.toFixed(1).padStart(5)}%  ${(r.bytes / 1048576).toFixed(1).padStart(7)} MiB  ${r.name}  ${r.where}`,
      );
  }
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = summarizeProfile(JSON.parse(readFileSync(process.argv[2], 'utf8')), Number(process.argv[3] ?? 25));
  console.log(`${s.totalMs.toFixed(0)} ms sampled`);
  console.log('self time:');
  for (const r of s.top)
    console.log(`${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}  ${r.where}`);
  if (process.argv[4] !== 'self') {
    console.log('inclusive time:');
    for (const r of s.inclusive)
      console.log(`${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}  ${r.where}`);
  }
}
