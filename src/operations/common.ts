import { InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import type { SecretValue } from '../domain/versions.js';

/** SecretString xor SecretBinary ("Either SecretString or SecretBinary must have a value, but not both" [M]). */
export function valueOf(input: { SecretString?: string; SecretBinary?: Buffer }): SecretValue | undefined {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) throw InvalidParameter(MSG.bothValues);
  if (input.SecretString !== undefined) return { secretString: input.SecretString };
  if (input.SecretBinary !== undefined) return { secretBinary: input.SecretBinary };
  return undefined;
}

export const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);
