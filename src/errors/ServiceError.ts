import { DecryptError } from '../crypto/envelope.js';
import { MSG } from './messages.js';

/**
 * The one error type handlers throw. `code` is the AWS error code (the `__type` on the wire),
 * `status` the HTTP status AWS uses for it: 400 for every modelled client error.
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string | undefined, status = 400) {
    super(message ?? '');
    this.name = code;
    this.code = code;
    this.status = status;
  }
}

const make =
  (code: string, status = 400) =>
  (message?: string) =>
    new ServiceError(code, message, status);

// One factory per AWS error code. All modelled errors are HTTP 400 (no httpStatusCode override in the model).
export const ResourceNotFound = make('ResourceNotFoundException');
export const InvalidRequest = make('InvalidRequestException');
export const InvalidParameter = make('InvalidParameterException');
export const ResourceExists = make('ResourceExistsException');
export const LimitExceeded = make('LimitExceededException');
export const InvalidNextToken = make('InvalidNextTokenException');
export const MalformedPolicyDocument = make('MalformedPolicyDocumentException');
export const PublicPolicy = make('PublicPolicyException');
export const Validation = make('ValidationException');
export const Serialization = make('SerializationException');
export const UnknownOperation = make('UnknownOperationException');
/** HTTP 400, as RotateSecret sends it for a function it cannot invoke [LS-val]. */
export const AccessDenied = make('AccessDeniedException');
export const DecryptionFailure = make('DecryptionFailure');
export const InternalServiceError = make('InternalServiceError', 500);

/**
 * The AWS error an exception stands for, or undefined for an unexpected one (answered 500 and logged). The one
 * place a stored value that does not decrypt (wrong key, moved or altered ciphertext) becomes DecryptionFailure.
 */
export function asServiceError(err: unknown): ServiceError | undefined {
  if (err instanceof ServiceError) return err;
  if (err instanceof DecryptError) return DecryptionFailure(MSG.decryptionFailure);
  return undefined;
}
