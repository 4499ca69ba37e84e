// secretlite in its own process for the benchmark: imports the built package (../dist/index.js) and prints its URL.
//
// Store, from the environment (set by bench/run.mjs):
//   SECRETLITE_BENCH_STORE=memory (default) | sqlite | postgres
//   SECRETLITE_BENCH_DATA_DIR=<dir>       sqlite: the data directory (secretlite.db, master.key created in it)
//   SECRETLITE_BENCH_DATABASE_URL=<url>   postgres: the database to use
//   SECRETLITE_BENCH_MASTER_KEY=<base64>  postgres: the master key (default: 32 bytes of 7, a benchmark-only key)
//
// Profiling: with SECRETLITE_BENCH_PROFILE=<dir> in the environment, the parent (bench/run.mjs --profile) can send
// IPC messages { cmd: 'profile-start', label } / { cmd: 'profile-stop' }; each stop writes <dir>/<label>.cpuprofile
// (V8 CPU profile via node:inspector, viewable in Chrome DevTools; summarize with bench/profile-summary.mjs).
// { cmd: 'heap-start', label } / { cmd: 'heap-stop' }: V8's sampling heap profiler; the stop forces a full GC first, writes
// <dir>/<label>.heapprofile (live objects by allocation stack) and answers the memory figures after that GC.
// Other IPC messages: { cmd: 'stats' } answers { type: 'stats', memory: process.memoryUsage(), heapSpaces }; { cmd: 'gc' }
// answers the garbage collection time since the previous { cmd: 'gc' } ({ seconds, ms, count, byKind }).
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { startServer, limitHeapGrowth, keepShortLivedYoung, DEFAULT_HEAP_GROWTH_PERCENT } from '../dist/index.js';

const store = process.env.SECRETLITE_BENCH_STORE ?? 'memory';
const storeOptions = {};
if (store === 'sqlite') {
  if (!process.env.SECRETLITE_BENCH_DATA_DIR)
    throw new Error('SECRETLITE_BENCH_STORE=sqlite needs SECRETLITE_BENCH_DATA_DIR');
  storeOptions.dataDir = process.env.SECRETLITE_BENCH_DATA_DIR;
} else if (store === 'postgres') {
  if (!process.env.SECRETLITE_BENCH_DATABASE_URL)
    throw new Error('SECRETLITE_BENCH_STORE=postgres needs SECRETLITE_BENCH_DATABASE_URL');
  storeOptions.databaseUrl = process.env.SECRETLITE_BENCH_DATABASE_URL;
  storeOptions.masterKey = process.env.SECRETLITE_BENCH_MASTER_KEY ?? Buffer.alloc(32, 7).toString('base64');
} else if (store !== 'memory') {
  throw new Error(`SECRETLITE_BENCH_STORE: unknown store ${store} (memory, sqlite or postgres)`);
}

// As the CLI does (`secretlite --heap-growth`); SECRETLITE_HEAP_GROWTH as there (0 = V8's own policy).
limitHeapGrowth(Number(process.env.SECRETLITE_HEAP_GROWTH ?? DEFAULT_HEAP_GROWTH_PERCENT));
keepShortLivedYoung(); // as the CLI does
const server = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...storeOptions });
if (server.store.kind !== undefined && server.store.kind !== store)
  throw new Error(`asked for a ${store} store, got ${server.store.kind}`);
process.stdout.write(`${server.url}\n`);

// Garbage collection time since the last { cmd: 'gc' }, by kind (minor = scavenge, major = mark-compact).
const GC_KINDS = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
let gc = { since: performance.now(), ms: 0, count: 0, byKind: {} };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = GC_KINDS[e.detail?.kind] ?? 'other';
    gc.ms += e.duration;
    gc.count++;
    const k = (gc.byKind[kind] ??= { ms: 0, count: 0 });
    k.ms += e.duration;
    k.count++;
  }
}).observe({ entryTypes: ['gc'] });

const profileDir = process.env.SECRETLITE_BENCH_PROFILE;
let session;
let label;
let heapSession;
let heapLabel;

async function onMessage(msg) {
  if (!msg || typeof msg !== 'object') return;
  if (msg.cmd === 'stats') {
    process.send?.({ type: 'stats', id: msg.id, memory: process.memoryUsage(), heapSpaces: getHeapSpaceStatistics() });
  } else if (msg.cmd === 'heap-start' && profileDir) {
    heapSession = new Session();
    heapSession.connect();
    await heapSession.post('HeapProfiler.enable');
    await heapSession.post('HeapProfiler.startSampling', { samplingInterval: 16_384 });
    heapLabel = String(msg.label ?? 'heap');
    process.send?.({ type: 'heap-started', id: msg.id });
  } else if (msg.cmd === 'heap-stop' && profileDir && heapSession) {
    // Full GC first: the sampling profile then holds live objects only, by allocation stack.
    await heapSession.post('HeapProfiler.collectGarbage');
    const { profile } = await heapSession.post('HeapProfiler.stopSampling');
    await heapSession.post('HeapProfiler.disable');
    heapSession.disconnect();
    heapSession = undefined;
    mkdirSync(profileDir, { recursive: true });
    const file = join(profileDir, `${heapLabel.replace(/[^A-Za-z0-9_.-]/g, '_')}.heapprofile`);
    writeFileSync(file, JSON.stringify(profile));
    process.send?.({
      type: 'heap-stopped',
      id: msg.id,
      file,
      memory: process.memoryUsage(),
      heapSpaces: getHeapSpaceStatistics(),
    });
  } else if (msg.cmd === 'gc') {
    // Let the observer's queued entries arrive first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = performance.now();
    process.send?.({ type: 'gc', id: msg.id, seconds: (now - gc.since) / 1000, ...gc });
    gc = { since: now, ms: 0, count: 0, byKind: {} };
  } else if (msg.cmd === 'profile-start' && profileDir) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    label = String(msg.label ?? 'profile');
    process.send?.({ type: 'profile-started', id: msg.id });
  } else if (msg.cmd === 'profile-stop' && profileDir && session) {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = undefined;
    mkdirSync(profileDir, { recursive: true });
    const file = join(profileDir, `${label.replace(/[^A-Za-z0-9_.-]/g, '_')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    process.send?.({ type: 'profile-stopped', id: msg.id, file });
  } else {
    process.send?.({ type: 'ack', id: msg.id });
  }
}
process.on('message', (msg) => {
  onMessage(msg).catch((err) => process.send?.({ type: 'error', id: msg?.id, error: String(err) }));
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
