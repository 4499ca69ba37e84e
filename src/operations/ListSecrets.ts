import type { Handler } from './context.js';
import { LIST_PAGE_DEFAULT, pageSecrets } from './reads.js';

/** A page of snapshots; protocol/answers.ts writes their entries (SecretVersionsToStages, no values). */
export const ListSecrets = (async (input, ctx) => {
  const page = await pageSecrets(ctx, {
    filters: input.Filters,
    includePlannedDeletion: input.IncludePlannedDeletion,
    sortBy: input.SortBy,
    sortOrder: input.SortOrder,
    limit: input.MaxResults ?? LIST_PAGE_DEFAULT,
    nextToken: input.NextToken,
    tokenKind: 'ListSecrets',
  });
  return { secrets: page.secrets, nextToken: page.nextToken };
}) satisfies Handler<'ListSecrets'>;
