import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomInt, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { listeningUrl } from '../helpers.js';

/**
 * Kills the server with SIGKILL at random points while a client writes, restarts it, and checks that every
 * acknowledged write survived, the database is intact and the labels are consistent. SECRETLITE_CRASH_KILLS
 * sets the number of kill points (CI: 100).
 */
const KILLS = Number(process.env.SECRETLITE_CRASH_KILLS ?? 100);
const BIN = fileURLToPath(new URL('../../bin/secretlite.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'secretlite-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Model {
  versions: Map<string, string>;
  labels: Map<string, string>;
  tags: Map<string, string>;
  deleted: boolean;
  policySid?: string;
}
type Op =
  | { kind: 'create'; name: string; token: string; value: string }
  | { kind: 'put'; name: string; token: string; value: string }
  | { kind: 'stage'; name: string; label: string; to: string; from?: string }
  | { kind: 'tag'; name: string; key: string; value: string }
  | { kind: 'delete' | 'restore'; name: string }
  | { kind: 'policy'; name: string; sid: string };

const model = new Map<string, Model>();
const stats = { acked: 0, inFlightCommitted: 0, inFlightLost: 0, kills: 0 };
let counter = 0;

function start(): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--data-dir', dir, '--log-level', 'error'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', () => {});
  const url = listeningUrl(child);
  return { child, url };
}

async function call(
  url: string,
  op: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  // The timeout matters: when the server dies while a connection is being set up, fetch can stay pending
  // with nothing left to settle it (seen with Node 20's undici); here that counts as an unanswered request.
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${op}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)]!;

function nextOp(): Op {
  const names = [...model.keys()].slice(-12);
  const live = names.filter((n) => !model.get(n)!.deleted);
  const roll = randomInt(100);
  if (names.length < 3 || roll < 12)
    return { kind: 'create', name: `crash/${counter++}`, token: randomUUID(), value: randomUUID() };
  if (roll < 20) return { kind: model.get(pick(names))!.deleted ? 'restore' : 'delete', name: pick(names) } as Op;
  if (live.length === 0) return { kind: 'restore', name: pick(names) };
  const name = pick(live);
  const m = model.get(name)!;
  if (roll < 50) return { kind: 'put', name, token: randomUUID(), value: randomUUID() };
  if (roll < 70 && m.versions.size > 0) {
    const label = `L${randomInt(3)}`;
    const to = pick([...m.versions.keys()]);
    const from = m.labels.get(label);
    return { kind: 'stage', name, label, to, from: from !== to ? from : undefined };
  }
  if (roll < 85) return { kind: 'tag', name, key: `k${counter++}`, value: randomUUID() };
  return { kind: 'policy', name, sid: `p${counter++}` };
}

function fixDeleteKind(op: Op): Op {
  if ((op.kind === 'delete' || op.kind === 'restore') && model.has(op.name))
    return { kind: model.get(op.name)!.deleted ? 'restore' : 'delete', name: op.name };
  return op;
}

const policy = (sid: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: sid,
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
      },
    ],
  });

async function send(url: string, op: Op) {
  switch (op.kind) {
    case 'create':
      return call(url, 'CreateSecret', { Name: op.name, SecretString: op.value, ClientRequestToken: op.token });
    case 'put':
      return call(url, 'PutSecretValue', { SecretId: op.name, SecretString: op.value, ClientRequestToken: op.token });
    case 'stage':
      return call(url, 'UpdateSecretVersionStage', {
        SecretId: op.name,
        VersionStage: op.label,
        MoveToVersionId: op.to,
        RemoveFromVersionId: op.from,
      });
    case 'tag':
      return call(url, 'TagResource', { SecretId: op.name, Tags: [{ Key: op.key, Value: op.value }] });
    case 'delete':
      return call(url, 'DeleteSecret', { SecretId: op.name, RecoveryWindowInDays: 7 });
    case 'restore':
      return call(url, 'RestoreSecret', { SecretId: op.name });
    case 'policy':
      return call(url, 'PutResourcePolicy', { SecretId: op.name, ResourcePolicy: policy(op.sid) });
  }
}

function apply(op: Op): void {
  if (op.kind === 'create') {
    model.set(op.name, {
      versions: new Map([[op.token, op.value]]),
      labels: new Map(),
      tags: new Map(),
      deleted: false,
    });
    return;
  }
  const m = model.get(op.name)!;
  if (op.kind === 'put') m.versions.set(op.token, op.value);
  else if (op.kind === 'stage') m.labels.set(op.label, op.to);
  else if (op.kind === 'tag') m.tags.set(op.key, op.value);
  else if (op.kind === 'delete') m.deleted = true;
  else if (op.kind === 'restore') m.deleted = false;
  else if (op.kind === 'policy') m.policySid = op.sid;
}

