import { handleApiRequest, type Services } from '../protocol/pipeline.js';
import { AWS_JSON_1_1 } from '../compat.js';
import type { SeedCall } from './seed.js';

/**
 * Seed calls through the pipeline, as an unsigned client of the secret's account and Region would make them:
 * validated, and audited when the audit log is on; never signed or throttled (the file is the operator's).
 */
export function pipelineCall(services: Services): SeedCall {
  const svc: Services = { ...services, auth: undefined, throttle: undefined };
  return async (scope, operation, input) => {
    const out = await handleApiRequest(
      {
        method: 'POST',
        query: '',
        headers: {
          'content-type': AWS_JSON_1_1,
          'x-amz-target': `secretsmanager.${operation}`,
          authorization:
            `AWS4-HMAC-SHA256 Credential=${scope.accountId}/20260101/${scope.region}/secretsmanager/aws4_request, ` +
            'SignedHeaders=host, Signature=0',
        },
        body: Buffer.from(JSON.stringify(input)),
      },
      svc,
    );
    const json = JSON.parse(typeof out.body === 'string' ? out.body : out.body.text) as Record<string, unknown>;
    if (out.status === 200) return { ok: true, body: json };
    return { ok: false, code: String(json.__type), message: String(json.Message ?? '') };
  };
}
