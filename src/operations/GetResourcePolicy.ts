import type { Handler } from './context.js';
import { findSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';

/**
 * ResourcePolicy is omitted when none is attached [moto PR #6049]; refused when scheduled for deletion
 * [terraform-provider-aws #23998].
 */
export const GetResourcePolicy = (async (input, ctx) => {
  const s = await findSecret(ctx, input.SecretId);
  assertNotDeleted(s);
  return { ARN: s.arn, Name: s.name, ResourcePolicy: s.resourcePolicy };
}) satisfies Handler<'GetResourcePolicy'>;
