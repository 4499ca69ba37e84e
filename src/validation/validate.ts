import { SHAPES, type Shape } from '../model/service.js';
import { ServiceError } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

/**
 * Checks a parsed JSON body against an input shape of the official model, in AWS's order:
 * first JSON types (SerializationException, first problem wins), then constraints
 * (ValidationException listing up to 10 problems, Coral's wording). Returns a fresh object holding
 * only modelled members (never the caller's objects: no prototype pollution, no mass assignment),
 * with blobs decoded to Buffers and nulls dropped.
 */
export function validateInput(shapeName: string, body: Record<string, unknown>): Record<string, unknown> {
  const shape = SHAPES[shapeName];
  if (!shape) throw new Error(`no shape ${shapeName}`);
  const clean = checkStructure(body, shape);
  const errors: string[] = [];
  checkConstraints(clean, shape, '', errors);
  if (errors.length > 0) {
    throw new ServiceError('ValidationException', MSG.validationErrors(errors));
  }
  return clean;
}

const MAX_ERRORS = 10; // Coral stops listing after 10 (recorded in kinesalite)

const serialization = (message: string) => new ServiceError('SerializationException', message);

function describeJsonType(v: unknown, target: string): ServiceError {
  if (Array.isArray(v)) return serialization(MSG.listNotExpected);
  if (typeof v === 'object') return serialization(MSG.structureNotExpected);
  if (typeof v === 'boolean') return serialization(MSG.cannotConvert('java.lang.Boolean', target));
  if (typeof v === 'number') return serialization(MSG.cannotConvert('java.math.BigDecimal', target));
  return serialization(MSG.cannotConvert('java.lang.String', target));
}

interface Member {
  readonly name: string;
  readonly path: string;
  readonly shape: Shape;
  readonly required: boolean;
}

const membersCache = new Map<Shape, readonly Member[]>();
/** A structure's members with their shapes, computed once per shape (this runs on every request). */
function membersOf(shape: Shape): readonly Member[] {
  let list = membersCache.get(shape);
  if (!list) {
    list = Object.entries(shape.members ?? {}).map(([name, target]) => ({
      name,
      path: lowerFirst(name),
      shape: SHAPES[target]!,
      required: shape.required?.includes(name) ?? false,
    }));
    membersCache.set(shape, list);
  }
  return list;
}

function checkStructure(v: Record<string, unknown>, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of membersOf(shape)) {
    if (!Object.prototype.hasOwnProperty.call(v, m.name)) continue;
    const val = checkType(v[m.name], m.shape);
    if (val !== undefined) out[m.name] = val;
  }
  return out;
}

function checkType(v: unknown, shape: Shape): unknown {
  if (v === null || v === undefined) return undefined;
  switch (shape.type) {
    case 'string':
      if (typeof v !== 'string') throw describeJsonType(v, 'String');
      if (!v.isWellFormed()) throw serialization(MSG.loneSurrogate);
      return v;
    case 'boolean':
      if (typeof v === 'string') throw serialization(MSG.stringNotBoolean(v.toUpperCase().slice(0, 32)));
      if (typeof v !== 'boolean') throw describeJsonType(v, 'Boolean');
      return v;
    case 'integer':
    case 'long': {
      const target = shape.type === 'integer' ? 'Integer' : 'Long';
      if (typeof v !== 'number') throw describeJsonType(v, target);
      // Coral parses into a Java int/long: fractions and out-of-range numbers do not fit.
      const limit = shape.type === 'integer' ? 2 ** 31 : Number.MAX_SAFE_INTEGER;
      if (!Number.isInteger(v) || v >= limit || v < -limit) {
        throw serialization(MSG.numberNotConvertible(target));
      }
      return v;
    }
    case 'blob': {
      if (typeof v !== 'string') throw describeJsonType(v, 'Blob');
      return decodeBase64Strict(v);
    }
    case 'timestamp':
      if (typeof v !== 'number') throw describeJsonType(v, 'Date');
      return v;
    case 'list': {
      if (!Array.isArray(v)) {
        if (typeof v === 'object') throw serialization(MSG.structureNotExpected);
        throw serialization(MSG.expectedList);
      }
      const member = SHAPES[shape.member!]!;
      return v.map((item) => {
        if (item === null) throw serialization(MSG.nullInList);
        return checkType(item, member);
      });
    }
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) {
        if (Array.isArray(v)) throw serialization(MSG.listNotExpected);
        throw serialization(MSG.expectedMap);
      }
      const valueShape = SHAPES[shape.value!]!;
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        if (k === '__proto__') continue;
        out[k] = checkType(item, valueShape);
      }
      return out;
    }
    case 'structure':
      if (typeof v !== 'object' || Array.isArray(v)) {
        if (Array.isArray(v)) throw serialization(MSG.listNotExpected);
        throw serialization(MSG.expectedNull);
      }
      return checkStructure(v as Record<string, unknown>, shape);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Node's base64 decoder skips bad characters silently; AWS refuses them. */
