import type { Handler } from './context.js';
import type { Secret } from '../domain/types.js';
import { compileFilters, type Filter } from '../domain/filters.js';
import { isPurgeable } from '../domain/lifecycle.js';
import { decodeToken, encodeToken } from '../domain/pagination.js';
import { listEntryView } from '../domain/views.js';
import type { Cursor, SortKey } from '../store/Store.js';
import { JsonList, viewCache } from '../protocol/JsonBody.js';

const entryBody = viewCache((s: Secret) => listEntryView(s));

interface Input {
  IncludePlannedDeletion?: boolean;
  MaxResults?: number;
  NextToken?: string;
  Filters?: Filter[];
  SortOrder?: 'asc' | 'desc';
  SortBy?: SortKey;
}

/** MaxResults default and cap [M MaxResultsType 1..100]. */
export const LIST_PAGE_DEFAULT = 100;
/**
 * Secrets examined per call at most. A page may come back short or empty, with a NextToken, when a filter
 * matches few secrets ("ListSecrets might return fewer results than the maximum even when there are more" [M]):
 * the cost of one call stays flat whatever the number of secrets.
 */
export const LIST_SCAN_LIMIT = 2_000;

const isCursor = (p: unknown): p is Cursor =>
  typeof p === 'object' && p !== null && typeof (p as Cursor).arn === 'string' &&
  (typeof (p as Cursor).value === 'string' || typeof (p as Cursor).value === 'number');

export interface SecretPage {
  items: Secret[];
  nextToken?: string;
  /** see ListPage.withValues */
  withValues?: boolean;
}

/** One page of secrets in sort order, shared by ListSecrets and BatchGetSecretValue. */
export async function pageSecrets(
  ctx: Parameters<Handler>[1],
  q: { filters?: Filter[]; includePlannedDeletion?: boolean; sortBy?: SortKey; sortOrder?: 'asc' | 'desc'; limit: number; nextToken?: string; tokenKind: string },
): Promise<SecretPage> {
  const sortBy = q.sortBy ?? 'created-date';
  // Default direction: ascending by CreatedDate ("Secrets are listed by CreatedDate" [M]; direction unverified).
  const descending = q.sortOrder === 'desc';
  const kind = `${q.tokenKind}:${sortBy}:${descending ? 'd' : 'a'}`;
  const after = q.nextToken === undefined ? undefined : decodeToken(q.nextToken, kind, isCursor);
  const matches = compileFilters(q.filters);
  const now = ctx.clock.now();
  const filter = (s: Secret) =>
    !isPurgeable(s, now) && (q.includePlannedDeletion || s.deletedDate === undefined) && matches(s);
  const page = await ctx.store.list(ctx.scope, { sortBy, descending, after, limit: q.limit, scanLimit: LIST_SCAN_LIMIT, filter });
  return { items: page.items, nextToken: page.next ? encodeToken(kind, page.next) : undefined, withValues: page.withValues };
}

export const ListSecrets: Handler<Input> = async (input, ctx) => {
  const page = await pageSecrets(ctx, {
    filters: input.Filters,
    includePlannedDeletion: input.IncludePlannedDeletion,
    sortBy: input.SortBy,
    sortOrder: input.SortOrder,
    limit: input.MaxResults ?? LIST_PAGE_DEFAULT,
    nextToken: input.NextToken,
    tokenKind: 'ListSecrets',
  });
  // Entries are serialized once per snapshot (see viewCache), and never joined here: the HTTP layer writes them
  // out one after the other (see JsonList).
  const n = page.items.length;
  const entries = new Array<string>(n);
  for (let i = 0; i < n; i++) entries[i] = entryBody(page.items[i]!, undefined).json;
  const tail = page.nextToken === undefined ? ']}' : `],"NextToken":${JSON.stringify(page.nextToken)}}`;
  return new JsonList('{"SecretList":[', entries, tail);
};
