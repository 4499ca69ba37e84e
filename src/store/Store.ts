import type { Scope, Secret } from '../domain/types.js';
import type { SecretRef } from '../domain/arn.js';
import type { SealedSecret } from './sealed.js';
import type { FunctionStore } from '../lambda/functions.js';

/**
 * What a transition asks of the store: `next` undefined leaves the secret as it is, null deletes it,
 * a Secret replaces it (or creates it). When `next` has another ARN than the current secret (a name
 * re-created after its old secret expired), the old one is removed.
 */
export interface Mutation<T> {
  result: T;
  next?: Secret | null;
}

/** What a store does with a Mutation: every backend applies it through planWrite, the one reading of it. */
export interface WritePlan {
  /** the current secret's ARN, when it is deleted or replaced by a secret with another ARN */
  readonly removeArn?: string;
  /** the secret to store; it also replaces any other secret of its name in the scope */
  readonly put?: Secret;
}

/** undefined: leave the store as it is. */
export function planWrite(currentArn: string | undefined, next: Secret | null | undefined): WritePlan | undefined {
  if (next === undefined) return undefined;
  if (next === null) return currentArn === undefined ? undefined : { removeArn: currentArn };
  return { removeArn: currentArn !== undefined && currentArn !== next.arn ? currentArn : undefined, put: next };
}

export type SortKey = 'created-date' | 'name' | 'last-changed-date' | 'last-accessed-date';

/** Position after the last item of a page: its sort value and ARN (the tie-breaker). */
export interface Cursor {
  readonly value: string | number;
  readonly arn: string;
}

export interface ListQuery {
  readonly sortBy: SortKey;
  readonly descending: boolean;
  readonly after?: Cursor;
  /** items wanted */
  readonly limit: number;
  /** secrets examined at most before returning a short page (AWS may return a NextToken with an empty page [M]) */
  readonly scanLimit: number;
  readonly filter: (s: Secret) => boolean;
}

export interface ListPage {
  /** metadata: persistent stores leave version values out of listings */
  readonly items: Secret[];
  /** set when more secrets may follow */
  readonly next?: Cursor;
  /** the items are the stored snapshots themselves, values included: reading them needs no `get` */
  readonly withValues?: boolean;
}

export interface StoreStats {
  readonly secrets: number;
  readonly scopes: number;
}

/**
 * Kinds of background work a store finds due: `purge`, a secret past its recovery window (its deletion date);
 * `rotate`, a secret whose rotationDueDate has come (a window, a retry, a lease run out).
 */
export type DueKind = 'purge' | 'rotate';

export interface DueItem {
  readonly scope: Scope;
  readonly arn: string;
}

/** What a store that keeps values sealed (SQLite, PostgreSQL) offers the admin commands. */
export interface SealedValues {
  /** records the keyring's newest term in the database's key check (a wrong key then fails at startup) */
  recordKeyTerm(): MaybePromise<void>;
  /** replaces each sealed secret `rewrap` changes, a batch per transaction; how many versions changed */
  rewrapAll(rewrap: (s: SealedSecret) => SealedSecret | undefined): MaybePromise<number>;
}

/** A store that cannot hold data in a valid state (a newer schema, a wrong master key): startup stops with it. */
export class StoreError extends Error {}

export type MaybePromise<T> = T | Promise<T>;

/** `f(value)`, directly when the value is there and after it when it is a promise. */
export function andThen<T, R>(value: MaybePromise<T>, f: (v: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/**
 * The one storage interface. A secret is one aggregate; every change is an atomic read-modify-write
 * through `mutate`, whose `fn` is a pure synchronous transition. Secrets returned by `get` and `list`
 * are read-only snapshots: callers never modify them, but for two caches of what a snapshot derives, each with
 * one owner (MEMO: protocol/answers.ts; READ_DAY: operations/reads.ts; see domain/types.ts).
 */
export interface Store {
  readonly kind: string;
  /** the schema version of a persistent backend's database */
  readonly schemaVersion?: number;
  /** Whether this instance may run background work (one instance at a time on a shared database). */
  isLeader?(): Promise<boolean>;
  /**
   * The secret a reference names. A store that can answer without I/O (memory, SQLite) answers directly
   * rather than with a promise: the hottest read then takes no trip through the microtask queue.
   */
  get(scope: Scope, ref: SecretRef): MaybePromise<Secret | undefined>;
  /** `fn` receives a private copy of the current secret (or undefined) and may change it freely. */
  mutate<T>(scope: Scope, ref: SecretRef, fn: (current: Secret | undefined) => Mutation<T>): Promise<T>;
  list(scope: Scope, query: ListQuery): Promise<ListPage>;
  /** Secrets with background work of `kind` due at or before `now` (src/jobs), at most `limit` of them. */
  due(kind: DueKind, now: number, limit: number): Promise<DueItem[]>;
  stats(): Promise<StoreStats>;
  /** Lambda functions created on secretlite (src/lambda), kept with the secrets; absent: kept in memory. */
  readonly functions?: FunctionStore;
  /** Present on stores that keep values sealed: what rotate-master-key needs. */
  readonly sealedValues?: SealedValues;
  /** Every secret of every scope with its values, for export. */
  entries(): AsyncIterable<{ scope: Scope; secret: Secret }>;
  /**
   * Removes every secret and function of every account and Region at once (startServer().reset(), for test
   * suites): one statement per table, never one change per secret.
   */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** The value of a secret under each sort key: what listings order by, and what cursors hold. */
export const SORT_KEYS: { readonly [K in SortKey]: (s: Secret) => string | number } = {
  'created-date': (s) => s.createdDate,
  name: (s) => s.name,
  'last-changed-date': (s) => s.lastChangedDate,
  'last-accessed-date': (s) => s.lastAccessedDate ?? 0,
};
