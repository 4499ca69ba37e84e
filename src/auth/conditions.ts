/**
 * IAM condition operators, compiled once per policy and evaluated per request without parsing or RegExp.
 *
 * Semantics, from these pages of https://docs.aws.amazon.com/IAM/latest/UserGuide/:
 * "IAM JSON policy elements: Condition operators" (reference_policies_elements_condition_operators.html),
 * "Conditions with multiple context keys or values" (reference_policies_condition-logic-multiple-context-keys-or-
 * values.html) and "Single-valued vs. multivalued context keys" (reference_policies_condition-single-vs-multi-
 * valued-context-keys.html), with the table of "Multivalued context key examples":
 * - operators AND'ed, keys under one operator AND'ed, values of one key OR'ed, NOR'ed for a negated operator;
 * - a key missing from the request: false, true for a negated operator (StringNotLike, ArnNotLike...);
 * - `...IfExists`: a missing key is true, a present one is checked as without the suffix (not allowed on Null);
 * - `Null`: "true" means the key is absent, "false" that it is present;
 * - `ForAllValues:`: every request value must match; true when the key is missing or an empty set;
 * - `ForAnyValue:`: some request value must match; false when the key is missing or an empty set.
 * Keys are case-insensitive ("Key names are case-insensitive", reference_policies_variables.html).
 */
import type { Principal } from './principal.js';

/** condition keys: lower-cased names -> value(s). Strings, string arrays, or booleans/numbers stringified. */
export interface ConditionContext {
  /** a key's value(s) by its lower-cased name; a Map is one, a lazy lookup (auth/access.ts) another */
  get(key: string): string | readonly string[] | undefined;
}

/** What a policy can ask about the request: the principal (derived once per principal) and the caller's keys. */
export interface Env {
  readonly principal: Principal;
  readonly info: PrincipalInfo;
  readonly context: ConditionContext;
}

