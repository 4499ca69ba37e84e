import type { Handler } from './context.js';
import { findSecret } from './context.js';
import { parsePolicy, validatePolicy } from '../domain/policy.js';
import { grantsOutsider } from '../auth/publicity.js';

/** SecretId is optional; when given the secret must exist [M]. */
export const ValidateResourcePolicy = (async (input, ctx) => {
  if (input.SecretId !== undefined) await findSecret(ctx, input.SecretId);
  const findings = validatePolicy(parsePolicy(input.ResourcePolicy), grantsOutsider(ctx.scope.accountId));
  return { PolicyValidationPassed: findings.length === 0, ValidationErrors: findings };
}) satisfies Handler<'ValidateResourcePolicy'>;
