import type { Handler } from './context.js';
import { findSecret } from './context.js';

/**
 * The snapshot itself; protocol/answers.ts serializes it. Works on secrets scheduled for deletion (DeletedDate
 * is shown) [LS-val]; only fields with a value [M].
 */
export const DescribeSecret = ((input, ctx) => findSecret(ctx, input.SecretId)) satisfies Handler<'DescribeSecret'>;
