import type { Handler } from './context.js';
import { findSecret } from './context.js';
import { describeView } from '../domain/views.js';

/** Works on secrets scheduled for deletion (DeletedDate is shown) [LS-val]; only fields with a value [M]. */
export const DescribeSecret: Handler<{ SecretId: string }> = async (input, ctx) => describeView(await findSecret(ctx, input.SecretId));
