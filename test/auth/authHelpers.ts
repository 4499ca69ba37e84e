import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SignatureV4 } from '@smithy/signature-v4';
import { startServer, type RunningServer, type ServerOptions } from '../../src/index.js';

/** node:crypto as the SDK's Checksum (what @smithy/hash-node does), for the SDK's own signer in tests. */
export class Sha256 {
  readonly #h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#h.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#h.digest()));
  }
}

const bytes = (d: string | ArrayBuffer | ArrayBufferView): string | Buffer =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? Buffer.from(d)
      : Buffer.from(d.buffer, d.byteOffset, d.byteLength);

export interface Key {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export const ALICE: Key = { accessKeyId: 'AKIAEXAMPLEALICE', secretAccessKey: 'alice-secret-key-0123456789' };
export const BOB: Key = { accessKeyId: 'AKIAEXAMPLEBOB01', secretAccessKey: 'bob-secret-key-0123456789' };
export const CAROL: Key = { accessKeyId: 'AKIAEXAMPLECAROL', secretAccessKey: 'carol-secret-key-0123456789' };

export function writeCredentials(doc: unknown, name = 'credentials.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'secretlite-auth-'));
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return path;
}

export async function startAuthServer(credentialsPath: string, options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    logLevel: 'silent',
    auth: 'sigv4',
    credentials: credentialsPath,
    credentialsPollMs: 50,
    ...options,
  });
}

export function client(url: string, key: Key, region = 'us-east-1'): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint: url, region, credentials: key, maxAttempts: 1 });
}

/** A request signed by the SDK's own signer (header form, or presigned query form), sent with fetch. */
export async function signedFetch(
  url: string,
  key: Key,
  target: string,
  body: unknown,
  opts: { presign?: boolean; service?: string; region?: string; date?: Date; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const u = new URL(url);
  const signer = new SignatureV4({
    credentials: key,
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'secretsmanager',
    sha256: Sha256,
  });
  const text = JSON.stringify(body);
  const request = {
    method: 'POST',
    protocol: u.protocol,
    hostname: u.hostname,
    port: Number(u.port),
    path: '/',
    query: {} as Record<string, string>,
    headers: {
      host: u.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      ...opts.headers,
    } as Record<string, string>,
    body: text,
  };
  const signed = opts.presign
    ? await signer.presign(request, {
        signingDate: opts.date,
        expiresIn: 300,
        // the target stays a header: the presigner would move every x-amz-* header into the query
        unhoistableHeaders: new Set(['x-amz-target']),
      })
    : await signer.sign(request, { signingDate: opts.date });
  const qs = new URLSearchParams(signed.query as Record<string, string>).toString();
  const headers = { ...signed.headers };
  delete headers.host;
  const res = await fetch(`${url}/${qs ? `?${qs}` : ''}`, { method: 'POST', headers, body: text });
  const out = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(out) as Record<string, unknown>;
  } catch {
    // XML
  }
  return { status: res.status, json, text: out };
}

/** The error an SDK call failed with: its code and message. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}
