import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  errorResponse,
  handleApiRequest,
  nextRequestId,
  type ApiResponse,
  type Services,
} from '../protocol/pipeline.js';
import { InternalServiceError, ServiceError } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { VERSION } from '../version.js';
import type { JsonList } from '../protocol/JsonList.js';
import { ListBodyWriter } from './listBody.js';
import { browserRefusal } from './origin.js';
import { createHttpsServer, type TlsFiles } from './tls.js';

/**
 * Largest request accepted, bytes. The largest legitimate body is a 65,536-character SecretString sent
 * as JSON \u escapes (12 bytes per astral character as a surrogate pair: about 786 KB); 1 MiB covers it.
 */
export const MAX_BODY_BYTES = 1_048_576;
/** A client must send its headers within this (slowloris), ms. Node answers 408 and closes. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** ...and its whole request within this, ms. */
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * An idle keep-alive connection is closed after this, ms. Long, as load balancers in front of AWS APIs keep
 * them (60 s): SDK clients pool sockets without an idle timeout of their own, and a socket the server closes
 * just as a client reuses it fails that request with ECONNRESET.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 60_000;
/** Connections served at once; more are closed on arrival. */
export const MAX_CONNECTIONS = 4_096;

export interface HttpLimits {
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  maxConnections?: number;
}

/** A response of a route outside the Secrets Manager API (the clock endpoint, the Lambda API). */
export interface RouteResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
}

export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  /** the header lines and the query as they arrived (SigV4 signs them) */
  readonly rawHeaders: readonly string[];
  readonly rawQuery: string;
}

/** Paths served beside the API on the same port; `handles` decides by the path alone, before the body is read. */
export interface Route {
  handles(path: string): boolean;
  /** the largest body this route reads (default MAX_BODY_BYTES) */
  readonly maxBodyBytes?: number;
  handle(req: RouteRequest): Promise<RouteResponse>;
}

export interface HttpOptions {
  readonly services: Services;
  readonly startedAt: number;
  readonly limits?: HttpLimits;
  readonly routes?: readonly Route[];
  /** serve HTTPS with this certificate and key, reloaded when the files change (server/tls.ts) */
  readonly tls?: TlsFiles;
  /**
   * The server listens on a loopback address only: requests must then name a loopback host (DNS rebinding,
   * server/origin.ts). Default false.
   */
  readonly loopbackOnly?: boolean;
  /** more host names a loopback server answers to (see server/origin.ts) */
  readonly allowedHosts?: readonly string[];
}

/**
 * The Date header AWS sends (SDKs correct clock skew from it) is node's own (`sendDate`, on by default: formatted
 * once per second, and not checked as a header we set would be).
 *
 * A large body names its encoding ('ascii' when 7-bit, else 'utf-8'), so that node writes the header and the
 * body as two chunks instead of joining them into one more string; a small body is cheaper joined (CONTRIBUTING,
 * "Performance").
 */
function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | JsonList): void {
  if (typeof body !== 'string') {
    sendList(res, status, headers, body);
    return;
  }
  const bytes = Buffer.byteLength(body);
  headers['content-length'] = String(bytes);
  res.writeHead(status, headers);
  if (bytes < LARGE_BODY_BYTES) res.end(body);
  else res.end(body, bytes === body.length ? 'ascii' : 'utf-8');
}

/** From this size on, a string body is written as a chunk of its own (see send). */
const LARGE_BODY_BYTES = 8_192;

/**
 * One writer for the process: each body is made and handed to its socket before the next one is made
 * (single-threaded), and memory a socket still needs is never written again (see ListBodyWriter).
 */
const lists = new ListBodyWriter();

function sendList(res: ServerResponse, status: number, headers: Record<string, string>, list: JsonList): void {
  const bytes = lists.encode(list);
  headers['content-length'] = String(bytes.length);
  res.writeHead(status, headers);
  res.end(bytes);
  // Nothing left in the response or its socket: the kernel took every byte. Otherwise (a slow reader, a
  // pipelined request still waiting for its turn, a closed socket) the bytes may still be read from `bytes`.
  lists.written(res.writableLength === 0);
}

async function health(res: ServerResponse, opts: HttpOptions): Promise<void> {
  const stats = await opts.services.store.stats();
  send(
    res,
    200,
    { 'content-type': 'application/json' },
    JSON.stringify({
      status: 'ok',
      service: 'secretlite',
      version: VERSION,
      uptimeSeconds: Math.round((Date.now() - opts.startedAt) / 1000),
      store: opts.services.store.kind,
      schemaVersion: opts.services.store.schemaVersion,
      secrets: stats.secrets,
      scopes: stats.scopes,
    }),
  );
}

/** LocalStack's health path, which tools written for LocalStack wait on (testcontainers, CI scripts, awslocal). */
const LOCALSTACK_HEALTH = '/_localstack/health';

/**
 * The same in LocalStack's shape [LocalStack docs: "Internal endpoints", GET /_localstack/health]: `services` maps
 * each service to `running` (started), `available` (would start on demand) or `disabled`; `edition` and `version`.
 * secretlite serves Secrets Manager and STS, the Lambda API when it is on, and CloudTrail's LookupEvents.
 */
