// Closed-loop HTTP load generator, run as a worker_thread by bench/run.mjs so it has its own core and event loop.
// Each of `connections` loops sends a request, awaits the whole response, and sends the next one.
// One message in ({ id, spec }), one message out ({ id, result }) per measurement.
import { Agent, request } from 'node:http';
import { parentPort } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import process from 'node:process';

const JSON_TYPE = 'application/x-amz-json-1.1';
const CLK_TCK = 100; // Linux USER_HZ

export const secretName = (i) => `bench/app-${String(i).padStart(6, '0')}`;
const deepName = (tag, loop) => `bench/deep-${tag}-${loop}`;

/** xorshift32: a cheap, seedable PRNG (Math.random is banned by the project's lint rules). */
function prng(seed) {
  let x = seed >>> 0 || 0x9e3779b9;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

function secretString(i, salt) {
  return JSON.stringify({ username: `app${String(i).padStart(6, '0')}`, password: `b3nchP4ssw0rd-${salt}-xYz` });
}

function tagsFor(i) {
  return [
    { Key: 'env', Value: 'bench' },
    { Key: 'team', Value: `team-${i % 10}` },
    { Key: 'tier', Value: i % 3 === 0 ? 'gold' : 'standard' },
  ];
}

/** CPU seconds { user, sys } of a process (all its threads), from /proc/<pid>/stat; undefined if unreadable. */
function procCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[11]) / CLK_TCK, sys: Number(f[12]) / CLK_TCK };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of a process and its direct children (a PostgreSQL postmaster and its backends, checkpointer, WAL
 * writer...), from /proc; undefined if the root is unreadable. A child that exits between two samples takes its CPU
 * time with it (the pool's backends live as long as the measurement, so this is small).
 */
function treeCpuSeconds(rootPid) {
  const root = procCpuSeconds(rootPid);
  if (!root) return undefined;
  let total = root.user + root.sys;
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return total;
  }
  for (const e of entries) {
    if (e.charCodeAt(0) < 48 || e.charCodeAt(0) > 57) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === rootPid) total += (Number(f[11]) + Number(f[12])) / CLK_TCK;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat; undefined if unreadable. */
function machineBusySeconds() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already counted in user)
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
    return busy / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** A growable array of latencies (ms). */
class Samples {
  constructor(capacity) {
    this.a = new Float64Array(capacity);
    this.length = 0;
  }
  push(v) {
    if (this.length === this.a.length) {
      const bigger = new Float64Array(this.a.length * 2);
      bigger.set(this.a);
      this.a = bigger;
    }
    this.a[this.length++] = v;
  }
  sorted() {
    return this.a.slice(0, this.length).sort();
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** BatchGetSecretValue by id list: ids per call. */
const BATCH_IDS = 20;
/** BatchGetSecretValue by filter: a tag value one secret in ten carries (tagsFor), so a page of 20 scans ~200. */
const BATCH_FILTERS = [{ Key: 'tag-value', Values: ['team-3'] }];
/** A valid, non-public resource policy (ValidateResourcePolicy passes it). */
const BENCH_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'BenchReader',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::000000000000:role/bench-reader' },
      Action: 'secretsmanager:GetSecretValue',
      Resource: '*',
    },
  ],
});
const noBatchErrors = (body) => body.includes('"Errors":[]');

/**
 * Page walker: each loop asks for the first page of `op` with `base`, follows NextToken for `pages` pages in all (or
 * until the last page), then starts again from the first page.
 */
function pageWalker(pages, op, base, check) {
  return (st) => ({
    op,
    body: JSON.stringify(st.token ? { ...base, NextToken: st.token } : base),
    needBody: true,
    check,
    after: (r) => {
      let token;
      if (r.status === 200 && r.body) {
        const k = r.body.lastIndexOf('"NextToken":"');
        if (k >= 0) token = r.body.slice(k + 13, r.body.indexOf('"', k + 13));
      }
      st.page = (st.page ?? 0) + 1;
      if (!token || st.page >= pages) {
        st.token = undefined;
        st.page = 0;
      } else {
        st.token = token;
      }
    },
  });
}

