import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Logger } from '../logger.js';
import type { Scope, Secret, RotationRun } from '../domain/types.js';
import type { DueItem, Store } from '../store/Store.js';
import { builtInRotator, type Compat } from '../compat.js';
import {
  beginRotation,
  builtInRotation,
  builtInValue,
  claimAttempt,
  completeRotation,
  failRotation,
  retryDelayMs,
  STEPS,
  TEMPLATE_EXCLUDED_CHARACTERS,
  unfinishedPending,
  type Step,
} from '../domain/rotation.js';
import { AWSCURRENT, versionWithStage } from '../domain/versions.js';
import { generatePassword } from '../domain/password.js';
import { AccessDenied } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import type { FunctionHost, RotationFunction } from './functions.js';

/** The built-in rotator: no function, the steps done by secretlite inside one write (see domain/rotation.ts). */
export type Rotator = RotationFunction | 'built-in';

/** Rotations one instance runs at once; due ones beyond it wait for the next tick. */
const MAX_RUNNING = 16;
/** A claimed rotation's lease: its function's timeout for each step, and this margin. */
const LEASE_MARGIN_MS = 60_000;
/** The longest text of a failure kept (the function's error message, which is the user's). */
const MAX_FAILURE_TEXT = 1000;

export interface RotationDeps extends Compat {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  /** where functions are looked for, in order */
  readonly hosts: readonly FunctionHost[];
  /** told of each rotation's progress (the audit log's service events: RotationStarted, ...) */
  readonly events?: (event: RotationEvent) => void;
}

export interface RotationEvent {
  readonly eventName: 'RotationStarted' | 'RotationSucceeded' | 'RotationFailed';
  readonly scope: Scope;
  readonly arn: string;
  readonly token: string;
  readonly step?: string;
  readonly errorMessage?: string;
}

const ref = (arn: string) => ({ kind: 'arn', arn }) as const;

/**
 * Runs rotations: the steps of each against its function, asynchronously to RotateSecret, with retries; the
 * scheduler's due rotations (jobs/rotate.ts). Every change of state is a transition of domain/rotation.ts through
 * store.mutate, so a rotation survives a restart (the lease runs out, the next tick resumes it) and runs on one
 * instance at a time.
 */
