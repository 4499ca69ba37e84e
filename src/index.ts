import type { AddressInfo } from 'node:net';
import { closeGracefully, createHttpServer, urlHost, type HttpLimits } from './server/http.js';
import { AdjustableClock, isSettable, type Clock, type SettableClock } from './clock.js';
import { cryptoRandom, type Random } from './random.js';
import type { Store } from './store/Store.js';
import { DEFAULTS } from './config.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { startJobs } from './jobs/runner.js';
import { purgeJob } from './jobs/purge.js';
import { rotateJob } from './jobs/rotate.js';
import { RotationEngine } from './rotation/engine.js';
import { externalLambdaHost } from './rotation/external.js';
import type { FunctionHost } from './rotation/functions.js';
import { clockRoute } from './server/control.js';
import { MemoryFunctionStore } from './lambda/functions.js';
import { FunctionRuntime } from './lambda/runtime.js';
import { localFunctionHost } from './lambda/host.js';
import { lambdaApi } from './lambda/api.js';
import type { Route } from './server/http.js';
import { uiRoute } from './server/ui.js';
import { openStore, type StoreConfig } from './store/open.js';
import { Authenticator } from './auth/auth.js';
import { applySeed, checkSeed, readSeedFile, type Seed } from './seed/seed.js';
import { pipelineCall } from './seed/call.js';
import { Throttle } from './server/throttle.js';
import { AuditLog } from './audit/log.js';
import type { RotationEvent } from './rotation/engine.js';
import { startAgentServer, type AgentServer } from './agent/agent.js';

/** Rotation progress as the audit log's service events [doc: Secrets Manager CloudTrail log entries]. */
function rotationEvents(audit: AuditLog, clock: Clock): (e: RotationEvent) => void {
  return (e) =>
    audit.recordServiceEvent({
      time: clock.now(),
      accountId: e.scope.accountId,
      region: e.scope.region,
      eventName: e.eventName,
      secretArn: e.arn,
      details: e.step ? { versionId: e.token, step: e.step } : { versionId: e.token },
      errorMessage: e.errorMessage,
      requestId: `Rotation-${e.arn}-${e.token}`,
    });
}

function requireCredentials(path: string | undefined): string {
  if (!path) throw new Error("auth 'sigv4' needs a credentials file (options.credentials, --credentials)");
  return path;
}

export { AdjustableClock, FakeClock, systemClock, type Clock, type SettableClock } from './clock.js';
export { MemoryStore } from './store/memory.js';
export type { Store } from './store/Store.js';
export { VERSION } from './version.js';
export { parseSeed, type Seed, type SeedSecret } from './seed/seed.js';
export { limitHeapGrowth, keepShortLivedYoung, DEFAULT_HEAP_GROWTH_PERCENT } from './server/heap.js';

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
  /**
   * Secrets to start with: a seed file's path (JSON or YAML) or its content (README "Seeding"). Applied before the
   * server listens, through the same API calls a client makes; idempotent across restarts.
   */
  seed?: string | Seed;
  /** told how many secrets of the seed are applied, as it goes (the CLI draws a progress bar) */
  onSeedProgress?: (done: number, total: number) => void;
  shutdownGraceMs?: number;
  /** answer exactly as AWS does where the emulator default is more lenient (see compat.ts) */
  strictAws?: boolean;
  /** an external Lambda-API endpoint where rotation functions are invoked */
  lambdaEndpoint?: string;
  /** more places rotation functions are looked for (tests, embedders) */
  functionHosts?: readonly FunctionHost[];
  /**
   * Serve the Lambda API (functions run as local processes): by default only while listening on loopback, since
   * whoever can reach it can run code on this machine.
   */
  lambdaApi?: boolean;
  /**
   * 'sigv4': every request must be signed by a key of the credentials file, and its principal's IAM policies and
   * the secrets' resource policies decide what it may do (README "Security").
   */
  auth?: 'none' | 'sigv4';
  /**
   * AWS's per-operation request quotas (token buckets per account and Region): ThrottlingException "Rate exceeded".
   * `{ scale }` multiplies every rate (tests: 0.01 reaches a limit in a few calls).
   */
  throttle?: boolean | { scale?: number };
  /**
   * Host names a server on loopback answers to besides localhost and loopback addresses (DNS-rebinding protection
   * refuses others): exact names or `*.domain`.
   */
  allowedHosts?: readonly string[];
  /** the audit log: one CloudTrail record per call and service event, hash-chained JSON lines (README "Security") */
  audit?: string;
  /** the credentials file of `auth: 'sigv4'` (JSON or YAML), re-read when it changes */
  credentials?: string;
  /** how often the credentials file is checked for changes, ms (default 500) */
  credentialsPollMs?: number;
  /** serve HTTPS with this PEM certificate and key, reloaded when either file changes */
  tls?: { certFile: string; keyFile: string };
  /**
   * Serve the AWS Secrets Manager Agent's HTTP API on this port too, on `host` (0 picks a free one; the agent's is
   * 2773): README "Secrets Manager Agent endpoint".
   */
  agentPort?: number;
  /**
   * Its SSRF token (`file://PATH`: read from that file); default: AWS_TOKEN, AWS_SESSION_TOKEN,
   * AWS_CONTAINER_AUTHORIZATION_TOKEN, the first set, as the agent reads it.
   */
  agentToken?: string;
  /** the Region of its calls (default `region`) */
  agentRegion?: string;
  /** the access key id of its calls; with `auth: 'sigv4'` required, a key of the credentials file */
  agentAccessKey?: string;
}

