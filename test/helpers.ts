import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startServer, FakeClock, type RunningServer, type ServerOptions } from '../src/index.js';

export interface TestServer {
  readonly server: RunningServer;
  readonly url: string;
  readonly clock: FakeClock;
  /** An SDK v3 client pointed at the server; the access key id picks the account when it is 12 digits. */
  client(opts?: { region?: string; accessKeyId?: string }): SecretsManagerClient;
  /** A raw AWS JSON 1.1 call, for protocol edge cases. */
  raw(target: string | undefined, body: unknown, headers?: Record<string, string>): Promise<RawResponse>;
  close(): Promise<void>;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/**
 * One server for a test file: started before its tests (`ready` receives it and an SDK client for it) and
 * closed after them.
 */
export function useTestServer(
  ready: (t: TestServer, sm: SecretsManagerClient) => void,
  options: ServerOptions = {},
): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
    ready(server, server.client());
  });
  afterAll(() => server?.close());
}

/** Starts the real server in-process on a free port, with a fake clock the test can move. */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const clock = new FakeClock(Date.UTC(2026, 0, 15, 10, 30, 0));
  const server = await startServer({ port: 0, clock, logLevel: 'silent', ...options });
  const clients: SecretsManagerClient[] = [];
  return {
    server,
    url: server.url,
    clock,
    client(opts = {}) {
      const c = new SecretsManagerClient({
        endpoint: server.url,
        region: opts.region ?? 'us-east-1',
        credentials: { accessKeyId: opts.accessKeyId ?? 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        maxAttempts: 1,
      });
      clients.push(c);
      return c;
    },
    async raw(target, body, headers = {}) {
      const res = await fetch(`${server.url}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          ...(target === undefined ? {} : { 'x-amz-target': target }),
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // not JSON (XML errors)
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async close() {
      for (const c of clients) c.destroy();
      await server.close();
    },
  };
}

/** Runs `fn`, expects an AWS error, returns it for assertions on name, message and HTTP status. */
export async function awsError(
  p: Promise<unknown>,
): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected an AWS error, the call succeeded');
}

export const uuid = () => crypto.randomUUID();
export const DAY = 86_400_000;

/**
 * The URL a spawned `secretlite` names on its startup line ("listening on http://..."); rejects when the
 * process exits before. `onStdout` sees every chunk of its standard output (for tests that keep the logs).
 */
export function listeningUrl(child: ChildProcess, onStdout?: (chunk: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      const chunk = d.toString();
      out += chunk;
      onStdout?.(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`server exited (${code ?? signal}) before listening: ${out}`)),
    );
  });
}

/**
 * The environment an AWS client process (the AWS CLI, boto3, a Node script) runs with in tests: nothing from the
 * user's AWS setup (no ~/.aws, no AWS_* variables), test credentials, us-east-1, no pager, one attempt.
 */
export function isolatedAwsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const nowhere = join(tmpdir(), `secretlite-no-such-dir-${process.pid}`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME, // pyenv shims find their Python through it
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    AWS_CONFIG_FILE: join(nowhere, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(nowhere, 'credentials'),
  };
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith('PYENV')) env[k] = v;
  return { ...env, ...extra };
}