function localstackHealth(opts: HttpOptions): string {
  const services: Record<string, string> = { secretsmanager: 'running', sts: 'running' };
  if (opts.routes?.some((r) => r.handles('/2015-03-31/functions'))) services.lambda = 'running';
  if (opts.services.audit) services.cloudtrail = 'running';
  return JSON.stringify({ services, edition: 'community', version: `secretlite-${VERSION}` });
}

/**
 * Refuses, before anything else and on every path, what a browser sends from another origin or through DNS
 * rebinding (server/origin.ts); then reads the body (up to MAX_BODY_BYTES) and hands it on; a larger one is
 * refused with 413 and not read further.
 */
function onRequest(req: IncomingMessage, res: ServerResponse, opts: HttpOptions): void {
  const refused = browserRefusal(req, {
    loopbackOnly: opts.loopbackOnly ?? false,
    secure: opts.tls !== undefined,
    allowedHosts: opts.allowedHosts,
  });
  if (refused !== undefined) {
    refuse(req, res, new ServiceError('AccessDeniedException', refused, 403));
    return;
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path === LOCALSTACK_HEALTH) {
    send(res, 200, { 'content-type': 'application/json' }, localstackHealth(opts));
    return;
  }
  if (path === '/_secretlite/health') {
    health(res, opts).catch(() => fail(res));
    return;
  }
  const route = opts.routes?.find((r) => r.handles(path));
  const maxBytes = route?.maxBodyBytes ?? MAX_BODY_BYTES;
  if (Number(req.headers['content-length']) > maxBytes) {
    tooLarge(req, res);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      req.off('data', onData);
      req.off('end', onEnd);
      tooLarge(req, res);
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => {
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    if (route) {
      const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
      route
        .handle({
          method: req.method ?? 'GET',
          path,
          query,
          headers: req.headers,
          body,
          rawHeaders: req.rawHeaders,
          rawQuery: q < 0 ? '' : url.slice(q + 1),
        })
        .then((out) => {
          const headers: Record<string, string> = {};
          // never CORS (server/origin.ts), whatever a route says
          for (const [k, v] of Object.entries(out.headers)) if (!/^access-control-/i.test(k)) headers[k] = v;
          headers['content-length'] = String(Buffer.byteLength(out.body));
          res.writeHead(out.status, headers);
          res.end(out.body);
        })
        .catch(() => fail(res));
      return;
    }
    try {
      answer(req, res, opts, q < 0 ? '' : url.slice(q + 1), body);
    } catch {
      fail(res);
    }
  };
  req.on('data', onData);
  req.on('end', onEnd);
}

function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  refuse(req, res, new ServiceError('SerializationException', MSG.bodyTooLarge, 413));
}

/** Answers `err` and closes the connection: the body, if any, is not read. */
function refuse(req: IncomingMessage, res: ServerResponse, err: ServiceError): void {
  res.setHeader('connection', 'close');
  sendError(res, err);
  res.on('finish', () => req.destroy());
}

function fail(res: ServerResponse): void {
  if (!res.headersSent) sendError(res, InternalServiceError(MSG.internalError));
  else res.destroy();
}

/** An error outside the pipeline (body too large, a failure while answering), in the pipeline's one format. */
function sendError(res: ServerResponse, err: ServiceError): void {
  const r = errorResponse(nextRequestId(), err);
  send(res, r.status, r.headers, r.body);
}

/** Answers directly when the pipeline did (no I/O on the way), else when its promise settles. */
function answer(req: IncomingMessage, res: ServerResponse, opts: HttpOptions, query: string, body: Buffer): void {
  const started = opts.services.log.level === 'debug' ? performance.now() : 0;
  const out = handleApiRequest(
    {
      method: req.method ?? 'GET',
      path: pathOf(req.url),
      query,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: req.socket.remoteAddress,
      secure: 'encrypted' in req.socket && req.socket.encrypted === true,
    },
    opts.services,
  );
  if (out instanceof Promise) out.then((o) => reply(req, res, opts, o, started)).catch(() => fail(res));
  else reply(req, res, opts, out, started);
}

const pathOf = (url: string | undefined): string => {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
};

function reply(req: IncomingMessage, res: ServerResponse, opts: HttpOptions, out: ApiResponse, started: number): void {
  send(res, out.status, out.headers, out.body);
  const log = opts.services.log;
  if (log.level === 'debug') {
    log.debug('request', {
      method: req.method,
      operation: out.operation,
      status: out.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
    });
  }
}

export function createHttpServer(opts: HttpOptions): Server {
  const headersTimeout = opts.limits?.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeout = opts.limits?.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const options = {
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: opts.limits?.keepAliveTimeoutMs ?? KEEP_ALIVE_TIMEOUT_MS,
    // Node checks the two timeouts on this interval (default 30 s, longer than the timeouts themselves).
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(headersTimeout / 4))),
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => onRequest(req, res, opts);
  const server: Server = opts.tls
    ? // A TLS handshake gets the time the headers get (node's default is 120 s: slowloris before the headers).
      createHttpsServer(opts.tls, { ...options, handshakeTimeout: headersTimeout }, listener, opts.services.log)
    : createServer(options, listener);
  server.maxConnections = opts.limits?.maxConnections ?? MAX_CONNECTIONS;
  return server;
}

/**
 * Stops accepting, lets requests in flight finish, and cuts the connections still open after `graceMs`; keep-alive
 * connections whose request finishes meanwhile are closed as soon as they are idle.
 */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(cut);
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** A host as it is written in a URL (an IPv6 address in brackets). */
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);
