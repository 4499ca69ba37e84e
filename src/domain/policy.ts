import { parseOperator } from '../auth/conditions.js';
import { MalformedPolicyDocument } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

/**
 * Resource and identity policies: parsed and checked as IAM JSON policy documents. A document AWS would not
 * accept is MalformedPolicyDocumentException ("This policy has invalid syntax." [web: real AWS]); a principal
 * that is not a valid IAM principal is "This resource policy contains an unsupported principal." [TF].
 * A resource policy names its Principal (or NotPrincipal); an identity policy has none and names its Resource
 * or NotResource ("IAM JSON policy elements: Principal" and "...: Resource",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 */
export type PolicyKind = 'identity' | 'resource';

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

const VERSIONS = ['2012-10-17', '2008-10-17'];
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
const AWS_PRINCIPAL = /^(\*|\d{12}|arn:aws[a-z-]*:(iam|sts)::(\d{12}|aws):[A-Za-z0-9+=,.@_/*:-]+)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.(amazonaws\.com|amazon\.com|aws\.internal)$/;

const malformed = () => MalformedPolicyDocument(MSG.malformedPolicy);
const isStringOrStrings = (v: unknown): v is string | string[] =>
  typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));
const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A policy document's text (a resource policy unless told otherwise), checked. */
export function parsePolicy(text: string, kind: PolicyKind = 'resource'): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed();
  }
  return checkPolicyDocument(doc, kind);
}

/** An identity-based policy's text, checked: no Principal, a Resource or NotResource in every statement. */
export const parseIdentityPolicy = (text: string): PolicyDocument => parsePolicy(text, 'identity');

/** A parsed JSON value checked as a policy document of the kind. */
export function checkPolicyDocument(doc: unknown, kind: PolicyKind): PolicyDocument {
  if (!isPlainObject(doc)) throw malformed();
  for (const k of Object.keys(doc)) if (!['Version', 'Id', 'Statement'].includes(k)) throw malformed();
  if (doc.Version !== undefined && (typeof doc.Version !== 'string' || !VERSIONS.includes(doc.Version)))
    throw malformed();
  if (doc.Id !== undefined && typeof doc.Id !== 'string') throw malformed();
  const raw = Array.isArray(doc.Statement) ? doc.Statement : isPlainObject(doc.Statement) ? [doc.Statement] : undefined;
  if (!raw || raw.length === 0) throw malformed();
  return { ...(doc as object), Statement: raw.map((st) => checkStatement(st, kind)) } as PolicyDocument;
}

function checkStatement(st: unknown, kind: PolicyKind): Statement {
  if (!isPlainObject(st)) throw malformed();
  for (const k of Object.keys(st)) if (!STATEMENT_KEYS.has(k)) throw malformed();
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformed();
  if (st.Sid !== undefined && typeof st.Sid !== 'string') throw malformed();
  if ((st.Action === undefined) === (st.NotAction === undefined)) throw malformed();
  for (const key of ['Action', 'NotAction'] as const) {
    if (st[key] === undefined) continue;
    if (!isStringOrStrings(st[key]) || !asList(st[key] as string | string[]).every((a) => ACTION.test(a)))
      throw malformed();
  }
  if (st.Resource !== undefined && st.NotResource !== undefined) throw malformed();
  for (const key of ['Resource', 'NotResource'] as const) {
    if (st[key] !== undefined && !isStringOrStrings(st[key])) throw malformed();
  }
  if (kind === 'resource') {
    // A resource policy names who it applies to.
    if ((st.Principal === undefined) === (st.NotPrincipal === undefined)) throw malformed();
    checkPrincipal(st.Principal ?? st.NotPrincipal);
  } else {
    // An identity policy applies to whom it is attached to, and must say to what.
    if (st.Principal !== undefined || st.NotPrincipal !== undefined) throw malformed();
    if (st.Resource === undefined && st.NotResource === undefined) throw malformed();
  }
  if (st.Condition !== undefined) {
    if (!isPlainObject(st.Condition)) throw malformed();
    for (const [operator, block] of Object.entries(st.Condition)) {
      if (!parseOperator(operator) || !isPlainObject(block)) throw malformed();
      for (const value of Object.values(block)) if (!isConditionValue(value)) throw malformed();
    }
  }
  return st as unknown as Statement;
}

