import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { handleApiRequest, type ApiResponse, type Services } from '../protocol/pipeline.js';
import { sign } from '../auth/sigv4.js';
import { VERSION } from '../version.js';
import { AGENT, FORWARDED_HEADER, TOKEN_HEADERS, agentUserAgent } from './strings.js';
import { agentErrorAnswer, agentSecretBody, type AgentAnswer } from './response.js';
import { agentToken } from './token.js';
import { closeGracefully, urlHost } from '../server/http.js';

/*
 * The AWS Secrets Manager Agent's local HTTP API (github.com/aws/aws-secretsmanager-agent, which also serves the
 * Lambda extension's `/secretsmanager/get`), on a port of its own, so that applications written for the agent run
 * against secretlite unchanged. Each secret request becomes a GetSecretValue call through handleApiRequest, so it is
 * validated, authorized and audited like any other. The agent's cache is not reproduced: every request reads the
 * current value, as the agent does with `ttl_seconds = 0` or `refreshNow=true` (its README, "Configure").
 * Paths below are in that repository; aws_secretsmanager_agent/src/ is abbreviated src/.
 */

/** src/constants.rs DEFAULT_MAX_CONNECTIONS (the agent's `max_conn`) */
export const AGENT_MAX_CONNECTIONS = 800;
/** src/constants.rs MAX_REQ_TIME_SEC: server.rs serve_request drops each connection after this, ms */
export const AGENT_CONNECTION_LIFETIME_MS = 61_000;
/** src/constants.rs MAX_BUF_BYTES, hyper's max_buf_size: a larger request head is refused (431) */
export const AGENT_MAX_HEAD_BYTES = (65 + 256) * 1024;
/** src/config.rs DEFAULT_PATH_PREFIX */
const PATH_PREFIX = '/v1/';
/** the agent's Lambda-extension-compatible path (server.rs get_result) */
const QUERY_PATH = '/secretsmanager/get';
/** secretlite's own cap, past the agent's 429s: more connections are closed on arrival */
const HARD_CONNECTION_CAP = 4_096;

export interface AgentOptions {
  readonly services: Services;
  readonly host: string;
  /** 0 picks a free port */
  readonly port: number;
  /** the SSRF token every request but /ping must carry (`file://PATH`: read from the file); default: the agent's */
  readonly token?: string;
  /** the Region of the calls (default: the server's) */
  readonly region?: string;
  /**
   * The access key id the calls are made with. With `--auth sigv4` a key of the credentials file, whose secret signs
   * them (its principal's policies apply); without, it only picks the account when it is 12 digits, as any key does.
   */
  readonly accessKeyId?: string;
  /** the agent's `max_conn` (default 800) */
  readonly maxConnections?: number;
}

export interface AgentServer {
  readonly url: string;
  readonly port: number;
  /** stops accepting; open connections get `graceMs` to finish */
  close(graceMs: number): Promise<void>;
}

/** Per connection: the agent's request count at accept (server.rs serve_request, Arc::strong_count). */
const COUNT = Symbol('agentCount');
type CountedSocket = Socket & { [COUNT]?: number };

