import type { Handler } from './context.js';
import { findSecret } from './context.js';
import { InvalidRequest } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

/** Arrives with the rotation and replication engines; until then an AWS-shaped 400, after the usual lookup. */
export const CancelRotateSecret = (async (input, ctx) => {
  await findSecret(ctx, input.SecretId);
  throw InvalidRequest(MSG.notYetImplemented('CancelRotateSecret'));
}) satisfies Handler<'CancelRotateSecret'>;