export class RotationEngine {
  readonly #d: RotationDeps;
  readonly #running = new Set<Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(deps: RotationDeps) {
    this.#d = deps;
  }

  /**
   * The rotator for a function ARN (RotateSecret's checks 7 and 8): a function some host has; the built-in
   * rotator by default when there is none (compat.ts); AccessDeniedException for one that exists but is closed.
   */
  async rotatorFor(functionArn: string | undefined, scope: Scope, compat: Compat = this.#d): Promise<Rotator> {
    if (functionArn === undefined) return builtInRotator(compat, 'no-function-arn');
    for (const host of this.#d.hosts) {
      const found = await host.find(functionArn, scope);
      if (found === 'denied') throw AccessDenied(MSG.cannotInvokeLambda);
      if (found) return found;
    }
    return builtInRotator(compat, 'no-such-function');
  }

  /** The lease a claim of a rotation run by `rotator` takes: every step's timeout, and a margin. */
  leaseUntil(rotator: Rotator, now: number): number {
    return now + LEASE_MARGIN_MS + (rotator === 'built-in' ? 0 : STEPS.length * rotator.timeoutMs);
  }

  /** A fresh password as AWS's rotation templates ask for one. */
  newPassword(): string {
    return generatePassword({ ExcludeCharacters: TEMPLATE_EXCLUDED_CHARACTERS }, this.#d.random);
  }

  /** The built-in rotator's steps applied to a secret's copy (RotateSecret runs them in its own write). */
  rotateBuiltIn(s: Secret, run: RotationRun, now: number): void {
    builtInRotation(s, run, builtInValue(versionWithStage(s, AWSCURRENT), this.newPassword()), now);
  }

  /** Runs a claimed rotation's steps in the background; its outcome is stored, and logged. */
  start(scope: Scope, arn: string, run: RotationRun, fn: RotationFunction): void {
    if (this.#closed) return;
    this.#d.events?.({ eventName: 'RotationStarted', scope, arn, token: run.token });
    const p = this.#steps(scope, arn, run, fn)
      .catch((e: unknown) =>
        this.#d.log.error('rotation failed unexpectedly', {
          secret: arn,
          error: e instanceof Error ? e.name : 'unknown',
        }),
      )
      .finally(() => this.#running.delete(p));
    this.#running.add(p);
  }

  async #steps(scope: Scope, arn: string, run: RotationRun, fn: RotationFunction): Promise<void> {
    const { store, clock, log } = this.#d;
    const steps: readonly Step[] = run.testOnly ? ['testSecret'] : STEPS;
    const rotationToken = this.#d.random.uuid();
    for (const step of steps) {
      // a rotation cancelled, abandoned (a value put by hand) or taken over stops before its next step
      const s = await store.get(scope, ref(arn));
      if (!s || s.rotationRun?.token !== run.token || s.rotationRun.attempt !== run.attempt) return;
      const out = await fn.invoke({
        Step: step,
        SecretId: arn,
        ClientRequestToken: run.token,
        RotationToken: rotationToken,
      });
      // shutting down: the step was cut short; the lease runs out and a restart (or another instance) resumes it
      if (this.#closed) return;
      if (!out.ok) return this.#fail(scope, arn, run, step, out.message);
    }
    const unfinished = await store.mutate(scope, ref(arn), (s) => {
      if (!s || s.rotationRun?.token !== run.token) return { result: undefined };
      const why = completeRotation(s, run, clock.now());
      return why === undefined ? { result: undefined, next: s } : { result: why };
    });
    if (unfinished !== undefined) return this.#fail(scope, arn, run, 'finishSecret', unfinished);
    log.info('rotation succeeded', { secret: arn, version: run.token, attempt: run.attempt });
    this.#d.events?.({ eventName: 'RotationSucceeded', scope, arn, token: run.token });
  }

  async #fail(scope: Scope, arn: string, run: RotationRun, step: string, message: string): Promise<void> {
    const { store, clock, log } = this.#d;
    const outcome = await store.mutate(scope, ref(arn), (s) => {
      if (!s || s.rotationRun?.token !== run.token) return { result: undefined };
      const text = redact(message, s);
      return { result: { retry: failRotation(s, run, step, text, clock.now()), text }, next: s };
    });
    if (!outcome) return;
    log.warn('rotation step failed', {
      secret: arn,
      version: run.token,
      step,
      attempt: run.attempt,
      error: outcome.text,
    });
    this.#d.events?.({ eventName: 'RotationFailed', scope, arn, token: run.token, step, errorMessage: outcome.text });
    if (outcome.retry) this.#after(retryDelayMs(run.attempt), () => this.resume({ scope, arn }));
  }

  #after(ms: number, f: () => Promise<unknown>): void {
    if (this.#closed) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      f().catch(() => undefined);
    }, ms);
    t.unref();
    this.#timers.add(t);
  }

  /**
   * Takes up a secret whose rotation work is due (the scheduler, a retry timer): the next attempt of a rotation
   * under way, or a new rotation when its window has come (reattempting the pending version of one that gave up,
   * "That rotation will be reattempted" [REAL]). True when it started something.
   */
  async resume(item: DueItem): Promise<boolean> {
    const { store, clock } = this.#d;
    if (this.#closed || this.#running.size >= MAX_RUNNING) return false;
    const now = clock.now();
    const seen = await store.get(item.scope, ref(item.arn));
    if (!seen || seen.rotationDueDate === undefined || seen.rotationDueDate > now) return false;
    let rotator: Rotator | undefined;
    if (seen.rotationEnabled || seen.rotationRun) {
      try {
        rotator = await this.rotatorFor(seen.rotationLambdaARN, item.scope);
      } catch (e) {
        // strict mode with no function to call, or a function closed to Secrets Manager: each attempt fails so
        const message = e instanceof Error ? e.message : 'unknown';
        rotator = { timeoutMs: 0, invoke: async () => ({ ok: false, message }) };
      }
    }
    const claimed = await store.mutate(item.scope, ref(item.arn), (s) => {
      if (!s || s.rotationDueDate === undefined || s.rotationDueDate > now) return { result: undefined };
      if (s.deletedDate !== undefined || (!s.rotationEnabled && !s.rotationRun) || !rotator) {
        s.rotationDueDate = undefined; // nothing to do until a restore or a new RotateSecret reschedules it
        return { result: undefined, next: s };
      }
      const lease = this.leaseUntil(rotator, now);
      const run = s.rotationRun
        ? claimAttempt(s, s.rotationRun, lease)
        : beginRotation(s, unfinishedPending(s) ?? this.#d.random.uuid(), false, now, lease);
      if (rotator === 'built-in') this.rotateBuiltIn(s, run, now);
      return { result: run, next: s };
    });
    if (!claimed || !rotator) return claimed !== undefined;
    if (rotator !== 'built-in') this.start(item.scope, item.arn, claimed, rotator);
    return true;
  }

  /** Resolves when every rotation started so far has ended (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /**
   * No new rotations or retries; waits for the running ones, at most `graceMs` (their functions are stopped by
   * then: what was cut short is resumed after its lease, by a restart or another instance).
   */
  async close(graceMs = 5_000): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }
}

/**
 * A function's error text as it is kept and logged: never a secret value. The function is the user's and may put
 * one in its error; any value of the secret's versions found in the text is masked.
 */
function redact(message: string, s: Secret): string {
  let text = message;
  for (const v of s.versions) {
    const values = [v.secretString, v.secretBinary?.toString('utf8')];
    if (v.secretString?.trimStart().startsWith('{')) {
      try {
        const doc: unknown = JSON.parse(v.secretString);
        if (doc && typeof doc === 'object')
          for (const x of Object.values(doc)) if (typeof x === 'string') values.push(x);
      } catch {
        // not JSON
      }
    }
    for (const value of values) if (value && value.length >= 4) text = text.split(value).join('***');
  }
  // cut after masking: a value cut in two would no longer be found
  return text.length > MAX_FAILURE_TEXT ? `${text.slice(0, MAX_FAILURE_TEXT)}...` : text;
}
