import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../logger.js';
import type { LambdaFunction } from './functions.js';
import { readZip } from './zip.js';
import { NODE_BOOTSTRAP, PYTHON_BOOTSTRAP } from './bootstraps.js';

/**
 * Runs functions as local processes, warm between invocations as Lambda's execution environments are: a worker per
 * function and revision (a new code or configuration starts new ones), several when invocations overlap, each a
 * `python3` or `node` running the bootstrap of src/lambda/bootstraps.ts in the function's unzipped code. A worker
 * that passes its timeout is killed ("Task timed out"), as is one idle for a while.
 */

export interface InvokeResult {
  /** the function's result as JSON text, or its error payload */
  readonly payload: string;
  /** set when the function failed: 'Unhandled' */
  readonly functionError?: 'Unhandled';
  /** the invocation's log, START to REPORT */
  readonly log: string;
}

/** Workers per function at most; more invocations wait for one. */
const MAX_WORKERS = 4;
/** A worker idle this long is stopped. */
const IDLE_MS = 5 * 60_000;
/** The log kept per invocation (Invoke's LogType=Tail returns its last 4 KB). */
const MAX_LOG = 64 * 1024;

export interface RuntimeOptions {
  readonly log: Logger;
  /** the server's own URL, for SECRETS_MANAGER_ENDPOINT and AWS_ENDPOINT_URL */
  readonly endpoint: () => string;
  /**
   * With `--auth sigv4`: temporary credentials of the function's execution role (STS, from the credentials file), so
   * its calls are allowed or denied by the role's policies as on AWS; undefined when the role is not in the file.
   */
  readonly roleCredentials?: (
    fn: LambdaFunction,
  ) => { accessKeyId: string; secretAccessKey: string; sessionToken: string } | undefined;
}

interface Pending {
  readonly resolve: (r: { result?: string; error?: Record<string, unknown> }) => void;
}

class Worker {
  readonly child: ChildProcess;
  #pending: Pending | undefined;
  #output = '';
  busy = false;
  dead = false;
  idleTimer: NodeJS.Timeout | undefined;

  constructor(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, onExit: (w: Worker) => void) {
    this.child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    const append = (d: Buffer) => {
      this.#output += d.toString('utf8');
      if (this.#output.length > MAX_LOG) this.#output = this.#output.slice(-MAX_LOG);
    };
    this.child.stdout!.on('data', append);
    this.child.stderr!.on('data', append);
    this.child.stdin!.on('error', () => undefined);
    const results = createInterface({ input: this.child.stdio[3] as NodeJS.ReadableStream });
    results.on('line', (line) => {
      const p = this.#pending;
      this.#pending = undefined;
      try {
        p?.resolve(JSON.parse(line) as { result?: string; error?: Record<string, unknown> });
      } catch {
        p?.resolve({ error: { errorType: 'Runtime.InvalidResponse', errorMessage: 'the runtime answered nonsense' } });
      }
    });
    this.child.once('exit', (code, signal) => {
      this.dead = true;
      const p = this.#pending;
      this.#pending = undefined;
      p?.resolve({
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: `RequestId: ${this.requestId} Error: Runtime exited ${
            code !== null ? `with error: exit status ${code}` : `with signal ${signal}`
          }`,
        },
      });
      onExit(this);
    });
    this.child.once('error', () => undefined);
  }

  requestId = '';

  /** Output since the last call (the invocation's log lines). */
  takeOutput(): string {
    const o = this.#output;
    this.#output = '';
    return o;
  }

  send(req: object): Promise<{ result?: string; error?: Record<string, unknown> }> {
    return new Promise((resolve) => {
      this.#pending = { resolve };
      this.child.stdin!.write(`${JSON.stringify(req)}\n`);
    });
  }

  kill(): void {
    if (!this.dead) this.child.kill('SIGKILL');
  }
}

interface Pool {
  readonly key: string;
  readonly workers: Worker[];
  /** invocations waiting for a worker: woken when one is released or exits, they look again */
  readonly waiting: Array<() => void>;
}

const lambdaDate = (ms: number) => new Date(ms).toISOString();

