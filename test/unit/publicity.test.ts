import { describe, expect, it } from 'vitest';
import { grantsOutsider } from '../../src/auth/publicity.js';
import { parsePolicy, publicStatements, validatePolicy } from '../../src/domain/policy.js';

/**
 * "Public" for BlockPublicPolicy and ValidateResourcePolicy, decided by the request evaluator: a statement that lets
 * a principal of another account perform a Secrets Manager action on the secret, without a condition restricting
 * who or from where.
 */
const OWNER = '111111111111';
const isPublic = (statement: object) =>
  publicStatements(
    parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [statement] })),
    grantsOutsider(OWNER),
  ).length === 1;
const allow = (Principal: unknown, Action: unknown = 'secretsmanager:GetSecretValue', extra: object = {}) => ({
  Effect: 'Allow',
  Principal,
  Action,
  Resource: '*',
  ...extra,
});

describe('public statements, by the evaluator', () => {
  it.each([
    ['Principal "*"', allow('*'), true],
    ['AWS "*"', allow({ AWS: '*' }), true],
    ['an action wildcard with AWS "*"', allow({ AWS: '*' }, 'secretsmanager:Get*'), true],
    ['NotPrincipal in an Allow: everyone else', { Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'secretsmanager:*', Resource: '*' }, true], // prettier-ignore
    ['the owner account', allow({ AWS: `arn:aws:iam::${OWNER}:root` }), false],
    ['one named other account', allow({ AWS: '222222222222' }), false],
    ['a user of the owner account', allow({ AWS: `arn:aws:iam::${OWNER}:user/app` }), false],
    ['a service principal', allow({ Service: 'lambda.amazonaws.com' }), false],
    ['no Secrets Manager action', allow('*', 'kms:Decrypt'), false],
    ['NotAction leaving Secrets Manager actions', allow('*', undefined, { Action: undefined, NotAction: 'secretsmanager:DeleteSecret' }), true], // prettier-ignore
    ['a Deny', { Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*', Resource: '*' }, false],
    ['a condition on the source IP', allow('*', undefined, { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), false], // prettier-ignore
    ['a condition on the principal account', allow('*', undefined, { Condition: { StringEquals: { 'aws:PrincipalAccount': OWNER } } }), false], // prettier-ignore
    ['a condition on something else', allow('*', undefined, { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), true], // prettier-ignore
  ])('%s: public %s', (_name, statement, expected) => {
    expect(isPublic(JSON.parse(JSON.stringify(statement)) as object)).toBe(expected);
  });

  it('ValidateResourcePolicy reports a public statement as BROAD_ACCESS', () => {
    const doc = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [allow({ AWS: '*' })] }));
    expect(validatePolicy(doc, grantsOutsider(OWNER)).map((f) => f.CheckName)).toEqual(['BROAD_ACCESS']);
  });
});
