import { createServer, type Server, type ServerOptions } from 'node:https';
import type { RequestListener } from 'node:http';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import type { Logger } from '../logger.js';

export interface TlsFiles {
  /** PEM: the server certificate, then any intermediates */
  readonly certFile: string;
  /** PEM, unencrypted */
  readonly keyFile: string;
}

/**
 * How often the two files are checked for a change, ms. Polled (fs.watchFile) rather than fs.watch, because
 * certificate tools (certbot, cert-manager's mounted secrets) replace files by renaming over them, which fs.watch
 * follows only until the first rename.
 */
export const CERT_POLL_MS = 1_000;
/** Wait this long after a change before reloading, ms: the certificate and its key are usually written in turn. */
export const CERT_RELOAD_DEBOUNCE_MS = 200;

/** Reads the pair and checks that the key is the certificate's (OpenSSL would otherwise serve a broken pair). */
function readPair(files: TlsFiles): { cert: Buffer; key: Buffer } {
  const cert = readFileSync(files.certFile);
  const key = readFileSync(files.keyFile);
  if (!new X509Certificate(cert).checkPrivateKey(createPrivateKey(key))) {
    throw new Error('the private key does not belong to the certificate');
  }
  return { cert, key };
}

/** An error's code and message, for the log. Neither node's file errors nor OpenSSL's quote the file's content. */
const describe = (e: unknown) => ({
  code: (e as NodeJS.ErrnoException).code,
  reason: e instanceof Error ? e.message.slice(0, 300) : String(e),
});

/**
 * An HTTPS server with the certificate and key read from files, taken up again without a restart when either
 * file changes. Only new connections see the new certificate (`setSecureContext`); open ones keep theirs. A pair
 * that fails to load (unreadable, malformed, not matching) is logged and the previous one kept. The first load
 * throws.
 */
export function createHttpsServer(
  files: TlsFiles,
  options: ServerOptions,
  listener: RequestListener,
  log: Logger,
  pollMs = CERT_POLL_MS,
): Server {
  const server = createServer({ ...options, ...readPair(files) }, listener);
  let timer: NodeJS.Timeout | undefined;
  const reload = () => {
    timer = undefined;
    try {
      server.setSecureContext(readPair(files));
      log.info('tls: certificate reloaded', { certFile: files.certFile });
    } catch (e) {
      log.warn('tls: certificate reload failed, still serving the previous one', {
        certFile: files.certFile,
        keyFile: files.keyFile,
        ...describe(e),
      });
    }
  };
  const changed = (curr: Stats, prev: Stats) => {
    // Only a new content counts: reading the files may change their access time (strictatime mounts), which would
    // otherwise reload them forever.
    if (curr.mtimeMs === prev.mtimeMs && curr.ino === prev.ino && curr.size === prev.size) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(reload, CERT_RELOAD_DEBOUNCE_MS);
    timer.unref();
  };
  // persistent: false, so that the watch alone does not keep the process alive
  watchFile(files.certFile, { interval: pollMs, persistent: false }, changed);
  watchFile(files.keyFile, { interval: pollMs, persistent: false }, changed);
  server.on('close', () => {
    unwatchFile(files.certFile, changed);
    unwatchFile(files.keyFile, changed);
    if (timer) clearTimeout(timer);
  });
  return server;
}
