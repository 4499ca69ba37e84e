import type { Handler } from './context.js';
import { findSecret } from './context.js';
import { decodeToken, encodeToken } from '../domain/pagination.js';
import { epoch, sortedStages } from '../domain/views.js';

/** The AWS managed key shows as this name in KmsKeyIds [LS-val]. */
const DEFAULT_KEY_NAME = 'DefaultEncryptionKey';

const isPosition = (p: unknown): p is { after: string } =>
  typeof p === 'object' && p !== null && typeof (p as { after?: unknown }).after === 'string';

/**
 * Versions oldest first [LS-val snapshot order]; unlabelled (deprecated) ones only with IncludeDeprecated,
 * and then without a VersionStages key [LS-val test_deprecated_secret_version_stage].
 */
export const ListSecretVersionIds = (async (input, ctx) => {
  const s = await findSecret(ctx, input.SecretId);
  const visible = s.versions.filter((v) => input.IncludeDeprecated || v.stages.length > 0);
  let start = 0;
  if (input.NextToken !== undefined) {
    const { after } = decodeToken(input.NextToken, `ListSecretVersionIds:${s.arn}`, isPosition);
    const i = s.versions.findIndex((v) => v.id === after);
    // A version pruned since the last page: resume at the next one by creation order.
    start = i >= 0 ? visible.findIndex((v) => s.versions.indexOf(v) > i) : 0;
    if (start < 0) start = visible.length;
  }
  const limit = input.MaxResults ?? 100;
  const page = visible.slice(start, start + limit);
  const more = start + limit < visible.length;
  return {
    Versions: page.map((v) => ({
      VersionId: v.id,
      VersionStages: v.stages.length > 0 ? sortedStages(v) : undefined,
      LastAccessedDate: epoch(v.lastAccessedDate),
      CreatedDate: epoch(v.createdDate),
      KmsKeyIds: [v.kmsKeyId ?? DEFAULT_KEY_NAME],
    })),
    NextToken: more ? encodeToken(`ListSecretVersionIds:${s.arn}`, { after: page[page.length - 1]!.id }) : undefined,
    ARN: s.arn,
    Name: s.name,
  };
}) satisfies Handler<'ListSecretVersionIds'>;
