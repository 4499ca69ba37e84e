import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
} from '@aws-sdk/client-secrets-manager';
import { startServer, type RunningServer } from '../../src/index.js';
import { createFunction, pythonTemplate } from '../rotation/functions.js';
import {
  browserSuite,
  client,
  dialog,
  ensureUiBuilt,
  launchBrowser,
  openTab,
  row,
  section,
  waitFor,
  type Tab,
} from './helpers.js';

/*
 * More of the console in a real browser (see console.test.ts): replicas across Regions, the KMS key of a secret,
 * and rotation by a Lambda function made on secretlite's own Lambda API (served on loopback).
 */

let server: RunningServer;

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer({ port: 0, logLevel: 'silent' });
});
afterAll(async () => {
  await server?.close();
});

/** A table's body as text, a row of cells at a time. */
interface Cells {
  readonly cells: ArrayLike<{ readonly textContent: string | null }>;
}
const cells = (where: Locator): Promise<string[][]> =>
  where
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => Array.from((r as unknown as Cells).cells, (c) => (c.textContent ?? '').trim())),
    );

browserSuite('more of the console in a browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = (query: string): Promise<Tab> => openTab(browser, server.url, query);

  it('replicates to Regions, opens a replica in its Region, promotes it, and removes a replica', async () => {
    const account = '100000000020';
    const east = client(server.url, account);
    const eu = client(server.url, account, 'eu-west-1');
    const ap = client(server.url, account, 'ap-southeast-2');
    await east.send(new CreateSecretCommand({ Name: 'global/db', SecretString: 'replicated value' }));
    const tab = await open(`?account=${account}#/secret/global%2Fdb`);
    const { page } = tab;
    const replication = section(page, 'Replication');
    await replication.getByText('Not replicated to other Regions.').waitFor();

    // ReplicateSecretToRegions from the details page
    await replication.getByRole('button', { name: 'Add replica Regions' }).click();
    const d = dialog(page, 'Add replica Regions');
    await d.getByLabel('Regions', { exact: true }).fill('eu-west-1, ap-southeast-2');
    await d.getByRole('button', { name: 'Replicate' }).click();
    await page.getByRole('status').getByText('Replication started.').waitFor();
    await replication.getByRole('cell', { name: 'ap-southeast-2', exact: true }).waitFor();
    await waitFor(
      async () => (await cells(replication)).filter((r) => r[1] === 'InSync').length === 2,
      'two replicas in sync',
    );
    expect((await cells(replication)).map((r) => r.slice(0, 2)).sort()).toEqual([
      ['ap-southeast-2', 'InSync'],
      ['eu-west-1', 'InSync'],
    ]);
    const arn = (await east.send(new DescribeSecretCommand({ SecretId: 'global/db' }))).ARN!;
    expect(tab.calls.find((x) => x.target === 'secretsmanager.ReplicateSecretToRegions')!.body).toEqual({
      SecretId: arn,
      AddReplicaRegions: [{ Region: 'eu-west-1' }, { Region: 'ap-southeast-2' }],
      ForceOverwriteReplicaSecret: false,
    });
    await tab.shot('replication-primary');

    // the replica, in its Region: the Region switcher goes back to the list of that Region
    await page.getByLabel('Region', { exact: true }).selectOption('eu-west-1');
    await row(page, /global\/db/)
      .getByText('Replica of us-east-1')
      .waitFor();
    // a message about the other Region is gone with it
    expect(await page.locator('#status').textContent()).toBe('');
    await page.getByRole('link', { name: 'global/db' }).click();
    await page.getByRole('heading', { name: 'global/db', level: 1 }).waitFor();
    const overview = section(page, 'Secret details');
    await overview.getByText(`arn:aws:secretsmanager:eu-west-1:${account}:secret:global/db-`).waitFor();
    expect(await overview.getByRole('definition').allTextContents()).toContain('us-east-1'); // Primary Region
    await section(page, 'Replication')
      .getByText('A read-only replica of the secret in us-east-1. Change it there.')
      .waitFor();
    expect(tab.calls.at(-1)!.authorization).toMatch(/\/eu-west-1\/secretsmanager\/aws4_request/);
    // a replica refuses writes: no controls for them, but its own KMS key may change
    for (const name of [
      'Delete',
      'Edit value',
      'Edit tags',
      'Move label',
      'Rotate now',
      'Edit rotation',
      'Save policy',
    ]) {
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    expect(await section(page, 'Resource policy').getByLabel('Resource policy').isEditable()).toBe(false);
    await tab.shot('replica-details');
    await overview.getByRole('button', { name: 'Edit details' }).click();
    const k = dialog(page, 'Edit details');
    expect(await k.getByLabel('Description').count()).toBe(0);
    await k.getByLabel('KMS key ID').fill('alias/eu-key');
    await k.getByRole('button', { name: 'Save' }).click();
    await overview.getByText('alias/eu-key', { exact: true }).waitFor();
    expect((await eu.send(new DescribeSecretCommand({ SecretId: 'global/db' }))).KmsKeyId).toBe('alias/eu-key');
    expect(
      (await east.send(new DescribeSecretCommand({ SecretId: 'global/db' }))).ReplicationStatus?.find(
        (r) => r.Region === 'eu-west-1',
      )?.KmsKeyId,
    ).toBe('alias/eu-key');

    // promote it (StopReplicationToReplica): a standalone secret of eu-west-1
    await section(page, 'Replication').getByRole('button', { name: 'Promote to standalone secret' }).click();
    await page.getByRole('status').getByText('The replica is now a standalone secret.').waitFor();
    await section(page, 'Replication').getByText('Not replicated to other Regions.').waitFor();
    const stopped = tab.calls.find((x) => x.target === 'secretsmanager.StopReplicationToReplica')!;
    expect(stopped.body).toEqual({ SecretId: expect.stringContaining(':eu-west-1:') });
    expect(stopped.authorization).toMatch(/\/eu-west-1\/secretsmanager\/aws4_request/);
    const standalone = await eu.send(new DescribeSecretCommand({ SecretId: 'global/db' }));
    expect(standalone.PrimaryRegion).toBeUndefined();
    expect(standalone.ReplicationStatus ?? []).toEqual([]);
    expect((await eu.send(new GetSecretValueCommand({ SecretId: 'global/db' }))).SecretString).toBe('replicated value');
    let primary = await east.send(new DescribeSecretCommand({ SecretId: 'global/db' }));
    expect(primary.ReplicationStatus?.map((r) => r.Region)).toEqual(['ap-southeast-2']);

    // back in the primary's Region: remove the other replica (RemoveRegionsFromReplication)
    await page.getByLabel('Region', { exact: true }).selectOption('us-east-1');
    await page.getByRole('link', { name: 'global/db' }).click();
    await page.getByRole('heading', { name: 'global/db', level: 1 }).waitFor();
    expect(await cells(section(page, 'Replication'))).toEqual([
      ['ap-southeast-2', 'InSync', 'Replication succeeded', 'alias/aws/secretsmanager', '-', 'Remove'],
    ]);
    await section(page, 'Replication').getByRole('button', { name: 'Remove replica in ap-southeast-2' }).click();
    await page.getByRole('status').getByText('Replica in ap-southeast-2 removed.').waitFor();
    await section(page, 'Replication').getByText('Not replicated to other Regions.').waitFor();
    primary = await east.send(new DescribeSecretCommand({ SecretId: 'global/db' }));
    expect(primary.ReplicationStatus ?? []).toEqual([]);
    await expect(ap.send(new DescribeSecretCommand({ SecretId: 'global/db' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    // the promoted one lives on
    expect((await eu.send(new DescribeSecretCommand({ SecretId: 'global/db' }))).ARN).toContain(':eu-west-1:');
    for (const c of [east, eu, ap]) c.destroy();
    await tab.close();
  });

  it('changes the KMS key in Edit details (UpdateSecret KmsKeyId)', async () => {
    const account = '100000000021';
    const c = client(server.url, account);
    await c.send(new CreateSecretCommand({ Name: 'kms/me', SecretString: 'keyed', Description: 'stays' }));
    const tab = await open(`?account=${account}#/secret/kms%2Fme`);
    const { page } = tab;
    const overview = section(page, 'Secret details');
    await overview.getByText('aws/secretsmanager (default)').waitFor();

    await overview.getByRole('button', { name: 'Edit details' }).click();
    let d = dialog(page, 'Edit details');
    expect(await d.getByLabel('KMS key ID').inputValue()).toBe('');
    await d.getByLabel('KMS key ID').fill('alias/orders-key');
    await tab.shot('kms-edit', false);
    await d.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Secret details saved.').waitFor();
    await overview.getByText('alias/orders-key', { exact: true }).waitFor();
    const update = tab.calls.find((x) => x.target === 'secretsmanager.UpdateSecret')!;
    // only what changed: the key, not the description
    expect(update.body).toEqual({ SecretId: expect.stringContaining(':secret:kms/me-'), KmsKeyId: 'alias/orders-key' });
    let described = await c.send(new DescribeSecretCommand({ SecretId: 'kms/me' }));
    expect(described).toMatchObject({ KmsKeyId: 'alias/orders-key', Description: 'stays' });

    // a key ARN, over the alias the dialog shows
    const keyArn = `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    await overview.getByRole('button', { name: 'Edit details' }).click();
    d = dialog(page, 'Edit details');
    expect(await d.getByLabel('KMS key ID').inputValue()).toBe('alias/orders-key');
    await d.getByLabel('KMS key ID').fill(keyArn);
    await d.getByRole('button', { name: 'Save' }).click();
    await overview.getByText(keyArn, { exact: true }).waitFor();
    described = await c.send(new DescribeSecretCommand({ SecretId: 'kms/me' }));
    expect(described.KmsKeyId).toBe(keyArn);
    expect((await c.send(new GetSecretValueCommand({ SecretId: 'kms/me' }))).SecretString).toBe('keyed');
    await tab.shot('kms-edited');

    // emptied: back to the default key (KmsKeyId "")
    await overview.getByRole('button', { name: 'Edit details' }).click();
    d = dialog(page, 'Edit details');
    await d.getByLabel('KMS key ID').fill('');
    await d.getByRole('button', { name: 'Save' }).click();
    await overview.getByText('aws/secretsmanager (default)').waitFor();
    expect(tab.calls.filter((x) => x.target === 'secretsmanager.UpdateSecret').at(-1)!.body.KmsKeyId).toBe('');
    expect((await c.send(new DescribeSecretCommand({ SecretId: 'kms/me' }))).KmsKeyId).toBeUndefined();
    c.destroy();
    await tab.close();
  });

  it('rotates with a Lambda function: its ARN and a schedule from the console, then Rotate now', async () => {
    const account = '100000000022';
    const fn = await createFunction(
      server.url,
      'console-rotator',
      'python3.12',
      'lambda_function.lambda_handler',
      { 'lambda_function.py': pythonTemplate() },
      { account },
    );
    expect(fn).toBe(`arn:aws:lambda:us-east-1:${account}:function:console-rotator`);
    const c = client(server.url, account);
    await c.send(new CreateSecretCommand({ Name: 'lambda/rotated', SecretString: 'before' }));
    const tab = await open(`?account=${account}#/secret/lambda%2Frotated`);
    const { page } = tab;
    const rotation = section(page, 'Rotation');
    await rotation.getByText('Disabled').waitFor();

    await rotation.getByRole('button', { name: 'Edit rotation' }).click();
    const d = dialog(page, 'Edit rotation');
    await d.getByLabel('Rotation function ARN').fill(fn);
    await d.getByLabel('Days between rotations').fill('');
    await d.getByLabel('Schedule expression').fill('rate(10 days)');
    await d.getByLabel('Window duration').fill('3h');
    await d.getByLabel('Rotate immediately').uncheck();
    await tab.shot('rotation-lambda-edit', false);
    await d.getByRole('button', { name: 'Save rotation' }).click();
    await page.getByRole('status').getByText('Rotation saved.').waitFor();
    await rotation.getByText(fn, { exact: true }).waitFor();
    await rotation.getByText('rate(10 days), window 3h').waitFor();
    await rotation.getByText('Enabled').waitFor();
    const configured = tab.calls.find((x) => x.target === 'secretsmanager.RotateSecret')!;
    expect(configured.body).toEqual({
      SecretId: expect.stringContaining(':secret:lambda/rotated-'),
      ClientRequestToken: expect.any(String),
      RotationRules: { ScheduleExpression: 'rate(10 days)', Duration: '3h' },
      RotateImmediately: false,
      RotationLambdaARN: fn,
    });
    await server.rotationsIdle();
    let described = await c.send(new DescribeSecretCommand({ SecretId: 'lambda/rotated' }));
    expect(described).toMatchObject({
      RotationEnabled: true,
      RotationLambdaARN: fn,
      RotationRules: { ScheduleExpression: 'rate(10 days)', Duration: '3h' },
    });
    expect((await c.send(new GetSecretValueCommand({ SecretId: 'lambda/rotated' }))).SecretString).toBe('before');

    // Rotate now: the function's steps run in the background; the new version becomes AWSCURRENT
    await rotation.getByRole('button', { name: 'Rotate now' }).click();
    await page.getByRole('status').getByText('Rotation started.').waitFor();
    const now = tab.calls.filter((x) => x.target === 'secretsmanager.RotateSecret').at(-1)!;
    expect(now.body).toEqual({ SecretId: expect.any(String), ClientRequestToken: expect.any(String) });
    const token = now.body.ClientRequestToken as string;
    await server.rotationsIdle();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const versions = section(page, 'Versions');
    await versions
      .getByRole('row', { name: new RegExp(token) })
      .getByText('AWSCURRENT')
      .waitFor();
    await versions.getByRole('row').getByText('AWSPREVIOUS').waitFor();
    // the test-only run of the configuration left its copy of the value, without a label
    expect((await cells(versions)).map((r) => r[1]).sort()).toEqual([
      'AWSCURRENT',
      'AWSPREVIOUS',
      'no label (deprecated)',
    ]);
    const value = await c.send(new GetSecretValueCommand({ SecretId: 'lambda/rotated' }));
    expect(value.VersionId).toBe(token);
    expect(value.SecretString).not.toBe('before');
    expect(value.SecretString).toMatch(/^.{32}$/);
    const listed = await c.send(new ListSecretVersionIdsCommand({ SecretId: 'lambda/rotated' }));
    expect(listed.Versions?.find((v) => v.VersionId === token)?.VersionStages).toEqual(['AWSCURRENT']);
    described = await c.send(new DescribeSecretCommand({ SecretId: 'lambda/rotated' }));
    expect(described.LastRotatedDate).toBeInstanceOf(Date);
    await section(page, 'Rotation').locator('dd time').first().waitFor(); // last rotated
    await tab.shot('rotation-lambda');
    c.destroy();
    await tab.close();
  }, 90_000);
});
