import { describe, expect, it } from 'vitest';
import { parsePolicy, publicStatements, validatePolicy } from '../../src/domain/policy.js';
import { ServiceError } from '../../src/errors/ServiceError.js';

const malformed = (text: string) => {
  try {
    parsePolicy(text);
  } catch (e) {
    return (
      e instanceof ServiceError &&
      e.code === 'MalformedPolicyDocumentException' &&
      e.message === 'This policy has invalid syntax.'
    );
  }
  return false;
};
const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const allowAll = { Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' };

describe('resource policies', () => {
  it('refuses what is not an IAM policy document', () => {
    for (const bad of [
      'not json',
      '[]',
      '{}',
      '{"Statement":[]}',
      '{"Version":"2020-01-01","Statement":[{"Effect":"Allow","Action":"*"}]}',
      doc({ Effect: 'Maybe', Action: '*' }),
      doc({ Effect: 'Allow' }),
      doc({ Effect: 'Allow', Action: '*', Extra: 1 }),
    ]) {
      expect(malformed(bad), bad).toBe(true);
    }
    expect(malformed(doc(allowAll))).toBe(false);
  });

  it('finds public statements: a wildcard principal without a restricting condition', () => {
    expect(publicStatements(parsePolicy(doc(allowAll)))).toHaveLength(1);
    const restricted = { ...allowAll, Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } } };
    expect(publicStatements(parsePolicy(doc(restricted)))).toHaveLength(0);
    const named = { ...allowAll, Principal: { AWS: 'arn:aws:iam::111111111111:root' } };
    expect(publicStatements(parsePolicy(doc(named)))).toHaveLength(0);
  });

  it('validation reports broad access and lock-outs', () => {
    expect(validatePolicy(parsePolicy(doc(allowAll))).map((f) => f.CheckName)).toEqual(['BROAD_ACCESS']);
    const lockout = { Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*', Resource: '*' };
    expect(validatePolicy(parsePolicy(doc(lockout))).map((f) => f.CheckName)).toEqual(['LOCKOUT']);
    expect(validatePolicy(parsePolicy(doc({ ...allowAll, Principal: { AWS: '111111111111' } })))).toEqual([]);
  });
});
