import { describe, expect, it } from 'vitest';
import {
  authorize,
  compileCached,
  compilePolicy,
  deniedMessage,
  type ConditionContext,
  type DenyReason,
} from '../../src/auth/evaluate.js';
import { compileGlob, matchGlob, parseCidr } from '../../src/auth/conditions.js';
import type { Principal } from '../../src/auth/principal.js';
import { parseIdentityPolicy, parsePolicy } from '../../src/domain/policy.js';
import { ServiceError } from '../../src/errors/ServiceError.js';

// Cases follow AWS's "Policy evaluation logic", "Cross-account policy evaluation logic", "IAM JSON policy elements:
// Principal / NotPrincipal / Resource / Condition operators", "Conditions with multiple context keys or values",
// "Multivalued context key examples" and "IAM policy elements: Variables and tags" (docs.aws.amazon.com/IAM/...).

const A = '111111111111';
const B = '222222222222';
const SECRET = `arn:aws:secretsmanager:us-east-1:${A}:secret:prod/db-AbCdEf`;
const DEV_SECRET = `arn:aws:secretsmanager:us-east-1:${A}:secret:dev/db-AbCdEf`;
const GET = 'secretsmanager:GetSecretValue';

const principal = (over: Partial<Principal> & Pick<Principal, 'arn'>): Principal => ({
  accountId: A,
  userId: 'AIDAEXAMPLE',
  accessKeyId: 'AKIAEXAMPLE',
  tags: {},
  policies: [],
  type: 'IAMUser',
  ...over,
});
const alice = principal({ arn: `arn:aws:iam::${A}:user/alice`, userId: 'AIDAALICE', tags: { Team: 'db' } });
const carol = principal({ arn: `arn:aws:iam::${A}:user/ops/carol`, userId: 'AIDACAROL' });
const session = principal({
  arn: `arn:aws:sts::${A}:assumed-role/Reader/build-42`,
  roleArn: `arn:aws:iam::${A}:role/Reader`,
  userId: 'AROAREADER:build-42',
  type: 'AssumedRole',
});
const bob = principal({ arn: `arn:aws:iam::${B}:user/bob`, accountId: B, userId: 'AIDABOB' });
const bobSession = principal({
  arn: `arn:aws:sts::${B}:assumed-role/Auditor/app`,
  roleArn: `arn:aws:iam::${B}:role/Auditor`,
  accountId: B,
  userId: 'AROAAUDITOR:app',
  type: 'AssumedRole',
});
const root = principal({ arn: `arn:aws:iam::${A}:root`, userId: A, type: 'Root' });

type Json = Record<string, unknown>;
const policy = (...Statement: Json[]) => ({ Version: '2012-10-17', Statement });
const allow = (extra: Json = {}): Json => ({ Effect: 'Allow', Action: GET, Resource: '*', ...extra });
const deny = (extra: Json = {}): Json => ({ Effect: 'Deny', Action: GET, Resource: '*', ...extra });
/** resource-policy statements */
const rAllow = (Principal: unknown, extra: Json = {}): Json => ({ ...allow(extra), Principal });
const rDeny = (Principal: unknown, extra: Json = {}): Json => ({ ...deny(extra), Principal });

interface Case {
  name: string;
  who?: Principal;
  identity?: Json[];
  resource?: Json[];
  action?: string;
  arn?: string;
  account?: string;
  context?: Record<string, string | string[]>;
  version?: string;
  expect: 'allow' | DenyReason;
}

const when = (key: string, op: string, value: unknown): Json => ({ Condition: { [op]: { [key]: value } } });