const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
/** A condition's value: a string, number or boolean, or a non-empty list of them. */
const isConditionValue = (v: unknown): boolean =>
  isScalar(v) || (Array.isArray(v) && v.length > 0 && v.every(isScalar));

function checkPrincipal(p: unknown): void {
  if (p === '*') return;
  if (!isPlainObject(p) || Object.keys(p).length === 0) throw malformed();
  for (const [kind, value] of Object.entries(p)) {
    if (!isStringOrStrings(value)) throw malformed();
    const values = asList(value);
    const ok =
      kind === 'AWS'
        ? values.every((v) => AWS_PRINCIPAL.test(v))
        : kind === 'Service'
          ? values.every((v) => SERVICE_PRINCIPAL.test(v))
          : kind === 'Federated' || kind === 'CanonicalUser';
    if (!ok) throw MalformedPolicyDocument(MSG.unsupportedPrincipal);
  }
}

/** Condition keys that tie a wildcard principal to known callers, so the statement is not public. */
const RESTRICTING_KEYS = [
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceowner',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceip',
  'aws:userid',
  'aws:username',
];

function wildcardPrincipal(st: Statement): boolean {
  if (st.NotPrincipal !== undefined) return true; // Allow + NotPrincipal grants everyone else
  const p = st.Principal;
  if (p === '*') return true;
  if (isPlainObject(p)) return asList(p.AWS as string | string[] | undefined).some((v) => v === '*');
  return false;
}

function restrictedByCondition(st: Statement): boolean {
  if (!st.Condition) return false;
  return Object.entries(st.Condition).some(
    ([op, block]) =>
      !op.startsWith('Null') && Object.keys(block).some((k) => RESTRICTING_KEYS.includes(k.toLowerCase())),
  );
}

/**
 * Statements that grant access to anyone outside the account, without a condition restricting who or from where.
 * `grantsOutsider` decides the first part: the request evaluator (auth/publicity.ts) in the operations; by default,
 * a wildcard principal.
 */
export function publicStatements(
  doc: PolicyDocument,
  grantsOutsider: (st: Statement) => boolean = (st) => st.Effect === 'Allow' && wildcardPrincipal(st),
): Statement[] {
  return doc.Statement.filter((st) => st.Effect === 'Allow' && grantsOutsider(st) && !restrictedByCondition(st));
}

export interface PolicyFinding {
  CheckName: string;
  ErrorMessage: string;
}

/**
 * ValidateResourcePolicy's checks [M: broad access (Zelkova), syntax, caller lock-out]. AWS's CheckName
 * values are not documented; ours are named after the check. Syntax errors surface as
 * MalformedPolicyDocumentException, as they do for PutResourcePolicy.
 */
export function validatePolicy(doc: PolicyDocument, grantsOutsider?: (st: Statement) => boolean): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const st of publicStatements(doc, grantsOutsider)) {
    findings.push({
      CheckName: 'BROAD_ACCESS',
      ErrorMessage:
        `Statement ${st.Sid ? `'${st.Sid}' ` : ''}grants access to all principals ` +
        '(a wildcard principal without a restricting condition).',
    });
  }
  for (const st of doc.Statement) {
    if (
      st.Effect === 'Deny' &&
      wildcardPrincipal(st) &&
      asList(st.Action).some((a) => a === '*' || a === 'secretsmanager:*') &&
      !st.Condition
    ) {
      findings.push({
        CheckName: 'LOCKOUT',
        ErrorMessage:
          `Statement ${st.Sid ? `'${st.Sid}' ` : ''}denies every Secrets Manager action to all principals, ` +
          'which locks out every caller, including you.',
      });
    }
  }
  return findings;
}
