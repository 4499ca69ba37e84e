/**
 * IAM policy evaluation: identity-based policies and a resource-based policy, as AWS decides a request.
 * Sources are pages of https://docs.aws.amazon.com/IAM/latest/UserGuide/ :
 * - "Policy evaluation logic" (reference_policies_evaluation-logic.html): an explicit Deny in any policy wins;
 *   otherwise, within one account, an Allow in the identity-based OR the resource-based policy suffices. A
 *   resource-policy Allow naming the IAM user, the role or the role session itself is enough on its own (the
 *   role's is limited only by permissions boundaries and session policies, which secretlite does not have); one
 *   naming the account delegates to IAM, so the identity-based policy must allow too. The root user is allowed
 *   everything in its own account unless explicitly denied.
 * - "Cross-account policy evaluation logic" (reference_policies_evaluation-logic-cross-account.html): across
 *   accounts both must allow, the caller's identity-based policy and the resource's policy (naming the caller,
 *   its role, its account, or everyone).
 * - "IAM JSON policy elements: Principal" (reference_policies_elements_principal.html): `"*"` and
 *   `{"AWS": "*"}` are everyone; `"111122223333"` and `arn:aws:iam::111122223333:root` the account; a role ARN
 *   matches that role's sessions; no wildcard inside a principal ARN; service principals are not users.
 * - "AWS JSON policy elements: NotPrincipal" (reference_policies_elements_notprincipal.html): AWS may check the
 *   account, then the role, then the session, so a Deny with NotPrincipal spares a caller only when every one of
 *   them is listed; an Allow with NotPrincipal grants to callers none of which is listed.
 * - "IAM JSON policy elements: Action" and "...: Resource": action names are case-insensitive, resource ARNs
 *   case-sensitive; `*` and `?` are wildcards in both, and in a Resource `*` may run past a colon.
 *
 * Everything textual is compiled once per policy (compilePolicy, compileCached) and the statements that cover an
 * action are found once per policy and action: authorize() parses nothing and builds no RegExp.
 */
import { checkPolicyDocument, type PolicyDocument, type PolicyKind, type Statement } from '../domain/policy.js';
import { setBounded } from '../bounded.js';
import {
  compileCondition,
  compilePatterns,
  evaluateCondition,
  matchPatterns,
  parseOperator,
  type CompiledCondition,
  type ConditionContext,
  type Env,
  type PatternList,
  type PrincipalInfo,
} from './conditions.js';
import type { Principal } from './principal.js';

export type { ConditionContext } from './conditions.js';
export type { PolicyKind } from '../domain/policy.js';

/** Who a resource-policy statement names: everyone, accounts (12-digit ids), or exact principal ARNs. */
interface PrincipalMatcher {
  readonly anyone: boolean;
  readonly accounts: ReadonlySet<string>;
  readonly arns: ReadonlySet<string>;
}

interface CompiledStatement {
  readonly sid: string | undefined;
  readonly actions: PatternList;
  readonly notAction: boolean;
  /** undefined: a resource policy without Resource, which covers the resource it is attached to */
  readonly resources: PatternList | undefined;
  readonly notResource: boolean;
  /** resource policies only */
  readonly principals: PrincipalMatcher | undefined;
  readonly notPrincipal: boolean;
  readonly conditions: readonly CompiledCondition[];
}

/** A policy's statements that cover one action. */
interface ActionView {
  readonly denies: readonly CompiledStatement[];
  readonly allows: readonly CompiledStatement[];
}

export interface CompiledPolicy {
  readonly kind: PolicyKind;
  readonly denies: readonly CompiledStatement[];
  readonly allows: readonly CompiledStatement[];
  /** the statements whose Action or NotAction covers an action, by the action as asked (filled as asked) */
  readonly byAction: Map<string, ActionView>;
}

/** Policy variables exist from Version 2012-10-17 on; in older policies `${...}` is literal text. */
const VARIABLES_VERSION = '2012-10-17';
const ROOT_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const ACCOUNT_ID = /^\d{12}$/;

const list = (v: string | string[] | undefined): readonly string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

function compilePrincipal(p: unknown): PrincipalMatcher {
  const accounts = new Set<string>();
  const arns = new Set<string>();
  let anyone = p === '*';
  if (typeof p === 'object' && p !== null) {
    // Service, Federated and CanonicalUser principals never match an IAM user, role or session.
    for (const v of list((p as Record<string, string | string[] | undefined>).AWS)) {
      const root = ROOT_ARN.exec(v);
      if (v === '*') anyone = true;
      else if (ACCOUNT_ID.test(v)) accounts.add(v);
      else if (root) accounts.add(root[1] as string);
      else arns.add(v);
    }
  }
  return { anyone, accounts, arns };
}

