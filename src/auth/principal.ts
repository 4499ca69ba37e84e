/**
 * Who made a request, as IAM sees it. With `--auth sigv4` it comes from the credentials file (a user or role, or a
 * role session made by STS AssumeRole); without it, from the access key id alone (its account, no policies).
 */
export interface Principal {
  /** `arn:aws:iam::111111111111:user/alice`, `arn:aws:sts::111111111111:assumed-role/Role/session`, `...:root` */
  readonly arn: string;
  readonly accountId: string;
  /** the unique id CloudTrail and GetCallerIdentity show: `AIDA...` for a user, `AROA...:session` for a session */
  readonly userId: string;
  /** the access key id the request was signed with */
  readonly accessKeyId: string;
  /** principal tags (`aws:PrincipalTag/<key>`) */
  readonly tags: Readonly<Record<string, string>>;
  /** identity-based policy documents attached to the principal (parsed JSON, checked when loaded) */
  readonly policies: readonly unknown[];
  /** a role session: the role's ARN (`arn:aws:iam::111111111111:role/Role`), which resource policies name */
  readonly roleArn?: string;
  /** the kind of identity, as CloudTrail's `userIdentity.type` names it */
  readonly type: 'IAMUser' | 'AssumedRole' | 'Root' | 'Role';
}
