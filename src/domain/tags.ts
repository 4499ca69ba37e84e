import type { Tag } from './types.js';
import { InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

/** "Maximum number of tags per secret: 50" [Doc TagResource]. */
export const MAX_TAGS = 50;

/** Merges `add` into `existing` by key (keys are case-sensitive; a repeated key replaces the value in place) [M; moto test]. */
export function mergeTags(existing: readonly Tag[] | undefined, add: readonly Tag[]): Tag[] {
  const out = existing ? existing.map((t) => ({ ...t })) : [];
  for (const t of add) {
    if (t.Key === undefined) throw InvalidParameter(MSG.tagWithoutKey);
    if (t.Key.toLowerCase().startsWith('aws:')) throw InvalidParameter(MSG.reservedTagPrefix);
    const value = t.Value ?? '';
    const found = out.find((o) => o.Key === t.Key);
    if (found) found.Value = value;
    else out.push({ Key: t.Key, Value: value });
  }
  if (out.length > MAX_TAGS) throw InvalidParameter(MSG.tooManyTags);
  // An array grown by push keeps spare capacity (17 slots for 1 to 17 tags); stored, it is copied to size.
  return out.slice();
}

/** Removing tags leaves "Tags": [] rather than no Tags at all [LS-val test_secret_tags]. */
export function removeTags(existing: readonly Tag[] | undefined, keys: readonly string[]): Tag[] {
  const drop = new Set(keys);
  return (existing ?? []).filter((t) => !drop.has(t.Key));
}
