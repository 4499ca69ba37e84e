import type { Random } from './random.js';
import { AccessDenied, InvalidRequest, type ServiceError } from './errors/ServiceError.js';
import { MSG } from './errors/messages.js';

/**
 * The one home of `--strict-aws`. By default secretlite departs from AWS only where AWS refuses something an
 * emulator user cannot satisfy (a raw curl call from our source documents, which carries no idempotency
 * token); the default then does what those documents promise, and `--strict-aws` answers exactly as AWS
 * does. Every departure is decided by a function in this file and listed in the README ("Differences from
 * AWS"); operations and the pipeline ask here instead of reading the flag themselves.
 */
export interface Compat {
  /** answer as AWS does wherever the emulator default is more lenient */
  readonly strictAws: boolean;
}

/**
 * The ClientRequestToken of a call that creates a version (CreateSecret and UpdateSecret with a value,
 * PutSecretValue, RotateSecret). SDKs and the CLI fill it in themselves (the model's idempotencyToken
 * trait, a UUID v4); a raw call without one is refused by AWS [LS-val test_no_client_request_token, raw
 * HTTP, 2024-03-15]. By default secretlite fills it in the same way, so the curl examples of seeds 001 and
 * 002 work as written; the generated UUID becomes the VersionId, as the SDK's would.
 *
 * `refuse` is the error AWS sends: InvalidRequestException for Create/Put/Update, InvalidParameterException
 * (same message) for RotateSecret.
 */
export function clientRequestToken(
  compat: Compat & { readonly random: Random },
  token: string | undefined,
  refuse: (message: string) => ServiceError = InvalidRequest,
): string {
  if (token !== undefined) return token;
  if (compat.strictAws) throw refuse(MSG.missingClientRequestToken);
  return compat.random.uuid();
}

/**
 * A rotation with no function to call: no RotationLambdaARN given or stored, or one that names no function
 * secretlite can reach (its own Lambda API, the --lambda-endpoint). AWS refuses both: InvalidRequestException
 * [LS-val test_first_rotate_secret_with_missing_lambda_arn] and AccessDeniedException [LS-val
 * test_rotate_secret_invalid_lambda_arn]. By default secretlite's built-in rotator does the four steps itself (a
 * new password, then the labels moved), so RotateSecret does what seed 001 documents without a Lambda service.
 * A function that exists but does not let secretsmanager.amazonaws.com invoke it is refused in both modes.
 */
export function builtInRotator(compat: Compat, reason: 'no-function-arn' | 'no-such-function'): 'built-in' {
  if (!compat.strictAws) return 'built-in';
  throw reason === 'no-function-arn' ? InvalidRequest(MSG.noRotationLambda) : AccessDenied(MSG.cannotInvokeLambda);
}

/** AWS JSON 1.1's own media type, the only one AWS serves this protocol on. */
export const AWS_JSON_1_1 = 'application/x-amz-json-1.1';

/**
 * Whether a request's media type is served as AWS JSON 1.1. By default `application/json` is too: curl users
 * type it, and nothing in it is ambiguous. AWS's Coral front end does not route it to the operation: it
 * answers HTTP 200 with a legacy envelope (`legacyJsonEnvelope`), as kinesalite recorded from Kinesis, the
 * same JSON 1.1 stack.
 */
export function servesMediaType(compat: Compat, mediaType: string): 'aws-json' | 'legacy-json' | 'unsupported' {
  if (mediaType === AWS_JSON_1_1) return 'aws-json';
  if (mediaType === 'application/json') return compat.strictAws ? 'legacy-json' : 'aws-json';
  return 'unsupported';
}

/**
 * AWS's answer to an `application/json` request (kinesalite's recordings of Kinesis, index.js): a body that
 * is not a JSON object gets SerializationException, any object UnknownOperationException, both inside the
 * pre-JSON-1.1 envelope with HTTP 200. (Note the capital `Message` in one and `message` in the other: that is
 * what was recorded.)
 */
export function legacyJsonEnvelope(bodyIsObject: boolean): string {
  return bodyIsObject
    ? '{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException","message":null},"Version":"1.0"}'
    : '{"Output":{"__type":"com.amazon.coral.service#SerializationException","Message":null},"Version":"1.0"}';
}
