import type { Handler } from './context.js';
import { mutateSecret } from './context.js';
import { assertNotDeleted } from '../domain/lifecycle.js';
import { parsePolicy, publicStatements } from '../domain/policy.js';
import { PublicPolicy } from '../errors/ServiceError.js';
import { grantsOutsider } from '../auth/publicity.js';
import { MSG } from '../errors/messages.js';

/** Stores the policy text as given. Public policies are refused only with BlockPublicPolicy (default false [M]). */
export const PutResourcePolicy = (async (input, ctx) => {
  const doc = parsePolicy(input.ResourcePolicy);
  if (input.BlockPublicPolicy && publicStatements(doc, grantsOutsider(ctx.scope.accountId)).length > 0) {
    throw PublicPolicy(MSG.publicPolicy);
  }
  return mutateSecret(ctx, input.SecretId, (s, now) => {
    assertNotDeleted(s);
    s.resourcePolicy = input.ResourcePolicy;
    s.lastChangedDate = now;
    return { result: { ARN: s.arn, Name: s.name }, next: s };
  });
}) satisfies Handler<'PutResourcePolicy'>;