export interface RunningServer {
  readonly url: string;
  /** the Secrets Manager Agent endpoint's URL, with `agentPort` */
  readonly agentUrl?: string;
  readonly host: string;
  readonly port: number;
  readonly store: Store;
  /** The server's clock: move it (set, advance) to test what happens days later. */
  readonly clock: Clock;
  /**
   * Runs the background jobs now instead of waiting for the timer (purges of secrets whose recovery window has
   * passed, due rotations), and waits for the rotations they started; how many secrets they changed.
   */
  runJobs(): Promise<number>;
  /** the same as runJobs (its first name) */
  purgeNow(): Promise<number>;
  /** Resolves when every rotation running now has ended (its steps run after RotateSecret answers). */
  rotationsIdle(): Promise<void>;
  /**
   * Empties every account and Region (secrets, their versions, Lambda functions) at once, for test suites between
   * tests; the clock stays where it is (`clock.set` moves it).
   */
  reset(options?: {
    /** apply the seed the server started with again, once emptied */
    reseed?: boolean;
  }): Promise<void>;
  close(): Promise<void>;
}

/** Addresses the clock endpoint (and other test controls) are served on: loopback only. */
const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Starts secretlite in-process, for test suites: `const { url, close } = await startServer()`. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULTS.host;
  const clock = options.clock ?? new AdjustableClock();
  const log = options.logger ?? createLogger(options.logLevel ?? 'warn');
  // first: a credentials file that does not load stops startup before anything is opened
  const auth =
    options.auth === 'sigv4'
      ? new Authenticator(requireCredentials(options.credentials), clock, log, options.credentialsPollMs)
      : undefined;
  // A given store, else the backend the options name (SQLite with dataDir, PostgreSQL with databaseUrl), else memory.
  let store: Store;
  try {
    store = options.store ?? (await openStore(options)).store;
  } catch (e) {
    auth?.close();
    throw e;
  }
  const random = options.random ?? cryptoRandom;
  const strictAws = options.strictAws ?? DEFAULTS.strictAws;
  let url = '';
  const serveLambda = options.lambdaApi ?? isLoopback(host);
  const functions = store.functions ?? new MemoryFunctionStore();
  const runtime = new FunctionRuntime({
    log,
    endpoint: () => url,
    roleCredentials: auth && ((fn) => auth.roleCredentials(fn.accountId, fn.role, fn.name, random)),
  });
  const hosts: FunctionHost[] = [];
  if (serveLambda) hosts.push(localFunctionHost(functions, runtime));
  hosts.push(...(options.functionHosts ?? []));
  if (options.lambdaEndpoint) hosts.push(externalLambdaHost(options.lambdaEndpoint, clock));
  const audit = options.audit ? await AuditLog.open(options.audit, { logger: log, random }) : undefined;
  const events = audit && rotationEvents(audit, clock);
  const rotation = new RotationEngine({ store, clock, random, log, hosts, strictAws, events });
  const services = {
    store,
    clock,
    random,
    rotation,
    defaults: { accountId: options.accountId ?? DEFAULTS.accountId, region: options.region ?? DEFAULTS.region },
    log,
    strictAws,
    auth,
    audit,
    throttle: options.throttle
      ? new Throttle({
          now: () => performance.now(),
          scale: typeof options.throttle === 'object' ? options.throttle.scale : undefined,
        })
      : undefined,
  };
  // read and checked before anything listens: a bad file stops startup at once
  let seed: Seed | undefined;
  try {
    const given = options.seed;
    seed = given === undefined ? undefined : typeof given === 'string' ? readSeedFile(given) : checkSeed(given);
  } catch (e) {
    runtime.close();
    auth?.close();
    await audit?.close();
    if (!options.store) await store.close();
    throw e;
  }
  const applySeedNow = (progress?: (done: number, total: number) => void) =>
    seed
      ? applySeed(seed, pipelineCall(services), services.defaults, (done) => progress?.(done, seed.secrets.length))
      : Promise.resolve(undefined);
  // the first tick is an interval away: the server listens by then
  const jobs = startJobs(
    store,
    clock,
    [
      purgeJob(
        store,
        audit &&
          ((scope, arn) =>
            audit.recordServiceEvent({
              time: clock.now(),
              accountId: scope.accountId,
              region: scope.region,
              eventName: 'EndSecretVersionDelete',
              secretArn: arn,
            })),
      ),
      rotateJob(rotation),
    ],
    options.purgeIntervalMs ?? DEFAULTS.purgeIntervalMs,
    log,
  );
  const runJobs = async (): Promise<number> => {
    const changed = await jobs.runOnce();
    await rotation.idle();
    return changed;
  };
  const routes: Route[] = [];
  // the clock endpoint moves time for everyone (purges, token expiry): not with --auth, where nothing is unsigned
  if (isLoopback(host) && isSettable(clock) && !auth) routes.push(clockRoute(clock as SettableClock, runJobs));
  if (serveLambda) {
    routes.push(lambdaApi({ functions, runtime, clock, defaults: services.defaults, endpoint: () => url, auth }));
  }
  // the web console's files (dist/ui: one level up from src/index.ts, dist/index.js and dist/secretlite.js alike)
  routes.push(uiRoute(new URL('../dist/ui/', import.meta.url)));
  let server: ReturnType<typeof createHttpServer> | undefined;
  try {
    // inside: certificate files that do not load are an error here, with everything started so far stopped
    const s = createHttpServer({
      services,
      startedAt: Date.now(),
      limits: options,
      routes,
      tls: options.tls,
      loopbackOnly: isLoopback(host),
      allowedHosts: options.allowedHosts,
    });
    server = s;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(options.port ?? 0, host, () => {
        s.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    // a server that never listened: its certificate watchers go with it
    server?.close();
    jobs.stop();
    runtime.close();
    auth?.close();
    await audit?.close();
    if (!options.store) await store.close();
    throw e;
  }
  const { port } = server.address() as AddressInfo;
  url = `${options.tls ? 'https' : 'http'}://${urlHost(host)}:${port}`;
  let closing: Promise<void> | undefined;
  let agent: AgentServer | undefined;
  const running: RunningServer = {
    url,
    get agentUrl() {
      return agent?.url;
    },
    host,
    port,
    store,
    clock,
    runJobs,
    purgeNow: runJobs,
    rotationsIdle: () => rotation.idle(),
    async reset(opts = {}) {
      await store.clear();
      if (!store.functions) (functions as MemoryFunctionStore).clear();
      if (opts.reseed) await applySeedNow();
    },
    close() {
      // Stop accepting, let in-flight requests finish (bounded), then rotations, then flush and close the store.
      closing ??= (async () => {
        jobs.stop();
        const agentClosed = agent?.close(options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS);
        await closeGracefully(server, options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS);
        await agentClosed;
        // rotations stop taking new steps, their functions stop, and what they were doing is resumed later
        const stopping = rotation.close();
        runtime.close();
        auth?.close();
        await stopping;
        await audit?.close();
        await store.close();
      })();
      return closing;
    },
  };
  // Applied once the server listens (a rotation the seed starts calls back to it), before startServer resolves and
  // the CLI prints its line; a failure stops the server.
  try {
    await applySeedNow(options.onSeedProgress);
  } catch (e) {
    await running.close();
    throw e;
  }
  if (options.agentPort !== undefined) {
    // after the main server: its calls go through the same services; a failure (no token, port in use) stops both
    try {
      agent = await startAgentServer({
        services,
        // on loopback only, as the agent itself listens: its token is a bearer credential sent in plain HTTP
        host: isLoopback(host) ? host : '127.0.0.1',
        port: options.agentPort,
        token: options.agentToken,
        region: options.agentRegion,
        accessKeyId: options.agentAccessKey,
      });
    } catch (e) {
      await running.close();
      throw e;
    }
  }
  return running;
}
