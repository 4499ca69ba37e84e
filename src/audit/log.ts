/**
 * The audit log: CloudTrail records as JSON Lines, append-only and hash-chained, written off the request path.
 *
 * A line is the record's JSON with one member added at its end:
 *
 *   {"eventVersion":"1.09",...,"eventCategory":"Management","secretlite":{"seq":7,"prev":"<hex>","hash":"<hex>"}}
 *
 * where hash = sha256(prev + "\n" + seq + "\n" + record JSON) and prev is the previous line's hash (the first
 * line's prev is GENESIS). Each line stays one JSON object that `jq` and log shippers read as they are, the record
 * CloudTrail would write is the line without its last member (textually: nothing is re-serialized to check or to
 * serve it), and the chain makes an edited line (its hash no longer matches), a deleted, inserted or moved line (seq
 * and prev no longer follow) visible to verifyAuditFile. Like any chain without a key or an anchor kept elsewhere,
 * it cannot tell that lines were cut from the end, nor that the whole file was rewritten: `head` is what to keep
 * elsewhere for that.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import {
  buildApiCallRecord,
  buildServiceEventRecord,
  type ApiCallEvent,
  type CloudTrailRecord,
  type ServiceEvent,
  type UuidSource,
} from './record.js';

/** The prev of a file's first line. */
export const GENESIS = '0'.repeat(64);
const MARK = ',"secretlite":{"seq":';
const TAIL = /^,"secretlite":\{"seq":([1-9]\d{0,15}),"prev":"([0-9a-f]{64})","hash":"([0-9a-f]{64})"\}\}$/;
const NEWLINE = 0x0a;
const CHUNK = 256 * 1024;

export const chainHash = (prev: string, seq: number, record: string): string =>
  createHash('sha256').update(`${prev}\n${seq}\n`).update(record).digest('hex');

/** A record's JSON (an object of at least one member) as a chained line, without its newline. */
export function chainLine(record: string, seq: number, prev: string): { line: string; hash: string } {
  const hash = chainHash(prev, seq, record);
  return { line: `${record.slice(0, -1)}${MARK}${seq},"prev":"${prev}","hash":"${hash}"}}`, hash };
}

export interface ChainedLine {
  /** the CloudTrail record's JSON, as it was hashed */
  readonly record: string;
  readonly seq: number;
  readonly prev: string;
  readonly hash: string;
}

/** A line's parts, or undefined when it is not a chained line (its hash is not checked here). */
export function parseChainedLine(line: string): ChainedLine | undefined {
  const at = line.lastIndexOf(MARK);
  if (at < 2 || line.charCodeAt(0) !== 0x7b) return undefined;
  const m = TAIL.exec(line.slice(at));
  if (!m) return undefined;
  return { record: `${line.slice(0, at)}}`, seq: Number(m[1]), prev: m[2]!, hash: m[3]! };
}

export interface AuditLogOptions {
  /** told once when the file cannot be opened or written, and when a torn last line is dropped */
  readonly logger?: Pick<Logger, 'warn' | 'error'>;
  /** eventIDs for recordApiCall and recordServiceEvent */
  readonly random?: UuidSource;
  /** how long a record may wait in memory before its batch is written (default 10 ms) */
  readonly flushIntervalMs?: number;
  /** this many waiting records are written at once, without waiting for the interval (default 512) */
  readonly batchRecords?: number;
  /** when the file cannot be written, the newest records kept in memory for LookupEvents (default 10,000) */
  readonly memoryRecords?: number;
}

/** Where LookupEvents reads from: the file, or memory once the file could not be written. */
export type AuditSource = 'file' | 'memory';

/** A record as read back: its position (a byte offset in the file, or a seq in memory) and its JSON. */
export interface StoredRecord {
  readonly pos: number;
  readonly record: string;
}

type Pending = CloudTrailRecord | (() => CloudTrailRecord);

const silent: Pick<Logger, 'warn' | 'error'> = { warn: () => undefined, error: () => undefined };
const errorCode = (err: unknown): string =>
  (err as NodeJS.ErrnoException | undefined)?.code ?? (err instanceof Error ? err.name : typeof err);

