/**
 * CloudTrail's LookupEvents over the audit log, in AWS JSON 1.1, so that `aws cloudtrail lookup-events
 * --endpoint-url ...` and @aws-sdk/client-cloudtrail can read what secretlite recorded.
 *
 * Shapes: [M] botocore's cloudtrail 2013-11-01 model (LookupEventsRequest/Response, Event, Resource,
 * LookupAttributeKey, MaxResults 1-50) and [DOC]
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 * ("Currently the list can contain only one item", "The default number of results returned is 50, with a maximum
 * of 50", "The events list is sorted by time. The most recent event is listed first", "This token must be passed
 * in with the same parameters that were specified in the original call").
 */
import { createHash } from 'node:crypto';
import type { AuditLog, AuditSource } from './log.js';
import type { CloudTrailRecord } from './record.js';

export const CLOUDTRAIL_TARGET_PREFIX = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.';
export const LOOKUP_EVENTS_TARGET = `${CLOUDTRAIL_TARGET_PREFIX}LookupEvents`;
const AWS_JSON_1_1 = 'application/x-amz-json-1.1';

/** [M] botocore's LookupAttributeKey enum. */
export const LOOKUP_ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

const MAX_RESULTS = 50; // [M] MaxResults: min 1, max 50; [DOC] default 50
const MAX_VALUE_LENGTH = 2000; // [M] LookupAttributeValue max 2000
/** [DOC] LookupAttribute: "The following characters ('_', ' ', ',', '\n') count as two characters" */
const DOUBLE_WIDTH = /[_ ,\n]/g;

/**
 * The messages CloudTrail sends. [ctyun]: the same text in a CloudTrail clone (ctyun's OOS "CloudTrail", whose
 * other messages are AWS's), not seen from AWS itself; [ours]: no AWS text found, worded after AWS's.
 */
const MSG = {
  oneAttribute: 'Lookup attributes can contain only one item.', // [ours] after [M] "can contain only one item"
  attributeKey: 'Lookup attribute key is not valid.', // [ctyun]
  attributeValue: 'Lookup attribute value is not valid.', // [ctyun]
  timeRange: 'Start time must not be later than end time.', // [ours]
  maxResults: (n: number) => `A max results value of ${n} is invalid. Specify max results between 1 and 50.`, // [ctyun]
  nextToken: 'The next token is not valid.', // [ours]
  eventCategory: 'Event category is not valid. The only valid value is insight.', // [ours]
  unknownOperation: (op: string) => `The operation ${op} is not supported by secretlite.`, // [ours]
} as const;

export interface LookupScope {
  readonly accountId: string;
  readonly region: string;
}

export interface LookupOptions {
  /** the caller's account and Region: LookupEvents sees only their events, as in AWS */
  readonly scope?: LookupScope;
  /** sent back as x-amzn-requestid */
  readonly requestId?: string;
}

export interface CloudTrailResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text */
  body: string;
}

class LookupError extends Error {
  constructor(
    readonly code: string,
    message: string | undefined,
  ) {
    super(message);
  }
}

interface Query {
  readonly attribute?: { readonly key: LookupAttributeKey; readonly value: string };
  /** ms, inclusive */
  readonly start?: number;
  readonly end?: number;
  readonly max: number;
  readonly token?: string;
  readonly insight: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown): v is undefined | null => v === undefined || v === null;
/** a JSON value of the wrong type: the front end's answer, before any CloudTrail check [ours, as Coral does] */
const serialization = (): LookupError => new LookupError('SerializationException', undefined);

function epochMs(v: unknown): number | undefined {
  if (absent(v)) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw serialization();
  return v * 1000;
}

