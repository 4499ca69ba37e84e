import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Route, RouteRequest, RouteResponse } from './http.js';

/*
 * The web console's static files (src/ui, bundled into dist/ui by scripts/bundle.mjs), at /_secretlite/ui/ on the
 * API's port. Only files: the console calls the AWS API at `/` like any SDK, signed, so validation, access checks
 * and the audit log apply to it. The page may run only its own script and style sheet and talk only to this
 * origin (the Content-Security-Policy below); the server refuses other origins' requests (server/origin.ts).
 */

export const UI_PATH = '/_secretlite/ui';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** Sent with every answer of the route, errors and redirects included. */
export const UI_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** A file name the console ships: no directories, no dot files. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.([a-z]+)$/;

interface Asset {
  readonly mtimeMs: number;
  readonly size: number;
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly etag: string;
}

const text = (status: number, body: string, headers: Record<string, string> = {}): RouteResponse => ({
  status,
  headers: { ...UI_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body,
});

/**
 * The route serving the console from `dir` (dist/ui). GET and HEAD; ETag revalidation (`no-cache`: the names are
 * not content-hashed, so a browser asks each time and gets 304 while nothing changed); gzip when accepted. A file
 * is re-read when its size or time changes (a rebuild while the server runs).
 */
export function uiRoute(dir: URL | string): Route {
  const root = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const cache = new Map<string, Asset>();

  const load = (name: string, ext: string): Asset | undefined => {
    const type = TYPES[ext];
    if (type === undefined) return undefined;
    const path = join(root, name);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    const cached = cache.get(name);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
    const body = readFileSync(path);
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
    const asset = { mtimeMs: stat.mtimeMs, size: stat.size, type, body, gzip: gzipSync(body), etag: `"${hash}"` };
    cache.set(name, asset);
    return asset;
  };

  return {
    handles: (path) => path === UI_PATH || path.startsWith(`${UI_PATH}/`),
    maxBodyBytes: 1024,
    async handle(req: RouteRequest): Promise<RouteResponse> {
      if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'Use GET.', { allow: 'GET, HEAD' });
      // the page's relative URLs (console.js) need the trailing slash
      if (req.path === UI_PATH) {
        const location = `${UI_PATH}/${req.rawQuery ? `?${req.rawQuery}` : ''}`;
        return text(308, `The console is at ${UI_PATH}/`, { location });
      }
      const name = req.path.slice(UI_PATH.length + 1) || 'index.html';
      const m = FILE_NAME.exec(name);
      const asset = m ? load(name, m[1]!) : undefined;
      if (!asset) {
        if (name === 'index.html') {
          return text(404, 'The console is not built: run `npm run build` (or `node scripts/bundle.mjs --ui`).');
        }
        return text(404, 'Not found.');
      }
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const etag = gzip ? `${asset.etag.slice(0, -1)}-gz"` : asset.etag;
      const headers: Record<string, string> = {
        ...UI_HEADERS,
        'content-type': asset.type,
        'cache-control': 'no-cache',
        etag,
        vary: 'Accept-Encoding',
      };
      const match = String(req.headers['if-none-match'] ?? '');
      if (match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        return { status: 304, headers, body: '' };
      }
      if (gzip) headers['content-encoding'] = 'gzip';
      return { status: 200, headers, body: gzip ? asset.gzip : asset.body };
    },
  };
}
