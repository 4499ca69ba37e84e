/** The parts of Secrets Manager's shapes the console reads (AWS JSON: dates as epoch seconds). */

export interface Tag {
  Key: string;
  Value: string;
}

export interface RotationRules {
  AutomaticallyAfterDays?: number;
  ScheduleExpression?: string;
  Duration?: string;
}

export interface ReplicationStatus {
  Region: string;
  KmsKeyId?: string;
  Status?: string;
  StatusMessage?: string;
  LastAccessedDate?: number;
}

export interface SecretEntry {
  ARN: string;
  Name: string;
  Description?: string;
  KmsKeyId?: string;
  RotationEnabled?: boolean;
  RotationLambdaARN?: string;
  RotationRules?: RotationRules;
  LastRotatedDate?: number;
  LastChangedDate?: number;
  LastAccessedDate?: number;
  DeletedDate?: number;
  NextRotationDate?: number;
  Tags?: Tag[];
  OwningService?: string;
  CreatedDate?: number;
  PrimaryRegion?: string;
}

export interface Secret extends SecretEntry {
  VersionIdsToStages?: Record<string, string[]>;
  ReplicationStatus?: ReplicationStatus[];
}

export interface ListSecretsResponse {
  SecretList?: SecretEntry[];
  NextToken?: string;
}

export interface Version {
  VersionId: string;
  VersionStages?: string[];
  LastAccessedDate?: number;
  CreatedDate?: number;
  KmsKeyIds?: string[];
}

export interface ListVersionsResponse {
  Versions?: Version[];
  NextToken?: string;
}

export interface SecretValue {
  ARN: string;
  Name: string;
  VersionId: string;
  SecretString?: string;
  /** base64 */
  SecretBinary?: string;
  VersionStages?: string[];
}

export interface PolicyValidation {
  PolicyValidationPassed?: boolean;
  ValidationErrors?: { CheckName?: string; ErrorMessage?: string }[];
}

export interface TrailEvent {
  EventId?: string;
  EventName?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime?: number;
  EventSource?: string;
  Username?: string;
  Resources?: { ResourceType?: string; ResourceName?: string }[];
  CloudTrailEvent?: string;
}

export interface LookupEventsResponse {
  Events?: TrailEvent[];
  NextToken?: string;
}
