import type { Tag } from './types.js';
import { InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

/** "Maximum number of tags per secret: 50" [Doc TagResource]. */
export const MAX_TAGS = 50;

/**
 * Tags repeat across secrets (env=prod, team=payments): equal tags share one frozen object, as the strings
 * in them. Bounded: past INTERNED distinct tags, new ones get objects of their own.
 */
const INTERNED = 4096;
const interned = new Map<string, Tag>();

/** The value `table` holds for `id`, else `make()`, kept while the table has fewer than INTERNED entries. */
function intern<T>(table: Map<string, T>, id: string, make: () => T): T {
  const known = table.get(id);
  if (known !== undefined) return known;
  const made = make();
  if (table.size < INTERNED) table.set(id, made);
  return made;
}

export function tag(Key: string, Value: string): Tag {
  return intern(interned, `${Key}\u0000${Value}`, () => Object.freeze({ Key, Value }));
}

/**
 * Whole tag lists repeat as well (every secret of a team carries the same env, team and owner tags): equal
 * lists share one array. Bounded as the tags are. Not frozen (the readonly types keep them unchanged): V8's
 * array builtins take a slow path on frozen arrays, which made tag filters 50 % slower.
 */
const lists = new Map<string, readonly Tag[]>();
const NO_TAGS: readonly Tag[] = [];

function tagList(tags: Tag[]): readonly Tag[] {
  if (tags.length === 0) return NO_TAGS;
  let id = '';
  for (const t of tags) id += `${t.Key}\u0000${t.Value}\u0001`;
  // An array grown by push keeps spare capacity (17 slots for 1 to 17 tags): stored, it is copied to size.
  return intern(lists, id, (): readonly Tag[] => tags.slice());
}

/** A tag as a request carries it: the model leaves both members optional. */
export interface TagInput {
  Key?: string;
  Value?: string;
}

/**
 * Merges `add` into `existing` by key (keys are case-sensitive; a repeated key replaces the value in place)
 * [M; moto test].
 */
export function mergeTags(existing: readonly Tag[] | undefined, add: readonly TagInput[]): readonly Tag[] {
  const out = existing ? existing.slice() : [];
  for (const t of add) {
    if (t.Key === undefined) throw InvalidParameter(MSG.tagWithoutKey);
    if (t.Key.toLowerCase().startsWith('aws:')) throw InvalidParameter(MSG.reservedTagPrefix);
    const at = out.findIndex((o) => o.Key === t.Key);
    const next = tag(t.Key, t.Value ?? '');
    if (at >= 0) out[at] = next;
    else out.push(next);
  }
  if (out.length > MAX_TAGS) throw InvalidParameter(MSG.tooManyTags);
  return tagList(out);
}

/** Removing tags leaves "Tags": [] rather than no Tags at all [LS-val test_secret_tags]. */
export function removeTags(existing: readonly Tag[] | undefined, keys: readonly string[]): readonly Tag[] {
  const drop = new Set(keys);
  return tagList((existing ?? []).filter((t) => !drop.has(t.Key)));
}