const cases: Case[] = [
  // Evaluation basics, single account
  { name: 'implicit deny without any policy', expect: 'no-identity' },
  { name: 'identity Allow suffices', identity: [allow()], expect: 'allow' },
  { name: 'explicit identity Deny beats an Allow', identity: [allow(), deny()], expect: 'explicit-identity' },
  {
    name: 'explicit resource Deny beats an identity Allow',
    identity: [allow()],
    resource: [rDeny('*')],
    expect: 'explicit-resource',
  },
  {
    name: 'explicit resource Deny beats a resource Allow to everyone',
    resource: [rAllow('*'), rDeny({ AWS: alice.arn })],
    expect: 'explicit-resource',
  },
  { name: 'resource Allow naming the user suffices', resource: [rAllow({ AWS: alice.arn })], expect: 'allow' },
  { name: 'resource Allow to "*" suffices in the account', resource: [rAllow('*')], expect: 'allow' },
  { name: 'resource Allow to {"AWS":"*"} suffices', resource: [rAllow({ AWS: '*' })], expect: 'allow' },
  {
    name: 'account principal delegates to IAM: no identity Allow',
    resource: [rAllow({ AWS: A })],
    expect: 'no-identity',
  },
  {
    name: 'account root ARN delegates to IAM too',
    resource: [rAllow({ AWS: `arn:aws:iam::${A}:root` })],
    expect: 'no-identity',
  },
  {
    name: 'account principal with an identity Allow',
    identity: [allow()],
    resource: [rAllow({ AWS: A })],
    expect: 'allow',
  },
  {
    name: 'role ARN in a resource policy matches its sessions',
    who: session,
    resource: [rAllow({ AWS: session.roleArn })],
    expect: 'allow',
  },
  {
    name: 'session ARN in a resource policy matches that session',
    who: session,
    resource: [rAllow({ AWS: session.arn })],
    expect: 'allow',
  },
  {
    name: 'another session of the role is not named',
    who: session,
    resource: [rAllow({ AWS: `arn:aws:sts::${A}:assumed-role/Reader/other` })],
    expect: 'no-identity',
  },
  {
    name: 'another user is not named',
    who: carol,
    resource: [rAllow({ AWS: alice.arn })],
    expect: 'no-identity',
  },
  {
    name: 'service principals never match a user',
    resource: [rAllow({ Service: 'secretsmanager.amazonaws.com' })],
    expect: 'no-identity',
  },
  { name: 'the root user needs no policy in its account', who: root, expect: 'allow' },
  { name: 'the root user is still explicitly denied', who: root, resource: [rDeny('*')], expect: 'explicit-resource' },

  // Cross-account
  { name: 'cross-account: identity Allow alone', who: bob, identity: [allow()], expect: 'no-resource' },
  {
    name: 'cross-account: resource Allow alone',
    who: bob,
    resource: [rAllow({ AWS: bob.arn })],
    expect: 'no-identity',
  },
  {
    name: 'cross-account: both allow',
    who: bob,
    identity: [allow()],
    resource: [rAllow({ AWS: bob.arn })],
    expect: 'allow',
  },
  {
    name: "cross-account: the caller's account named, identity allows",
    who: bob,
    identity: [allow()],
    resource: [rAllow({ AWS: B })],
    expect: 'allow',
  },
  {
    name: "cross-account: the caller's root ARN named, no identity Allow",
    who: bob,
    resource: [rAllow({ AWS: `arn:aws:iam::${B}:root` })],
    expect: 'no-identity',
  },
  {
    name: 'cross-account: role named, session calls',
    who: bobSession,
    identity: [allow()],
    resource: [rAllow({ AWS: bobSession.roleArn })],
    expect: 'allow',
  },
  {
    name: 'cross-account: another account named',
    who: bob,
    identity: [allow()],
    resource: [rAllow({ AWS: '333333333333' })],
    expect: 'no-resource',
  },
  {
    name: 'cross-account: "*" is the resource side',
    who: bob,
    identity: [allow()],
    resource: [rAllow('*')],
    expect: 'allow',
  },
  {
    name: 'cross-account: a Deny on either side wins',
    who: bob,
    identity: [allow(), deny()],
    resource: [rAllow('*')],
    expect: 'explicit-identity',
  },

  // NotAction, NotResource, NotPrincipal
  {
    name: 'NotAction Allow covers other actions',
    identity: [{ Effect: 'Allow', NotAction: 'secretsmanager:DeleteSecret', Resource: '*' }],
    expect: 'allow',
  },
  {
    name: 'NotAction Allow excludes its action',
    identity: [{ Effect: 'Allow', NotAction: 'secretsmanager:Get*', Resource: '*' }],
    expect: 'no-identity',
  },
  {
    name: 'NotAction Deny denies all but the listed',
    identity: [allow(), { Effect: 'Deny', NotAction: 'secretsmanager:DescribeSecret', Resource: '*' }],
    expect: 'explicit-identity',
  },
  {
    name: 'NotResource Allow excludes prod',
    identity: [{ Effect: 'Allow', Action: GET, NotResource: `arn:aws:secretsmanager:*:${A}:secret:prod/*` }],
    expect: 'no-identity',
  },
  {
    name: 'NotResource Allow covers dev',
    arn: DEV_SECRET,
    identity: [{ Effect: 'Allow', Action: GET, NotResource: `arn:aws:secretsmanager:*:${A}:secret:prod/*` }],
    expect: 'allow',
  },
  {
    name: 'NotPrincipal Deny spares the user listed with its account',
    identity: [allow()],
    resource: [{ ...deny(), NotPrincipal: { AWS: [alice.arn, `arn:aws:iam::${A}:root`] } }],
    expect: 'allow',
  },
  {
    name: 'NotPrincipal Deny hits everyone else',
    who: carol,
    identity: [allow()],
    resource: [{ ...deny(), NotPrincipal: { AWS: [alice.arn, `arn:aws:iam::${A}:root`] } }],
    expect: 'explicit-resource',
  },
  {
    name: 'NotPrincipal Deny without the account ARN denies the account (and the user)',
    identity: [allow()],
    resource: [{ ...deny(), NotPrincipal: { AWS: alice.arn } }],
    expect: 'explicit-resource',
  },
  {
    name: 'NotPrincipal Deny spares a session listed with its role and account',
    who: session,
    identity: [allow()],
    resource: [{ ...deny(), NotPrincipal: { AWS: [session.arn, session.roleArn, A] } }],
    expect: 'allow',
  },

  // Action and resource wildcards
  { name: 'action wildcard *', identity: [allow({ Action: 'secretsmanager:Get*' })], expect: 'allow' },
  { name: 'action "*"', identity: [allow({ Action: '*' })], expect: 'allow' },
  {
    name: 'actions are case-insensitive',
    identity: [allow({ Action: 'SecretsManager:getsecretVALUE' })],
    expect: 'allow',
  },
  {
    name: 'action ? is one character',
    identity: [allow({ Action: 'secretsmanager:???SecretValue' })],
    expect: 'allow',
  },
  {
    name: 'action ? is exactly one character',
    identity: [allow({ Action: 'secretsmanager:??SecretValue' })],
    expect: 'no-identity',
  },
  {
    name: 'another service prefix',
    identity: [allow({ Action: 'kms:GetSecretValue' })],
    expect: 'no-identity',
  },
  {
    name: 'resources are case-sensitive',
    identity: [allow({ Resource: `arn:aws:secretsmanager:us-east-1:${A}:secret:Prod/*` })],
    expect: 'no-identity',
  },
  {
    name: 'resource ? wildcards: the six-character suffix',
    identity: [allow({ Resource: `arn:aws:secretsmanager:us-east-1:${A}:secret:prod/db-??????` })],
    expect: 'allow',
  },
  {
    name: 'resource * may run past colons',
    identity: [allow({ Resource: 'arn:aws:secretsmanager:*' })],
    expect: 'allow',
  },
  {
    name: 'resource wildcards in several segments',
    identity: [allow({ Resource: `arn:aws:secretsmanager:*:${A}:secret:prod/*` })],
    expect: 'allow',
  },
  {
    name: 'resource in another account',
    identity: [allow({ Resource: `arn:aws:secretsmanager:*:${B}:secret:*` })],
    expect: 'no-identity',
  },

  // Conditions: operators
  {
    name: 'StringEquals on a resource tag, equal',
    identity: [allow(when('secretsmanager:ResourceTag/env', 'StringEquals', 'prod'))],
    context: { 'secretsmanager:resourcetag/env': 'prod' },
    expect: 'allow',
  },
  {
    name: 'StringEquals is case-sensitive in values',
    identity: [allow(when('secretsmanager:ResourceTag/env', 'StringEquals', 'prod'))],
    context: { 'secretsmanager:resourcetag/env': 'Prod' },
    expect: 'no-identity',
  },
  {
    name: 'StringEquals with the key missing is false',
    identity: [allow(when('aws:ResourceTag/env', 'StringEquals', 'prod'))],
    expect: 'no-identity',
  },
  {
    name: 'condition keys are case-insensitive',
    identity: [allow(when('AWS:RESOURCETAG/ENV', 'StringEquals', 'prod'))],
    context: { 'aws:resourcetag/env': 'prod' },
    expect: 'allow',
  },
  {
    name: 'StringNotEquals with the key missing is true (Deny applies)',
    identity: [allow(), deny(when('aws:ResourceTag/owner', 'StringNotEquals', 'alice'))],
    expect: 'explicit-identity',
  },
  {
    name: 'StringNotEquals with several values is a NOR',
    identity: [allow(), deny(when('aws:PrincipalTag/team', 'StringNotEquals', ['db', 'sec']))],
    expect: 'allow',
  },
  {
    name: 'StringEqualsIgnoreCase',
    identity: [allow(when('secretsmanager:Name', 'StringEqualsIgnoreCase', 'PROD/DB'))],
    context: { 'secretsmanager:name': 'prod/db' },
    expect: 'allow',
  },
  {
    name: 'StringNotEqualsIgnoreCase',
    identity: [allow(when('secretsmanager:Name', 'StringNotEqualsIgnoreCase', 'PROD/DB'))],
    context: { 'secretsmanager:name': 'prod/db' },
    expect: 'no-identity',
  },
  {
    name: 'StringLike with wildcards',
    identity: [allow(when('secretsmanager:SecretId', 'StringLike', ['dev/*', 'prod/d?']))],
    context: { 'secretsmanager:secretid': 'prod/db' },
    expect: 'allow',
  },
  {
    name: 'StringNotLike in a Deny spares a match',
    identity: [allow(), deny(when('secretsmanager:VersionStage', 'StringNotLike', 'AWS*'))],
    context: { 'secretsmanager:versionstage': 'AWSCURRENT' },
    expect: 'allow',
  },
  {
    name: 'values of one key are ORed',
    identity: [allow(when('aws:ResourceTag/env', 'StringEquals', ['dev', 'prod']))],
    context: { 'aws:resourcetag/env': 'prod' },
    expect: 'allow',
  },
  {
    name: 'keys under one operator are ANDed',
    identity: [allow({ Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod', 'aws:ResourceTag/app': 'x' } } })],
    context: { 'aws:resourcetag/env': 'prod', 'aws:resourcetag/app': 'y' },
    expect: 'no-identity',
  },
  {
    name: 'operators are ANDed',
    identity: [
      allow({
        Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' }, Bool: { 'aws:SecureTransport': 'true' } },
      }),
    ],
    context: { 'aws:resourcetag/env': 'prod', 'aws:securetransport': 'true' },
    expect: 'allow',
  },
  {
    name: 'IfExists: a missing key is true',
    identity: [allow(when('aws:ResourceTag/env', 'StringEqualsIfExists', 'prod'))],
    expect: 'allow',
  },
  {
    name: 'IfExists: a present key is checked',
    identity: [allow(when('aws:ResourceTag/env', 'StringEqualsIfExists', 'prod'))],
    context: { 'aws:resourcetag/env': 'dev' },
    expect: 'no-identity',
  },
  {
    name: 'Null true: the key is absent',
    identity: [allow(when('aws:TokenIssueTime', 'Null', 'true'))],
    expect: 'allow',
  },
  {
    name: 'Null false: the key must be present',
    identity: [allow(when('aws:TokenIssueTime', 'Null', false))],
    expect: 'no-identity',
  },
  {
    name: 'ForAllValues: a subset of the allowed tag keys',
    identity: [allow(when('aws:TagKeys', 'ForAllValues:StringEquals', ['env', 'app']))],
    context: { 'aws:tagkeys': ['env'] },
    expect: 'allow',
  },
  {
    name: 'ForAllValues: a key outside the set',
    identity: [allow(when('aws:TagKeys', 'ForAllValues:StringEquals', ['env', 'app']))],
    context: { 'aws:tagkeys': ['env', 'owner'] },
    expect: 'no-identity',
  },
  {
    name: 'ForAllValues: a missing key is true',
    identity: [allow(when('aws:TagKeys', 'ForAllValues:StringEquals', ['env']))],
    expect: 'allow',
  },
  {
    name: 'ForAllValues: an empty set is true',
    identity: [allow(when('aws:TagKeys', 'ForAllValues:StringEquals', ['env']))],
    context: { 'aws:tagkeys': [] },
    expect: 'allow',
  },
  {
    name: 'ForAnyValue: one key in the set',
    identity: [allow(when('aws:TagKeys', 'ForAnyValue:StringEquals', ['env']))],
    context: { 'aws:tagkeys': ['owner', 'env'] },
    expect: 'allow',
  },
  {
    name: 'ForAnyValue: a missing key is false',
    identity: [allow(when('aws:TagKeys', 'ForAnyValue:StringEquals', ['env']))],
    expect: 'no-identity',
  },
  {
    name: 'ForAnyValue with IfExists: a missing key is true',
    identity: [allow(when('aws:TagKeys', 'ForAnyValue:StringEqualsIfExists', ['env']))],
    expect: 'allow',
  },
  {
    name: 'ForAllValues:StringNotLike Deny (docs): key1 tags only, not denied',
    identity: [allow(), deny(when('aws:TagKeys', 'ForAllValues:StringNotLike', 'key1*'))],
    context: { 'aws:tagkeys': ['key1:hr', 'key1:personnel'] },
    expect: 'allow',
  },
  {
    name: 'ForAllValues:StringNotLike Deny (docs): key2 tag, denied',
    identity: [allow(), deny(when('aws:TagKeys', 'ForAllValues:StringNotLike', 'key1*'))],
    context: { 'aws:tagkeys': ['key2:audit'] },
    expect: 'explicit-identity',
  },
  {
    name: 'ForAllValues:StringNotLike Deny (docs): no tag keys, denied',
    identity: [allow(), deny(when('aws:TagKeys', 'ForAllValues:StringNotLike', 'key1*'))],
    expect: 'explicit-identity',
  },
  {
    name: 'Bool: deny without TLS',
    identity: [allow(), deny(when('aws:SecureTransport', 'Bool', 'false'))],
    context: { 'aws:securetransport': 'false' },
    expect: 'explicit-identity',
  },
  {
    name: 'DateLessThan on aws:CurrentTime (ISO 8601)',
    identity: [allow(when('aws:CurrentTime', 'DateLessThan', '2030-01-01T00:00:00Z'))],
    context: { 'aws:currenttime': '2026-05-01T12:00:00Z' },
    expect: 'allow',
  },
  {
    name: 'DateGreaterThan against epoch seconds',
    identity: [allow(when('aws:CurrentTime', 'DateGreaterThan', '1893456000'))], // 2030-01-01
    context: { 'aws:currenttime': '2026-05-01T12:00:00Z' },
    expect: 'no-identity',
  },
  {
    name: 'DateNotEquals with the key missing is true',
    identity: [allow(when('aws:TokenIssueTime', 'DateNotEquals', '2020-01-01'))],
    expect: 'allow',
  },
  {
    name: 'NumericLessThanEquals',
    identity: [allow(when('secretsmanager:RecoveryWindowInDays', 'NumericLessThanEquals', 7))],
    context: { 'secretsmanager:recoverywindowindays': '7' },
    expect: 'allow',
  },
  {
    name: 'NumericGreaterThan',
    identity: [allow(when('secretsmanager:RecoveryWindowInDays', 'NumericGreaterThan', '7.5'))],
    context: { 'secretsmanager:recoverywindowindays': '7' },
    expect: 'no-identity',
  },
  {
    name: 'IpAddress: inside the IPv4 range',
    identity: [allow(when('aws:SourceIp', 'IpAddress', '203.0.113.0/24'))],
    context: { 'aws:sourceip': '203.0.113.77' },
    expect: 'allow',
  },
  {
    name: 'IpAddress: outside the IPv4 range',
    identity: [allow(when('aws:SourceIp', 'IpAddress', ['203.0.113.0/24', '198.51.100.7']))],
    context: { 'aws:sourceip': '198.51.100.8' },
    expect: 'no-identity',
  },
  {
    name: 'IpAddress: IPv6 range (docs example)',
    identity: [allow(when('aws:SourceIp', 'IpAddress', ['203.0.113.0/24', '2001:DB8:1234:5678::/64']))],
    context: { 'aws:sourceip': '2001:db8:1234:5678:abcd::1' },
    expect: 'allow',
  },
  {
    name: 'NotIpAddress Deny from elsewhere',
    identity: [allow(), deny(when('aws:SourceIp', 'NotIpAddress', '10.0.0.0/8'))],
    context: { 'aws:sourceip': '192.0.2.1' },
    expect: 'explicit-identity',
  },
  {
    name: 'ArnLike on aws:PrincipalArn: a session is its role',
    who: session,
    resource: [rAllow('*', when('aws:PrincipalArn', 'ArnLike', `arn:aws:iam::${A}:role/Read*`))],
    expect: 'allow',
  },
  {
    name: 'ArnLike matches component by component (docs example)',
    identity: [allow(when('aws:SourceArn', 'ArnLike', `arn:aws:someservice:*:${A}:finance/*`))],
    context: { 'aws:sourcearn': `arn:aws:someservice:us-east-2:999999999999:store/abc:${A}:finance/document.txt` },
    expect: 'no-identity',
  },
  {
    name: 'StringLike matches across colons (same docs example)',
    identity: [allow(when('aws:SourceArn', 'StringLike', `arn:aws:someservice:*:${A}:finance/*`))],
    context: { 'aws:sourcearn': `arn:aws:someservice:us-east-2:999999999999:store/abc:${A}:finance/document.txt` },
    expect: 'allow',
  },
  {
    name: 'ArnNotEquals',
    identity: [allow(when('aws:SourceArn', 'ArnNotEquals', SECRET))],
    context: { 'aws:sourcearn': SECRET },
    expect: 'no-identity',
  },
  {
    name: 'Deny outside the organization account (aws:PrincipalAccount)',
    who: bob,
    identity: [allow()],
    resource: [rAllow('*'), rDeny('*', when('aws:PrincipalAccount', 'StringNotEquals', A))],
    expect: 'explicit-resource',
  },
  {
    name: 'aws:PrincipalTag',
    identity: [allow(when('aws:PrincipalTag/team', 'StringEquals', 'db'))],
    expect: 'allow',
  },
  {
    name: 'aws:userid of a session',
    who: session,
    identity: [allow(when('aws:userid', 'StringLike', 'AROAREADER:*'))],
    expect: 'allow',
  },
  {
    name: 'aws:username is not present for a role session',
    who: session,
    identity: [allow(when('aws:username', 'StringLike', '*'))],
    expect: 'no-identity',
  },
  {
    name: 'aws:PrincipalType of a user',
    identity: [allow(when('aws:PrincipalType', 'StringEquals', 'User'))],
    expect: 'allow',
  },

  // Policy variables
  {
    name: '${aws:username} in Resource',
    arn: `arn:aws:secretsmanager:us-east-1:${A}:secret:home/alice/key-AbCdEf`,
    identity: [allow({ Resource: `arn:aws:secretsmanager:*:*:secret:home/\${aws:username}/*` })],
    expect: 'allow',
  },
  {
    name: "${aws:username} in Resource: another user's home",
    who: carol,
    arn: `arn:aws:secretsmanager:us-east-1:${A}:secret:home/alice/key-AbCdEf`,
    identity: [allow({ Resource: `arn:aws:secretsmanager:*:*:secret:home/\${aws:username}/*` })],
    expect: 'no-identity',
  },
  {
    name: '${aws:PrincipalTag/team} in Resource',
    arn: `arn:aws:secretsmanager:us-east-1:${A}:secret:db/x-AbCdEf`,
    identity: [allow({ Resource: 'arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team}/*' })],
    expect: 'allow',
  },
  {
    name: 'an unresolvable variable matches nothing',
    who: session,
    identity: [allow({ Resource: 'arn:aws:secretsmanager:*:*:secret:${aws:username}*' })],
    expect: 'no-identity',
  },
  {
    name: 'a variable default value',
    who: session,
    arn: `arn:aws:secretsmanager:us-east-1:${A}:secret:shared/x-AbCdEf`,
    identity: [allow({ Resource: "arn:aws:secretsmanager:*:*:secret:${aws:username, 'shared'}/*" })],
    expect: 'allow',
  },
  {
    name: '${aws:PrincipalAccount} in a condition value',
    identity: [allow(when('aws:ResourceAccount', 'StringEquals', '${aws:PrincipalAccount}'))],
    context: { 'aws:resourceaccount': A },
    expect: 'allow',
  },
  {
    name: '${*} is a literal asterisk',
    identity: [allow(when('secretsmanager:Name', 'StringLike', 'a${*}b'))],
    context: { 'secretsmanager:name': 'axb' },
    expect: 'no-identity',
  },
  {
    name: 'Version 2008-10-17: variables are literal text',
    version: '2008-10-17',
    identity: [allow(when('secretsmanager:Name', 'StringEquals', '${aws:username}'))],
    context: { 'secretsmanager:name': 'alice' },
    expect: 'no-identity',
  },
];

describe('authorize: cases from the IAM documentation', () => {
  it('has a table of at least 45 cases', () => expect(cases.length).toBeGreaterThanOrEqual(45));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const who = c.who ?? alice;
    const version = c.version ?? '2012-10-17';
    const p: Principal = c.identity ? { ...who, policies: [{ Version: version, Statement: c.identity }] } : who;
    const context: ConditionContext = new Map(Object.entries(c.context ?? {}));
    const decision = authorize({
      principal: p,
      action: c.action ?? GET,
      resource: c.arn ?? SECRET,
      resourceAccount: c.account ?? A,
      resourcePolicy: c.resource ? compilePolicy({ Version: version, Statement: c.resource }, 'resource') : undefined,
      context,
    });
    expect(decision.allowed ? 'allow' : decision.reason).toBe(c.expect);
  });
});

const malformed = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof ServiceError && e.code === 'MalformedPolicyDocumentException';
  }
  return false;
};

