import type { Handler } from './context.js';
import { findSecret } from './context.js';
import { clientRequestToken } from '../compat.js';
import { InvalidParameter, InvalidRequest } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

/**
 * Arrives with the rotation engine; until then an AWS-shaped 400 after AWS's first checks. The token comes
 * first: AWS refuses a raw call without one with InvalidParameterException (not InvalidRequestException as
 * Create/Put/Update do), before it looks the secret up [LS-val test_no_client_request_token[RotateSecret], 2024-03-15].
 */
export const RotateSecret = (async (input, ctx) => {
  clientRequestToken(ctx, input.ClientRequestToken, InvalidParameter);
  await findSecret(ctx, input.SecretId);
  throw InvalidRequest(MSG.notYetImplemented('RotateSecret'));
}) satisfies Handler<'RotateSecret'>;
