import type { Scope } from '../domain/types.js';

// Credential=<access key id>/<yyyymmdd>/<region>/<service>/aws4_request, from the Authorization header
// or the X-Amz-Credential query parameter of a presigned request.
const CREDENTIAL = /Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/;
const ACCOUNT_ID = /^\d{12}$/;

export interface ScopeDefaults {
  readonly accountId: string;
  readonly region: string;
}

/**
 * The scope of a request: the account from the access key id (a 12-digit key id is the account
 * itself, as LocalStack does; anything else is the default account), the Region from the SigV4
 * credential scope. Signatures are not verified here (that belongs to the SigV4 issue).
 */
export function scopeOf(authorization: string | undefined, query: string, defaults: ScopeDefaults): Scope {
  let m = authorization ? CREDENTIAL.exec(authorization) : null;
  if (!m && query.includes('X-Amz-Credential=')) {
    const cred = new URLSearchParams(query).get('X-Amz-Credential');
    if (cred) m = CREDENTIAL.exec(`Credential=${cred}`);
  }
  if (!m) return defaults;
  const accessKeyId = m[1]!;
  return {
    accountId: ACCOUNT_ID.test(accessKeyId) ? accessKeyId : defaults.accountId,
    region: /^[a-z0-9-]{1,64}$/.test(m[3]!) ? m[3]! : defaults.region,
  };
}