export class FunctionRuntime {
  readonly #opts: RuntimeOptions;
  readonly #dir = mkdtempSync(join(tmpdir(), 'secretlite-functions-'));
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  constructor(opts: RuntimeOptions) {
    this.#opts = opts;
  }

  /** The command that runs a runtime, or undefined when secretlite cannot run it. */
  static command(runtime: string | undefined): { cmd: string; file: string; args: string[] } | undefined {
    if (runtime?.startsWith('python3')) return { cmd: 'python3', file: 'bootstrap.py', args: ['-u'] };
    if (runtime?.startsWith('nodejs')) return { cmd: process.execPath, file: 'bootstrap.mjs', args: [] };
    return undefined;
  }

  /** Unzips a function's code once per code hash; the directory its workers run in. */
  #codeDir(fn: LambdaFunction, zip: Buffer): string {
    const hex = createHash('sha256').update(zip).digest('hex');
    const dir = join(this.#dir, hex);
    if (existsSync(join(dir, '.ready'))) return dir;
    const task = join(dir, 'task');
    for (const e of readZip(zip)) {
      const target = join(task, e.path);
      if (e.path.endsWith('/')) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, e.data);
      if (e.mode) chmodSync(target, e.mode & 0o755);
    }
    mkdirSync(task, { recursive: true });
    writeFileSync(join(dir, 'bootstrap.py'), PYTHON_BOOTSTRAP);
    writeFileSync(join(dir, 'bootstrap.mjs'), NODE_BOOTSTRAP);
    writeFileSync(join(dir, '.ready'), fn.codeSha256);
    return dir;
  }

  #env(fn: LambdaFunction, task: string): NodeJS.ProcessEnv {
    const endpoint = this.#opts.endpoint();
    return {
      // what a process needs to start on this machine (Python found through pyenv shims needs HOME)
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: process.env.LANG ?? 'C.UTF-8',
      ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
      ...fn.environment,
      // what Lambda sets [DOC: defined runtime environment variables]
      AWS_REGION: fn.region,
      AWS_DEFAULT_REGION: fn.region,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `secretlite/${fn.revisionId}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime ?? ''}`,
      LAMBDA_TASK_ROOT: task,
      _HANDLER: fn.handler ?? '',
      TZ: 'UTC',
      SECRETLITE_FUNCTION_ARN: fn.arn,
      // back to secretlite: AWS's rotation templates read SECRETS_MANAGER_ENDPOINT, the SDKs AWS_ENDPOINT_URL;
      // credentials whose key id is the function's account, so its calls land in that account's secrets
      ...(fn.environment?.SECRETS_MANAGER_ENDPOINT ? {} : { SECRETS_MANAGER_ENDPOINT: endpoint }),
      AWS_ENDPOINT_URL: fn.environment?.AWS_ENDPOINT_URL ?? endpoint,
      ...this.#credentials(fn),
    };
  }

  /** The role's session credentials (with --auth), else a key id that is the function's account. */
  #credentials(fn: LambdaFunction): NodeJS.ProcessEnv {
    const c = this.#opts.roleCredentials?.(fn);
    if (!c) return { AWS_ACCESS_KEY_ID: fn.accountId, AWS_SECRET_ACCESS_KEY: 'secretlite-local-function' };
    return {
      AWS_ACCESS_KEY_ID: c.accessKeyId,
      AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
      AWS_SESSION_TOKEN: c.sessionToken,
    };
  }

  async #worker(fn: LambdaFunction, code: () => Promise<Buffer | undefined>): Promise<Worker> {
    const key = `${fn.arn}#${fn.revisionId}`;
    let pool = this.#pools.get(key);
    if (!pool) {
      // an older revision's workers go
      for (const [k, p] of this.#pools) {
        if (k.startsWith(`${fn.arn}#`)) {
          for (const w of p.workers) w.kill();
          this.#pools.delete(k);
        }
      }
      pool = { key, workers: [], waiting: [] };
      this.#pools.set(key, pool);
    }
    for (;;) {
      const idle = pool.workers.find((w) => !w.busy && !w.dead);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (pool.workers.length < MAX_WORKERS) break;
      await new Promise<void>((resolve) => pool.waiting.push(resolve));
    }
    const zip = await code();
    if (!zip) throw new Error('the function has no code');
    const run = FunctionRuntime.command(fn.runtime)!;
    // a Node function's heap is held to its MemorySize, as Lambda's sandbox holds it (Python's is not limited)
    const args = run.file === 'bootstrap.mjs' ? [`--max-old-space-size=${fn.memorySize}`, ...run.args] : run.args;
    const dir = this.#codeDir(fn, zip);
    const task = join(dir, 'task');
    const p = pool;
    const w = new Worker(run.cmd, [...args, join(dir, run.file)], task, this.#env(fn, task), (dead) => {
      const i = p.workers.indexOf(dead);
      if (i >= 0) p.workers.splice(i, 1);
      if (dead.idleTimer) clearTimeout(dead.idleTimer);
      p.waiting.shift()?.();
    });
    w.busy = true;
    pool.workers.push(w);
    return w;
  }

  #release(fn: LambdaFunction, w: Worker): void {
    w.busy = false;
    if (w.idleTimer) clearTimeout(w.idleTimer);
    w.idleTimer = setTimeout(() => w.kill(), IDLE_MS);
    w.idleTimer.unref();
    this.#pools.get(`${fn.arn}#${fn.revisionId}`)?.waiting.shift()?.();
  }

  /** One invocation: the event (JSON text) in, the result or the error payload out; never throws. */
  async invoke(fn: LambdaFunction, code: () => Promise<Buffer | undefined>, event: string): Promise<InvokeResult> {
    const requestId = randomUUID();
    const started = Date.now();
    const header = `START RequestId: ${requestId} Version: $LATEST\n`;
    const fail = (errorType: string, errorMessage: string, log = ''): InvokeResult => ({
      payload: JSON.stringify({ errorType, errorMessage }),
      functionError: 'Unhandled',
      log: `${header}${log}END RequestId: ${requestId}\n`,
    });
    if (this.#closed) return fail('Runtime.Stopped', 'secretlite is shutting down');
    if (!FunctionRuntime.command(fn.runtime)) {
      return fail('Runtime.Unsupported', `secretlite runs python3.x and nodejs runtimes, not ${fn.runtime ?? 'none'}`);
    }
    let w: Worker;
    try {
      w = await this.#worker(fn, code);
    } catch (e) {
      return fail('Runtime.InvalidCode', e instanceof Error ? e.message : 'the code could not be unpacked');
    }
    if (w.idleTimer) clearTimeout(w.idleTimer);
    w.requestId = requestId;
    w.takeOutput();
    const deadline = started + fn.timeout * 1000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), fn.timeout * 1000);
    });
    let parsedEvent: unknown;
    try {
      parsedEvent = JSON.parse(event || '{}');
    } catch {
      parsedEvent = event;
    }
    const out = await Promise.race([w.send({ id: requestId, requestId, deadline, event: parsedEvent }), timedOut]);
    clearTimeout(timer);
    const ms = Date.now() - started;
    const report =
      `END RequestId: ${requestId}\nREPORT RequestId: ${requestId}\tDuration: ${ms.toFixed(2)} ms\t` +
      `Billed Duration: ${Math.max(1, Math.ceil(ms))} ms\tMemory Size: ${fn.memorySize} MB\t\n`;
    if (out === 'timeout') {
      w.kill();
      const line = `${lambdaDate(Date.now())} ${requestId} Task timed out after ${fn.timeout}.00 seconds\n`;
      const log = `${header}${w.takeOutput()}${line}${report}`;
      this.#opts.log.debug('function output', { function: fn.arn, log });
      return {
        payload: JSON.stringify({
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: Task timed out after ${fn.timeout}.00 seconds`,
        }),
        functionError: 'Unhandled',
        log,
      };
    }
    const log = `${header}${w.takeOutput()}${report}`;
    this.#opts.log.debug('function output', { function: fn.arn, log });
    this.#release(fn, w);
    if (out.error) return { payload: JSON.stringify(out.error), functionError: 'Unhandled', log };
    return { payload: out.result ?? 'null', log };
  }

  /** Stops every worker and removes the unzipped code. */
  close(): void {
    this.#closed = true;
    for (const p of this.#pools.values()) for (const w of p.workers) w.kill();
    this.#pools.clear();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