describe('policy documents', () => {
  it('identity policies have no Principal and name a Resource or NotResource', () => {
    expect(malformed(() => compilePolicy(policy(allow({ Principal: '*' })), 'identity'))).toBe(true);
    expect(malformed(() => compilePolicy(policy({ Effect: 'Allow', Action: GET }), 'identity'))).toBe(true);
    expect(malformed(() => parseIdentityPolicy(JSON.stringify(policy(allow({ NotPrincipal: '*' })))))).toBe(true);
    expect(malformed(() => compilePolicy(policy({ Effect: 'Allow', Action: GET, NotResource: '*' }), 'identity'))).toBe(
      false,
    );
    expect(parseIdentityPolicy(JSON.stringify(policy(allow()))).Statement).toHaveLength(1);
  });

  it('resource policies still need a Principal', () => {
    expect(malformed(() => compilePolicy(policy(allow()), 'resource'))).toBe(true);
    expect(malformed(() => compilePolicy(policy(rAllow('*')), 'resource'))).toBe(false);
  });

  it('refuses unknown condition operators and values that are not scalars', () => {
    expect(malformed(() => compilePolicy(policy(allow(when('k', 'StringSortOf', 'x'))), 'identity'))).toBe(true);
    expect(malformed(() => compilePolicy(policy(allow(when('k', 'NullIfExists', 'true'))), 'identity'))).toBe(true);
    expect(malformed(() => compilePolicy(policy(allow(when('k', 'StringEquals', { a: 1 }))), 'identity'))).toBe(true);
    expect(malformed(() => parsePolicy(JSON.stringify(policy(rAllow('*', when('k', 'Nope', 'x'))))))).toBe(true);
    expect(
      malformed(() => compilePolicy(policy(allow(when('k', 'ForAnyValue:StringLikeIfExists', 'x'))), 'identity')),
    ).toBe(false);
  });

  it('compileCached compiles each text once, and refuses bad JSON', () => {
    const text = JSON.stringify(policy(rAllow('*')));
    expect(compileCached(text, 'resource')).toBe(compileCached(text, 'resource'));
    expect(malformed(() => compileCached('{not json', 'resource'))).toBe(true);
  });

  it('compiles an identity policy object once per principal object', () => {
    const doc = policy(allow());
    const p = { ...alice, policies: [doc] };
    const req = { principal: p, action: GET, resource: SECRET, resourceAccount: A, context: new Map() };
    expect(authorize(req).allowed).toBe(true);
    expect(authorize(req).allowed).toBe(true);
  });
});