/** Principal keys derived once per principal object (principalFacts in evaluate.ts). */
export interface PrincipalInfo {
  /** aws:PrincipalArn: the role's ARN for a role session, never the session's ("Do not specify the assumed role
   * session ARN", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) */
  readonly principalArn: string;
  /** aws:username: IAM users only; not present for roles, sessions or the root user (reference_policies_variables) */
  readonly username: string | undefined;
  /** aws:PrincipalType: Account, User, AssumedRole */
  readonly principalType: string;
  /** aws:PrincipalTag/<key>, keys lower-cased */
  readonly tags: ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------------------------------------------------------
// Patterns: `*` and `?` wildcards and `${...}` policy variables, as atoms matched without RegExp.

const STAR = 0;
const ONE = 1;
/** A policy variable: `${aws:username}` or `${aws:username, 'default'}` (reference_policies_variables.html). */
export interface VarRef {
  readonly key: string;
  readonly fallback: string | undefined;
}
export type Atom = string | typeof STAR | typeof ONE | VarRef;
export type Glob = readonly Atom[];

export interface PatternOptions {
  /** `*` and `?` are wildcards (else literal characters) */
  readonly wild: boolean;
  /** `${...}` are policy variables: only in policies of Version 2012-10-17 (reference_policies_variables.html) */
  readonly vars: boolean;
  /** compare case-insensitively: literals are lower-cased here, variable values when resolved */
  readonly lower: boolean;
}

/** The special variables `${*}`, `${?}`, `${$}` stand for the literal characters (reference_policies_variables). */
const SPECIAL = new Set(['*', '?', '$']);
const VARIABLE = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/;

export function compileGlob(text: string, opts: PatternOptions): Glob {
  const atoms: Atom[] = [];
  // characters joined once into a flat string (one grown by `+=` is a rope until V8 flattens it)
  let literal: string[] = [];
  const flush = () => {
    const text = literal.join('');
    if (text !== '') atoms.push(opts.lower ? text.toLowerCase() : text);
    literal = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (opts.vars && ch === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      const inner = end < 0 ? undefined : text.slice(i + 2, end);
      const parsed = inner === undefined || SPECIAL.has(inner) ? undefined : VARIABLE.exec(inner);
      if (inner !== undefined && SPECIAL.has(inner)) {
        literal.push(inner);
        i = end;
        continue;
      }
      if (parsed) {
        flush();
        atoms.push({ key: (parsed[1] as string).toLowerCase(), fallback: parsed[2] });
        i = end;
        continue;
      }
    }
    if (opts.wild && (ch === '*' || ch === '?')) {
      flush();
      if (ch === '?') atoms.push(ONE);
      else if (atoms[atoms.length - 1] !== STAR) atoms.push(STAR);
      continue;
    }
    literal.push(ch);
  }
  flush();
  return atoms;
}

/** The literal a glob stands for when it has no wildcard and no variable ('' for an empty one), else undefined. */
export function literalOf(glob: Glob): string | undefined {
  if (glob.length === 0) return '';
  return glob.length === 1 && typeof glob[0] === 'string' ? glob[0] : undefined;
}

/** Resolves a policy variable; undefined when the key is missing or multivalued (the pattern then matches nothing:
 * "any attempt to match it fails", reference_policies_variables.html). */
export function resolveVar(ref: VarRef, env: Env | undefined, lower: boolean): string | undefined {
  const value = env === undefined ? undefined : lookup(ref.key, env);
  const text = typeof value === 'string' ? value : ref.fallback;
  return text === undefined ? undefined : lower ? text.toLowerCase() : text;
}

/** `s.startsWith(lit, i)`, three times faster on Node 20 for ARN-length strings (100 -> 35 ns at 58
 * characters); the last character first, since most patterns that fail differ there. */
function startsAt(s: string, lit: string, i: number): boolean {
  const n = lit.length;
  if (s.length - i < n) return false;
  if (n === 0) return true;
  return s.charCodeAt(i + n - 1) === lit.charCodeAt(n - 1) && s.slice(i, i + n) === lit;
}

/**
 * Glob match, backtracking to the last `*` only (exact for `*` and `?`). After a `*`, the next literal is looked
 * for with indexOf rather than tried at each position: linear for the usual patterns, O(n*m) at worst.
 */
export function matchGlob(glob: Glob, s: string, env: Env | undefined, lower = false): boolean {
  const n = glob.length;
  const len = s.length;
  let t = 0;
  let i = 0;
  let starT = -1;
  let starI = 0;
  for (;;) {
    let from = -1; // >= 0: place the atom after the last star, at `from` or later
    if (t < n) {
      const a = glob[t] as Atom;
      if (a === STAR) {
        if (t === n - 1) return true;
        starT = t;
        from = i;
      } else if (a === ONE) {
        if (i < len) {
          t++;
          i++;
          continue;
        }
      } else {
        const lit = typeof a === 'string' ? a : resolveVar(a, env, lower);
        if (lit === undefined) return false;
        if (startsAt(s, lit, i)) {
          t++;
          i += lit.length;
          continue;
        }
      }
    } else if (i === len) return true;
    if (from < 0) {
      if (starT < 0 || starI >= len) return false;
      from = starI + 1;
    }
    // the atom after a star: never a star (compileGlob merges them), and there is one (a last star returned)
    const b = glob[starT + 1] as Atom;
    if (b === ONE) {
      if (from >= len) return false;
      starI = from;
      i = from + 1;
    } else {
      const lit = typeof b === 'string' ? b : resolveVar(b as VarRef, env, lower);
      const at = lit === undefined ? -1 : s.indexOf(lit, from);
      if (at < 0) return false;
      starI = at;
      i = at + (lit as string).length;
    }
    t = starT + 2;
  }
}

/**
 * Patterns compiled for matching: exact strings in a Set, `prefix*` as prefixes (most patterns), the rest as
 * globs. `*` alone is `any`.
 */
export interface PatternList {
  readonly any: boolean;
  readonly exact: ReadonlySet<string>;
  readonly prefixes: readonly string[];
  readonly globs: readonly Glob[];
}

export function compilePatterns(texts: readonly string[], opts: PatternOptions): PatternList {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const globs: Glob[] = [];
  let any = false;
  for (const text of texts) {
    const glob = compileGlob(text, opts);
    const lit = literalOf(glob);
    const first = glob[0];
    if (lit !== undefined) exact.add(lit);
    else if (glob.length === 1 && first === STAR) any = true;
    else if (glob.length === 2 && typeof first === 'string' && glob[1] === STAR) prefixes.push(first);
    else globs.push(glob);
  }
  return { any, exact, prefixes, globs };
}

export function matchPatterns(list: PatternList, s: string, env: Env | undefined, lower = false): boolean {
  if (list.any || list.exact.has(s)) return true;
  for (let i = 0; i < list.prefixes.length; i++) if (startsAt(s, list.prefixes[i] as string, 0)) return true;
  for (let i = 0; i < list.globs.length; i++) if (matchGlob(list.globs[i] as Glob, s, env, lower)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Context keys

/** Where a key's value comes from: the caller's context, or the principal. */
export type Source = 'context' | 'arn' | 'account' | 'userid' | 'username' | 'type' | 'tag';
const PRINCIPAL_KEYS: ReadonlyMap<string, Source> = new Map<string, Source>([
  ['aws:principalarn', 'arn'],
  ['aws:principalaccount', 'account'],
  ['aws:userid', 'userid'],
  ['aws:username', 'username'],
  ['aws:principaltype', 'type'],
]);
const PRINCIPAL_TAG = 'aws:principaltag/';

function sourceOf(key: string): Source {
  return PRINCIPAL_KEYS.get(key) ?? (key.startsWith(PRINCIPAL_TAG) ? 'tag' : 'context');
}

function fromSource(source: Source, key: string, env: Env): string | readonly string[] | undefined {
  switch (source) {
    case 'context':
      return env.context.get(key);
    case 'arn':
      return env.info.principalArn;
    case 'account':
      return env.principal.accountId;
    case 'userid':
      return env.principal.userId;
    case 'username':
      return env.info.username;
    case 'type':
      return env.info.principalType;
    case 'tag':
      return env.info.tags.get(key.slice(PRINCIPAL_TAG.length));
  }
}

/** A lower-cased key's value: principal keys derived from the principal (the caller cannot override them). */
export function lookup(key: string, env: Env): string | readonly string[] | undefined {
  return fromSource(sourceOf(key), key, env);
}

// ---------------------------------------------------------------------------------------------------------------
// Operators

export type Kind = 'string' | 'ignoreCase' | 'like' | 'arn' | 'numeric' | 'date' | 'bool' | 'ip' | 'null' | 'binary';
export type Cmp = 'eq' | 'lt' | 'le' | 'gt' | 'ge';
interface BaseOperator {
  readonly kind: Kind;
  readonly negated: boolean;
  readonly cmp: Cmp;
}
const op = (kind: Kind, negated = false, cmp: Cmp = 'eq'): BaseOperator => ({ kind, negated, cmp });
/** Lower-cased operator names (AWS spells them StringEquals...; we accept any case). */
const OPERATORS: ReadonlyMap<string, BaseOperator> = new Map<string, BaseOperator>([
  ['stringequals', op('string')],
  ['stringnotequals', op('string', true)],
  ['stringequalsignorecase', op('ignoreCase')],
  ['stringnotequalsignorecase', op('ignoreCase', true)],
  ['stringlike', op('like')],
  ['stringnotlike', op('like', true)],
  ['arnequals', op('arn')],
  ['arnlike', op('arn')],
  ['arnnotequals', op('arn', true)],
  ['arnnotlike', op('arn', true)],
  ['numericequals', op('numeric')],
  ['numericnotequals', op('numeric', true)],
  ['numericlessthan', op('numeric', false, 'lt')],
  ['numericlessthanequals', op('numeric', false, 'le')],
  ['numericgreaterthan', op('numeric', false, 'gt')],
  ['numericgreaterthanequals', op('numeric', false, 'ge')],
  ['dateequals', op('date')],
  ['datenotequals', op('date', true)],
  ['datelessthan', op('date', false, 'lt')],
  ['datelessthanequals', op('date', false, 'le')],
  ['dategreaterthan', op('date', false, 'gt')],
  ['dategreaterthanequals', op('date', false, 'ge')],
  ['bool', op('bool')],
  ['binaryequals', op('binary')],
  ['ipaddress', op('ip')],
  ['notipaddress', op('ip', true)],
  ['null', op('null')],
]);

/** ForAnyValue: / ForAllValues: */
export type SetOp = 'none' | 'any' | 'all';
export interface Operator extends BaseOperator {
  readonly set: SetOp;
  readonly ifExists: boolean;
}

/** An operator name (`ForAnyValue:StringLikeIfExists`), or undefined when IAM has no such operator. */
export function parseOperator(name: string): Operator | undefined {
  let rest = name.toLowerCase();
  let set: SetOp = 'none';
  if (rest.startsWith('foranyvalue:')) {
    set = 'any';
    rest = rest.slice('foranyvalue:'.length);
  } else if (rest.startsWith('forallvalues:')) {
    set = 'all';
    rest = rest.slice('forallvalues:'.length);
  }
  const ifExists = rest.endsWith('ifexists');
  if (ifExists) rest = rest.slice(0, -'ifexists'.length);
  const base = OPERATORS.get(rest);
  // "You can add IfExists to the end of any condition operator name except the Null condition"
  if (!base || (base.kind === 'null' && (ifExists || set !== 'none'))) return undefined;
  return { ...base, set, ifExists };
}

// ---------------------------------------------------------------------------------------------------------------
// IP addresses

interface Cidr {
  readonly v6: boolean;
  /** IPv4: [address & mask, mask]; IPv6: eight 16-bit groups, masked, then eight masks */
  readonly words: readonly number[];
}

function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n;
}

function parseIPv6(s: string): number[] | undefined {
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // an embedded IPv4 address (::ffff:192.0.2.1) stands for the last two groups
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  const words: number[] = [];
  for (const g of head) words.push(parseInt(g, 16));
  for (let i = 0; i < fill && halves.length === 2; i++) words.push(0);
  for (const g of tail) words.push(parseInt(g, 16));
  for (const g of head.concat(tail)) if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
  return words;
}

/** `203.0.113.0/24`, `2001:DB8::/32`; without a prefix, the address alone (IAM: "the default prefix value of
 * /32", which for IPv6 we read as /128). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  if (addr.includes(':')) {
    const groups = parseIPv6(addr);
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (!groups || prefix > 128) return undefined;
    const masks = groups.map((_, i) => {
      const bits = Math.max(0, Math.min(16, prefix - i * 16));
      return bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
    });
    return { v6: true, words: [...groups.map((g, i) => g & (masks[i] as number)), ...masks] };
  }
  const ip = parseIPv4(addr);
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (ip === undefined || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { v6: false, words: [(ip & mask) >>> 0, mask] };
}

function inCidr(c: Cidr, ip: string): boolean {
  if (c.v6) {
    if (!ip.includes(':')) return false;
    const groups = parseIPv6(ip);
    if (!groups) return false;
    for (let i = 0; i < 8; i++) if (((groups[i] as number) & (c.words[8 + i] as number)) !== c.words[i]) return false;
    return true;
  }
  const n = parseIPv4(ip);
  return n !== undefined && (n & (c.words[1] as number)) >>> 0 === c.words[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Values

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const parseNumber = (s: string): number => (NUMBER.test(s) ? Number(s) : NaN);
const EPOCH = /^\s*-?\d+(\.\d+)?\s*$/;
/** W3C ISO 8601 dates or epoch seconds ("IAM JSON policy elements: Condition operators", Date). */
const parseDate = (s: string): number => (EPOCH.test(s) ? Number(s) * 1000 : Date.parse(s));

function compare(cmp: Cmp, a: number, b: number): boolean {
  switch (cmp) {
    case 'eq':
      return a === b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
  }
}

/** ARN operators compare "each of the six colon-delimited components ... separately": the sixth is the rest. */
function splitArn(text: string, skipVars: boolean): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length && parts.length < 5; i++) {
    if (skipVars && text[i] === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i);
      if (end > 0) i = end;
      continue;
    }
    if (text[i] === ':') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export interface CompiledCondition {
  readonly operator: Operator;
  readonly key: string;
  readonly source: Source;
  /** String kinds: exact values (no wildcard, no variable) */
  readonly exact: ReadonlySet<string>;
  /** String kinds: values with wildcards or variables */
  readonly globs: readonly Glob[];
  /** Arn: six globs per value (or one, for a value that is not six components) */
  readonly arns: readonly (readonly Glob[])[];
  /** Numeric, Date: parsed values (unparseable ones dropped: they match nothing) */
  readonly numbers: readonly number[];
  readonly cidrs: readonly Cidr[];
  /** Null: the values asked for (true: absent) */
  readonly nulls: readonly boolean[];
}

const EMPTY_SET: ReadonlySet<string> = new Set();

/**
 * One key under one operator. `values` are the policy's (strings; numbers and booleans stringified by the
 * caller). `vars`: the policy is Version 2012-10-17, so string and ARN values may hold policy variables
 * (and Bool, which the docs also list).
 */
export function compileCondition(
  operator: Operator,
  key: string,
  values: readonly string[],
  vars: boolean,
): CompiledCondition {
  const lowerKey = key.toLowerCase();
  const exact = new Set<string>();
  const globs: Glob[] = [];
  const arns: Glob[][] = [];
  const numbers: number[] = [];
  const cidrs: Cidr[] = [];
  const nulls: boolean[] = [];
  const addGlob = (text: string, wild: boolean, lower: boolean) => {
    const glob = compileGlob(text, { wild, vars, lower });
    const lit = literalOf(glob);
    if (lit !== undefined) exact.add(lit);
    else globs.push(glob);
  };
  for (const v of values) {
    switch (operator.kind) {
      case 'string':
      case 'binary':
        addGlob(v, false, false);
        break;
      case 'ignoreCase':
      case 'bool':
        addGlob(v, false, true);
        break;
      case 'like':
        addGlob(v, true, false);
        break;
      case 'arn': {
        const parts = splitArn(v, vars);
        const texts = parts.length === 6 ? parts : [v];
        arns.push(texts.map((t) => compileGlob(t, { wild: true, vars, lower: false })));
        break;
      }
      case 'numeric':
      case 'date': {
        const n = operator.kind === 'numeric' ? parseNumber(v) : parseDate(v);
        if (!Number.isNaN(n)) numbers.push(n);
        break;
      }
      case 'ip': {
        const c = parseCidr(v.trim());
        if (c) cidrs.push(c);
        break;
      }
      case 'null': {
        const b = v.toLowerCase();
        if (b === 'true' || b === 'false') nulls.push(b === 'true');
        break;
      }
    }
  }
  return {
    operator,
    key: lowerKey,
    source: sourceOf(lowerKey),
    exact: exact.size > 0 ? exact : EMPTY_SET,
    globs,
    arns,
    numbers,
    cidrs,
    nulls,
  };
}

/** Does one request value match one of the condition's values (the OR, before any negation)? */
function matchOne(c: CompiledCondition, r: string, env: Env): boolean {
  switch (c.operator.kind) {
    case 'string':
    case 'binary':
    case 'like': {
      if (c.exact.has(r)) return true;
      for (const g of c.globs) if (matchGlob(g, r, env)) return true;
      return false;
    }
    case 'ignoreCase':
    case 'bool': {
      const lr = r.toLowerCase();
      if (c.exact.has(lr)) return true;
      for (const g of c.globs) if (matchGlob(g, lr, env, true)) return true;
      return false;
    }
    case 'arn': {
      let parts: string[] | undefined;
      for (const globs of c.arns) {
        if (globs.length === 1) {
          if (matchGlob(globs[0] as Glob, r, env)) return true;
          continue;
        }
        parts ??= splitArn(r, false);
        if (parts.length !== 6) continue;
        let all = true;
        for (let i = 0; i < 6 && all; i++) all = matchGlob(globs[i] as Glob, parts[i] as string, env);
        if (all) return true;
      }
      return false;
    }
    case 'numeric':
    case 'date': {
      const n = c.operator.kind === 'numeric' ? parseNumber(r) : parseDate(r);
      if (Number.isNaN(n)) return false;
      for (const v of c.numbers) if (compare(c.operator.cmp, n, v)) return true;
      return false;
    }
    case 'ip': {
      const ip = r.trim();
      for (const cidr of c.cidrs) if (inCidr(cidr, ip)) return true;
      return false;
    }
    case 'null':
      return false;
  }
}

const one = (c: CompiledCondition, r: string, env: Env) => matchOne(c, r, env) !== c.operator.negated;

export function evaluateCondition(c: CompiledCondition, env: Env): boolean {
  const raw = fromSource(c.source, c.key, env);
  const o = c.operator;
  if (o.kind === 'null') {
    const absent = raw === undefined || (typeof raw !== 'string' && raw.length === 0);
    return c.nulls.includes(absent);
  }
  if (o.set === 'none') {
    if (raw === undefined || (typeof raw !== 'string' && raw.length === 0)) return o.ifExists || o.negated;
    // A multivalued key under a single-valued operator: the values are OR'ed (NOR'ed when negated).
    let positive = false;
    if (typeof raw === 'string') positive = matchOne(c, raw, env);
    else for (const r of raw) if ((positive = matchOne(c, r, env))) break;
    return positive !== o.negated;
  }
  // A null data set ("such as an empty string"): ForAllValues true, ForAnyValue false (true with IfExists).
  const empty = raw === undefined || raw.length === 0;
  if (empty) return o.set === 'all' || o.ifExists;
  if (typeof raw === 'string') return one(c, raw, env);
  if (o.set === 'any') {
    for (const r of raw) if (one(c, r, env)) return true;
    return false;
  }
  for (const r of raw) if (!one(c, r, env)) return false;
  return true;
}
