import { crc32, deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * Test helpers for functions on secretlite's Lambda API: zips (deflated, as `zip` makes them), calls of the REST
 * API, and Node functions bundled with their dependencies as a user would deploy them.
 */

/** A zip of `files` (path -> text), every entry deflated. */
export function makeZip(files: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [path, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    const packed = deflateRawSync(data);
    const name = Buffer.from(path);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

export interface LambdaResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** One call of the Lambda REST API (unsigned: the account is the default one, as with any emulator). */
export async function lambdaCall(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LambdaResponse> {
  const res = await fetch(`${url}/2015-03-31/functions${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Creates a function (with the permission rotation needs unless `open` is false); its ARN. */
export async function createFunction(
  url: string,
  name: string,
  runtime: string,
  handler: string,
  files: Record<string, string | Buffer>,
  opts: { timeout?: number; environment?: Record<string, string>; open?: boolean } = {},
): Promise<string> {
  const r = await lambdaCall(url, 'POST', '', {
    FunctionName: name,
    Runtime: runtime,
    Handler: handler,
    Role: 'arn:aws:iam::000000000000:role/rotation',
    Code: { ZipFile: makeZip(files).toString('base64') },
    Timeout: opts.timeout ?? 30,
    Environment: opts.environment && { Variables: opts.environment },
  });
  if (r.status !== 201) throw new Error(`CreateFunction: ${r.status} ${r.text}`);
  if (opts.open !== false) {
    const p = await lambdaCall(url, 'POST', `/${name}/policy`, {
      StatementId: 'SecretsManager',
      Action: 'lambda:InvokeFunction',
      Principal: 'secretsmanager.amazonaws.com',
    });
    if (p.status !== 201) throw new Error(`AddPermission: ${p.status} ${p.text}`);
  }
  return r.json.FunctionArn as string;
}

/** A Node function's source bundled with its dependencies (the SDK, pg) into one ESM file, as users deploy. */
export async function bundleNodeFunction(source: string): Promise<string> {
  const out = await build({
    stdin: { contents: source, resolveDir: fileURLToPath(new URL('../../', import.meta.url)), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return out.outputFiles[0]!.text;
}
