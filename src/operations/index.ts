import type { OperationName } from '../model/service.js';
import type { Handler } from './context.js';
import { BatchGetSecretValue } from './BatchGetSecretValue.js';
import { CancelRotateSecret } from './CancelRotateSecret.js';
import { CreateSecret } from './CreateSecret.js';
import { DeleteResourcePolicy } from './DeleteResourcePolicy.js';
import { DeleteSecret } from './DeleteSecret.js';
import { DescribeSecret } from './DescribeSecret.js';
import { GetRandomPassword } from './GetRandomPassword.js';
import { GetResourcePolicy } from './GetResourcePolicy.js';
import { GetSecretValue } from './GetSecretValue.js';
import { ListSecretVersionIds } from './ListSecretVersionIds.js';
import { ListSecrets } from './ListSecrets.js';
import { PutResourcePolicy } from './PutResourcePolicy.js';
import { PutSecretValue } from './PutSecretValue.js';
import { RemoveRegionsFromReplication } from './RemoveRegionsFromReplication.js';
import { ReplicateSecretToRegions } from './ReplicateSecretToRegions.js';
import { RestoreSecret } from './RestoreSecret.js';
import { RotateSecret } from './RotateSecret.js';
import { StopReplicationToReplica } from './StopReplicationToReplica.js';
import { TagResource } from './TagResource.js';
import { UntagResource } from './UntagResource.js';
import { UpdateSecret } from './UpdateSecret.js';
import { UpdateSecretVersionStage } from './UpdateSecretVersionStage.js';
import { ValidateResourcePolicy } from './ValidateResourcePolicy.js';

/**
 * The registry. Its type is the model's list of operations: a missing or misspelt operation is a
 * compile error (DESIGN.md rule 8). Handlers receive input already checked against the model.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const OPERATION_HANDLERS: { readonly [K in OperationName]: Handler<any> } = {
  BatchGetSecretValue,
  CancelRotateSecret,
  CreateSecret,
  DeleteResourcePolicy,
  DeleteSecret,
  DescribeSecret,
  GetRandomPassword,
  GetResourcePolicy,
  GetSecretValue,
  ListSecretVersionIds,
  ListSecrets,
  PutResourcePolicy,
  PutSecretValue,
  RemoveRegionsFromReplication,
  ReplicateSecretToRegions,
  RestoreSecret,
  RotateSecret,
  StopReplicationToReplica,
  TagResource,
  UntagResource,
  UpdateSecret,
  UpdateSecretVersionStage,
  ValidateResourcePolicy,
};