export async function startAgentServer(opts: AgentOptions): Promise<AgentServer> {
  // the agent does not start without its token (src/main.rs init)
  const token = Buffer.from(agentToken(opts.token), 'utf8');
  const auth = opts.services.auth;
  if (auth) {
    if (opts.accessKeyId === undefined) throw new Error(AGENT.accessKeyNeeded);
    if (!auth.credentials.keys.has(opts.accessKeyId)) throw new Error(AGENT.unknownAccessKey(opts.accessKeyId));
  }
  const maxConn = opts.maxConnections ?? AGENT_MAX_CONNECTIONS;
  let open = 0;
  const server: Server = createServer(
    {
      maxHeaderSize: AGENT_MAX_HEAD_BYTES,
      // hyper's http1 connections have no idle timeout of their own (only the lifetime below ends them), and no
      // Keep-Alive header: node sends neither when this is 0
      keepAliveTimeout: 0,
      headersTimeout: AGENT_CONNECTION_LIFETIME_MS,
      requestTimeout: AGENT_CONNECTION_LIFETIME_MS,
    },
    (req, res) => onRequest(req, res, opts, token, maxConn),
  );
  server.maxConnections = HARD_CONNECTION_CAP;
  server.on('connection', (socket: CountedSocket) => {
    // the agent's count: its own server reference, the connections being served and this one (its clone)
    open++;
    socket[COUNT] = open + 1;
    const cut = setTimeout(() => socket.destroy(), AGENT_CONNECTION_LIFETIME_MS);
    cut.unref();
    socket.once('close', () => {
      open--;
      clearTimeout(cut);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(opts.host)}:${port}`,
    port,
    close: (graceMs) => closeGracefully(server, graceMs),
  };
}

/** The first value of a header (hyper's `headers[name]`), or undefined when absent; `name` lower case. */
function firstHeader(raw: readonly string[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) return raw[i + 1];
  return undefined;
}

/** Whether one of the token headers, checked in order, holds the token (server.rs validate_token). */
function tokenMatches(raw: readonly string[], token: Buffer): boolean {
  for (const name of TOKEN_HEADERS) {
    const v = firstHeader(raw, name);
    if (v === undefined) continue;
    // node reads header bytes as latin1; hyper compares the bytes
    const got = Buffer.from(v, 'latin1');
    if (got.length === token.length && timingSafeEqual(got, token)) return true;
  }
  return false;
}

function send(res: ServerResponse, a: AgentAnswer): void {
  // hyper's Response::builder: no Content-Type, whatever the body
  res.writeHead(a.status, { 'content-length': String(Buffer.byteLength(a.body)) });
  res.end(a.body);
}

const text = (status: number, body: string): AgentAnswer => ({ status, body });

/** server.rs get_result, in its order: connection limit, token, method, then the path. */
function onRequest(req: IncomingMessage, res: ServerResponse, opts: AgentOptions, token: Buffer, max: number): void {
  req.resume(); // a body is never read
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const ping = path === '/ping';
  // validate_max_conn: "allow 2 extra health check conns" (the count includes the agent's own reference)
  const count = (req.socket as CountedSocket)[COUNT] ?? 0;
  if (count > (ping ? max + 3 : max + 1)) return send(res, text(429, AGENT.connectionLimit));
  if (!ping) {
    const raw = req.rawHeaders;
    if (firstHeader(raw, FORWARDED_HEADER) !== undefined) {
      opts.services.log.warn('agent endpoint: rejecting a request with X-Forwarded-For');
      return send(res, text(400, AGENT.forwarded));
    }
    if (!tokenMatches(raw, token)) {
      opts.services.log.warn('agent endpoint: rejecting a request with a missing or incorrect SSRF token');
      return send(res, text(403, AGENT.badToken));
    }
  }
  if (req.method !== 'GET') return send(res, text(405, AGENT.notAllowed));
  if (ping) return send(res, text(200, AGENT.healthy));
  let query: Query | AgentAnswer;
  if (path === QUERY_PATH) query = parseQuery(url, false);
  else if (path.startsWith(PATH_PREFIX)) query = parseQuery(url, true);
  else return send(res, text(404, AGENT.notFound));
  if ('status' in query) return send(res, query);
  let out: ApiResponse | Promise<ApiResponse>;
  try {
    out = getSecretValue(query, req, opts);
  } catch {
    // cache_manager.rs int_err: anything but a Secrets Manager error
    return send(res, { status: 500, body: AGENT.internalFailure });
  }
  if (out instanceof Promise) {
    out.then(
      (r) => send(res, answer(r)),
      () => send(res, { status: 500, body: AGENT.internalFailure }),
    );
  } else send(res, answer(out));
}

interface Query {
  readonly secretId: string;
  readonly versionId?: string;
  readonly versionStage?: string;
}

/**
 * src/parse.rs GSVQuery::try_from_query / try_from_path_query. The agent parses `http://localhost` + the request
 * target with the url crate, which implements the WHATWG URL standard as node's URL does: the same path
 * normalization (dot segments, percent-encoding), and query pairs decoded as form data (`+` is a space). A path
 * style secret id is the normalized path after the prefix, not percent-decoded (`url.path()`). Pairs are taken in
 * order: the first unknown name or bad refreshNow is the error; a repeated name keeps its last value.
 */
function parseQuery(target: string, pathStyle: boolean): Query | AgentAnswer {
  let url: URL;
  try {
    url = new URL(`http://localhost${target}`);
  } catch (e) {
    // error.rs: a url::ParseError is a 400 with its text (not reached by a target that starts with '/')
    return text(400, (e as Error).message);
  }
  let secretId = '';
  if (pathStyle) {
    secretId = url.pathname.slice(PATH_PREFIX.length);
    if (secretId === '') return text(400, AGENT.missingSecretIdPath);
  }
  let versionId: string | undefined;
  let versionStage: string | undefined;
  for (const [k, v] of url.searchParams) {
    if (k === 'secretId' && !pathStyle) secretId = v;
    else if (k === 'versionId') versionId = v;
    else if (k === 'versionStage') versionStage = v;
    else if (k === 'refreshNow') {
      // accepted and checked; there is no cache to bypass
      if (!['true', '1', 'false', '0'].includes(v.toLowerCase())) return text(400, AGENT.invalidRefreshNow);
    } else return text(400, AGENT.unknownParameter(k));
  }
  if (secretId === '') return text(400, AGENT.missingSecretIdParameter);
  return { secretId, versionId, versionStage };
}

/** The GetSecretValue call the agent's SDK makes (Some("") included: Secrets Manager judges it). */
function getSecretValue(q: Query, req: IncomingMessage, opts: AgentOptions): ApiResponse | Promise<ApiResponse> {
  const input: Record<string, string> = { SecretId: q.secretId };
  if (q.versionId !== undefined) input.VersionId = q.versionId;
  if (q.versionStage !== undefined) input.VersionStage = q.versionStage;
  const body = JSON.stringify(input);
  let headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'secretsmanager.GetSecretValue',
    'user-agent': agentUserAgent(VERSION),
  };
  const svc = opts.services;
  const region = opts.region ?? svc.defaults.region;
  if (svc.auth || opts.accessKeyId !== undefined || opts.region !== undefined) {
    // signed by the key's secret with --auth (an unknown key, removed from the file since, gets the API's error);
    // otherwise the signature only carries the access key id and the Region, as any unchecked caller's does
    const entry = opts.accessKeyId === undefined ? undefined : svc.auth?.credentials.keys.get(opts.accessKeyId);
    headers = sign({
      method: 'POST',
      url: new URL('http://secretlite-agent/'),
      headers,
      body,
      region,
      service: 'secretsmanager',
      credentials: {
        accessKeyId: opts.accessKeyId ?? 'AKIDSECRETLITEAGENT',
        secretAccessKey: entry?.secretAccessKey ?? '',
        sessionToken: entry?.sessionToken,
      },
      // signatures are checked against the system clock (auth.ts verify), whatever the server's clock says
      now: Date.now(),
    });
  }
  return handleApiRequest(
    {
      method: 'POST',
      path: '/',
      query: '',
      headers,
      body: Buffer.from(body),
      sourceIp: req.socket.remoteAddress,
      secure: false,
    },
    svc,
  );
}

function answer(r: ApiResponse): AgentAnswer {
  const json = typeof r.body === 'string' ? r.body : r.body.text;
  return r.status === 200 ? { status: 200, body: agentSecretBody(json) } : agentErrorAnswer(r.status, json);
}