function compileStatement(st: Statement, kind: PolicyKind, vars: boolean): CompiledStatement {
  const conditions: CompiledCondition[] = [];
  for (const [name, block] of Object.entries(st.Condition ?? {})) {
    const operator = parseOperator(name);
    if (!operator) continue; // checkPolicyDocument refused it already
    for (const [key, value] of Object.entries(block)) {
      const values = (Array.isArray(value) ? value : [value]).map(String);
      conditions.push(compileCondition(operator, key, values, vars));
    }
  }
  const resource = st.Resource ?? st.NotResource;
  const principal = st.Principal ?? st.NotPrincipal;
  return {
    sid: st.Sid,
    actions: compilePatterns(list(st.Action ?? st.NotAction), { wild: true, vars: false, lower: true }),
    notAction: st.NotAction !== undefined,
    resources: resource === undefined ? undefined : compilePatterns(list(resource), { wild: true, vars, lower: false }),
    notResource: st.NotResource !== undefined,
    principals: kind === 'resource' && principal !== undefined ? compilePrincipal(principal) : undefined,
    notPrincipal: st.NotPrincipal !== undefined,
    conditions,
  };
}

/** A parsed JSON policy document, checked (MalformedPolicyDocumentException) and compiled. */
export function compilePolicy(doc: unknown, kind: PolicyKind): CompiledPolicy {
  const checked: PolicyDocument = checkPolicyDocument(doc, kind);
  const vars = checked.Version === VARIABLES_VERSION;
  const statements = checked.Statement.map((st) => compileStatement(st, kind, vars));
  return {
    kind,
    denies: statements.filter((_, i) => checked.Statement[i]?.Effect === 'Deny'),
    allows: statements.filter((_, i) => checked.Statement[i]?.Effect === 'Allow'),
    byAction: new Map(),
  };
}

/** Actions are a closed set (the operations); the bound only guards against callers that are not. */
const MAX_ACTIONS = 256;
const NO_STATEMENTS: ActionView = { denies: [], allows: [] };

function statementsFor(policy: CompiledPolicy, action: string): ActionView {
  let view = policy.byAction.get(action);
  if (view === undefined) {
    const lower = action.toLowerCase();
    const covers = (st: CompiledStatement) => matchPatterns(st.actions, lower, undefined) !== st.notAction;
    const denies = policy.denies.filter(covers);
    const allows = policy.allows.filter(covers);
    view = denies.length === 0 && allows.length === 0 ? NO_STATEMENTS : { denies, allows };
    setBounded(policy.byAction, action, view, MAX_ACTIONS);
  }
  return view;
}

/** Compiled policies by text and kind: a secret's ResourcePolicy is stored as a string. */
const MAX_CACHED_POLICIES = 1000;
const byText: Record<PolicyKind, Map<string, CompiledPolicy>> = { identity: new Map(), resource: new Map() };

/** compilePolicy for a policy's text, compiled once per text and kind (the 1000 most recently compiled). */
export function compileCached(text: string, kind: PolicyKind): CompiledPolicy {
  const cache = byText[kind];
  const hit = cache.get(text);
  if (hit) return hit;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined; // checkPolicyDocument refuses it with the same MalformedPolicyDocumentException
  }
  const compiled = compilePolicy(doc, kind);
  setBounded(cache, text, compiled, MAX_CACHED_POLICIES);
  return compiled;
}

// ---------------------------------------------------------------------------------------------------------------
// The principal: derived keys and compiled identity policies, once per Principal object.

interface PrincipalFacts extends PrincipalInfo {
  readonly identity: readonly CompiledPolicy[];
  /** the account's root user: allowed everything in its own account unless explicitly denied */
  readonly root: boolean;
}

const facts = new WeakMap<Principal, PrincipalFacts>();
const compiledDocs = new WeakMap<object, CompiledPolicy>();

function compileIdentity(doc: unknown): CompiledPolicy {
  if (typeof doc === 'string') return compileCached(doc, 'identity');
  if (typeof doc !== 'object' || doc === null) return compilePolicy(doc, 'identity');
  let compiled = compiledDocs.get(doc);
  if (!compiled) compiledDocs.set(doc, (compiled = compilePolicy(doc, 'identity')));
  return compiled;
}

/** aws:PrincipalType values ("IAM policy elements: Variables and tags", principal key values). */
const PRINCIPAL_TYPES: Record<Principal['type'], string> = {
  Root: 'Account',
  IAMUser: 'User',
  AssumedRole: 'AssumedRole',
  Role: 'AssumedRole',
};

function principalFacts(p: Principal): PrincipalFacts {
  let f = facts.get(p);
  if (f) return f;
  const tags = new Map<string, string>();
  for (const [k, v] of Object.entries(p.tags)) tags.set(k.toLowerCase(), v);
  f = {
    principalArn: p.roleArn ?? p.arn,
    // the friendly name: the last part of the user's path (arn:aws:iam::111122223333:user/division/alice)
    username: p.type === 'IAMUser' ? p.arn.slice(p.arn.lastIndexOf('/') + 1) : undefined,
    principalType: PRINCIPAL_TYPES[p.type],
    tags,
    identity: p.policies.map(compileIdentity),
    root: p.type === 'Root',
  };
  facts.set(p, f);
  return f;
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

export interface AuthRequest {
  readonly principal: Principal;
  /** 'secretsmanager:GetSecretValue' */
  readonly action: string;
  /** an ARN, or '*' */
  readonly resource: string;
  /** the account that owns the resource: cross-account when it is not principal.accountId */
  readonly resourceAccount: string;
  readonly resourcePolicy?: CompiledPolicy;
  /** request keys; principal keys (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalTag/*, aws:userid,
   * aws:username, aws:PrincipalType) are derived from the principal */
  readonly context: ConditionContext;
}

export type DenyReason = 'explicit-identity' | 'explicit-resource' | 'no-identity' | 'no-resource';
export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: DenyReason };