export class AuditLog {
  readonly path: string;
  readonly #logger: Pick<Logger, 'warn' | 'error'>;
  readonly #random: UuidSource | undefined;
  readonly #interval: number;
  readonly #batch: number;
  readonly #memoryMax: number;
  #fh: FileHandle | undefined;
  #seq = 0;
  #hash = GENESIS;
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  /** the writes, one after another: each flush appends its batch */
  #writes: Promise<void> = Promise.resolve();
  #failed = false;
  #closed = false;
  #memory: StoredRecord[] = [];

  private constructor(path: string, opts: AuditLogOptions) {
    this.path = path;
    this.#logger = opts.logger ?? silent;
    this.#random = opts.random;
    this.#interval = opts.flushIntervalMs ?? 10;
    this.#batch = opts.batchRecords ?? 512;
    this.#memoryMax = opts.memoryRecords ?? 10_000;
  }

  /**
   * Opens (or creates) the file and continues its chain from its last line. Never rejects: a file that cannot be
   * opened, or that is not an audit log, is logged once and the log keeps its records in memory (`failed`).
   */
  static async open(path: string, opts: AuditLogOptions = {}): Promise<AuditLog> {
    const log = new AuditLog(path, opts);
    let fh: FileHandle | undefined;
    try {
      fh = await open(path, 'a+', 0o600);
      const last = await continueChain(fh, path, log.#logger);
      log.#seq = last.seq;
      log.#hash = last.hash;
      log.#fh = fh;
    } catch (err) {
      await fh?.close().catch(() => undefined);
      log.#fail(err instanceof NotAnAuditLog ? 'not an audit log' : 'open', err);
    }
    return log;
  }

  /** The last chained line's seq and hash: kept elsewhere, it shows a cut tail or a rewritten file. */
  get head(): { readonly seq: number; readonly hash: string } {
    return { seq: this.#seq, hash: this.#hash };
  }

  /** True once the file could not be opened or written: records since are kept in memory only. */
  get failed(): boolean {
    return this.#failed;
  }

  get source(): AuditSource {
    return this.#failed ? 'memory' : 'file';
  }

  /** Queues a record; it is written within flushIntervalMs. Cheap: no serialization, no I/O here. */
  record(rec: CloudTrailRecord): void {
    this.#push(rec);
  }

  /**
   * Queues an API call's record, built when its batch is written (off the request path). The event's input and
   * output must not change afterwards: the pipeline's never do (a stored snapshot is never changed).
   */
  recordApiCall(ev: ApiCallEvent): void {
    const random = this.#needRandom();
    this.#push(() => buildApiCallRecord(ev, random));
  }

  recordServiceEvent(ev: ServiceEvent): void {
    const random = this.#needRandom();
    this.#push(() => buildServiceEventRecord(ev, random));
  }

  /** Resolves when every record queued before the call is written (or kept in memory, if the file failed). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = this.#immediate = undefined;
    if (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      this.#writes = this.#writes.then(() => this.#write(batch));
    }
    return this.#writes;
  }

  /** Writes what is queued and closes the file; records after this are ignored. */
  async close(): Promise<void> {
    if (this.#closed) return this.#writes;
    this.#closed = true;
    await this.flush();
    const fh = this.#fh;
    this.#fh = undefined;
    await fh?.close().catch(() => undefined);
  }

  /**
   * The records, newest first, from before `before` (a pos an earlier call yielded), after a flush. The file is
   * read backwards in chunks when asked, so that records an earlier process wrote are found too.
   */
  async *newestFirst(before?: number): AsyncGenerator<StoredRecord> {
    await this.flush();
    if (this.#failed || !this.#fh) {
      for (let i = this.#memory.length - 1; i >= 0; i--) {
        const r = this.#memory[i]!;
        if (before === undefined || r.pos < before) yield r;
      }
      return;
    }
    const fh = await open(this.path, 'r');
    try {
      const size = (await fh.stat()).size;
      for await (const line of linesBackwards(fh, Math.min(before ?? size, size))) {
        const parsed = parseChainedLine(line.text);
        if (parsed) yield { pos: line.start, record: parsed.record };
      }
    } finally {
      await fh.close();
    }
  }

  #needRandom(): UuidSource {
    if (!this.#random) throw new Error('AuditLog: recordApiCall and recordServiceEvent need options.random');
    return this.#random;
  }

  #push(p: Pending): void {
    if (this.#closed) return;
    this.#pending.push(p);
    if (this.#pending.length >= this.#batch) {
      this.#immediate ??= setImmediate(() => {
        this.#immediate = undefined;
        void this.flush();
      });
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.flush();
      }, this.#interval);
      this.#timer.unref();
    }
  }

