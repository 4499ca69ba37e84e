import type { Scope } from '../domain/types.js';
import type { Clock } from '../clock.js';
import { sign, type Credentials } from '../auth/sigv4.js';
import type { FunctionHost, InvokeOutcome, RotationEvent, RotationFunction } from './functions.js';

/** How long a step on an external endpoint may take: Lambda's own maximum timeout (900 s) [DOC]. */
const EXTERNAL_TIMEOUT_MS = 900_000;
/** How long the existence check may take. */
const CHECK_TIMEOUT_MS = 10_000;

/**
 * An external Lambda endpoint (`--lambda-endpoint`): LocalStack, `sam local start-lambda`, or AWS itself. Invoke is
 * `POST /2015-03-31/functions/{name}/invocations` [M lambda Invoke]; the function is checked with a DryRun
 * invocation (204 when it exists and may be invoked, 404 when it does not, 403 when it is closed), signed with
 * SigV4 from the usual environment credentials (any key works with the emulators).
 */
export function externalLambdaHost(endpoint: string, clock: Clock, env: NodeJS.ProcessEnv = process.env): FunctionHost {
  const credentials: Credentials = {
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test',
    sessionToken: env.AWS_SESSION_TOKEN,
  };
  const base = endpoint.replace(/\/+$/, '');
  const call = async (functionArn: string, type: string, payload: string, timeoutMs: number) => {
    const url = new URL(`${base}/2015-03-31/functions/${encodeURIComponent(functionArn)}/invocations`);
    // the Region is the function's (arn:aws:lambda:REGION:...), else the endpoint's default
    const region = functionArn.split(':')[3] || env.AWS_REGION || 'us-east-1';
    const headers = sign({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'x-amz-invocation-type': type },
      body: payload,
      region,
      service: 'lambda',
      credentials,
      now: clock.now(),
    });
    const res = await fetch(url, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, functionError: res.headers.get('x-amz-function-error'), text: await res.text() };
  };
  return {
    async find(functionArn: string, _scope: Scope) {
      let status: number;
      try {
        status = (await call(functionArn, 'DryRun', '{}', CHECK_TIMEOUT_MS)).status;
      } catch {
        return undefined; // unreachable: no function there
      }
      if (status === 403) return 'denied';
      if (status < 200 || status >= 300) return undefined;
      const fn: RotationFunction = {
        timeoutMs: EXTERNAL_TIMEOUT_MS,
        async invoke(event: RotationEvent): Promise<InvokeOutcome> {
          try {
            const out = await call(functionArn, 'RequestResponse', JSON.stringify(event), EXTERNAL_TIMEOUT_MS);
            if (out.status >= 300) return { ok: false, message: `Lambda answered HTTP ${out.status}: ${out.text}` };
            if (out.functionError) return { ok: false, message: errorText(out.text) };
            return { ok: true };
          } catch (e) {
            return { ok: false, message: e instanceof Error ? e.message : 'the invocation failed' };
          }
        },
      };
      return fn;
    },
  };
}

/** A function error's payload ({"errorMessage","errorType",...}) as one line: "errorType: errorMessage". */
export function errorText(payload: string): string {
  try {
    const e = JSON.parse(payload) as { errorMessage?: unknown; errorType?: unknown };
    const message = typeof e.errorMessage === 'string' ? e.errorMessage : payload;
    return typeof e.errorType === 'string' ? `${e.errorType}: ${message}` : message;
  } catch {
    return payload;
  }
}