describe('deniedMessage', () => {
  const user = `arn:aws:iam::${A}:user/alice`;
  it('words each reason as AWS does', () => {
    expect(deniedMessage(user, GET, 'prod/db', 'no-identity')).toBe(
      `User: ${user} is not authorized to perform: ${GET} on resource: prod/db ` +
        `because no identity-based policy allows the ${GET} action`,
    );
    expect(deniedMessage(user, GET, 'prod/db', 'no-resource')).toBe(
      `User: ${user} is not authorized to perform: ${GET} on resource: prod/db ` +
        `because no resource-based policy allows the ${GET} action`,
    );
    expect(deniedMessage(user, 'secretsmanager:DescribeSecret', 'my-example-secret', 'explicit-resource')).toBe(
      `User: ${user} is not authorized to perform: secretsmanager:DescribeSecret on resource: my-example-secret ` +
        'with an explicit deny in a resource-based policy',
    );
    expect(deniedMessage(user, GET, 'prod/db', 'explicit-identity')).toBe(
      `User: ${user} is not authorized to perform: ${GET} on resource: prod/db ` +
        'with an explicit deny in an identity-based policy',
    );
  });
});

describe('matching without RegExp', () => {
  it('globs agree with a RegExp on random patterns', () => {
    // a fixed LCG: the same 3000 cases every run
    let seed = 42;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const pick = (alphabet: string, max: number) =>
      Array.from({ length: rand(max + 1) }, () => alphabet[rand(alphabet.length)]).join('');
    for (let k = 0; k < 3000; k++) {
      const pattern = pick('ab*?', 6);
      const text = pick('ab', 7);
      const re = new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
      const glob = compileGlob(pattern, { wild: true, vars: false, lower: false });
      expect(matchGlob(glob, text, undefined), `${pattern} ~ ${text}`).toBe(re.test(text));
    }
  });

  it('parses IPv4 and IPv6 ranges', () => {
    const inRange = (cidr: string, ip: string) =>
      authorize({
        principal: { ...alice, policies: [policy(allow(when('aws:SourceIp', 'IpAddress', cidr)))] },
        action: GET,
        resource: SECRET,
        resourceAccount: A,
        context: new Map([['aws:sourceip', ip]]),
      }).allowed;
    expect(inRange('0.0.0.0/0', '192.0.2.1')).toBe(true);
    expect(inRange('192.0.2.1', '192.0.2.1')).toBe(true);
    expect(inRange('192.0.2.1', '192.0.2.2')).toBe(false);
    expect(inRange('10.0.0.0/8', '10.255.1.2')).toBe(true);
    expect(inRange('10.0.0.0/8', '11.0.0.1')).toBe(false);
    expect(inRange('::1', '::1')).toBe(true);
    expect(inRange('::/0', '2001:db8::1')).toBe(true);
    expect(inRange('::/0', '192.0.2.1')).toBe(false);
    expect(inRange('::ffff:203.0.113.0/120', '::ffff:203.0.113.9')).toBe(true);
    expect(inRange('2001:db8::/33', '2001:db8:8000::1')).toBe(false);
    expect(inRange('2001:db8::/33', '2001:db8:7fff::1')).toBe(true);
    expect(inRange('2001:db8::/32', 'not an ip')).toBe(false);
    for (const bad of ['1.2.3', '1.2.3.256', '1.2.3.4/33', '::1::2', '2001:db8::/129', '12345::']) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });
});