  /** One batch: chained in order, then one write. Never rejects. */
  async #write(batch: Pending[]): Promise<void> {
    const written: StoredRecord[] = [];
    const lines: string[] = [];
    for (const p of batch) {
      let json: string;
      try {
        json = JSON.stringify(typeof p === 'function' ? p() : p);
      } catch (err) {
        // a bug of ours, never the request's content (which may hold secret material)
        this.#logger.error('audit record could not be built', { error: errorCode(err) });
        continue;
      }
      const seq = ++this.#seq;
      const { line, hash } = chainLine(json, seq, this.#hash);
      this.#hash = hash;
      lines.push(line);
      written.push({ pos: seq, record: json });
    }
    const fh = this.#fh;
    if (!this.#failed && fh && lines.length > 0) {
      const buf = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      try {
        for (let off = 0; off < buf.length;) off += (await fh.write(buf, off, buf.length - off, null)).bytesWritten;
        return;
      } catch (err) {
        this.#fail('write', err);
      }
    }
    for (const r of written) this.#remember(r);
  }

  #remember(r: StoredRecord): void {
    this.#memory.push(r);
    if (this.#memory.length > this.#memoryMax) this.#memory.splice(0, this.#memory.length - this.#memoryMax);
  }

  #fail(what: string, err: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#logger.error('audit log cannot be written; records are kept in memory only', {
      path: this.path,
      during: what,
      error: errorCode(err),
    });
    const fh = this.#fh;
    this.#fh = undefined;
    void fh?.close().catch(() => undefined);
  }
}

class NotAnAuditLog extends Error {
  override readonly name = 'NotAnAuditLog';
}

/**
 * The seq and hash to continue from. A last line without its newline is a write cut short by a crash: if it is a
 * whole chained line it gets its newline, else it is cut off (logged) when it looks like ours. A file whose last
 * line is not chained is not an audit log, and is left alone.
 */
async function continueChain(
  fh: FileHandle,
  path: string,
  logger: Pick<Logger, 'warn'>,
): Promise<{ seq: number; hash: string }> {
  let size = (await fh.stat()).size;
  if (size === 0) return { seq: 0, hash: GENESIS };
  const lastNewline = await lastIndexOfNewline(fh, size);
  if (lastNewline !== size - 1) {
    const torn = await readText(fh, lastNewline + 1, size);
    const whole = parseChainedLine(torn);
    if (whole && chainHash(whole.prev, whole.seq, whole.record) === whole.hash) {
      await fh.write('\n');
      size += 1;
    } else if (torn.startsWith('{"eventVersion":')) {
      await fh.truncate(lastNewline + 1);
      logger.warn('audit log: dropped an incomplete last line (a write cut short)', {
        path,
        bytes: size - lastNewline - 1,
      });
      size = lastNewline + 1;
      if (size === 0) return { seq: 0, hash: GENESIS };
    } else {
      throw new NotAnAuditLog(path);
    }
  }
  const start = (await lastIndexOfNewline(fh, size - 1)) + 1;
  const last = parseChainedLine(await readText(fh, start, size - 1));
  if (!last) throw new NotAnAuditLog(path);
  return { seq: last.seq, hash: last.hash };
}

async function readText(fh: FileHandle, start: number, end: number): Promise<string> {
  const buf = Buffer.alloc(end - start);
  let off = 0;
  while (off < buf.length) {
    const { bytesRead } = await fh.read(buf, off, buf.length - off, start + off);
    if (bytesRead === 0) break;
    off += bytesRead;
  }
  return buf.toString('utf8', 0, off);
}

