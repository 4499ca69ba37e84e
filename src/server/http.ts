import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleApiRequest, type Services } from '../protocol/pipeline.js';
import { VERSION } from '../version.js';

/**
 * Largest request accepted, bytes. The largest legitimate body is a 65,536-character SecretString sent
 * as JSON \u escapes (12 bytes per astral character as a surrogate pair: about 786 KB); 1 MiB covers it.
 */
export const MAX_BODY_BYTES = 1_048_576;
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
export const MAX_CONNECTIONS = 4_096;

export interface HttpOptions {
  readonly services: Services;
  readonly startedAt: number;
}

let dateSecond = 0;
let dateText = '';
/** The Date header AWS sends (SDKs correct clock skew from it), formatted once per second. */
function httpDate(): string {
  const now = Date.now();
  const second = now - (now % 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second).toUTCString();
  }
  return dateText;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  headers['content-length'] = String(Buffer.byteLength(body));
  headers.date = httpDate();
  res.writeHead(status, headers);
  res.end(body);
}

async function health(res: ServerResponse, opts: HttpOptions): Promise<void> {
  const stats = await opts.services.store.stats();
  send(res, 200, { 'content-type': 'application/json' }, JSON.stringify({
    status: 'ok',
    service: 'secretlite',
    version: VERSION,
    uptimeSeconds: Math.round((Date.now() - opts.startedAt) / 1000),
    store: opts.services.store.kind,
    schemaVersion: opts.services.store.schemaVersion,
    secrets: stats.secrets,
    scopes: stats.scopes,
  }));
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_BODY_BYTES) {
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function onRequest(req: IncomingMessage, res: ServerResponse, opts: HttpOptions): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path === '/_secretlite/health') {
    await health(res, opts);
    return;
  }
  const body = await readBody(req);
  if (body === 'too-large') {
    // Answer and close: the rest of the body is not read.
    res.setHeader('connection', 'close');
    send(res, 413, { 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify({ __type: 'SerializationException', Message: 'Request body too large.' }));
    res.on('finish', () => req.destroy());
    return;
  }
  const started = performance.now();
  const out = await handleApiRequest({ method: req.method ?? 'GET', query: q < 0 ? '' : url.slice(q + 1), headers: req.headers, body }, opts.services);
  send(res, out.status, out.headers, out.body);
  const log = opts.services.log;
  if (log.level === 'debug') {
    log.debug('request', { method: req.method, operation: out.operation, status: out.status, ms: Math.round((performance.now() - started) * 100) / 100 });
  }
}

export function createHttpServer(opts: HttpOptions): Server {
  const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
    onRequest(req, res, opts).catch(() => {
      if (!res.headersSent) send(res, 500, { 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify({ __type: 'InternalServiceError', Message: 'An internal error occurred.' }));
      else res.destroy();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  return server;
}
