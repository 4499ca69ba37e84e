import { authorize, compileCached } from './evaluate.js';
import type { ConditionContext } from './conditions.js';
import type { Principal } from './principal.js';
import type { Statement } from '../domain/policy.js';
import { OPERATIONS } from '../model/service.js';

/**
 * "Public" as BlockPublicPolicy and ValidateResourcePolicy mean it: a statement that grants access to someone
 * outside the secret's account [M: BlockPublicPolicy, "allows broad access"; issue 16], decided by the same
 * evaluator that authorizes requests: would this statement alone let a principal of an unrelated account, allowed
 * everything by its own policies, perform any Secrets Manager action on the secret? The statement's Resource is
 * set aside (a resource policy applies to its own secret) and so are its conditions, which domain/policy.ts judges
 * apart (a condition on the caller's identity or network restricts; one on anything else does not).
 */
const ACTIONS = Object.keys(OPERATIONS).map((op) => `secretsmanager:${op}`);
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const NO_KEYS: ConditionContext = { get: () => undefined };

/** The test of each owner account, made once: its outsider principal (and its compiled policies) stays the same. */
const TESTS = new Map<string, (st: Statement) => boolean>();

/** A test of statements of `owner`'s secret: whether each grants some action to a principal of another account. */
export function grantsOutsider(owner: string): (st: Statement) => boolean {
  let test = TESTS.get(owner);
  if (!test) {
    if (TESTS.size >= 1024) TESTS.clear();
    test = makeTest(owner);
    TESTS.set(owner, test);
  }
  return test;
}

function makeTest(owner: string): (st: Statement) => boolean {
  const account = owner === '999999999999' ? '999999999998' : '999999999999';
  const outsider: Principal = {
    arn: `arn:aws:iam::${account}:user/anyone`,
    accountId: account,
    userId: 'AIDAOUTSIDEREXAMPLE00',
    accessKeyId: '',
    tags: {},
    policies: [ALLOW_ALL],
    type: 'IAMUser',
  };
  const resource = `arn:aws:secretsmanager:us-east-1:${owner}:secret:any-AbCdEf`;
  // the verdict of each statement text: the same policy is validated again and again (23 decisions each)
  const verdicts = new Map<string, boolean>();
  return (st) => {
    if (st.Effect !== 'Allow') return false;
    const alone: Statement = { ...st, Resource: '*' };
    delete alone.Condition;
    delete alone.NotResource;
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [alone] });
    let verdict = verdicts.get(text);
    if (verdict === undefined) {
      const resourcePolicy = compileCached(text, 'resource');
      const request = { principal: outsider, resource, resourceAccount: owner, resourcePolicy, context: NO_KEYS };
      verdict = ACTIONS.some((action) => authorize({ ...request, action }).allowed);
      if (verdicts.size >= 1024) verdicts.clear();
      verdicts.set(text, verdict);
    }
    return verdict;
  };
}
