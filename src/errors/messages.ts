/**
 * Every message secretlite sends in an AWS error, verbatim. Each entry names where it was seen:
 * [LS-val] a response recorded from real AWS in LocalStack's AWS-validated snapshots,
 * [TF] quoted in terraform-provider-aws, [M] the service model's documentation,
 * [moto] moto's wording (less trusted: used only where nothing better is known),
 * [ours] secretlite's own, where AWS's text is unknown or the situation is ours alone.
 */
export const MSG = {
  // [LS-val] test_secretsmanager.snapshot.json
  secretNotFound: "Secrets Manager can't find the specified secret.",
  // [LS-val]
  valueNotFoundForStage: (stage: string) =>
    `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
  // [LS-val]
  valueNotFoundForVersion: (versionId: string) =>
    `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
  // [LS-val]
  versionStageMismatch: 'You provided a VersionStage that is not associated to the provided VersionId.',
  // [LS-val]
  secretExists: (name: string) => `The operation failed because the secret ${name} already exists.`,
  // [LS-val]
  nameScheduledForDeletion:
    "You can't create this secret because a secret with this name is already scheduled for deletion.",
  // [LS-val] (Tag/Untag, Get/Put value, UpdateSecret...)
  markedForDeletion: "You can't perform this operation on the secret because it was marked for deletion.",
  // [LS-val] test_invalid_secret_name
  invalidName:
    'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
  // [LS-val] raw HTTP call without ClientRequestToken
  missingClientRequestToken: 'You must provide a ClientRequestToken value. We recommend a UUID-type value.',
  // [TF] internal/service/secretsmanager/secret_version.go (note the typographic apostrophe)
  cannotRemoveAwsCurrent:
    'You can only move staging label AWSCURRENT to a different secret version. It can\u2019t be completely removed.',
  // [moto @aws_verified test_update_secret_version_stage_manually]; AWS's docs apply the rule to every label
  labelOnOtherVersion: (stage: string, versionId: string) =>
    `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ` +
    `${versionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
  // [ours] neither MoveToVersionId nor RemoveFromVersionId
  stageNeedsVersion: 'You must specify MoveToVersionId, RemoveFromVersionId, or both.',
  // [moto] update_secret_version_stage
  labelNotOnVersion: (stage: string, versionId: string) => `Version stage ${stage} not found in version ${versionId}`,
  // [moto] update_secret_version_stage
  notAValidVersion: (versionId: string) => `Not a valid version: ${versionId}`,
  // [moto; no AWS capture found] delete_secret
  forceDeleteWithWindow: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
  // [web: real AWS quoted in getmoto/moto#6461] checked before the force/window conflict
  recoveryWindowRange: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
  // [moto, LocalStack] DeleteSecret without force on a secret already scheduled (AWS text unconfirmed)
  alreadyMarkedDeleted: "You tried to perform the operation on a secret that's currently marked deleted.",
  // [two independent mocks, same text] CreateSecret/PutSecretValue/UpdateSecret with both values
  bothValues: "You can't specify both a binary secret value and a string secret value in the same secret.",
  // [moto, LocalStack] PutSecretValue with neither value
  noValue: 'You must provide either SecretString or SecretBinary.',
  // [moto @aws_verified test_create_secret_with_client_request_token et al.] same token, different value
  tokenInUse: (token: string, arn: string) =>
    `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${arn}.`,
  // [moto] GetRandomPassword when the length cannot hold one of each required type
  passwordTooShort: 'Password length is too short based on the required types.',
  // [ours] every character class excluded
  passwordNoCharacters:
    'The password must contain at least one character type. Make sure that you did not exclude all character types.',
  // [moto] BatchGetSecretValue: exactly one of SecretIdList and Filters [M]
  batchBothOrNeither: "Either 'SecretIdList' or 'Filters' must be provided, but not both.",
  // [moto] BatchGetSecretValue: MaxResults is only valid with Filters [M]
  batchMaxResultsWithList: "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.",
  // [moto] a Filter without Values
  filterWithoutValues: (key: string) => `Invalid filter values for key: ${key}`,
  // [moto] a Filter without Key
  filterWithoutKey: 'Invalid filter key',
  // [floci; no AWS capture found] invalid pagination token
  invalidNextToken: 'The NextToken value is invalid.',
  // [ours] tag quota: at most 50 tags per secret [Doc TagResource]
  tooManyTags: 'You can attach a maximum of 50 tags to a secret.',
  // [ours] tag keys starting with aws: are reserved [Doc: tagging restrictions]
  reservedTagPrefix: 'The tag key or value cannot start with the reserved prefix "aws:".',
  // [ours] a Tag without Key
  tagWithoutKey: 'A tag key must be provided.',
  // [ours] the version quota (100 unlabelled versions younger than 24 hours) [Quotas doc]
  versionLimit: 'The request failed because it would exceed one of the Secrets Manager quotas.',
  // [ours] more than 20 labels on one version [M SecretVersionStagesType max 20]
  tooManyStages: 'You can attach a maximum of 20 staging labels to a secret version.',
  // [web: awsdocs cloudformation guide PR #623, real AWS] a policy AWS cannot parse
  malformedPolicy: 'This policy has invalid syntax.',
  // [TF] terraform-provider-aws retries PutResourcePolicy on this text
  unsupportedPrincipal: 'This resource policy contains an unsupported principal.',
  // [ours] PublicPolicyException text; AWS's exact wording unverified
  publicPolicy:
    'This resource policy contains a public principal, and BlockPublicPolicy is set to true. ' +
    'Remove the public principal or set BlockPublicPolicy to false.',
  // Rotation (../shared/reference/rotation-replication.md B1-B3)
  // [LS-val test_first_rotate_secret_with_missing_lambda_arn, 2025-03-27]
  noRotationLambda: 'No Lambda rotation function ARN is associated with this secret.',
  // [LS-val test_rotate_secret_invalid_lambda_arn] a function that does not exist or does not let Secrets Manager in
  cannotInvokeLambda:
    'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access ' +
    'to the principal secretsmanager.amazonaws.com.',
  // [REAL: terraform-provider-aws acceptance-test comments, user logs]
  previousRotationIncomplete: "A previous rotation isn't complete. That rotation will be reattempted.",
  // [REAL: terraform-provider-aws #33329]
  bothFrequencyAndSchedule: 'You cannot specify both rotation frequency and schedule expression together.',
  // [ours; AWS's text unknown] RotationRules without AutomaticallyAfterDays or ScheduleExpression
  scheduleRequired: 'You must specify either AutomaticallyAfterDays or ScheduleExpression in RotationRules.',
  // Schedule errors: AWS's texts as a CDK preflight linter (rule pf-secretsmanager-rotation-rules) quotes them;
  // no AWS log confirms them, but they match the documented limits [UNV]
  invalidScheduleExpression: 'Invalid schedule expression.',
  rateInHours: 'Rate in hour should be least 4 and less than 24.',
  rateInDays: 'Rate in day should be greater than 0 and less than 1000.',
  invalidDuration: 'Duration must be at least 1 hour, at most 24 hour.',
  durationOverRate: 'Duration cannot be greater than Rate in hour.',
  windowPastMidnight: 'Starting hour and duration must be within a day.',
  // [ours] a rotation function that returned from finishSecret without moving AWSCURRENT to the new version
  rotationNotFinished: (token: string) =>
    `The rotation function finished without moving AWSCURRENT to version ${token}.`,
  // Replication (../shared/reference/rotation-replication.md B4)
  // [REAL: replica writes refused, PutResourcePolicy and DeleteSecret]
  replicaOperation: "Operation not permitted on a replica secret. Call must be made in primary secret's region.",
  // [REAL: Terraform output] a replica Region equal to the primary's
  invalidReplicaRegion: 'Invalid replica region.',
  // [DOC CLI example] ReplicationStatus of a replica made
  replicationSucceeded: 'Replication succeeded',
  // [M example; wording UNV] a secret of the name, not a replica of this one, in the target Region
  replicaNameTaken: 'Secret with this name already exists in this region',
  // [REAL: cloud-nuke and aws-nuke logs]
  deleteWithReplicas: (arn: string, regions: readonly string[]) =>
    `You can't delete secret ${arn} that still has replica regions [${regions.join(', ')}].`,
  // [ours; AWS's answer unknown] StopReplicationToReplica on a secret that is not a replica
  notAReplica: 'The secret is not a replica of a secret in another Region.',
  // kinesalite-recorded (Kinesis, the same Coral stack)
  accessDeniedNoOperation: 'Unable to determine service/operation name to be authorized',
  internalError: 'An internal error occurred. Try again later.',
  // [M] DecryptionFailure's documentation: a stored value that does not decrypt (wrong key, moved or altered
  // ciphertext, a value gone from its row)
  decryptionFailure: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
  // [ours] a request body over the 1 MiB cap (server/http.ts answers 413 and stops reading)
  bodyTooLarge: 'Request body too large.',

  // Serialization and validation: Coral's wording, recorded in kinesalite and dynalite (the same front end)
  structureExpected: 'Start of structure or map expected.',
  structureNotExpected: 'Start of structure or map found where not expected.',
  listNotExpected: 'Start of list found where not expected',
  nullInList: 'Null value found in list where not expected',
  expectedList: 'Expected list or null',
  expectedMap: 'Expected map or null',
  expectedNull: 'Expected null',
  loneSurrogate: 'Invalid UTF-8 middle byte: lone surrogate in string value',
  cannotConvert: (javaClass: string, target: string) => `class ${javaClass} can not be converted to an ${target}`,
  stringNotBoolean: (text: string) => `'${text}' can not be converted to an Boolean`,
  numberNotConvertible: (target: string) => `NUMBER_VALUE can not be converted to an ${target}`,
  base64Length: (length: number) => `Base64 encoded length is expected a multiple of 4 bytes but found: ${length}`,
  base64Character: 'Invalid Base64 character or padding in blob value',
  base64LastCharacter: 'Invalid last non-pad Base64 character detected',
  validationErrors: (errors: readonly string[]) =>
    `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`,
  constraintFailed: (valueText: string, path: string, constraint: string) =>
    `Value${valueText ? ` ${valueText}` : ''} at '${path}' failed to satisfy constraint: ${constraint}`,
  mustNotBeNull: 'Member must not be null',
  minLength: (min: number) => `Member must have length greater than or equal to ${min}`,
  maxLength: (max: number) => `Member must have length less than or equal to ${max}`,
  enumValue: (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(', ')}]`,
  pattern: (pattern: string) => `Member must satisfy regular expression pattern: ${pattern}`,
  minValue: (min: number) => `Member must have value greater than or equal to ${min}`,
  maxValue: (max: number) => `Member must have value less than or equal to ${max}`,
} as const;
