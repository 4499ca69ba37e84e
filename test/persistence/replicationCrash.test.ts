import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomInt } from 'node:crypto';
import { listeningUrl } from '../helpers.js';

/**
 * kill -9 while replicating (SQLite): ReplicateSecretToRegions to many Regions, the server killed at a random point
 * of it, restarted. For every Region, either the primary lists the replica InSync and a read there answers the
 * primary's value, or the primary does not list it and a read there finds nothing: no half-made replica, and
 * ReplicationStatus tells the truth. Made again, the replication completes.
 */
const BIN = fileURLToPath(new URL('../../bin/secretlite.js', import.meta.url));
const KILLS = Number(process.env.SECRETLITE_REPLICATION_KILLS ?? 12);
const REGIONS = Array.from({ length: 16 }, (_, i) => `eu-test-${i + 1}`);
const dir = mkdtempSync(join(tmpdir(), 'secretlite-replication-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--data-dir', dir, '--log-level', 'error'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', () => undefined);
  return { child, url: listeningUrl(child) };
}

async function call(url: string, op: string, body: unknown, region = 'us-east-1') {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `secretsmanager.${op}`,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/${region}/secretsmanager/aws4_request, SignedHeaders=host, Signature=x`,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe('kill -9 while replicating (SQLite)', () => {
  it(`no half-made replica after ${KILLS} kills; the statuses tell the truth`, async () => {
    for (let k = 0; k < KILLS; k++) {
      const name = `crash/replicated-${k}`;
      const first = start();
      const url = await first.url;
      const created = await call(url, 'CreateSecret', { Name: name, SecretString: `value-${k}` }).catch(
        () => undefined,
      );
      if (created?.status !== 200) first.child.kill('SIGKILL');
      expect(created?.status).toBe(200);
      const replicating = call(url, 'ReplicateSecretToRegions', {
        SecretId: name,
        AddReplicaRegions: REGIONS.map((Region) => ({ Region })),
      }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, randomInt(0, 25)));
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      await replicating;

      const second = start();
      const url2 = await second.url;
      try {
        const d = await call(url2, 'DescribeSecret', { SecretId: name });
        const listed = new Set(
          ((d.json.ReplicationStatus as { Region: string; Status: string }[] | undefined) ?? [])
            .filter((s) => s.Status === 'InSync')
            .map((s) => s.Region),
        );
        for (const region of REGIONS) {
          const read = await call(url2, 'GetSecretValue', { SecretId: name }, region);
          if (listed.has(region)) {
            expect(read.status, `${region}: listed InSync but not readable`).toBe(200);
            expect(read.json.SecretString).toBe(`value-${k}`);
          } else {
            expect(read.json.__type, `${region}: readable but not listed`).toBe('ResourceNotFoundException');
          }
        }
        // made again, the replication completes
        await call(url2, 'ReplicateSecretToRegions', {
          SecretId: name,
          AddReplicaRegions: REGIONS.map((Region) => ({ Region })),
        });
        const after = await call(url2, 'DescribeSecret', { SecretId: name });
        expect((after.json.ReplicationStatus as { Status: string }[]).every((s) => s.Status === 'InSync')).toBe(true);
        expect((await call(url2, 'GetSecretValue', { SecretId: name }, REGIONS[15])).json.SecretString).toBe(
          `value-${k}`,
        );
      } finally {
        second.child.kill('SIGTERM');
        await new Promise((r) => second.child.once('exit', r));
      }
    }
  }, 180_000);
});
