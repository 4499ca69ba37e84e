import type { Clock } from '../clock.js';
import type { OperationName } from '../model/service.js';
import type { OperationInputs } from '../model/types.js';
import type { OperationResults } from './results.js';
import type { Random } from '../random.js';
import type { Compat } from '../compat.js';
import type { RotationEngine } from '../rotation/engine.js';
import { andThen, type MaybePromise, type Mutation, type Store } from '../store/Store.js';
import { REPLICA_VIEW, type Scope, type Secret } from '../domain/types.js';
import { arnPrefix, nameOfSecretId, parseSecretId, scopeOfSecretId, type SecretRef } from '../domain/arn.js';
import { isPurgeable } from '../domain/lifecycle.js';
import { InvalidParameter, ResourceNotFound } from '../errors/ServiceError.js';
import { isReplica, listsReplica, replicaView, sameSecret } from '../domain/replicas.js';
import { MSG } from '../errors/messages.js';
import type { RequestAccess } from '../auth/access.js';

/**
 * What an operation handler gets besides its input: the caller's scope, the injected services, and the
 * compatibility mode (`strictAws`; ask `compat.ts`, never the flag itself).
 */
export interface Context extends Compat {
  readonly scope: Scope;
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly rotation: RotationEngine;
  readonly requestId: string;
  /** with `--auth sigv4`: the caller's permissions, asked about every secret a lookup finds (or does not) */
  readonly access?: RequestAccess;
  /** with `--audit`: what Secrets Manager does on its own because of the call (CloudTrail service events) */
  readonly events?: (eventName: ServiceEventName, secretArn: string, details?: Record<string, unknown>) => void;
}

/**
 * Service events an operation causes [doc: Secrets Manager, "Log entries for deletion" and "for rotation": a
 * deletion scheduled, cancelled, carried out; a rotation abandoned by a value written by hand].
 */
export type ServiceEventName =
  'StartSecretVersionDelete' | 'CancelSecretVersionDelete' | 'EndSecretVersionDelete' | 'RotationAbandoned';

/**
 * The handler of an operation: its input as the model defines it (already validated), its result as
 * OperationResults says. Reads that need no I/O may answer directly instead of with a promise (and throw directly).
 */
export type Handler<K extends OperationName> = (
  input: OperationInputs[K],
  ctx: Context,
) => MaybePromise<OperationResults[K]>;

/**
 * The secret a SecretId names, or ResourceNotFoundException. Secrets past their recovery window are gone.
 * Directly when the store answers directly (callers may `await` it either way). In a replica's Region, the
 * replica's view of its primary (domain/replicas.ts): every read answers from the primary's current snapshot.
 */
export function findSecret(ctx: Context, secretId: string, action?: string): MaybePromise<Secret> {
  const ref = parseSecretId(secretId);
  const scope = lookupScope(ctx, ref);
  return andThen(ctx.store.get(scope, ref), (s) => {
    const found = present(ctx, s, scope, secretId, action);
    if (!isReplica(found)) return found;
    const view = viewOf(ctx, found);
    if (!ctx.access) return view;
    // a replica is authorized as its view: its primary's tags and resource policy, its own ARN
    return andThen(view, (v) => {
      ctx.access!.secret(v, secretId, action);
      return v;
    });
  });
}

/**
 * Where a SecretId is looked up: the caller's account, or with `--auth` the account a full ARN names (cross-account
 * access, which the secret's resource policy must allow).
 */
export function lookupScope(ctx: Context, ref: SecretRef): Scope {
  return ctx.access && ref.kind === 'arn' ? scopeOfSecretId(ref.arn, ctx.scope) : ctx.scope;
}

/** The secret found, once the caller may act on it (with `--auth`); a missing one is not found, or AccessDenied. */
function present(ctx: Context, s: Secret | undefined, scope: Scope, secretId: string, action?: string): Secret {
  if (!s || isPurgeable(s, ctx.clock.now())) {
    ctx.access?.missing(`${arnPrefix(scope)}${nameOfSecretId(secretId)}`, secretId, action);
    throw ResourceNotFound(MSG.secretNotFound);
  }
  // a replica's own record has none of its primary's tags or policy: findSecret checks its view instead
  if (!isReplica(s)) ctx.access?.secret(s, secretId, action);
  return s;
}

/**
 * A replica's view of its primary. A replica record its primary does not list InSync (a crash between the two writes
 * that make or remove one) is not found.
 */
export function viewOf(ctx: Context, replica: Secret): MaybePromise<Secret> {
  const primaryScope = { accountId: ctx.scope.accountId, region: replica.primaryRegion! };
  // by name (a replica has its primary's), then the ARN compared past its Region: no string made per read
  return andThen(ctx.store.get(primaryScope, { kind: 'name', name: replica.name }), (p) => {
    if (!p || isPurgeable(p, ctx.clock.now())) throw ResourceNotFound(MSG.secretNotFound);
    // the view made from this very snapshot was checked when it was made
    const cached = replica[REPLICA_VIEW];
    if (cached?.primary === p) return cached.view;
    if (!sameSecret(p.arn, replica.arn) || !listsReplica(p, ctx.scope.region))
      throw ResourceNotFound(MSG.secretNotFound);
    return replicaView(replica, p);
  });
}

/**
 * Read-modify-write of the secret a SecretId names; `fn` gets a private copy and never sees a missing or purged
 * secret, nor a replica: writes are made in the primary's Region, a replica refuses them [REAL] (`onReplica`:
 * the few transitions of a replica's own record: its access date, its promotion).
 */
export function mutateSecret<T>(
  ctx: Context,
  secretId: string,
  fn: (s: Secret, now: number) => Mutation<T>,
  onReplica: 'refuse' | 'allow' = 'refuse',
): Promise<T> {
  const now = ctx.clock.now();
  const ref = parseSecretId(secretId);
  const scope = lookupScope(ctx, ref);
  return ctx.store.mutate(scope, ref, (found) => {
    const current = present(ctx, found, scope, secretId);
    if (isReplica(current)) {
      if (onReplica === 'refuse') throw InvalidParameter(MSG.replicaOperation);
      // a replica's own transitions follow a lookup of its view, which was authorized (findSecret)
      ctx.access?.requireChecked(current.arn, secretId);
    }
    return fn(current, now);
  });
}