// Not a timed assertion: run with BENCH=1 to print the cost of one decision.
describe.skipIf(!process.env.BENCH)('micro-benchmark', () => {
  it('authorize with a few statements', () => {
    const p: Principal = {
      ...session,
      policies: [
        policy(
          deny({ Action: 'secretsmanager:DeleteSecret' }),
          allow({ Action: ['secretsmanager:Describe*', 'secretsmanager:List*'] }),
          allow({ Resource: `arn:aws:secretsmanager:*:${A}:secret:prod/*` }),
        ),
      ],
    };
    const rp = compileCached(
      JSON.stringify(policy(rDeny('*', when('aws:SecureTransport', 'Bool', 'false')), rAllow({ AWS: A }))),
      'resource',
    );
    const context: ConditionContext = new Map([['aws:securetransport', 'true']]);
    const req = { principal: p, action: GET, resource: SECRET, resourceAccount: A, resourcePolicy: rp, context };
    let ok = 0;
    for (let i = 0; i < 20_000; i++) ok += authorize(req).allowed ? 1 : 0;
    const n = 200_000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) ok += authorize(req).allowed ? 1 : 0;
    const ns = Number(process.hrtime.bigint() - start) / n;
    console.log(`authorize: ${ns.toFixed(0)} ns per decision`);
    expect(ok).toBe(20_000 + n);
  });
});
