import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

/**
 * A stand-in for an external Lambda service (what `--lambda-endpoint` points at: LocalStack, `sam local`): the
 * Invoke API (`POST /2015-03-31/functions/{name}/invocations`, DryRun / RequestResponse) over functions the test
 * registers. It is the user's side of rotation, not secretlite's: secretlite reaches it over HTTP as it would
 * reach any Lambda endpoint.
 */

export interface RotationEvent {
  Step: string;
  SecretId: string;
  ClientRequestToken: string;
  RotationToken: string;
}

export interface Invocation {
  readonly fn: string;
  readonly type: string;
  readonly event?: RotationEvent;
  readonly authorization?: string;
}

export type Handler = (event: RotationEvent) => Promise<void>;

export interface FakeLambda {
  readonly url: string;
  readonly invocations: Invocation[];
  /** functions by name; `denied`: it exists but does not let secretsmanager.amazonaws.com in (403) */
  add(name: string, handler: Handler, opts?: { denied?: boolean }): string;
  close(): Promise<void>;
}

export const functionArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

export async function startFakeLambda(): Promise<FakeLambda> {
  const functions = new Map<string, { handler: Handler; denied: boolean }>();
  const invocations: Invocation[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
      const name = m ? decodeURIComponent(m[1]!).split(':').pop()! : '';
      const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      const body = Buffer.concat(chunks).toString('utf8');
      const fn = functions.get(name);
      invocations.push({
        fn: name,
        type,
        event: type === 'DryRun' ? undefined : (JSON.parse(body) as RotationEvent),
        authorization: req.headers.authorization,
      });
      const send = (status: number, payload: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(payload);
      };
      if (!fn) {
        send(404, JSON.stringify({ Type: 'User', Message: `Function not found: ${functionArn(name)}` }), {
          'x-amzn-errortype': 'ResourceNotFoundException',
        });
        return;
      }
      if (fn.denied) {
        send(403, JSON.stringify({ Message: 'not authorized' }), { 'x-amzn-errortype': 'AccessDeniedException' });
        return;
      }
      if (type === 'DryRun') {
        res.writeHead(204);
        res.end();
        return;
      }
      fn.handler(JSON.parse(body) as RotationEvent).then(
        () => send(200, 'null'),
        (e: Error) =>
          send(200, JSON.stringify({ errorMessage: e.message, errorType: e.name, stackTrace: [] }), {
            'x-amz-function-error': 'Unhandled',
          }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations,
    add(name, handler, opts = {}) {
      functions.set(name, { handler, denied: opts.denied ?? false });
      return functionArn(name);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** What a template-shaped function saw at each step (as moto's AWS-verified test records it). */
export interface StepRecord {
  step: string;
  stages: Record<string, string[]>;
  pendingValue?: string;
  pendingError?: string;
}

/**
 * A TypeScript port of AWS's rotation template (aws-samples SecretsManagerRotationTemplate, lambda_function.py):
 * the same checks before each step and the same Secrets Manager calls, with the SDK pointed at secretlite.
 * `fail(step)`: a step that throws (the test decides, per call).
 */
export function templateFunction(
  sm: SecretsManagerClient,
  records: StepRecord[],
  fail: (step: string) => boolean = () => false,
): Handler {
  return async (event) => {
    const { SecretId: arn, ClientRequestToken: token, Step: step } = event;
    const meta = await sm.send(new DescribeSecretCommand({ SecretId: arn }));
    if (!meta.RotationEnabled) throw new Error(`Secret ${arn} is not enabled for rotation`);
    const versions = meta.VersionIdsToStages ?? {};
    const record: StepRecord = { step, stages: versions };
    records.push(record);
    if (!(token in versions)) throw new Error(`Secret version ${token} has no stage for rotation of secret ${arn}.`);
    if (versions[token]!.includes('AWSCURRENT')) return;
    if (!versions[token]!.includes('AWSPENDING'))
      throw new Error(`Secret version ${token} not set as AWSPENDING for rotation of secret ${arn}.`);
    if (fail(step)) throw new Error(`${step} failed on purpose`);
    if (step === 'createSecret') {
      await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSCURRENT' }));
      try {
        const pending = await sm.send(
          new GetSecretValueCommand({ SecretId: arn, VersionId: token, VersionStage: 'AWSPENDING' }),
        );
        record.pendingValue = pending.SecretString;
      } catch (e) {
        if ((e as Error).name !== 'ResourceNotFoundException') throw e;
        record.pendingError = (e as Error).message;
        const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({ ExcludeCharacters: '/@"\'\\' }));
        await sm.send(
          new PutSecretValueCommand({
            SecretId: arn,
            ClientRequestToken: token,
            SecretString: RandomPassword,
            VersionStages: ['AWSPENDING'],
            RotationToken: event.RotationToken,
          }),
        );
      }
    } else if (step === 'testSecret') {
      const pending = await sm.send(
        new GetSecretValueCommand({ SecretId: arn, VersionId: token, VersionStage: 'AWSPENDING' }),
      );
      record.pendingValue = pending.SecretString;
    } else if (step === 'finishSecret') {
      const current = Object.entries(versions).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
      if (current === token) return;
      await sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: arn,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          RemoveFromVersionId: current,
        }),
      );
    }
  };
}