/**
 * Builds the request generator for one kind of measurement. Each call of next(loopState) returns
 * { op, body, needBody?, check?, after?, more?, setup? } or null when there is nothing left to send (seeding).
 * loopState.loop is the loop's index (0..connections-1). check(body) => false turns a 200 into a failure (status
 * "bad-body"); more: the loop sends its next request even after the measurement window (a cycle such as DeleteSecret
 * then RestoreSecret always completes); setup: a preparation request, not counted in rates and latencies (its
 * failures are counted).
 */
function generator(spec) {
  const rand = prng(spec.seed ?? 12345);
  const n = spec.n;
  const pick = () => secretName(1 + rand(n));
  // A random secret of loop `loop`'s own (index - 1 = loop modulo connections): no two loops ever touch the same
  // secret, so stateful cycles (DeleteSecret then RestoreSecret, ...) cannot disturb one another. Needs n >= connections.
  const conns = spec.connections;
  const pickOwn = (loop) => secretName(1 + loop + conns * rand(Math.floor((n - 1 - loop) / conns) + 1));
  let counter = 0;
  switch (spec.kind) {
    case 'bare':
    case 'get':
      return () => ({ op: 'GetSecretValue', body: JSON.stringify({ SecretId: pick() }) });
    case 'describe':
      return () => ({ op: 'DescribeSecret', body: JSON.stringify({ SecretId: pick() }) });
    case 'put':
      return () => {
        const c = ++counter;
        return {
          op: 'PutSecretValue',
          body: JSON.stringify({
            SecretId: pick(),
            SecretString: secretString(c, `put${c}`),
            ClientRequestToken: randomUUID(),
          }),
        };
      };
    case 'batch-ids':
      // 20 distinct random secrets per call; a 200 whose Errors list is not empty counts as a failure.
      return () => {
        const ids = new Set();
        while (ids.size < BATCH_IDS) ids.add(pick());
        return { op: 'BatchGetSecretValue', body: JSON.stringify({ SecretIdList: [...ids] }), check: noBatchErrors };
      };
    case 'batch-filter':
      // Walks the first `pages` pages (MaxResults 20) of a filtered BatchGetSecretValue by NextToken, then starts over.
      return pageWalker(
        spec.pages ?? 5,
        'BatchGetSecretValue',
        { Filters: BATCH_FILTERS, MaxResults: 20 },
        noBatchErrors,
      );
    case 'versions':
      return () => ({ op: 'ListSecretVersionIds', body: JSON.stringify({ SecretId: pick() }) });
    case 'update':
      return () => {
        const c = ++counter;
        return {
          op: 'UpdateSecret',
          body: JSON.stringify({ SecretId: pick(), Description: `benchmark secret, description update ${c}` }),
        };
      };
    case 'password':
      return () => ({ op: 'GetRandomPassword', body: '{}' });
    case 'validate':
      return () => ({
        op: 'ValidateResourcePolicy',
        body: JSON.stringify({ SecretId: pick(), ResourcePolicy: BENCH_POLICY }),
        check: (body) => body.includes('"PolicyValidationPassed":true'),
      });
    case 'tag':
      // TagResource then UntagResource of the same key on one of the loop's own secrets (a pair always completes).
      return (st) => {
        if (st.tagged) {
          const id = st.tagged;
          st.tagged = undefined;
          return { op: 'UntagResource', body: JSON.stringify({ SecretId: id, TagKeys: ['bench-extra'] }) };
        }
        const c = ++counter;
        st.tagged = pickOwn(st.loop);
        return {
          op: 'TagResource',
          body: JSON.stringify({ SecretId: st.tagged, Tags: [{ Key: 'bench-extra', Value: `v${c}` }] }),
          more: true,
        };
      };
    case 'policy':
      // PutResourcePolicy, GetResourcePolicy (must return it), DeleteResourcePolicy on one of the loop's own secrets.
      return (st) => {
        st.step = ((st.step ?? -1) + 1) % 3;
        if (st.step === 0) st.secret = pickOwn(st.loop);
        const SecretId = st.secret;
        if (st.step === 0)
          return {
            op: 'PutResourcePolicy',
            body: JSON.stringify({ SecretId, ResourcePolicy: BENCH_POLICY }),
            more: true,
          };
        if (st.step === 1)
          return {
            op: 'GetResourcePolicy',
            body: JSON.stringify({ SecretId }),
            more: true,
            check: (body) => body.includes('"ResourcePolicy":'),
          };
        return { op: 'DeleteResourcePolicy', body: JSON.stringify({ SecretId }) };
      };
    case 'delete-restore':
      // DeleteSecret (7-day recovery window) then RestoreSecret of one of the loop's own secrets: the pair always
      // completes (past the end of the window too), so every secret is live again afterwards.
      return (st) => {
        if (st.deleted) {
          const id = st.deleted;
          st.deleted = undefined;
          return { op: 'RestoreSecret', body: JSON.stringify({ SecretId: id }) };
        }
        st.deleted = pickOwn(st.loop);
        return {
          op: 'DeleteSecret',
          body: JSON.stringify({ SecretId: st.deleted, RecoveryWindowInDays: 7 }),
          more: true,
        };
      };
    case 'stage':
      // A custom label moved back and forth between two versions of the loop's own secret. Setup (not measured): two
      // PutSecretValue with known version ids A and B, then the label (new for each loop and attempt) put on A. Then
      // each call moves it to the other version, naming the current holder in RemoveFromVersionId.
      return (st) => {
        if (!st.stage) {
          const SecretId = secretName(1 + (st.loop % n));
          st.stage = { SecretId, label: `bench-${spec.tag}-${st.loop}`, a: randomUUID(), b: randomUUID(), setup: 0 };
          st.stage.holder = st.stage.a;
        }
        const g = st.stage;
        if (g.setup < 2) {
          const token = g.setup === 0 ? g.a : g.b;
          g.setup++;
          return {
            op: 'PutSecretValue',
            body: JSON.stringify({
              SecretId: g.SecretId,
              SecretString: secretString(st.loop, token),
              ClientRequestToken: token,
            }),
            setup: true,
          };
        }
        if (g.setup === 2) {
          g.setup++;
          return {
            op: 'UpdateSecretVersionStage',
            body: JSON.stringify({ SecretId: g.SecretId, VersionStage: g.label, MoveToVersionId: g.a }),
            setup: true,
          };
        }
        const to = g.holder === g.a ? g.b : g.a;
        return {
          op: 'UpdateSecretVersionStage',
          body: JSON.stringify({
            SecretId: g.SecretId,
            VersionStage: g.label,
            MoveToVersionId: to,
            RemoveFromVersionId: g.holder,
          }),
          after: (r) => {
            if (r.status === 200) g.holder = to;
          },
        };
      };
    case 'create':
      // Names that sort anywhere among the existing ones (after a random seeded name), not only after them all.
      return () => {
        const c = ++counter;
        return {
          op: 'CreateSecret',
          body: JSON.stringify({
            Name: `${pick()}-new-${spec.tag}-${c}`,
            SecretString: secretString(c, `new${c}`),
            ClientRequestToken: randomUUID(),
            Tags: tagsFor(c),
          }),
        };
      };
    case 'deep-seed':
      // Each loop gives a secret of its own (bench/deep-<tag>-<loop>) spec.versions versions: CreateSecret, then
      // PutSecretValue (every version is younger than a day: none is pruned).
      return (st) => {
        st.made = (st.made ?? 0) + 1;
        if (st.made > spec.versions) return null;
        const SecretId = deepName(spec.deepTag, st.loop);
        const c = st.made;
        const value = { SecretString: secretString(c, `deep${c}`), ClientRequestToken: randomUUID() };
        return c === 1
          ? { op: 'CreateSecret', body: JSON.stringify({ Name: SecretId, ...value }) }
          : { op: 'PutSecretValue', body: JSON.stringify({ SecretId, ...value }) };
      };
    case 'put-deep':
      // PutSecretValue on the loop's own secret of many versions (made by 'deep-seed').
      return (st) => {
        const c = ++counter;
        return {
          op: 'PutSecretValue',
          body: JSON.stringify({
            SecretId: deepName(spec.deepTag, st.loop),
            SecretString: secretString(c, `put${c}`),
            ClientRequestToken: randomUUID(),
          }),
        };
      };
    case 'list-changed':
      // A write (UpdateSecret of a random secret), then the first page of ListSecrets by last-changed date, newest
      // first: the page the write just changed.
      return (st) => {
        st.wrote = !st.wrote;
        if (st.wrote) {
          const c = ++counter;
          return {
            op: 'UpdateSecret',
            body: JSON.stringify({ SecretId: pick(), Description: `benchmark secret, changed ${c}` }),
            more: true,
          };
        }
        return {
          op: 'ListSecrets',
          body: JSON.stringify({ MaxResults: 100, SortBy: 'last-changed-date', SortOrder: 'desc' }),
        };
      };
    case 'list-sorts': {
      // First pages in every order: each SortBy, both directions, without and with a filter (1 secret in 10).
      const variants = [];
      for (const SortBy of ['created-date', 'name', 'last-changed-date', 'last-accessed-date'])
        for (const SortOrder of ['asc', 'desc'])
          for (const Filters of [undefined, BATCH_FILTERS])
            variants.push(JSON.stringify({ MaxResults: 100, SortBy, SortOrder, ...(Filters ? { Filters } : {}) }));
      return () => ({ op: 'ListSecrets', body: variants[counter++ % variants.length] });
    }
    case 'touch': {
      // One GetSecretValue per secret, in order: the first read of a day records LastAccessedDate (a write).
      let nextIndex = spec.from;
      return () =>
        nextIndex > spec.to
          ? null
          : { op: 'GetSecretValue', body: JSON.stringify({ SecretId: secretName(nextIndex++) }) };
    }
    case 'seed': {
      let nextIndex = spec.from;
      return () => {
        if (nextIndex > spec.to) return null;
        const i = nextIndex++;
        return {
          op: 'CreateSecret',
          body: JSON.stringify({
            Name: secretName(i),
            Description: `benchmark secret ${i}`,
            SecretString: secretString(i, String(i).padStart(6, '0')),
            ClientRequestToken: randomUUID(),
            Tags: tagsFor(i),
          }),
        };
      };
    }
    case 'list':
      return () => ({ op: 'ListSecrets', body: JSON.stringify({ MaxResults: 100 }) });
    case 'list-paging':
      // Each loop walks the first `pages` pages by NextToken, then starts again from the first page.
      return pageWalker(spec.pages ?? 5, 'ListSecrets', { MaxResults: 100 });
    default:
      throw new Error(`unknown kind ${spec.kind}`);
  }
}

