/**
 * Helpers for test/seeds: the examples of the four documents secretlite was written from
 * (shared/seeds/000..003), run as their readers would run them against the real `secretlite` command.
 *
 * Each example's text lives verbatim in `examples/`; a test reads it, points its endpoint at the server
 * (`http://localhost:4566` -> `http://localhost:<port>`, nothing else changes) and runs it with the tool the
 * document names (bash for curl and the AWS CLI, node, python3). Every child process runs in its own process
 * group with a deadline, so a hung curl or CLI is killed with everything it started and no test can hang.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { isolatedAwsEnv, listeningUrl } from '../helpers.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('./examples/', import.meta.url));
/**
 * Generated scripts (the endpoint filled in, 001's TypeScript transpiled) go inside the repo, so that node
 * resolves `@aws-sdk/client-secrets-manager` from the repo's node_modules, and nothing there is committed.
 */
const CACHE = join(ROOT, 'node_modules', '.cache', 'secretlite-seeds');

export const IN_CI = Boolean(process.env.CI);
/** The endpoint every document uses (secretlite's default port is theirs too). */
export const DOC_ENDPOINT = 'http://localhost:4566';
/** The deadline of every spawned process. */
export const PROCESS_TIMEOUT_MS = 60_000;
/** A test's deadline: one or two processes, each bounded by PROCESS_TIMEOUT_MS. */
export const TEST_TIMEOUT_MS = 150_000;

// ----------------------------------------------------------------------------------------------- examples

/** An example's text, as stored in examples/. */
export function example(file: string): string {
  return readFileSync(join(EXAMPLES, file), 'utf8');
}

/** An output the document shows for an example (examples/*.out.json), parsed. */
export function docOutput(file: string): unknown {
  return JSON.parse(example(file));
}

/** The example with its endpoint pointed at the server; the only change made to any example. */
export function withEndpoint(text: string, endpoint: string): string {
  if (!text.includes(DOC_ENDPOINT)) throw new Error(`the example names no ${DOC_ENDPOINT}`);
  return text.replaceAll(DOC_ENDPOINT, endpoint);
}

// ------------------------------------------------------------------------------------------------- tools

export type Tool = 'aws' | 'curl' | 'jq' | 'boto3';

const PROBES: Record<Tool, [string, string[]]> = {
  aws: ['aws', ['--version']],
  curl: ['curl', ['--version']],
  jq: ['jq', ['--version']],
  boto3: ['python3', ['-c', 'import boto3']],
};

const found = new Map<Tool, boolean>();

function present(tool: Tool): boolean {
  let ok = found.get(tool);
  if (ok === undefined) {
    const [cmd, args] = PROBES[tool];
    const r = spawnSync(cmd, args, { env: isolatedEnv(), stdio: 'ignore', timeout: 30_000 });
    ok = r.status === 0;
    found.set(tool, ok);
    if (!ok && !IN_CI)
      console.warn(
        `test/seeds: ${tool === 'boto3' ? 'python3 with boto3' : tool} not found: skipping the examples that need it`,
      );
  }
  return ok;
}

/**
 * `it` for an example that needs `tools`: skipped when one is missing, except in CI, where the test runs and
 * fails on the missing tool (CI must run every example).
 */
export function exampleTest(tools: Tool[]) {
  const missing = tools.filter((t) => !present(t));
  const test = it.skipIf(missing.length > 0 && !IN_CI);
  return (name: string, fn: () => Promise<void>, timeout = TEST_TIMEOUT_MS) =>
    test(
      name,
      async () => {
        expect(missing, `${missing.join(', ')} not found (required in CI)`).toEqual([]);
        await fn();
      },
      timeout,
    );
}

// --------------------------------------------------------------------------------------------- processes