const ALLOW: Decision = { allowed: true };
const DENIED: Record<DenyReason, Decision> = {
  'explicit-identity': { allowed: false, reason: 'explicit-identity' },
  'explicit-resource': { allowed: false, reason: 'explicit-resource' },
  'no-identity': { allowed: false, reason: 'no-identity' },
  'no-resource': { allowed: false, reason: 'no-resource' },
};

/** How a resource-policy statement's principal covers the caller. */
const NONE = 0;
/** through the caller's account: counts only with an identity-policy Allow (same account) */
const ACCOUNT = 1;
/** the caller itself, its role, or everyone */
const DIRECT = 2;
type Coverage = typeof NONE | typeof ACCOUNT | typeof DIRECT;

function coverage(st: CompiledStatement, p: Principal, deny: boolean): Coverage {
  const m = st.principals;
  if (m === undefined) return NONE;
  if (!st.notPrincipal) {
    if (m.anyone || m.arns.has(p.arn) || (p.roleArn !== undefined && m.arns.has(p.roleArn))) return DIRECT;
    return m.accounts.has(p.accountId) ? ACCOUNT : NONE;
  }
  if (m.anyone) return NONE;
  // NotPrincipal: the account, the role and the caller each checked (the root user's ARN is its account)
  const accountListed = m.accounts.has(p.accountId);
  const roleListed = p.roleArn === undefined ? undefined : m.arns.has(p.roleArn);
  const selfListed = p.type === 'Root' ? accountListed : m.arns.has(p.arn);
  if (deny) return accountListed && roleListed !== false && selfListed ? NONE : DIRECT;
  return accountListed || roleListed === true || selfListed ? NONE : DIRECT;
}

/** Does a statement that covers the action apply to the resource and the request's conditions? */
function applies(st: CompiledStatement, resource: string, env: Env): boolean {
  if (st.resources !== undefined && matchPatterns(st.resources, resource, env) === st.notResource) return false;
  for (const c of st.conditions) if (!evaluateCondition(c, env)) return false;
  return true;
}

/** Decides a request: explicit denies first (identity-based, then resource-based), then the allows. */
export function authorize(req: AuthRequest): Decision {
  const p = req.principal;
  const info = principalFacts(p);
  const env: Env = { principal: p, info, context: req.context };
  const resource = req.resource;
  const identity = info.identity;
  const views: ActionView[] = [];
  for (let i = 0; i < identity.length; i++) views.push(statementsFor(identity[i] as CompiledPolicy, req.action));
  const rp = req.resourcePolicy === undefined ? NO_STATEMENTS : statementsFor(req.resourcePolicy, req.action);

  for (const view of views) {
    for (const st of view.denies) if (applies(st, resource, env)) return DENIED['explicit-identity'];
  }
  for (const st of rp.denies) {
    if (coverage(st, p, true) !== NONE && applies(st, resource, env)) return DENIED['explicit-resource'];
  }

  let identityAllows = info.root;
  for (let i = 0; i < views.length && !identityAllows; i++) {
    for (const st of (views[i] as ActionView).allows) {
      if (applies(st, resource, env)) {
        identityAllows = true;
        break;
      }
    }
  }
  const sameAccount = p.accountId === req.resourceAccount;
  if (sameAccount && identityAllows) return ALLOW;

  let granted: Coverage = NONE;
  for (const st of rp.allows) {
    const c = coverage(st, p, false);
    if (c > granted && applies(st, resource, env)) granted = c;
    if (granted === DIRECT) break;
  }
  if (sameAccount) return granted === DIRECT ? ALLOW : DENIED['no-identity'];
  if (!identityAllows) return DENIED['no-identity'];
  return granted !== NONE ? ALLOW : DENIED['no-resource'];
}

/**
 * AWS's AccessDeniedException text, from IAM's template ("Troubleshoot access denied error messages",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html) as Secrets Manager answers it
 * [wire: cloud-custodian PR #10055 (explicit deny in a resource-based policy), binbashar/le-tf-infra-aws PR #874
 * (no identity-based policy allows)].
 */
export function deniedMessage(principalArn: string, action: string, resourceShown: string, reason: DenyReason): string {
  const head = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resourceShown}`;
  switch (reason) {
    case 'explicit-identity':
      return `${head} with an explicit deny in an identity-based policy`;
    case 'explicit-resource':
      return `${head} with an explicit deny in a resource-based policy`;
    case 'no-identity':
      return `${head} because no identity-based policy allows the ${action} action`;
    case 'no-resource':
      return `${head} because no resource-based policy allows the ${action} action`;
  }
}
