import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await t.raw('secretsmanager.CreateSecret', { Name: 'later/a' });
});
afterAll(() => t.close());

// Replication arrives in its own issue; until then: a 400 in AWS's shape, never a 500.
describe.each([
  ['ReplicateSecretToRegions', { SecretId: 'later/a', AddReplicaRegions: [{ Region: 'eu-west-1' }] }],
  ['RemoveRegionsFromReplication', { SecretId: 'later/a', RemoveReplicaRegions: ['eu-west-1'] }],
  ['StopReplicationToReplica', { SecretId: 'later/a' }],
])('%s', (op, body) => {
  it('answers a clear InvalidRequestException', async () => {
    const r = await t.raw(`secretsmanager.${op}`, body);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      __type: 'InvalidRequestException',
      Message: `secretlite does not implement ${op} yet. It arrives with replication support.`,
    });
  });
  it('still validates and looks the secret up first', async () => {
    expect((await t.raw(`secretsmanager.${op}`, {})).json.__type).toBe('ValidationException');
    expect((await t.raw(`secretsmanager.${op}`, { ...body, SecretId: 'later/missing' })).json.__type).toBe(
      'ResourceNotFoundException',
    );
  });
});
