import type { GetRandomPasswordRequest } from '../model/types.js';
import type { Random } from '../random.js';
import { InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
/** The 32 ASCII punctuation characters [M GetRandomPassword ExcludePunctuation] */
export const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
export const DEFAULT_PASSWORD_LENGTH = 32; // [M]

/** GetRandomPassword's options, as the model defines them. */
export type PasswordOptions = GetRandomPasswordRequest;

/**
 * A password drawn uniformly (crypto randomInt: no modulo bias) from the allowed characters. By default
 * it holds at least one character of every included type [M: "If you don't include this switch, the
 * password contains at least one of every character type"]; a type whose characters are all excluded
 * is not included.
 */
export function generatePassword(o: PasswordOptions, random: Random): string {
  const length = o.PasswordLength ?? DEFAULT_PASSWORD_LENGTH;
  const excluded = new Set(o.ExcludeCharacters ?? '');
  const keep = (chars: string) => [...chars].filter((c) => !excluded.has(c)).join('');
  const classes = [
    o.ExcludeUppercase ? '' : keep(UPPER),
    o.ExcludeLowercase ? '' : keep(LOWER),
    o.ExcludeNumbers ? '' : keep(DIGITS),
    o.ExcludePunctuation ? '' : keep(PUNCTUATION),
    o.IncludeSpace ? keep(' ') : '',
  ].filter((c) => c.length > 0);
  const pool = classes.join('');
  if (pool.length === 0) throw InvalidParameter(MSG.passwordNoCharacters);
  const requireEach = o.RequireEachIncludedType ?? true;
  if (requireEach && length < classes.length) throw InvalidParameter(MSG.passwordTooShort);
  const chars: string[] = [];
  if (requireEach) for (const c of classes) chars.push(c[random.int(c.length)]!);
  while (chars.length < length) chars.push(pool[random.int(pool.length)]!);
  // Fisher-Yates, so the required characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
