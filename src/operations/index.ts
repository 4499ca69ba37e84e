import type { OperationName } from '../model/service.js';
import type { Handler } from './context.js';
import type { OperationResults } from './results.js';
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
 * The registry. Its type is the model's list of operations: a missing or misspelt operation is a compile error
 * (DESIGN.md rule 8). Handlers receive input already checked against the model. Each handler keeps the type it
 * was written with (`satisfies Handler<...>`), so that ExactResults below can see every member it answers.
 */
export const OPERATION_HANDLERS = {
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
} as const satisfies { readonly [K in OperationName]: Handler<K> };

type Leaf =
  string | number | boolean | bigint | symbol | null | undefined | Uint8Array | ((...args: never[]) => unknown);

/** The members of A that B does not have, as paths (`.Versions[].Bogus`), or never when there are none. */
type Extra<A, B, P extends string = ''> = A extends Leaf
  ? never
  : A extends readonly (infer AI)[]
    ? B extends readonly (infer BI)[]
      ? Extra<AI, BI, `${P}[]`>
      : never
    : {
        [K in keyof A & string]: K extends keyof B ? Extra<A[K], NonNullable<B[K]>, `${P}.${K}`> : `${P}.${K}`;
      }[keyof A & string];

type Answered<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;
type NoExtra<T extends never> = T;

/**
 * An output member that AWS does not have is a compile error here, naming the operation's member
 * (`Type '".Bogus"' does not satisfy the constraint 'never'`): TypeScript checks returned object literals for
 * assignability only, not for extra members.
 */
export type ExactResults = NoExtra<
  { [K in OperationName]: Extra<Answered<(typeof OPERATION_HANDLERS)[K]>, OperationResults[K]> }[OperationName]
>;
