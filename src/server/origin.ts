import type { IncomingHttpHeaders } from 'node:http';

/*
 * Browser safety, always on. secretlite is called by SDKs, CLIs and servers, never by web pages on other origins,
 * yet it usually runs on a developer's machine where any page the browser opens can send it requests:
 *
 * - No CORS: no Access-Control-Allow-* header is ever sent, so a browser never lets another origin read an answer;
 *   a preflight (OPTIONS) is refused outright. That alone does not stop "simple" requests (a form POST, a no-cors
 *   fetch), which are sent without a preflight and still act, so a request that a browser marks as coming from
 *   another origin (Origin not our own, Sec-Fetch-Site: cross-site) is refused before it is read.
 * - DNS rebinding: a page on evil.example can make its name resolve to 127.0.0.1 and then call us as a same-origin
 *   page would. Its requests still carry `Host: evil.example`, so while we listen on loopback only loopback names
 *   are accepted. Vite's dev server added the same check in 2025 (vitejs/vite bd896fb, advisory
 *   GHSA-vg6x-rcgg-rjx6: `server.allowedHosts`, localhost and *.localhost allowed by default).
 *
 * SDKs send neither Origin nor Sec-Fetch-* and address us by the endpoint URL's host, so they are not affected.
 * The refusals are AWS-shaped (AccessDeniedException, 403) but the messages are secretlite's own [ours].
 */

export const REFUSED = {
  preflight: 'secretlite does not answer CORS preflight requests: web pages on other origins may not call it.',
  crossOrigin: 'secretlite refuses requests sent by web pages of another origin.',
  host:
    'secretlite listens on loopback and answers only requests addressed to localhost or a loopback address ' +
    '(DNS rebinding protection).',
} as const;

export interface BrowserRequest {
  readonly method?: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

export interface BrowserSafety {
  /** the server listens on a loopback address only: Host must then name loopback */
  readonly loopbackOnly: boolean;
  /** the server speaks HTTPS (the scheme a same-origin page has) */
  readonly secure: boolean;
  /**
   * More names a loopback server answers to (`--allowed-hosts`): exact host names, or `*.example` for a domain's
   * subdomains. Besides localhost and loopback addresses, `localhost.localstack.cloud` and its subdomains are
   * allowed: the LocalStack name (public DNS answers 127.0.0.1) that tools written for LocalStack use.
   */
  readonly allowedHosts?: readonly string[];
}

/** Names that resolve to loopback in public DNS and that clients of AWS emulators use [LocalStack docs]. */
const KNOWN_LOOPBACK_NAMES = ['localhost.localstack.cloud', '*.localhost.localstack.cloud'];

function listed(hostname: string, names: readonly string[]): boolean {
  return names.some((n) =>
    n.startsWith('*.') ? hostname.endsWith(n.slice(1).toLowerCase()) : hostname === n.toLowerCase(),
  );
}

/** The common Host headers, answered without parsing. */
const PLAIN_LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/;
/** What a Host header may hold (RFC 9110 section 7.2: uri-host [":" port]); '@', '/' and the like are refused. */
const HOST_SYNTAX = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * `host[:port]` as a URL parser reads it (lower case, IPv4 in dotted decimal, IPv6 compressed, the scheme's
 * default port dropped), or undefined when it is not a host.
 */
function canonicalHost(value: string, secure: boolean): URL | undefined {
  if (!HOST_SYNTAX.test(value)) return undefined;
  try {
    return new URL(`${secure ? 'https' : 'http'}://${value}`);
  } catch {
    return undefined;
  }
}

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** localhost and its subdomains (RFC 6761 section 6.3), 127.0.0.0/8, ::1. */
export function isLoopbackHostname(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || IPV4_LOOPBACK.test(hostname)
  );
}

function hostAllowed(host: string, secure: boolean, allowed: readonly string[]): boolean {
  if (PLAIN_LOOPBACK_HOST.test(host)) return true;
  const url = canonicalHost(host, secure);
  if (url === undefined) return false;
  return (
    isLoopbackHostname(url.hostname) || listed(url.hostname, KNOWN_LOOPBACK_NAMES) || listed(url.hostname, allowed)
  );
}

/** Whether the Origin header names this server's own origin (scheme and host:port, as the Host header says). */
function sameOrigin(origin: string, host: string | undefined, secure: boolean): boolean {
  if (host === undefined) return false;
  const self = canonicalHost(host, secure);
  let other: URL;
  try {
    // "null" (sandboxed frames, file: pages) does not parse: an opaque origin is never ours
    other = new URL(origin);
  } catch {
    return false;
  }
  return self !== undefined && other.protocol === self.protocol && other.host === self.host;
}

/** Why a request is refused (the message of a 403), or undefined when it may go on. */
export function browserRefusal(req: BrowserRequest, opts: BrowserSafety): string | undefined {
  const h = req.headers;
  const host = h.host;
  // HTTP/1.0 requests may come without Host; node refuses an HTTP/1.1 request without one (400).
  if (opts.loopbackOnly && host !== undefined && !hostAllowed(host, opts.secure, opts.allowedHosts ?? [])) {
    return REFUSED.host;
  }
  if (req.method === 'OPTIONS') return REFUSED.preflight;
  const origin = h.origin;
  if (origin !== undefined && !sameOrigin(origin, host, opts.secure)) return REFUSED.crossOrigin;
  // 'same-site' (another port of this host) alone is let through: a browser sends it without Origin only for
  // navigations and no-cors GETs, which the API refuses (POST only) and whose answers the page cannot read.
  if (h['sec-fetch-site'] === 'cross-site') return REFUSED.crossOrigin;
  return undefined;
}
