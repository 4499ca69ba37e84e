import type { Scope } from '../domain/types.js';
import type { FunctionHost, RotationFunction } from '../rotation/functions.js';
import type { FunctionStore } from './functions.js';
import type { FunctionRuntime } from './runtime.js';
import { allowsSecretsManager } from './api.js';
import { errorText } from '../rotation/external.js';

const ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::\$LATEST)?$/;

/**
 * Rotation functions created on secretlite's own Lambda API: found by their ARN in the function store, invoked on
 * the local runtime. A function whose policy does not let secretsmanager.amazonaws.com invoke it is 'denied', as on
 * AWS (RotateSecret's AccessDeniedException).
 */
export function localFunctionHost(functions: FunctionStore, runtime: FunctionRuntime): FunctionHost {
  return {
    async find(functionArn: string, _scope: Scope) {
      const m = ARN.exec(functionArn);
      if (!m) return undefined;
      const fn = await functions.get({ accountId: m[2]!, region: m[1]! }, m[3]!);
      if (!fn) return undefined;
      if (!allowsSecretsManager(fn)) return 'denied';
      const rotation: RotationFunction = {
        timeoutMs: fn.timeout * 1000,
        async invoke(event) {
          const r = await runtime.invoke(fn, () => functions.code(fn.arn), JSON.stringify(event));
          return r.functionError ? { ok: false, message: errorText(r.payload) } : { ok: true };
        },
      };
      return rotation;
    },
  };
}
