import type { Scope } from '../domain/types.js';

/**
 * A Lambda function created on secretlite itself (its Lambda API, src/lambda/api.ts): the configuration AWS's
 * FunctionConfiguration shows, its resource policy, and its code (a zip) kept beside it.
 */
export interface LambdaFunction {
  readonly arn: string;
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly runtime?: string;
  readonly role: string;
  readonly handler?: string;
  readonly description: string;
  /** seconds */
  readonly timeout: number;
  /** MB */
  readonly memorySize: number;
  /** absent when never sent (FunctionConfiguration then has no Environment) */
  readonly environment?: Readonly<Record<string, string>>;
  readonly architectures: readonly string[];
  readonly ephemeralStorage: number;
  readonly tracingMode: string;
  /** base64 of the zip's SHA-256 */
  readonly codeSha256: string;
  readonly codeSize: number;
  /** `2024-03-27T09:14:35.123+0000` */
  readonly lastModified: string;
  readonly revisionId: string;
  /** the resource policy's statements, in the order they were added */
  readonly policy: readonly PolicyStatement[];
  readonly tags?: Readonly<Record<string, string>>;
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal: string | Readonly<Record<string, string>>;
  readonly Action: string;
  readonly Resource: string;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * Where functions are kept: with the secrets, so every instance on a shared database can run them (SQLite and
 * PostgreSQL keep a table; the memory store a map). Code is kept apart from the configuration: listings never
 * read it.
 */
export interface FunctionStore {
  get(scope: Scope, name: string): Promise<LambdaFunction | undefined>;
  code(arn: string): Promise<Buffer | undefined>;
  /** creates or replaces; `code` undefined keeps the stored code */
  put(fn: LambdaFunction, code?: Buffer): Promise<void>;
  /** false when there was no such function */
  delete(scope: Scope, name: string): Promise<boolean>;
  list(scope: Scope): Promise<LambdaFunction[]>;
}

const key = (scope: Scope, name: string) => `${scope.accountId}/${scope.region}/${name}`;

/** Functions in memory: the memory store's, and any store's that keeps none itself. */
export class MemoryFunctionStore implements FunctionStore {
  readonly #fns = new Map<string, LambdaFunction>();
  readonly #code = new Map<string, Buffer>();
  clear(): void {
    this.#fns.clear();
    this.#code.clear();
  }
  async get(scope: Scope, name: string) {
    return this.#fns.get(key(scope, name));
  }
  async code(arn: string) {
    return this.#code.get(arn);
  }
  async put(fn: LambdaFunction, code?: Buffer) {
    this.#fns.set(key({ accountId: fn.accountId, region: fn.region }, fn.name), fn);
    if (code) this.#code.set(fn.arn, code);
  }
  async delete(scope: Scope, name: string) {
    const fn = this.#fns.get(key(scope, name));
    if (!fn) return false;
    this.#fns.delete(key(scope, name));
    this.#code.delete(fn.arn);
    return true;
  }
  async list(scope: Scope) {
    const prefix = key(scope, '');
    return [...this.#fns.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, f]) => f)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}
