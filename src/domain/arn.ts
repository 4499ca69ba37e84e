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
  // join() builds one flat string; a template literal would keep a tree of parts (about 100 bytes more per secret).
  return [arnPrefix(scope), name, '-', suffix].join('');
}

/** Region names as AWS writes them (`us-east-1`, `us-gov-west-1`): what a SigV4 credential scope may name. */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export const isRegionName = (region: string): boolean => REGION_NAME.test(region);

/** The account an ARN names (its fifth field), or undefined. */
export function accountOfArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account ? account : undefined;
}

/**
 * The scope a SecretId reaches: a full ARN naming another (12-digit) account is that account's secret, in the same
 * Region (cross-account access); anything else is the caller's.
 */
export function scopeOfSecretId(id: string, scope: Scope): Scope {
  if (!id.startsWith('arn:')) return scope;
  const account = accountOfArn(id);
  return account && /^\d{12}$/.test(account) && account !== scope.accountId
    ? { accountId: account, region: scope.region }
    : scope;
}

export const arnPrefix = (scope: Scope): string =>
  `arn:${partitionOf(scope.region)}:secretsmanager:${scope.region}:${scope.accountId}:secret:`;

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * How a SecretId names a secret. A name is looked up by name. An ARN is looked up exactly; when it does
 * not end in '-' and six characters it may also be a partial ARN (no random suffix): then the part after
 * `secret:` is the name, and the secret's ARN must start with the given one followed by '-'. An ARN whose
 * name ends like a suffix is only ever matched exactly, which is why AWS cannot find a secret named
 * `x-a1b2c3` by its partial ARN [Doc troubleshoot#ARN_secretnamehyphen; LS-val].
 */
export type SecretRef =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'arn'; readonly arn: string; readonly partialName?: string };

const SUFFIX = /-[A-Za-z0-9]{6}$/;

export function parseSecretId(id: string): SecretRef {
  if (id.startsWith('arn:')) {
    const i = id.indexOf(':secret:');
    const rest = i > 0 ? id.slice(i + ':secret:'.length) : '';
    return rest && !SUFFIX.test(rest) ? { kind: 'arn', arn: id, partialName: rest } : { kind: 'arn', arn: id };
  }
  return { kind: 'name', name: id };
}

/** The name a SecretId gives, for answers about secrets that do not exist (a forced delete of nothing). */
export function nameOfSecretId(id: string): string {
  const i = id.indexOf(':secret:');
  return id.startsWith('arn:') && i > 0 ? id.slice(i + ':secret:'.length) : id;
}