/** Checks one secret against the model; an op whose answer was lost may or may not have happened. */
async function verify(url: string, name: string, pending?: Op): Promise<void> {
  const p = pending?.name === name ? pending : undefined;
  const d = await call(url, 'DescribeSecret', { SecretId: name });
  if (p?.kind === 'create') {
    if (d.status !== 200) return void stats.inFlightLost++;
    apply(p);
    stats.inFlightCommitted++;
  }
  const m = model.get(name);
  if (!m) return;
  expect(d.status, `${name} lost: ${JSON.stringify(d.json)}`).toBe(200);
  const stages = (d.json.VersionIdsToStages ?? {}) as Record<string, string[]>;
  const all = Object.entries(stages).flatMap(([v, ls]) => ls.map((l) => [l, v] as const));
  const labels = new Map(all);
  expect(all.length, `${name}: a label on two versions: ${JSON.stringify(stages)}`).toBe(labels.size);
  expect(
    all.filter(([l]) => l === 'AWSCURRENT'),
    `${name}: AWSCURRENT`,
  ).toHaveLength(1);

  const deleted = d.json.DeletedDate !== undefined;
  if ((p?.kind === 'delete' || p?.kind === 'restore') && deleted !== m.deleted) {
    apply(p);
    stats.inFlightCommitted++;
  }
  expect(deleted, `${name}: deletion state`).toBe(m.deleted);

  const tags = new Map(((d.json.Tags ?? []) as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]));
  if (p?.kind === 'tag' && tags.get(p.key) === p.value) apply(p);
  for (const [k, v] of m.tags) expect(tags.get(k), `${name}: tag ${k}`).toBe(v);

  for (const [label, version] of m.labels) {
    if (p?.kind === 'stage' && p.label === label && labels.get(label) === p.to) continue;
    expect(labels.get(label), `${name}: label ${label}`).toBe(version);
  }
  if (p?.kind === 'stage' && labels.get(p.label) === p.to) apply(p);

  const listed = await call(url, 'ListSecretVersionIds', { SecretId: name, IncludeDeprecated: true });
  const ids = new Set((listed.json.Versions as Array<{ VersionId: string }>).map((v) => v.VersionId));
  if (p?.kind === 'put' && ids.has(p.token)) {
    apply(p);
    stats.inFlightCommitted++;
  }
  for (const token of m.versions.keys()) expect(ids.has(token), `${name}: version ${token} lost`).toBe(true);
  if (!m.deleted) {
    for (const [token, value] of m.versions) {
      const v = await call(url, 'GetSecretValue', { SecretId: name, VersionId: token });
      expect(v.json.SecretString, `${name}: value of ${token}`).toBe(value);
    }
    const pol = await call(url, 'GetResourcePolicy', { SecretId: name });
    const sid = pol.json.ResourcePolicy
      ? (JSON.parse(pol.json.ResourcePolicy as string) as { Statement: Array<{ Sid: string }> }).Statement[0]!.Sid
      : undefined;
    if (p?.kind === 'policy' && sid === p.sid) apply(p);
    else expect(sid, `${name}: policy`).toBe(m.policySid);
  }
}

function integrityCheck(): void {
  const db = new Database(join(dir, 'secretlite.db'));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
}

describe('crash safety (SQLite, SIGKILL)', () => {
  it(`keeps every acknowledged write across ${KILLS} kills`, { timeout: 60_000 + KILLS * 5_000 }, async () => {
    let pending: Op | undefined;
    let touched = new Set<string>();
    for (let round = 0; round <= KILLS; round++) {
      const { child, url: urlP } = start();
      const url = await urlP;
      for (const name of touched) await verify(url, name, pending);
      pending = undefined;
      touched = new Set();
      if (round === KILLS) {
        for (const name of model.keys()) await verify(url, name);
        child.kill('SIGKILL');
        break;
      }
      const exited = new Promise((r) => child.once('exit', r));
      let alive = true;
      const killAfter = randomInt(0, 60);
      setTimeout(() => {
        alive = false;
        child.kill('SIGKILL');
        stats.kills++;
      }, killAfter);
      while (alive) {
        const op = fixDeleteKind(nextOp());
        touched.add(op.name);
        pending = op;
        try {
          const r = await send(url, op);
          expect(r.status, `${op.kind} ${JSON.stringify(r.json)}`).toBe(200);
          apply(op);
          stats.acked++;
          pending = undefined;
        } catch (e) {
          if (alive) throw e;
          break;
        }
      }
      await exited;
      integrityCheck();
    }
    console.log(
      `crash test: ${stats.kills} kills, ${stats.acked} acknowledged writes, in flight at a kill: ${stats.inFlightCommitted} committed, ${stats.inFlightLost} not; ${model.size} secrets`,
    );
    expect(stats.kills).toBe(KILLS);
    expect(stats.acked).toBeGreaterThan(KILLS);
  });
});