/** Types first (SerializationException), then CloudTrail's own checks, in the order of the model's members. */
function parseQuery(body: unknown): Query {
  if (!isObject(body)) throw serialization();
  const { LookupAttributes: attrs, StartTime, EndTime, EventCategory, MaxResults, NextToken } = body;
  if (!absent(attrs) && !Array.isArray(attrs)) throw serialization();
  if (!absent(MaxResults) && (typeof MaxResults !== 'number' || !Number.isInteger(MaxResults))) throw serialization();
  if (!absent(NextToken) && typeof NextToken !== 'string') throw serialization();
  if (!absent(EventCategory) && typeof EventCategory !== 'string') throw serialization();
  const start = epochMs(StartTime);
  const end = epochMs(EndTime);
  for (const a of attrs ?? []) {
    if (!isObject(a)) throw serialization();
    for (const v of [a.AttributeKey, a.AttributeValue]) if (!absent(v) && typeof v !== 'string') throw serialization();
  }

  let attribute: Query['attribute'];
  if (Array.isArray(attrs) && attrs.length > 0) {
    if (attrs.length > 1) throw new LookupError('InvalidLookupAttributesException', MSG.oneAttribute);
    const { AttributeKey: key, AttributeValue: value } = attrs[0] as Record<string, unknown>;
    if (typeof key !== 'string' || !(LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key)) {
      throw new LookupError('InvalidLookupAttributesException', MSG.attributeKey);
    }
    if (typeof value !== 'string' || value.length === 0 || weightedLength(value) > MAX_VALUE_LENGTH) {
      throw new LookupError('InvalidLookupAttributesException', MSG.attributeValue);
    }
    attribute = { key: key as LookupAttributeKey, value };
  }
  if (start !== undefined && end !== undefined && start > end) {
    throw new LookupError('InvalidTimeRangeException', MSG.timeRange);
  }
  if (!absent(EventCategory) && EventCategory !== 'insight') {
    throw new LookupError('InvalidEventCategoryException', MSG.eventCategory);
  }
  if (!absent(MaxResults) && (MaxResults < 1 || MaxResults > MAX_RESULTS)) {
    throw new LookupError('InvalidMaxResultsException', MSG.maxResults(MaxResults));
  }
  return {
    attribute,
    start,
    end,
    max: (MaxResults as number | null | undefined) ?? MAX_RESULTS,
    token: NextToken ?? undefined,
    insight: EventCategory === 'insight',
  };
}

const weightedLength = (s: string): number => s.length + (s.match(DOUBLE_WIDTH)?.length ?? 0);

// ---- tokens ---------------------------------------------------------------------------------------------------

/** What a query asks, apart from the page size: a token is good only for the same question [DOC]. */
function fingerprint(q: Query, scope: LookupScope | undefined): string {
  const key = JSON.stringify([q.attribute?.key, q.attribute?.value, q.start, q.end, scope?.accountId, scope?.region]);
  return createHash('sha256').update(key).digest('base64url').slice(0, 16);
}

interface Token {
  /** where the records were read from: a file offset and a memory seq are not interchangeable */
  s: AuditSource;
  /** the position of the last event answered: the next page starts before it */
  p: number;
  f: string;
}

function encodeToken(t: Token): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(text: string, source: AuditSource, fp: string): number {
  let t: unknown;
  try {
    t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new LookupError('InvalidNextTokenException', MSG.nextToken);
  }
  const p = isObject(t) && t.s === source && t.f === fp ? t.p : undefined;
  if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < 0) {
    throw new LookupError('InvalidNextTokenException', MSG.nextToken);
  }
  return p;
}

// ---- events ---------------------------------------------------------------------------------------------------

/**
 * Event.Username: "A user name or role name of the requester" [M]: an IAM user's name, an assumed role's session
 * name (Event history shows the session), `root` for the account. Service events have none [ours].
 */
function usernameOf(rec: CloudTrailRecord): string | undefined {
  const id = rec.userIdentity;
  switch (id.type) {
    case 'IAMUser':
      return id.userName;
    case 'AssumedRole':
      return id.arn?.slice(id.arn.lastIndexOf('/') + 1);
    case 'Root':
      return id.userName ?? 'root';
    default:
      return undefined;
  }
}

function matches(rec: CloudTrailRecord, q: Query, scope: LookupScope | undefined): boolean {
  if (scope && (rec.recipientAccountId !== scope.accountId || rec.awsRegion !== scope.region)) return false;
  if (q.start !== undefined || q.end !== undefined) {
    const t = Date.parse(rec.eventTime);
    if ((q.start !== undefined && t < q.start) || (q.end !== undefined && t > q.end)) return false;
  }
  const a = q.attribute;
  if (!a) return true;
  switch (a.key) {
    case 'EventId':
      return rec.eventID === a.value;
    case 'EventName':
      return rec.eventName === a.value;
    case 'ReadOnly':
      return String(rec.readOnly) === a.value;
    case 'Username':
      return usernameOf(rec) === a.value;
    case 'ResourceType':
      return rec.resources?.some((r) => r.type === a.value) ?? false;
    case 'ResourceName':
      return rec.resources?.some((r) => r.ARN === a.value) ?? false;
    case 'EventSource':
      return rec.eventSource === a.value;
    case 'AccessKeyId':
      return rec.userIdentity.accessKeyId === a.value;
  }
}

