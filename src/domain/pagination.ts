import { InvalidNextToken } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

/**
 * NextToken: an opaque, versioned base64url JSON document that says where the next page starts and
 * which query it belongs to. Anything that does not decode to the same query is InvalidNextTokenException.
 */
export function encodeToken(kind: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ k: kind, p: position }), 'utf8').toString('base64url');
}

export function decodeToken<T>(token: string, kind: string, check: (p: unknown) => p is T): T {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw InvalidNextToken(MSG.invalidNextToken);
  }
  if (typeof doc !== 'object' || doc === null || (doc as { k?: unknown }).k !== kind)
    throw InvalidNextToken(MSG.invalidNextToken);
  const p = (doc as { p?: unknown }).p;
  if (!check(p)) throw InvalidNextToken(MSG.invalidNextToken);
  return p;
}