/** The environment examples run with (test/helpers.ts): nothing from the user's AWS setup. */
export const isolatedEnv = isolatedAwsEnv;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs a command in its own process group; past the deadline the whole group is killed (a shell's curl
 * too). Never rejects: a command that cannot start has code null and the reason in stderr.
 */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? isolatedEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let code: number | null = null;
    let signal: NodeJS.Signals | null = null;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone
      }
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs ?? PROCESS_TIMEOUT_MS);
    let orphans: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', (e) => {
      clearTimeout(deadline);
      resolve({ code: null, signal: null, stdout, stderr: stderr + String(e), timedOut });
    });
    child.once('exit', (c, s) => {
      code = c;
      signal = s;
      // something it started still holds the pipes open: end it
      orphans = setTimeout(killGroup, 2_000);
    });
    child.once('close', () => {
      clearTimeout(deadline);
      clearTimeout(orphans);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Runs a script with bash, stopping at the first failing command (a failure inside a pipe included). */
export function bash(script: string, opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return run('bash', ['-e', '-o', 'pipefail', '-c', script], opts);
}

/** Writes a generated script into the cache inside the repo; `remove` deletes it. */
export async function cacheFile(name: string, text: string): Promise<{ path: string; remove(): Promise<void> }> {
  await mkdir(CACHE, { recursive: true });
  // unique: another run of the same test (the full suite, in another worker) may target another port
  const path = join(CACHE, `${process.pid}-${randomBytes(4).toString('hex')}-${name}`);
  await writeFile(path, text);
  return { path, remove: () => rm(path, { force: true }) };
}

/** Expects a run to have succeeded; the output is in the failure message. */
export function expectOk(r: RunResult, what: string): void {
  expect(
    r.code,
    `${what}\nexit ${r.code ?? r.signal}${r.timedOut ? ' (timed out)' : ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
  ).toBe(0);
}

// ------------------------------------------------------------------------------------------------ server

export interface SeedServer {
  /** what the server says it listens on (http://127.0.0.1:<port>) */
  readonly url: string;
  /** the documents' endpoint with the server's port: http://localhost:<port> */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts `node bin/secretlite.js --port 0` from the repo root, as a user would, and waits for the URL it
 * prints. The user's SECRETLITE_* and PERSISTENCE variables are left out (a memory store, defaults).
 */
export async function startSecretlite(args: string[] = [], env: Record<string, string> = {}): Promise<SeedServer> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(childEnv)) if (k.startsWith('SECRETLITE_') || k === 'PERSISTENCE') delete childEnv[k];
  Object.assign(childEnv, env);
  const child = spawn(process.execPath, ['bin/secretlite.js', '--port', '0', '--log-level', 'warn', ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const tooLate = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`secretlite did not say where it listens within 30 s: ${stderr}`));
    }, 30_000);
  });
  let url: string;
  try {
    url = await Promise.race([listeningUrl(child), tooLate]);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nstderr: ${stderr}`);
  } finally {
    clearTimeout(timer);
  }
  const endpoint = `http://localhost:${new URL(url).port}`;
  return {
    url,
    endpoint,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface RawResponse {
  status: number;
  text: string;
  json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A raw AWS JSON 1.1 call for follow-up checks (no signature: the default account and Region). */
export async function raw(
  url: string,
  operation: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `secretsmanager.${operation}`,
      ...headers,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(PROCESS_TIMEOUT_MS),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as RawResponse['json'] };
}

/** A raw call that must succeed. */
export async function rawOk(url: string, operation: string, body: unknown): Promise<RawResponse['json']> {
  const r = await raw(url, operation, body);
  expect(r.status, `${operation} ${JSON.stringify(body)}: ${r.text}`).toBe(200);
  return r.json;
}

// --------------------------------------------------------------------------------------------- assertions

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** A secret's ARN: `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`. */
export function arnPattern(name: string, region = 'us-east-1', account = '000000000000'): RegExp {
  return new RegExp(
    `^arn:aws:secretsmanager:${region}:${account}:secret:${name.replace(REGEX_SPECIAL, '\\$&')}-[A-Za-z0-9]{6}$`,
  );
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A timestamp as the AWS CLI or a raw call prints it, in ms: epoch seconds (the wire format, which CLI v1
 * prints as received) or ISO 8601 (CLI v2's default, as in document 003).
 */
export function dateMs(v: unknown): number {
  if (typeof v === 'number') return v * 1000;
  if (typeof v === 'string') return /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  return Number.NaN;
}

/** A timestamp within `slackMs` of now (LastAccessedDate is a day: AWS keeps only the date). */
export function expectRecent(v: unknown, what: string, slackMs = 5 * 60_000): void {
  const ms = dateMs(v);
  expect(Number.isFinite(ms), `${what} is a timestamp: ${JSON.stringify(v)}`).toBe(true);
  expect(Math.abs(ms - Date.now()), `${what} ${JSON.stringify(v)} is recent`).toBeLessThan(slackMs);
}

/**
 * Rewrites an output so that it can be compared with the one a document shows: what is random becomes a
 * placeholder numbered in order of first appearance (UUIDs, ARN suffixes), so equal ids must stay equal
 * across the outputs given to one Shapes; every `*Date` becomes `<date>` when it is a timestamp at all.
 * Key order is kept, so comparing JSON text checks it too.
 */
export class Shapes {
  private readonly names = new Map<string, string>();

  private placeholder(kind: string, value: string): string {
    const key = `${kind}:${value}`;
    let name = this.names.get(key);
    if (name === undefined) {
      name = `<${kind}#${[...this.names.keys()].filter((k) => k.startsWith(`${kind}:`)).length + 1}>`;
      this.names.set(key, name);
    }
    return name;
  }

  private str(s: string): string {
    if (UUID.test(s)) return this.placeholder('uuid', s);
    const arn = /^(arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+)-([A-Za-z0-9]{6})$/.exec(s);
    if (arn) return `${arn[1]}-${this.placeholder('suffix', arn[2]!)}`;
    return s;
  }

  shape(v: unknown, key?: string): unknown {
    if (key !== undefined && key.endsWith('Date') && Number.isFinite(dateMs(v))) return '<date>';
    if (typeof v === 'string') return this.str(v);
    if (Array.isArray(v)) return v.map((x) => this.shape(x));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.str(k), this.shape(x, k)]));
    }
    return v;
  }

  /** The shaped value as indented JSON (a readable diff when two differ). */
  text(v: unknown): string {
    return JSON.stringify(this.shape(v), null, 2);
  }
}

/** Splits output made of JSON values written one after another (several curl calls in one script). */
export function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    values.push(JSON.parse(text.slice(start, i)));
  }
  return values;
}
