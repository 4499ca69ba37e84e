import type { Scope, Secret } from './types.js';
import { InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

/**
 * Writes are refused on a replica, a secret whose primary is in another Region [REAL: PutResourcePolicy,
 * DeleteSecret; DOC for the other writes] (rotation-replication.md B4).
 */
export function assertPrimary(s: Secret, scope: Scope): void {
  if (s.primaryRegion !== undefined && s.primaryRegion !== scope.region) throw InvalidParameter(MSG.replicaOperation);
}
