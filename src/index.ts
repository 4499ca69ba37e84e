import type { AddressInfo } from 'node:net';
import { createHttpServer, type HttpLimits } from './server/http.js';
import { systemClock, type Clock } from './clock.js';
import { cryptoRandom, type Random } from './random.js';
import type { Store } from './store/Store.js';
import { DEFAULTS } from './config.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { startJobs } from './jobs/runner.js';
import { purgeJob } from './jobs/purge.js';
import { openStore, type StoreConfig } from './store/open.js';

export { FakeClock, systemClock, type Clock } from './clock.js';
export { MemoryStore } from './store/memory.js';
export type { Store } from './store/Store.js';
export { VERSION } from './version.js';
export { limitHeapGrowth, DEFAULT_HEAP_GROWTH_PERCENT } from './server/heap.js';

/** In-flight requests get this long to finish when the server closes, ms; then their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface ServerOptions extends StoreConfig, HttpLimits {
  host?: string;
  /** 0 (the default here) picks a free port */
  port?: number;
  accountId?: string;
  region?: string;
  clock?: Clock;
  random?: Random;
  store?: Store;
  logLevel?: LogLevel;
  logger?: Logger;
  purgeIntervalMs?: number;
  shutdownGraceMs?: number;
  /** answer exactly as AWS does where the emulator default is more lenient (see compat.ts) */
  strictAws?: boolean;
}

export interface RunningServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly store: Store;
  /**
   * Runs the background jobs now instead of waiting for the timer (today the purge of secrets whose recovery
   * window has passed); how many secrets they changed.
   */
  purgeNow(): Promise<number>;
  close(): Promise<void>;
}

/** Starts secretlite in-process, for test suites: `const { url, close } = await startServer()`. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULTS.host;
  // A given store, else the backend the options name (SQLite with dataDir, PostgreSQL with databaseUrl), else memory.
  const store = options.store ?? (await openStore(options)).store;
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? createLogger(options.logLevel ?? 'warn');
  const services = {
    store,
    clock,
    random: options.random ?? cryptoRandom,
    defaults: { accountId: options.accountId ?? DEFAULTS.accountId, region: options.region ?? DEFAULTS.region },
    log,
    strictAws: options.strictAws ?? DEFAULTS.strictAws,
  };
  const server = createHttpServer({ services, startedAt: Date.now(), limits: options });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    if (!options.store) await store.close();
    throw e;
  }
  const jobs = startJobs(store, clock, [purgeJob(store)], options.purgeIntervalMs ?? DEFAULTS.purgeIntervalMs, log);
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    store,
    purgeNow: () => jobs.runOnce(),
    close() {
      // Stop accepting, let in-flight requests finish (bounded), then flush and close the store.
      closing ??= (async () => {
        jobs.stop();
        await new Promise<void>((resolve) => {
          const cut = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS);
          // keep-alive connections whose request finishes after close() are closed as soon as they are idle
          const idle = setInterval(() => server.closeIdleConnections(), 50);
          server.close(() => {
            clearTimeout(cut);
            clearInterval(idle);
            resolve();
          });
          server.closeIdleConnections();
        });
        await store.close();
      })();
      return closing;
    },
  };
}
