import type { Handler } from './context.js';
import type { Secret } from '../domain/types.js';
import { findSecret } from './context.js';
import { describeView } from '../domain/views.js';
import { viewCache } from '../protocol/JsonBody.js';

const describeBody = viewCache((s: Secret) => describeView(s));

/** Works on secrets scheduled for deletion (DeletedDate is shown) [LS-val]; only fields with a value [M]. */
export const DescribeSecret: Handler<{ SecretId: string }> = async (input, ctx) => describeBody(await findSecret(ctx, input.SecretId), undefined);