export function decodeBase64Strict(s: string): Buffer {
  if (s.length % 4 !== 0) {
    throw serialization(MSG.base64Length(s.length));
  }
  if (!BASE64.test(s)) throw serialization(MSG.base64Character);
  const buf = Buffer.from(s, 'base64');
  // Reject non-canonical trailing bits (e.g. "QR==" vs "QQ=="): the round trip must be exact.
  if (buf.toString('base64') !== s) throw serialization(MSG.base64LastCharacter);
  return buf;
}

/** Length as Smithy counts it: Unicode scalar values for strings, bytes for blobs, items for lists. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      n--;
      i++;
    }
  }
  return n;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function valueText(v: unknown, shape: Shape): string {
  if (v === undefined) return 'null';
  if (shape.sensitive) return ''; // never echo secret material [wire: "Value at 'secretBinary' failed..."]
  if (Buffer.isBuffer(v)) return `'java.nio.HeapByteBuffer[pos=0 lim=${v.length} cap=${v.length}]'`;
  if (Array.isArray(v)) return `'[${v.map((x) => (typeof x === 'object' ? structText(x) : String(x))).join(', ')}]'`;
  if (typeof v === 'object') return `'${structText(v)}'`;
  return `'${String(v)}'`;
}

function structText(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${String(x)}`)
    .join(', ')}}`;
}

function addError(errors: string[], v: unknown, shape: Shape, path: string, constraint: string): void {
  if (errors.length >= MAX_ERRORS) return;
  const text = valueText(v, shape);
  errors.push(MSG.constraintFailed(text, path, constraint));
}

const patternCache = new Map<string, RegExp>();
function patternOf(p: string): RegExp {
  let re = patternCache.get(p);
  if (!re) {
    // Model patterns are Java regexes matched against the whole value.
    re = new RegExp(`^(?:${p})$`);
    patternCache.set(p, re);
  }
  return re;
}

function checkConstraints(v: Record<string, unknown>, shape: Shape, parent: string, errors: string[]): void {
  for (const m of membersOf(shape)) {
    const value = v[m.name];
    if (value === undefined) {
      if (m.required) addError(errors, undefined, m.shape, parent + m.path, MSG.mustNotBeNull);
      continue;
    }
    checkValue(value, m.shape, parent + m.path, errors);
  }
}

function checkValue(value: unknown, shape: Shape, path: string, errors: string[]): void {
  const { min, max } = shape;
  switch (shape.type) {
    case 'string':
    case 'blob':
    case 'list': {
      const len =
        typeof value === 'string'
          ? codePointLength(value)
          : Buffer.isBuffer(value)
            ? value.length
            : (value as unknown[]).length;
      if (min !== undefined && len < min) addError(errors, value, shape, path, MSG.minLength(min));
      if (max !== undefined && len > max) addError(errors, value, shape, path, MSG.maxLength(max));
      if (typeof value === 'string') {
        if (shape.enum && !shape.enum.includes(value)) {
          addError(errors, value, shape, path, MSG.enumValue(shape.enum));
        }
        if (shape.pattern && !patternOf(shape.pattern).test(value)) {
          addError(errors, value, shape, path, MSG.pattern(shape.pattern));
        }
      }
      if (shape.type === 'list') {
        const memberShape = SHAPES[shape.member!]!;
        (value as unknown[]).forEach((item, i) => {
          const itemPath = `${path}.${i + 1}.member`;
          if (memberShape.type === 'structure')
            checkConstraints(item as Record<string, unknown>, memberShape, `${itemPath}.`, errors);
          else checkValue(item, memberShape, itemPath, errors);
        });
      }
      return;
    }
    case 'integer':
    case 'long': {
      const n = value as number;
      if (min !== undefined && n < min) addError(errors, value, shape, path, MSG.minValue(min));
      if (max !== undefined && n > max) addError(errors, value, shape, path, MSG.maxValue(max));
      return;
    }
    case 'structure':
      checkConstraints(value as Record<string, unknown>, shape, `${path}.`, errors);
      return;
    default:
      return;
  }
}

declare global {
  interface String {
    /** ES2024, present in Node >= 20 */
    isWellFormed(): boolean;
  }
}
