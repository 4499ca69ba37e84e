import type { Scope } from '../domain/types.js';
import type { Step } from '../domain/rotation.js';

/** What Secrets Manager sends a rotation function, one step per invocation [DOC rotate-secrets_lambda]. */
export interface RotationEvent {
  readonly Step: Step;
  /** the secret's full ARN */
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  /** identifies the rotation to PutSecretValue (assumed-role and cross-account rotation, 2025) */
  readonly RotationToken: string;
}

export type InvokeOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** A function a rotation can invoke. */
export interface RotationFunction {
  /** its configured timeout: how long one step may take */
  readonly timeoutMs: number;
  /** One synchronous (RequestResponse) invocation; never throws: a failure is an outcome. */
  invoke(event: RotationEvent): Promise<InvokeOutcome>;
}

/**
 * Somewhere rotation functions live: secretlite's own Lambda API, or an external Lambda endpoint. `find` answers
 * the function an ARN names, 'denied' for one that exists but does not let secretsmanager.amazonaws.com invoke it,
 * or undefined when this host has no such function.
 */
export interface FunctionHost {
  find(functionArn: string, scope: Scope): Promise<RotationFunction | 'denied' | undefined>;
}
