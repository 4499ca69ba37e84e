import type { Scope } from './types.js';
import type { Random } from '../random.js';

/** ASCII letters, digits and /_+=.@- [M CreateSecret Name; LS-val test_invalid_secret_name]. */
const NAME_CHARS = /^[A-Za-z0-9/_+=.@-]+$/;
export const isValidName = (name: string): boolean => NAME_CHARS.test(name);

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** AWS appends '-' and six random characters (observed: upper, lower and digits mixed, e.g. 86zArI). */
export function newSecretArn(scope: Scope, name: string, random: Random): string {
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += SUFFIX_ALPHABET[random.int(SUFFIX_ALPHABET.length)];
  return `${arnPrefix(scope)}${name}-${suffix}`;
}

export const arnPrefix = (scope: Scope): string =>
  `arn:${partitionOf(scope.region)}:secretsmanager:${scope.region}:${scope.accountId}:secret:`;

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * How a SecretId names a secret. A name is looked up by name. An ARN is looked up exactly; when no
 * secret has that ARN it is read as a partial ARN (no random suffix): the part after `secret:` is
 * the name, and the secret's ARN must start with the given one followed by '-'
 * [Doc troubleshoot#ARN_secretnamehyphen].
 */
export type SecretRef =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'arn'; readonly arn: string; readonly name: string };

export function parseSecretId(id: string): SecretRef {
  if (id.startsWith('arn:')) {
    const i = id.indexOf(':secret:');
    if (i > 0) return { kind: 'arn', arn: id, name: id.slice(i + ':secret:'.length) };
    return { kind: 'arn', arn: id, name: '' };
  }
  return { kind: 'name', name: id };
}