/** The offset of the last newline before `end`, or -1. */
async function lastIndexOfNewline(fh: FileHandle, end: number): Promise<number> {
  const buf = Buffer.alloc(Math.min(CHUNK, end));
  for (let hi = end; hi > 0;) {
    const lo = Math.max(0, hi - buf.length);
    const { bytesRead } = await fh.read(buf, 0, hi - lo, lo);
    const i = buf.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (i >= 0) return lo + i;
    hi = lo;
  }
  return -1;
}

/** The lines of [0, end) from the last to the first; `end` is 0 or just after a newline. */
async function* linesBackwards(fh: FileHandle, end: number): AsyncGenerator<{ start: number; text: string }> {
  let carry = Buffer.alloc(0); // the bytes of [lo, end) not yet yielded: a line whose start is not read yet
  for (let lo = end; lo > 0;) {
    const n = Math.min(CHUNK, lo);
    lo -= n;
    const chunk = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await fh.read(chunk, got, n - got, lo + got);
      if (bytesRead === 0) throw new Error(`audit log shrank while it was read: ${lo + got}`);
      got += bytesRead;
    }
    const buf = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
    // buf ends with a newline (or is the file's unterminated tail); p is where the current line ends
    let p = buf[buf.length - 1] === NEWLINE ? buf.length - 1 : buf.length;
    for (;;) {
      const nl = p > 0 ? buf.lastIndexOf(NEWLINE, p - 1) : -1;
      if (nl < 0 && lo > 0) break; // the line starts in an earlier chunk
      const start = nl + 1;
      if (p > start) yield { start: lo + start, text: buf.toString('utf8', start, p) };
      if (nl < 0) break;
      p = nl;
    }
    carry = lo > 0 ? buf.subarray(0, p + (p < buf.length ? 1 : 0)) : Buffer.alloc(0);
  }
}

export interface VerifyResult {
  ok: boolean;
  /** lines verified intact (all of them when ok) */
  records: number;
  /** the 1-based line where the chain breaks */
  brokenAt?: number;
  reason?: string;
}

/**
 * Reads the file from its first line and checks each line's hash and its place in the chain. Finds an edited
 * line (at that line), a deleted one (at the line after the gap), an inserted or moved one (where the order
 * breaks), and a torn last line.
 */
export async function verifyAuditFile(path: string): Promise<VerifyResult> {
  let lineNo = 0;
  let prev = GENESIS;
  let carry: Buffer | undefined;
  const check = (bytes: Buffer): VerifyResult | undefined => {
    lineNo++;
    const text = bytes.toString('utf8');
    const broken = (reason: string): VerifyResult => ({ ok: false, records: lineNo - 1, brokenAt: lineNo, reason });
    const line = parseChainedLine(text);
    if (!line) return broken(text.length === 0 ? 'an empty line' : 'not a chained audit record');
    if (chainHash(line.prev, line.seq, line.record) !== line.hash) {
      return broken(`its hash does not match its content (the line was edited)`);
    }
    if (line.seq > lineNo) return broken(`seq ${line.seq} where ${lineNo} was expected (a line before it is missing)`);
    if (line.seq < lineNo) return broken(`seq ${line.seq} where ${lineNo} was expected (a line was inserted or moved)`);
    if (line.prev !== prev) return broken('its prev is not the previous line hash (a line was replaced or moved)');
    prev = line.hash;
    return undefined;
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    let from = 0;
    for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, from)) {
      const bad = check(buf.subarray(from, nl));
      if (bad) return bad;
      from = nl + 1;
    }
    buf = buf.subarray(from);
    carry = buf.length > 0 ? Buffer.from(buf) : undefined;
  }
  if (carry) {
    const bad = check(carry);
    return bad ?? { ok: false, records: lineNo, brokenAt: lineNo, reason: 'the last line has no newline (cut short)' };
  }
  return { ok: true, records: lineNo };
}