/**
 * A minimal HTTP/1.1 keep-alive client over node:net, for --client net: one request in flight per connection,
 * responses framed by Content-Length (both servers always send it). Much cheaper per request than node:http's
 * client, so that on a small machine the load generator is less likely to be the bottleneck.
 */
class RawConnection {
  constructor(host, port) {
    this.host = host;
    this.port = port;
    this.socket = undefined;
    this.pending = undefined;
    this.buf = undefined;
  }
  #open() {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk) => this.#onData(chunk));
    const fail = (err) => {
      if (this.socket === socket) this.socket = undefined;
      this.buf = undefined;
      const p = this.pending;
      this.pending = undefined;
      p?.({ status: 0, error: err?.code ?? err?.message ?? 'connection closed' });
    };
    socket.on('error', fail);
    socket.on('close', () => fail(undefined));
    socket.setTimeout(30_000, () => socket.destroy(new Error('request timeout')));
    this.socket = socket;
  }
  send(op, body, needBody) {
    if (!this.socket) this.#open();
    return new Promise((resolve) => {
      this.pending = resolve;
      this.needBody = needBody;
      this.socket.write(
        `POST / HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nContent-Type: ${JSON_TYPE}\r\nX-Amz-Target: secretsmanager.${op}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
      );
    });
  }
  #onData(chunk) {
    this.buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    const buf = this.buf;
    const headEnd = buf.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = buf.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!m) {
      this.socket.destroy(new Error('response without content-length'));
      return;
    }
    const total = headEnd + 4 + Number(m[1]);
    if (buf.length < total) return;
    this.buf = buf.length > total ? buf.subarray(total) : undefined;
    const p = this.pending;
    this.pending = undefined;
    const r = { status, bytes: total - headEnd - 4 };
    if (this.needBody || status !== 200) r.body = buf.toString('utf8', headEnd + 4, total);
    if (/\r\nconnection:\s*close/i.test(head)) {
      this.socket.end();
      this.socket = undefined;
    }
    p?.(r);
  }
  close() {
    this.socket?.destroy();
    this.socket = undefined;
  }
}

async function run(spec) {
  const url = new URL(spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections, maxFreeSockets: spec.connections });
  const next = generator(spec);
  // a fixed list of requests, no time window
  const seeding = spec.kind === 'seed' || spec.kind === 'touch' || spec.kind === 'deep-seed';

  const lat = new Samples(1 << 20);
  const perOp = new Map(); // op -> Samples, when a measurement sends several operations
  let count = 0;
  let bytes = 0;
  const statuses = {};
  const errorSamples = [];
  let netErrors = 0;

  function send(op, body, needBody) {
    return new Promise((resolve) => {
      const req = request(
        {
          hostname: url.hostname,
          port: url.port,
          path: '/',
          method: 'POST',
          agent,
          headers: {
            'content-type': JSON_TYPE,
            'x-amz-target': `secretsmanager.${op}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const status = res.statusCode;
          if (needBody || status !== 200) {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
              const buf = Buffer.concat(chunks);
              resolve({ status, bytes: buf.length, body: buf.toString('utf8') });
            });
          } else {
            let n = 0;
            res.on('data', (c) => (n += c.length));
            res.on('end', () => resolve({ status, bytes: n }));
          }
          res.on('error', (err) => resolve({ status: 0, error: err.code ?? err.message }));
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('request timeout')));
      req.on('error', (err) => resolve({ status: 0, error: err.code ?? err.message }));
      req.end(body);
    });
  }

  const t0 = performance.now();
  const warmupMs = seeding ? 0 : spec.warmupMs;
  const windowStart = t0 + warmupMs;
  const end = seeding ? Infinity : windowStart + spec.durationMs;
  let cpuStart;
  const sampleCpu = () => ({
    at: performance.now(),
    server: procCpuSeconds(spec.serverPid),
    db: spec.dbPid ? treeCpuSeconds(spec.dbPid) : undefined,
    gen: process.cpuUsage(),
    machine: machineBusySeconds(),
  });
  const startTimer = seeding ? undefined : setTimeout(() => (cpuStart = sampleCpu()), warmupMs);
  if (seeding) cpuStart = sampleCpu();
  let lastDone = t0;

  const rawConns = [];
  async function loop(_, index) {
    let sendOne = send;
    if (spec.client === 'net') {
      const conn = new RawConnection(url.hostname, Number(url.port));
      rawConns.push(conn);
      sendOne = (op, body, needBody) => conn.send(op, body, needBody);
    }
    const st = { loop: index };
    let more = false;
    for (;;) {
      if (!more && performance.now() >= end) return;
      const r0 = next(st);
      if (r0 === null) return;
      more = Boolean(r0.more);
      // Operations in the order first sent (the sub-rows of a cycle), setup requests aside.
      if (!r0.setup && !perOp.has(r0.op)) perOp.set(r0.op, new Samples(1 << 12));
      const started = performance.now();
      const r = await sendOne(r0.op, r0.body, Boolean(r0.needBody || r0.check));
      const done = performance.now();
      if (r.status === 200 && r0.check && !r0.check(r.body ?? '')) {
        r.status = 'bad-body';
        r.error = 'answer failed the check';
      }
      r0.after?.(r);
      // Failures count wherever they happen (warm-up, setup, a cycle finishing after the window); rates and
      // latencies only inside the window.
      if (r.status !== 200) {
        if (r.status === 0) netErrors++;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (errorSamples.length < 5)
          errorSamples.push({ op: r0.op, status: r.status, error: r.error, body: r.body?.slice(0, 300) });
      }
      if (!r0.setup && done >= windowStart && done <= end) {
        lat.push(done - started);
        perOp.get(r0.op).push(done - started);
        count++;
        bytes += r.bytes ?? 0;
        lastDone = done;
      }
      if (r.status === 0) await new Promise((res) => setTimeout(res, 10)); // do not spin on a dead server
    }
  }

  await Promise.all(Array.from({ length: spec.connections }, loop));
  clearTimeout(startTimer);
  const cpuEnd = sampleCpu();
  agent.destroy();
  for (const c of rawConns) c.close();

  const seconds = seeding ? (lastDone - t0) / 1000 : spec.durationMs / 1000;
  const cpuSeconds = cpuStart ? (cpuEnd.at - cpuStart.at) / 1000 : NaN;
  const haveServer = cpuStart && cpuStart.server !== undefined && cpuEnd.server !== undefined;
  const serverUser = haveServer ? (cpuEnd.server.user - cpuStart.server.user) / cpuSeconds : NaN;
  const serverSys = haveServer ? (cpuEnd.server.sys - cpuStart.server.sys) / cpuSeconds : NaN;
  const serverCpu = serverUser + serverSys;
  const genCpu = cpuStart
    ? (cpuEnd.gen.user - cpuStart.gen.user + cpuEnd.gen.system - cpuStart.gen.system) / 1e6 / cpuSeconds
    : NaN;
  const machineCpu =
    cpuStart && cpuStart.machine !== undefined && cpuEnd.machine !== undefined
      ? (cpuEnd.machine - cpuStart.machine) / cpuSeconds
      : NaN;
  // CPU of the database server (PostgreSQL: postmaster and children), when its pid is known.
  const dbCpu =
    cpuStart && cpuStart.db !== undefined && cpuEnd.db !== undefined
      ? (cpuEnd.db - cpuStart.db) / cpuSeconds
      : undefined;
  // CPU used by anything but the server under test (and its database) and this process: other processes, interference.
  const otherCpu = machineCpu - serverCpu - genCpu - (dbCpu ?? 0);
  const sorted = lat.sorted();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i];
  const errors = Object.values(statuses).reduce((a, b) => a + b, 0);
  // Per operation, when the measurement sends several (a DeleteSecret/RestoreSecret cycle...).
  const ops =
    perOp.size > 1
      ? [...perOp].map(([op, samples]) => {
          const s = samples.sorted();
          return { op, requests: s.length, rps: s.length / seconds, p50: percentile(s, 50), p99: percentile(s, 99) };
        })
      : undefined;
  return {
    kind: spec.kind,
    requests: count,
    seconds,
    rps: count / seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: count ? sorted[count - 1] : NaN,
    mean: count ? sum / count : NaN,
    avgResponseBytes: count ? bytes / count : 0,
    ops,
    errors,
    netErrors,
    statuses,
    errorSamples,
    serverCpu,
    serverUser,
    serverSys,
    // server CPU time per request, microseconds: the server's cost, whoever the bottleneck was
    serverUsPerReq: count ? (serverCpu * 1e6) / (count / seconds) : NaN,
    genCpu,
    dbCpu,
    machineCpu,
    otherCpu,
  };
}

parentPort?.on('message', ({ id, spec }) => {
  run(spec).then(
    (result) => parentPort.postMessage({ id, result }),
    (err) => parentPort.postMessage({ id, error: String(err?.stack ?? err) }),
  );
});
