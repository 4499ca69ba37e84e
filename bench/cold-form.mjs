// Issue 13's last question: would keeping stored secrets out of V8's object graph pay? Builds N bench-shaped
// secrets (as the memory store keeps them, with the domain code of dist/) in one of five forms, each in a process of
// its own, and measures what the store's design depends on:
//   memo     the memory store's form: a Secret object, its versions, its tags, and the AWSCURRENT answer kept
//            serialized once read (MEMO);
//   objects  the same without the answer, which each read serializes (measured over HTTP and not adopted, see
//            protocol/answers.ts valueJson);
//   json     each secret as one JSON string in the heap: a string is a leaf, nothing in it for the GC to trace;
//            a read decodes it (JSON.parse) and builds the answer;
//   json-answer  the same, with the secret's AWSCURRENT answer kept beside it (what a read sends): reads as memo;
//   slab     every secret's JSON bytes in off-heap Buffers of 64 MB, their offsets in typed arrays: nearly nothing
//            in the heap; a read decodes the bytes, then as json.
// Printed per form: heap and off-heap bytes per secret and RSS after a full GC; random GetSecretValue answers per
// second built from the form (what the read path would cost); and the time in young-generation collections while
// 3 million request-like short-lived objects are allocated (what every request's garbage costs beside the secrets).
// Usage: npm run build && node bench/cold-form.mjs [--n 1000000] [--forms objects,json,slab]
import { spawnSync } from 'node:child_process';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    forms: { type: 'string', default: 'memo,objects,json,slab' },
    form: { type: 'string' },
  },
});
const N = Number(args.n);

if (!args.form) {
  console.log(`cold forms of ${N.toLocaleString('en-US')} secrets (one process per form, node ${process.version})`);
  console.log(
    'form         heap B/secret  off-heap B/secret  RSS MB  reads/s (random)  ns/read  minor GC ms (3M allocs)',
  );
  for (const form of args.forms.split(',')) {
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=4096', fileURLToPath(import.meta.url), '--form', form, '--n', String(N)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    process.stdout.write(r.stdout);
  }
  process.exit(0);
}

const dist = new URL('../dist/', import.meta.url);
const { newSecret } = await import(new URL('domain/secret.js', dist).href);
const { addVersion, newVersion, AWSCURRENT, versionWithStage } = await import(new URL('domain/versions.js', dist).href);
const { secretValueView } = await import(new URL('domain/views.js', dist).href);
const { MEMO } = await import(new URL('domain/types.js', dist).href);

/** A secret shaped as bench/loadgen.mjs seeds them: a description, two tags, a JSON value, one version. */
function make(i) {
  const name = `bench/secret-${String(i).padStart(7, '0')}`;
  const s = newSecret(
    `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`,
    name,
    1_790_000_000_000 + i,
  );
  s.description = `benchmark secret ${i}`;
  s.tags = [
    { Key: 'team', Value: `team-${i % 10}` },
    { Key: 'env', Value: 'bench' },
  ];
  const id = `${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`;
  const value = JSON.stringify({ username: `user${i}`, password: `pw-${(i * 40503).toString(36)}-${i}` });
  addVersion(s, newVersion(id, s.createdDate, undefined, { secretString: value }), undefined, s.createdDate);
  return s;
}

/** The answer the store's read path makes from a Secret (protocol/answers.ts valueJson, without its memo). */
const answer = (s) => JSON.stringify(secretValueView(s, versionWithStage(s, AWSCURRENT)));
/** The same from a decoded JSON document: its members are the Secret's (epoch ms dates, versions with stages). */
function answerFromDoc(d) {
  const v = d.versions.find((x) => x.stages.includes(AWSCURRENT));
  return JSON.stringify({
    ARN: d.arn,
    Name: d.name,
    VersionId: v.id,
    SecretString: v.secretString,
    VersionStages: v.stages,
    CreatedDate: v.createdDate / 1000,
  });
}