/** [M] Event, members in the model's order; EventTime in epoch seconds (AWS JSON 1.1 timestamps). */
function eventOf(rec: CloudTrailRecord, json: string): Record<string, unknown> {
  return {
    EventId: rec.eventID,
    EventName: rec.eventName,
    ReadOnly: String(rec.readOnly),
    AccessKeyId: rec.userIdentity.accessKeyId,
    EventTime: Date.parse(rec.eventTime) / 1000,
    EventSource: rec.eventSource,
    Username: usernameOf(rec),
    // [SM-ct] Event history shows "Resources": [] when a record names none
    Resources: (rec.resources ?? []).map((r) => ({ ResourceType: r.type, ResourceName: r.ARN })),
    CloudTrailEvent: json,
  };
}

/** Text that a record matching the query must contain: most records are skipped without being parsed. */
function needleOf(q: Query): string | undefined {
  if (!q.attribute) return undefined;
  return JSON.stringify(q.attribute.value).slice(1, -1);
}

function response(status: number, body: unknown, requestId: string | undefined): CloudTrailResponse {
  const headers: Record<string, string> = { 'content-type': AWS_JSON_1_1 };
  if (requestId !== undefined) headers['x-amzn-requestid'] = requestId;
  return { status, headers, body: JSON.stringify(body) };
}

function errorResponse(err: LookupError, requestId: string | undefined): CloudTrailResponse {
  const body: Record<string, string> = { __type: err.code };
  if (err.message) body.Message = err.message;
  return response(400, body, requestId);
}

/**
 * LookupEvents: the body as parsed JSON; answers newest first, at most MaxResults events and a NextToken while more
 * match. Records an earlier process wrote are read from the file. Insights events are never recorded: asking for
 * them answers no events.
 */
export async function lookupEvents(
  log: AuditLog,
  body: unknown,
  opts: LookupOptions = {},
): Promise<CloudTrailResponse> {
  try {
    const q = parseQuery(body);
    if (q.insight) return response(200, { Events: [] }, opts.requestId);
    const fp = fingerprint(q, opts.scope);
    const source = log.source;
    const before = q.token === undefined ? undefined : decodeToken(q.token, source, fp);
    const needle = needleOf(q);
    const scopeNeedle = opts.scope && `"recipientAccountId":${JSON.stringify(opts.scope.accountId)}`;
    const events: Record<string, unknown>[] = [];
    let last = 0;
    let more = false;
    for await (const { pos, record } of log.newestFirst(before)) {
      if ((needle !== undefined && !record.includes(needle)) || (scopeNeedle && !record.includes(scopeNeedle)))
        continue;
      let rec: CloudTrailRecord;
      try {
        rec = JSON.parse(record) as CloudTrailRecord;
      } catch {
        continue;
      }
      if (!matches(rec, q, opts.scope)) continue;
      if (events.length === q.max) {
        more = true;
        break;
      }
      events.push(eventOf(rec, record));
      last = pos;
    }
    const out: Record<string, unknown> = { Events: events };
    if (more) out.NextToken = encodeToken({ s: source, p: last, f: fp });
    return response(200, out, opts.requestId);
  } catch (err) {
    if (err instanceof LookupError) return errorResponse(err, opts.requestId);
    throw err;
  }
}

/**
 * A CloudTrail request as the HTTP layer has it (the X-Amz-Target header and the body's bytes): LookupEvents, or
 * UnknownOperationException for the rest of CloudTrail's API [ours].
 */
export function handleCloudTrailRequest(
  log: AuditLog,
  target: string,
  body: Buffer,
  opts: LookupOptions = {},
): Promise<CloudTrailResponse> {
  const operation = target.startsWith(CLOUDTRAIL_TARGET_PREFIX)
    ? target.slice(CLOUDTRAIL_TARGET_PREFIX.length)
    : target;
  if (operation !== 'LookupEvents') {
    return Promise.resolve(
      errorResponse(new LookupError('UnknownOperationException', MSG.unknownOperation(operation)), opts.requestId),
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.length === 0 ? '' : body.toString('utf8'));
  } catch {
    return Promise.resolve(errorResponse(serialization(), opts.requestId));
  }
  return lookupEvents(log, parsed, opts);
}

/** Whether an X-Amz-Target names CloudTrail (for the HTTP layer's routing). */
export const isCloudTrailTarget = (target: string | undefined): target is string =>
  target?.startsWith(CLOUDTRAIL_TARGET_PREFIX) ?? false;
