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

  // Signatures (`--auth sigv4`, auth/verify.ts): ../shared/reference/reliability-security.md 1.4, each recorded on the
  // wire from AWS. [wire: aws-sdk-php-laravel #228, Secrets Manager GetSecretValue]
  unrecognizedClient: 'The security token included in the request is invalid.',
  // [doc: STS/IAM common errors]
  expiredToken: 'The security token included in the request is expired',
  // [wire: kinesalite test/connection.js, JSON 1.1]
  missingAuthenticationToken: 'Missing Authentication Token',
  // [wire: aws-sdk-cpp #1681 (JSON 1.1)] without the canonical request AWS sometimes appends: it is not echoed here
  signatureMismatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access ' +
    'Key and signing method. Consult the service documentation for details.',
  // [wire: botocore #3587, Secrets Manager]
  signatureExpired: (date: string, earliest: string, now: string) =>
    `Signature expired: ${date} is now earlier than ${earliest} (${now} - 5 min.)`,
  // [wire: JuliaCloud/AWS.jl #206, Secrets Manager]
  signatureNotYetCurrent: (date: string, latest: string, now: string) =>
    `Signature not yet current: ${date} is still later than ${latest} (${now} + 5 min.)`,
  // [wire: aws-sdk-ruby #431] (the trailing space is AWS's)
  wrongService: (service: string) => `Credential should be scoped to correct service: '${service}'. `,
  // [wire: aws-sdk-ruby #508]
  wrongRegion: (region: string) => `Credential should be scoped to a valid region, not '${region}'. `,
  // [wire: kinesalite/dynalite connection tests] the parts are concatenated, then `Authorization=<header>`
  requiresCredential: "Authorization header requires 'Credential' parameter. ",
  requiresSignature: "Authorization header requires 'Signature' parameter. ",
  requiresSignedHeaders: "Authorization header requires 'SignedHeaders' parameter. ",
  requiresDate: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
  // [wire: iann0036/cloud9-sync #10]
  notKeyValue: (pair: string, header: string) =>
    `'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
  // [wire: kinesalite/dynalite]
  bothAuthForms: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
  // [wire: kinesalite/dynalite] the parts missing from a presigned request's query, each named
  queryRequires: (params: readonly string[]) =>
    `AWS query-string parameters must include ${params.map((p) => `'${p}'`).join(', ')}. ` +
    'Re-examine the query-string parameters.',
  // [web: AWS's answer when X-Amz-Date and the credential's date differ, quoted in many SDK issues]
  credentialDateMismatch: (scopeDate: string, date: string, stamp: string) =>
    `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != ` +
    `'${date}', from '${stamp}'.`,
  // [web: AWS's answer to a SigV4 request whose SignedHeaders omit host, quoted in SDK issues]
  hostNotSigned: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  // [ours] a presigned request past X-Amz-Expires (AWS's text for JSON services unknown)
  presignExpired: 'Request has expired',
  // [web: AWS's answer to a credential scope that does not end in aws4_request, quoted in SDK issues]
  wrongTerminator: (t: string) => `Credential should be scoped with a valid terminator: 'aws4_request', not '${t}'. `,
  // [ours] a Credential that is not <key>/<date>/<region>/<service>/aws4_request
  badCredential: (c: string) =>
    `Credential '${c}' is not of the form <key>/<YYYYMMDD>/<region>/<service>/aws4_request.`,
  // [ours] X-Amz-Expires not a number of seconds up to 7 days
  presignExpires: 'X-Amz-Expires must be a number of seconds from 1 to 604800.',
  // [ours] CloudTrail LookupEvents on a server started without --audit
  noAuditLog: 'secretlite keeps no audit log: start it with --audit FILE to record and look up events.',
  // [ours] X-Amz-Date that is not an ISO-8601 basic timestamp
  badDate: (stamp: string) => `Invalid date format in X-Amz-Date: '${stamp}'.`,

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