let read;
if (args.form === 'memo' || args.form === 'objects') {
  const store = new Map();
  for (let i = 0; i < N; i++) {
    const s = make(i);
    store.set(s.name, s);
  }
  if (args.form === 'memo') {
    // every secret read once: its answer kept, as the store keeps it
    for (const s of store.values()) s[MEMO] = flat(answer(s));
    read = (name) => store.get(name)[MEMO];
  } else {
    read = (name) => answer(store.get(name));
  }
} else if (args.form === 'json') {
  const store = new Map();
  for (let i = 0; i < N; i++) {
    const s = make(i);
    store.set(s.name, flat(JSON.stringify(s)));
  }
  read = (name) => answerFromDoc(JSON.parse(store.get(name)));
} else if (args.form === 'json-answer') {
  const store = new Map();
  for (let i = 0; i < N; i++) {
    const s = make(i);
    store.set(s.name, { doc: flat(JSON.stringify(s)), answer: flat(answer(s)) });
  }
  read = (name) => store.get(name).answer;
} else if (args.form === 'slab') {
  const SLAB = 64 * 1024 * 1024;
  const slabs = [Buffer.allocUnsafeSlow(SLAB)];
  const where = new Map(); // name -> index; the index's slab, offset and length in typed arrays
  const slabOf = new Uint16Array(N);
  const start = new Uint32Array(N);
  const length = new Uint32Array(N);
  let used = 0;
  for (let i = 0; i < N; i++) {
    const s = make(i);
    const bytes = Buffer.from(JSON.stringify(s));
    if (used + bytes.length > SLAB) {
      slabs.push(Buffer.allocUnsafeSlow(SLAB));
      used = 0;
    }
    bytes.copy(slabs[slabs.length - 1], used);
    slabOf[i] = slabs.length - 1;
    start[i] = used;
    length[i] = bytes.length;
    used += bytes.length;
    where.set(s.name, i);
  }
  read = (name) => {
    const i = where.get(name);
    return answerFromDoc(JSON.parse(slabs[slabOf[i]].toString('utf8', start[i], start[i] + length[i])));
  };
} else {
  throw new Error(`unknown form ${args.form}`);
}

/** As protocol/answers.ts flat: a string kept for long, flattened (a tree of parts takes more heap). */
function flat(s) {
  Number(s);
  return s;
}

globalThis.gc();
globalThis.gc();
const mem = process.memoryUsage();
const names = Array.from({ length: 1 << 16 }, (_, k) => `bench/secret-${String((k * 7919) % N).padStart(7, '0')}`);
let bytes = 0;
const t0 = process.hrtime.bigint();
const READS = 1_000_000;
for (let k = 0; k < READS; k++) bytes += read(names[(k * 40503) & 0xffff]).length;
const readNs = Number(process.hrtime.bigint() - t0) / READS;

let minorMs = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minorMs += e.duration;
});
obs.observe({ entryTypes: ['gc'] });
let sink = 0;
for (let r = 0; r < 3e6; r++) {
  const o = { op: 'GetSecretValue', body: `{"SecretId":"bench/secret-${r}"}`, headers: [r, r + 1, r + 2] };
  sink += JSON.stringify(o).length;
}
await new Promise((resolve) => setTimeout(resolve, 50));
obs.disconnect();
const pad = (x, w) => String(x).padStart(w);
console.log(
  `${args.form.padEnd(11)}${pad(Math.round(mem.heapUsed / N), 15)}${pad(Math.round(mem.external / N), 19)}` +
    `${pad(Math.round(mem.rss / 2 ** 20), 8)}${pad(Math.round(1e9 / readNs).toLocaleString('en-US'), 18)}` +
    `${pad(Math.round(readNs), 9)}${pad(Math.round(minorMs), 25)}${bytes + sink < 0 ? '!' : ''}`,
);
