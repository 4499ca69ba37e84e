import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * A reader of the zip files Lambda's CreateFunction takes (ZipFile): the central directory, stored and deflated
 * entries. Enough for what `zip`, Python's zipfile and the SDK tools make; no ZIP64, no encryption. Refuses paths
 * that would leave the directory they are extracted to. And its writer (deflated entries), for tools and tests
 * that deploy functions.
 */

/** Lambda's limit on a function's unzipped code [DOC: "Unzipped size must be smaller than 262144000 bytes"]. */
export const MAX_UNZIPPED_BYTES = 262_144_000;
const MAX_ENTRIES = 50_000;

export class ZipError extends Error {}

export interface ZipEntry {
  /** the path inside the archive, with `/` separators; directories end with `/` */
  readonly path: string;
  readonly data: Buffer;
  /** Unix mode bits when the archive recorded them (external attributes of a zip made on Unix) */
  readonly mode?: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Whether a path is safe to extract: relative, no `..` segment, no backslash or drive. */
export function safePath(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.includes('\\') || /^[A-Za-z]:/.test(p) || p.includes('\0')) return false;
  return !p.split('/').some((seg) => seg === '..');
}

export function readZip(zip: Buffer): ZipEntry[] {
  // the end of central directory record: in the last 64 KiB + 22 bytes (a comment may follow it)
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (count > MAX_ENTRIES) throw new ZipError('too many entries');
  const entries: ZipEntry[] = [];
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new ZipError('bad central directory');
    const madeBy = zip.readUInt16LE(at + 4) >> 8;
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const external = zip.readUInt32LE(at + 38);
    const local = zip.readUInt32LE(at + 42);
    const path = zip.toString('utf8', at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw new ZipError('encrypted entries are not supported');
    if (!safePath(path)) throw new ZipError(`unsafe path in archive: ${path}`);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) throw new ZipError('bad local header');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    if (raw.length !== compressed) throw new ZipError('truncated entry');
    total += size;
    if (total > MAX_UNZIPPED_BYTES) throw new ZipError('too large when unzipped');
    let data: Buffer;
    if (method === 0) data = raw;
    else if (method === 8) data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
    else throw new ZipError(`unsupported compression method ${method}`);
    if (data.length !== size) throw new ZipError('entry size mismatch');
    const mode = madeBy === 3 ? (external >>> 16) & 0o7777 : undefined;
    entries.push({ path, data, mode: mode || undefined });
  }
  return entries;
}

/** A zip of `files` (path -> content), every entry deflated, as `zip` makes them. */
export function writeZip(files: Readonly<Record<string, string | Buffer>>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [path, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    const packed = deflateRawSync(data);
    const name = Buffer.from(path);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(CENTRAL, 0);
    entry.writeUInt16LE((3 << 8) | 20, 4); // made on Unix
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    entry.writeUInt32LE(offset, 42);
    parts.push(local, name, packed);
    central.push(entry, name);
    offset += 30 + name.length + packed.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  const count = Object.keys(files).length;
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}
