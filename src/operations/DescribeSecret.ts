import type { Handler } from './context.js';
import type { Secret } from '../domain/types.js';
import { findSecret } from './context.js';
import { describeView } from '../domain/views.js';
import { viewCache } from '../protocol/JsonBody.js';
import { andThen } from '../store/Store.js';

const describeBody = viewCache((s: Secret) => describeView(s));

/** Works on secrets scheduled for deletion (DeletedDate is shown) [LS-val]; only fields with a value [M]. */
export const DescribeSecret: Handler<{ SecretId: string }> = (input, ctx) => andThen(findSecret(ctx, input.SecretId), (s) => describeBody(s, undefined));
