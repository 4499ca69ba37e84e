import { describe, expect, it } from 'vitest';
import {
  accessDay,
  assertNotDeleted,
  isPurgeable,
  planDeletion,
  restore,
  scheduleDeletion,
} from '../../src/domain/lifecycle.js';
import { newSecret } from '../../src/domain/secret.js';
import { decodeToken, encodeToken } from '../../src/domain/pagination.js';
import { nameOfSecretId, parseSecretId } from '../../src/domain/arn.js';
import { ServiceError } from '../../src/errors/ServiceError.js';

const DAY = 86_400_000;
const error = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ServiceError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
};

describe('deletion lifecycle', () => {
  it('plans a deletion: the range first, then force and window together, default 30 days', () => {
    expect(planDeletion(undefined, undefined)).toEqual({ kind: 'schedule', days: 30 });
    expect(planDeletion(7, false)).toEqual({ kind: 'schedule', days: 7 });
    expect(planDeletion(undefined, true)).toEqual({ kind: 'force' });
    const range =
      'InvalidParameterException: The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).';
    expect(error(() => planDeletion(6, undefined))).toBe(range);
    expect(error(() => planDeletion(31, undefined))).toBe(range);
    expect(error(() => planDeletion(0, true))).toBe(range);
    expect(error(() => planDeletion(7, true))).toBe(
      "InvalidParameterException: You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    );
  });

  it('schedules, refuses value operations meanwhile, is gone after the window, and restores', () => {
    const s = newSecret('arn', 'x', 0);
    scheduleDeletion(s, 1_000, 7);
    expect(s.deletionDate).toBe(1_000 + 7 * DAY);
    expect(error(() => assertNotDeleted(s))).toBe(
      "InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion.",
    );
    expect(isPurgeable(s, 1_000 + 7 * DAY - 1)).toBe(false);
    expect(isPurgeable(s, 1_000 + 7 * DAY)).toBe(true);
    restore(s);
    expect(s.deletedDate).toBeUndefined();
    expect('deletedDate' in s && s.deletedDate === undefined).toBe(true); // cleared, not deleted (fixed shape)
    expect(error(() => assertNotDeleted(s))).toBe('no error');
  });

  it('records access at day resolution (midnight UTC)', () => {
    expect(accessDay(Date.UTC(2026, 0, 15, 23, 59, 59))).toBe(Date.UTC(2026, 0, 15));
    expect(accessDay(Date.UTC(2026, 0, 16))).toBe(Date.UTC(2026, 0, 16));
  });
});

describe('pagination tokens', () => {
  const isPos = (p: unknown): p is { after: string } =>
    typeof p === 'object' && p !== null && typeof (p as { after?: unknown }).after === 'string';
  it('round-trip for their own query only', () => {
    const t = encodeToken('ListSecrets:name:a', { after: 'x' });
    expect(decodeToken(t, 'ListSecrets:name:a', isPos)).toEqual({ after: 'x' });
    const bad = 'InvalidNextTokenException: The NextToken value is invalid.';
    expect(error(() => decodeToken(t, 'ListSecrets:name:d', isPos))).toBe(bad);
    expect(error(() => decodeToken('garbage!', 'ListSecrets:name:a', isPos))).toBe(bad);
    expect(error(() => decodeToken(encodeToken('ListSecrets:name:a', { after: 1 }), 'ListSecrets:name:a', isPos))).toBe(
      bad,
    );
  });
});

describe('SecretId', () => {
  it('is a name, a full ARN, or a partial ARN (no random suffix)', () => {
    expect(parseSecretId('app/db')).toEqual({ kind: 'name', name: 'app/db' });
    const full = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbC123';
    expect(parseSecretId(full)).toEqual({ kind: 'arn', arn: full });
    const partial = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db';
    expect(parseSecretId(partial)).toEqual({ kind: 'arn', arn: partial, partialName: 'app/db' });
    expect(nameOfSecretId(full)).toBe('app/db-AbC123');
    expect(nameOfSecretId('plain')).toBe('plain');
  });
});
