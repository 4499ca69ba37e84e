import { writeZip } from '../../src/lambda/zip.js';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * Test helpers for functions on secretlite's Lambda API: zips (deflated, as `zip` makes them), calls of the REST
 * API, and Node functions bundled with their dependencies as a user would deploy them.
 */

/** A zip of `files` (path -> text), every entry deflated. */
export const makeZip = writeZip;

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

/**
 * Creates a function (with the permission rotation needs unless `open` is false); its ARN. `account`: the account it
 * is made in (the key id of an unchecked signature, as the SDKs' clients send it), else the default one.
 */
export async function createFunction(
  url: string,
  name: string,
  runtime: string,
  handler: string,
  files: Record<string, string | Buffer>,
  opts: { timeout?: number; environment?: Record<string, string>; open?: boolean; account?: string } = {},
): Promise<string> {
  const headers: Record<string, string> = opts.account
    ? { authorization: `AWS4-HMAC-SHA256 Credential=${opts.account}/20250101/us-east-1/lambda/aws4_request` }
    : {};
  const r = await lambdaCall(
    url,
    'POST',
    '',
    {
      FunctionName: name,
      Runtime: runtime,
      Handler: handler,
      Role: 'arn:aws:iam::000000000000:role/rotation',
      Code: { ZipFile: makeZip(files).toString('base64') },
      Timeout: opts.timeout ?? 30,
      Environment: opts.environment && { Variables: opts.environment },
    },
    headers,
  );
  if (r.status !== 201) throw new Error(`CreateFunction: ${r.status} ${r.text}`);
  if (opts.open !== false) {
    const p = await lambdaCall(
      url,
      'POST',
      `/${name}/policy`,
      {
        StatementId: 'SecretsManager',
        Action: 'lambda:InvokeFunction',
        Principal: 'secretsmanager.amazonaws.com',
      },
      headers,
    );
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

/**
 * AWS's rotation template (SecretsManagerRotationTemplate/lambda_function.py) in Python, cut to its Secrets Manager
 * calls; `setSecret`: Python lines run in that step (indented by 8), to make it slow or fail.
 */
export function pythonTemplate(setSecret = '        pass'): string {
  return `import boto3, os, time

def lambda_handler(event, context):
    arn, token, step = event['SecretId'], event['ClientRequestToken'], event['Step']
    sm = boto3.client('secretsmanager', endpoint_url=os.environ['SECRETS_MANAGER_ENDPOINT'])
    versions = sm.describe_secret(SecretId=arn)['VersionIdsToStages']
    if 'AWSCURRENT' in versions[token]:
        return
    if step == 'createSecret':
        try:
            sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage='AWSPENDING')
        except sm.exceptions.ResourceNotFoundException:
            pw = sm.get_random_password(ExcludeCharacters='/@"\\'\\\\')['RandomPassword']
            sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=pw, VersionStages=['AWSPENDING'])
    elif step == 'setSecret':
${setSecret}
    elif step == 'finishSecret':
        current = next(v for v, s in versions.items() if 'AWSCURRENT' in s)
        sm.update_secret_version_stage(SecretId=arn, VersionStage='AWSCURRENT', MoveToVersionId=token,
                                       RemoveFromVersionId=current)
`;
}
