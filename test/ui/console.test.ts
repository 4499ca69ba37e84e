import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { startServer, type RunningServer } from '../../src/index.js';
import { UI_HEADERS } from '../../src/server/ui.js';
import { startAuthServer, writeCredentials } from '../auth/authHelpers.js';
import {
  ARTIFACTS,
  ROOT,
  UI,
  browserSuite,
  client,
  createInUi,
  dialog,
  ensureUiBuilt,
  launchBrowser,
  names,
  openTab,
  ops,
  row,
  section,
  waitFor,
  type Tab,
} from './helpers.js';

/*
 * The web console in a real browser (Debian's Chromium, driven by playwright-core): every flow with real clicks
 * and typing against the real server. The console's files come from dist/ui, built here when missing or older
 * than src/ui. Screenshots go to test/ui/artifacts/ (SECRETLITE_UPDATE_SCREENSHOT=1 also writes docs/console.png).
 * More flows (replicas, KMS keys, Lambda rotation) are in console-more.test.ts; the shared helpers in helpers.ts.
 */

let server: RunningServer;
let sm: SecretsManagerClient;

beforeAll(async () => {
  ensureUiBuilt();
  const audit = join(mkdtempSync(join(tmpdir(), 'secretlite-ui-')), 'audit.jsonl');
  server = await startServer({ port: 0, logLevel: 'silent', audit });
  sm = client(server.url);
});
afterAll(async () => {
  sm?.destroy();
  await server?.close();
});

describe('the console route', () => {
  it('serves the page with its security headers, a redirect to the slash, ETags and gzip', async () => {
    const redirect = await fetch(`${server.url}/_secretlite/ui?region=eu-west-1`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/_secretlite/ui/?region=eu-west-1');

    const page = await fetch(`${server.url}${UI}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    for (const [k, v] of Object.entries(UI_HEADERS)) expect(page.headers.get(k)).toBe(v);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    const html = await page.text();
    expect(html).toContain('<script type="module" src="console.js"></script>');

    const sizes: Record<string, { raw: number; gzip: number }> = {};
    for (const [name, type] of [
      ['index.html', 'text/html; charset=utf-8'],
      ['console.js', 'text/javascript; charset=utf-8'],
      ['console.css', 'text/css; charset=utf-8'],
    ] as const) {
      const raw = await fetch(`${server.url}${UI}${name}`, { headers: { 'accept-encoding': 'identity' } });
      expect(raw.status).toBe(200);
      expect(raw.headers.get('content-type')).toBe(type);
      expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
      expect(raw.headers.get('cache-control')).toBe('no-cache');
      const body = Buffer.from(await raw.arrayBuffer());
      const etag = raw.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]{27}"$/);
      const again = await fetch(`${server.url}${UI}${name}`, {
        headers: { 'if-none-match': etag, 'accept-encoding': 'identity' },
      });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      // node's fetch would decompress: read the gzip bytes through a plain request
      const gz = await rawGet(`${UI}${name}`, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(body)).toBe(true);
      sizes[name] = { raw: body.length, gzip: gz.body.length };
    }
    const total = Object.values(sizes).reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip }), {
      raw: 0,
      gzip: 0,
    });
    console.log(`console bundle: ${total.raw} bytes, ${total.gzip} gzipped`, sizes);
    expect(total.gzip).toBeLessThan(40_000);

    // only the built files: no other path, no dot file, no directory (fetch resolves '..' and '%2e%2e' itself: the API refuses)
    for (const path of ['..%2fpackage.json', '%2e%2e%2fpackage.json', '.hidden', 'nothing.js', 'a/b.js', 'x.exe']) {
      const res = await fetch(`${server.url}${UI}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(UI_HEADERS['content-security-policy']);
    }
    expect((await fetch(`${server.url}${UI}../../package.json`)).status).toBe(403);
    const post = await fetch(`${server.url}${UI}`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${server.url}${UI}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    // another origin's page may not load it into a frame nor call the API (server/origin.ts)
    const cross = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(cross.status).toBe(403);
  });
});

/** GET with node:http (no transparent decompression). */
async function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

browserSuite('the console in a browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = (query = '', opts: { width?: number; height?: number; url?: string } = {}): Promise<Tab> =>
    openTab(browser, opts.url ?? server.url, query, opts);

  it('creates a secret and reveals its value only on a click, as key/value pairs, and copies it', async () => {
    const tab = await open('?account=100000000001');
    const { page } = tab;
    await page.getByRole('heading', { name: 'Secrets', level: 1 }).waitFor();
    const d = await createInUi(page, {
      name: 'prod/app/db',
      description: 'Orders database',
      pairs: [
        ['username', 'app'],
        ['password', 'hunter2-Secret'],
      ],
      tags: [['team', 'payments']],
    });
    await d.getByLabel('KMS key ID').fill('alias/payments');
    await tab.shot('create-dialog');
    await d.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'prod/app/db', level: 1 }).waitFor();
    const overview = section(page, 'Secret details');
    await overview.getByText('Orders database').waitFor();
    await overview.getByText('alias/payments').waitFor();
    expect(
      await overview.getByText(/^arn:aws:secretsmanager:us-east-1:100000000001:secret:prod\/app\/db-/).count(),
    ).toBe(1);
    await section(page, 'Tags').getByRole('cell', { name: 'payments' }).waitFor();
    await section(page, 'Versions').getByText('AWSCURRENT').waitFor();
    // the value is neither asked for nor on the page before the click
    expect(ops(tab)).not.toContain('GetSecretValue');
    expect(await page.content()).not.toContain('hunter2-Secret');
    await tab.shot('details-hidden');

    await page.getByRole('button', { name: 'Reveal value' }).click();
    const value = section(page, 'Secret value');
    await value.getByRole('cell', { name: 'hunter2-Secret' }).waitFor();
    expect(await value.getByRole('row').allTextContents()).toEqual([
      'KeyValue',
      'usernameapp',
      'passwordhunter2-Secret',
    ]);
    expect(ops(tab).filter((o) => o === 'GetSecretValue')).toHaveLength(1);
    await tab.shot('details-revealed');
    await value.getByRole('button', { name: 'Plaintext' }).click();
    expect(await value.getByLabel('Plaintext value').textContent()).toBe(
      '{"username":"app","password":"hunter2-Secret"}',
    );
    await tab.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await value.getByRole('button', { name: 'Copy value' }).click();
    await page.getByRole('status').getByText('Value copied to the clipboard.').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(
      '{"username":"app","password":"hunter2-Secret"}',
    );
    await value.getByRole('button', { name: 'Hide value' }).click();
    expect(await page.content()).not.toContain('hunter2-Secret');

    // what the server stored
    const stored = await client(server.url, '100000000001').send(
      new GetSecretValueCommand({ SecretId: 'prod/app/db' }),
    );
    expect(stored.SecretString).toBe('{"username":"app","password":"hunter2-Secret"}');
    const described = await client(server.url, '100000000001').send(
      new DescribeSecretCommand({ SecretId: 'prod/app/db' }),
    );
    expect(described).toMatchObject({
      Description: 'Orders database',
      KmsKeyId: 'alias/payments',
      Tags: [{ Key: 'team', Value: 'payments' }],
    });
    // every call was signed, for this account and Region
    expect(tab.calls.every((c) => c.authorization.includes('Credential=100000000001/'))).toBe(true);
    expect(tab.calls.every((c) => /\/us-east-1\/(secretsmanager|cloudtrail)\/aws4_request/.test(c.authorization))).toBe(
      true,
    );
    await tab.close();
  });

  it('stores a binary value given as base64 and shows it as base64', async () => {
    const tab = await open('?account=100000000015');
    const { page } = tab;
    const d = await createInUi(page, { name: 'bin/blob' });
    await d.getByRole('radio', { name: 'Binary (base64)' }).check();
    await d.getByLabel('Secret value', { exact: true }).fill('not base64!');
    await d.getByRole('button', { name: 'Create', exact: true }).click();
    await d.getByRole('alert').getByText('The binary value must be base64', { exact: false }).waitFor();
    expect(ops(tab)).not.toContain('CreateSecret');
    await d.getByLabel('Secret value', { exact: true }).fill('AAEC/w==');
    await d.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'bin/blob', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Reveal value' }).click();
    expect(await page.getByLabel('Binary value (base64)').textContent()).toBe('AAEC/w==');
    const got = await client(server.url, '100000000015').send(new GetSecretValueCommand({ SecretId: 'bin/blob' }));
    expect([...got.SecretBinary!]).toEqual([0, 1, 2, 255]);
    await tab.close();
  });

  it('lists 120 secrets a page at a time, searches with Filters and sorts with SortBy', async () => {
    const account = '100000000002';
    const c = client(server.url, account);
    await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        c.send(
          new CreateSecretCommand({
            Name: `svc/item-${String(i).padStart(3, '0')}`,
            Description: i % 10 === 0 ? `tenth secret number ${i}` : undefined,
            SecretString: `v${i}`,
            Tags: [{ Key: i % 2 ? 'odd' : 'even', Value: `n${i}` }],
          }),
        ),
      ),
    );
    c.destroy();
    const tab = await open(`?account=${account}`);
    const { page } = tab;
    await page.getByText('Page 1: secrets 1-25', { exact: true }).waitFor();
    expect(await names(page)).toHaveLength(25);
    expect((await names(page))[0]).toBe('svc/item-000');
    const first = tab.calls.find((x) => x.target === 'secretsmanager.ListSecrets')!;
    expect(first.body).toEqual({ MaxResults: 25, SortBy: 'name', SortOrder: 'asc' });

    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2: secrets 26-50', { exact: true }).waitFor();
    expect((await names(page))[0]).toBe('svc/item-025');
    expect(tab.calls.at(-1)!.body.NextToken).toEqual(expect.any(String));
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1: secrets 1-25', { exact: true }).waitFor();

    await page.getByLabel('Page size').selectOption('100');
    await page.getByText('Page 1: secrets 1-100', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2: secrets 101-120', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByLabel('Page size').selectOption('25');
    await page.getByText('Page 1: secrets 1-25', { exact: true }).waitFor();

    // sort: the Name column's button turns the order around; a date column sorts by that date
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await page.getByRole('columnheader', { name: 'Name' }).and(page.locator('[aria-sort=descending]')).waitFor();
    await waitFor(async () => (await names(page))[0] === 'svc/item-119', 'descending names');
    expect(tab.calls.at(-1)!.body).toMatchObject({ SortBy: 'name', SortOrder: 'desc' });
    await page.getByRole('button', { name: 'Created', exact: true }).click();
    await waitFor(async () => tab.calls.at(-1)!.body.SortBy === 'created-date', 'created-date');
    expect(tab.calls.at(-1)!.body.SortOrder).toBe('desc');
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await waitFor(async () => (await names(page))[0] === 'svc/item-000', 'ascending names');

    // search: a name prefix, a description word, a tag key
    await page.getByRole('searchbox', { name: 'Search' }).fill('svc/item-01');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await waitFor(async () => (await names(page)).length === 10, 'ten matches');
    expect(tab.calls.at(-1)!.body.Filters).toEqual([{ Key: 'all', Values: ['svc/item-01'] }]);
    await page.getByLabel('Filter by').selectOption('description');
    await page.getByRole('searchbox', { name: 'Search' }).fill('tenth');
    await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
    await waitFor(async () => (await names(page)).length === 12, 'twelve described');
    expect(tab.calls.at(-1)!.body.Filters).toEqual([{ Key: 'description', Values: ['tenth'] }]);
    await page.getByLabel('Filter by').selectOption('tag-key');
    await page.getByRole('searchbox', { name: 'Search' }).fill('odd');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('Page 1: secrets 1-25', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2: secrets 26-50', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 3: secrets 51-60', { exact: true }).waitFor();
    expect(tab.calls.at(-1)!.body).toMatchObject({ Filters: [{ Key: 'tag-key', Values: ['odd'] }] });
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByText('Page 1: secrets 1-25', { exact: true }).waitFor();
    await page.getByLabel('Page size').selectOption('100');
    await page.getByText('Page 1: secrets 1-100', { exact: true }).waitFor();
    await tab.shot('list-120');
    // never the whole list at once
    const lists = tab.calls.filter((x) => x.target === 'secretsmanager.ListSecrets');
    expect(lists.every((x) => (x.body.MaxResults as number) <= 100)).toBe(true);
    await tab.close();
  });

  it('edits the value, the description and the tags, and moves a label', async () => {
    const account = '100000000003';
    const c = client(server.url, account);
    await c.send(
      new CreateSecretCommand({
        Name: 'edit/me',
        SecretString: 'first',
        Description: 'old words',
        Tags: [
          { Key: 'keep', Value: 'k' },
          { Key: 'drop', Value: 'd' },
        ],
      }),
    );
    const tab = await open(`?account=${account}`);
    const { page } = tab;
    await page.getByRole('link', { name: 'edit/me' }).click();
    await page.getByRole('heading', { name: 'edit/me', level: 1 }).waitFor();

    // a new value: a new version, AWSCURRENT moves to it
    await page.getByRole('button', { name: 'Reveal value' }).click();
    await page.getByLabel('Plaintext value').getByText('first').waitFor();
    await page.getByRole('button', { name: 'Edit value' }).click();
    const d = dialog(page, 'Edit value');
    expect(await d.getByLabel('Secret value', { exact: true }).inputValue()).toBe('first');
    await d.getByLabel('Secret value', { exact: true }).fill('second');
    await d.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('status').getByText('New version saved.').waitFor();
    await section(page, 'Versions').getByText('AWSPREVIOUS').waitFor();
    expect((await c.send(new GetSecretValueCommand({ SecretId: 'edit/me' }))).SecretString).toBe('second');
    expect(ops(tab)).toContain('PutSecretValue');

    // description (UpdateSecret)
    await page.getByRole('button', { name: 'Edit details' }).click();
    await dialog(page, 'Edit details').getByLabel('Description').fill('new words');
    await dialog(page, 'Edit details').getByRole('button', { name: 'Save' }).click();
    await section(page, 'Secret details').getByText('new words').waitFor();

    // tags: one removed, one changed, one added (UntagResource, TagResource)
    await page.getByRole('button', { name: 'Edit tags' }).click();
    const t = dialog(page, 'Edit tags');
    await t.getByRole('button', { name: 'Remove tag 2' }).click();
    await t.getByLabel('Tag value 1', { exact: true }).fill('kept');
    await t.getByRole('button', { name: 'Add tag' }).click();
    await t.getByLabel('Tag key 2', { exact: true }).fill('env');
    await t.getByLabel('Tag value 2', { exact: true }).fill('prod');
    await t.getByRole('button', { name: 'Save tags' }).click();
    await section(page, 'Tags').getByRole('cell', { name: 'prod' }).waitFor();
    const after = await c.send(new DescribeSecretCommand({ SecretId: 'edit/me' }));
    expect(after.Description).toBe('new words');
    expect(after.Tags?.sort((a, b) => a.Key!.localeCompare(b.Key!))).toEqual([
      { Key: 'env', Value: 'prod' },
      { Key: 'keep', Value: 'kept' },
    ]);
    expect(ops(tab)).toEqual(expect.arrayContaining(['UpdateSecret', 'UntagResource', 'TagResource']));

    // move AWSCURRENT back to the first version (UpdateSecretVersionStage)
    const stages = after.VersionIdsToStages!;
    const firstId = Object.keys(stages).find((id) => stages[id]!.includes('AWSPREVIOUS'))!;
    const secondId = Object.keys(stages).find((id) => stages[id]!.includes('AWSCURRENT'))!;
    await page.getByRole('button', { name: 'Move label' }).click();
    const m = dialog(page, 'Move label');
    await m.getByLabel('Label', { exact: true }).selectOption('AWSCURRENT');
    await m.getByLabel('Move to version').selectOption(firstId);
    await m.getByRole('button', { name: 'Move label' }).click();
    await page.getByRole('status').getByText('Label AWSCURRENT moved.').waitFor();
    expect([...tab.calls].reverse().find((x) => x.target === 'secretsmanager.UpdateSecretVersionStage')!.body).toEqual({
      SecretId: expect.stringContaining(':secret:edit/me-'),
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: firstId,
      RemoveFromVersionId: secondId,
    });
    expect((await c.send(new GetSecretValueCommand({ SecretId: 'edit/me' }))).SecretString).toBe('first');
    await tab.shot('details-edited');
    c.destroy();
    await tab.close();
  });

  it('rotates now (the built-in rotator), sets a schedule and cancels rotation', async () => {
    const account = '100000000004';
    const c = client(server.url, account);
    await c.send(new CreateSecretCommand({ Name: 'rotate/me', SecretString: '{"username":"u","password":"old"}' }));
    const tab = await open(`?account=${account}#/secret/rotate%2Fme`);
    const { page } = tab;
    const rotation = section(page, 'Rotation');
    await rotation.getByText('Disabled').waitFor();
    await rotation.getByRole('button', { name: 'Rotate now' }).click();
    await page.getByRole('status').getByText('Rotation started.').waitFor();
    await section(page, 'Rotation').getByText('Enabled').waitFor();
    const rotated = JSON.parse((await c.send(new GetSecretValueCommand({ SecretId: 'rotate/me' }))).SecretString!);
    expect(rotated.username).toBe('u');
    expect(rotated.password).toMatch(/^.{32}$/);
    expect(await section(page, 'Rotation').locator('dd time').count()).toBeGreaterThanOrEqual(1); // last rotated

    await section(page, 'Rotation').getByRole('button', { name: 'Edit rotation' }).click();
    const d = dialog(page, 'Edit rotation');
    await d.getByLabel('Days between rotations').fill('7');
    await d.getByLabel('Rotate immediately').uncheck();
    await d.getByRole('button', { name: 'Save rotation' }).click();
    await section(page, 'Rotation').getByText('every 7 days').waitFor();
    const described = await c.send(new DescribeSecretCommand({ SecretId: 'rotate/me' }));
    expect(described.RotationRules?.AutomaticallyAfterDays).toBe(7);
    expect(described.NextRotationDate).toBeInstanceOf(Date);
    await tab.shot('rotation');

    await section(page, 'Rotation').getByRole('button', { name: 'Cancel rotation' }).click();
    await section(page, 'Rotation').getByText('Disabled').waitFor();
    expect((await c.send(new DescribeSecretCommand({ SecretId: 'rotate/me' }))).RotationEnabled).toBe(false);
    c.destroy();
    await tab.close();
  });

  it('validates, saves and deletes a resource policy', async () => {
    const account = '100000000005';
    const c = client(server.url, account);
    await c.send(new CreateSecretCommand({ Name: 'policy/me', SecretString: 'x' }));
    const tab = await open(`?account=${account}#/secret/policy%2Fme`);
    const { page } = tab;
    const policy = section(page, 'Resource policy');
    const editor = policy.getByLabel('Resource policy', { exact: true });
    await editor.waitFor();
    const open_ = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    });
    await editor.fill(open_);
    await policy.getByRole('button', { name: 'Validate policy' }).click();
    await policy.getByText('BROAD_ACCESS').waitFor();
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await policy.getByRole('alert').waitFor();
    expect(await policy.getByRole('alert').textContent()).toMatch(/^PublicPolicyException: /);
    await tab.shot('policy-findings');

    const narrow = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        },
      ],
    });
    await editor.fill(narrow);
    await policy.getByRole('button', { name: 'Validate policy' }).click();
    await policy.getByText('Validation passed.').waitFor();
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('status').getByText('Resource policy saved.').waitFor();
    const stored = await c.send(new GetResourcePolicyCommand({ SecretId: 'policy/me' }));
    expect(JSON.parse(stored.ResourcePolicy!)).toEqual(JSON.parse(narrow));
    await section(page, 'Resource policy').getByRole('button', { name: 'Delete policy' }).click();
    await page.getByRole('status').getByText('Resource policy deleted.').waitFor();
    expect((await c.send(new GetResourcePolicyCommand({ SecretId: 'policy/me' }))).ResourcePolicy).toBeUndefined();
    c.destroy();
    await tab.close();
  });

  it('deletes with a recovery window and restores; deletes at once', async () => {
    const account = '100000000006';
    const c = client(server.url, account);
    await c.send(new CreateSecretCommand({ Name: 'gone/later', SecretString: 'x' }));
    await c.send(new CreateSecretCommand({ Name: 'gone/now', SecretString: 'y' }));
    const tab = await open(`?account=${account}`);
    const { page } = tab;
    await page.getByRole('link', { name: 'gone/later' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const d = dialog(page, 'Delete secret');
    await d.getByLabel('Recovery window (days)').fill('3');
    await d.getByRole('button', { name: 'Delete', exact: true }).click();
    // 3 is below AWS's minimum: the dialog says so and stays
    expect(await d.locator('input:invalid').count()).toBe(1);
    expect(ops(tab)).not.toContain('DeleteSecret');
    await d.getByLabel('Recovery window (days)').fill('7');
    await d.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('heading', { name: 'Secrets', level: 1 }).waitFor();
    expect(tab.calls.find((x) => x.target === 'secretsmanager.DeleteSecret')!.body).toMatchObject({
      RecoveryWindowInDays: 7,
    });
    await page.getByText('Page 1: secrets 1-1', { exact: true }).waitFor();
    expect(await names(page)).toEqual(['gone/now']);
    await page.getByLabel('Show secrets scheduled for deletion').check();
    await page.getByText('Page 1: secrets 1-2', { exact: true }).waitFor();
    await row(page, /gone\/later/)
      .getByText('Scheduled for deletion')
      .waitFor();
    await page.getByRole('link', { name: 'gone/later' }).click();
    await page.getByText('This secret is scheduled for deletion on').waitFor();
    await tab.shot('scheduled-deletion');
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('status').getByText('Secret gone/later restored.').waitFor();
    expect((await c.send(new DescribeSecretCommand({ SecretId: 'gone/later' }))).DeletedDate).toBeUndefined();

    await page.goto(`${server.url}${UI}?account=${account}#/secret/gone%2Fnow`);
    await page.getByRole('heading', { name: 'gone/now', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog(page, 'Delete secret')
      .getByLabel(/Delete immediately/)
      .check();
    await dialog(page, 'Delete secret').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('heading', { name: 'Secrets', level: 1 }).waitFor();
    await expect(c.send(new DescribeSecretCommand({ SecretId: 'gone/now' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    c.destroy();
    await tab.close();
  });

  it('selects several secrets and deletes them together', async () => {
    const account = '100000000007';
    const c = client(server.url, account);
    for (const n of ['bulk/a', 'bulk/b', 'bulk/c', 'keep/d']) {
      await c.send(new CreateSecretCommand({ Name: n, SecretString: 'x' }));
    }
    const tab = await open(`?account=${account}`);
    const { page } = tab;
    await page.getByText('Page 1: secrets 1-4', { exact: true }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill('bulk');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('Page 1: secrets 1-3', { exact: true }).waitFor();
    await page.getByLabel('Select all on this page').check();
    await page.getByLabel('Select bulk/b').uncheck();
    await page.getByRole('button', { name: 'Delete selected (2)' }).click();
    const d = dialog(page, 'Delete 2 secrets');
    expect(await d.getByRole('listitem').allTextContents()).toEqual(['bulk/a', 'bulk/c']);
    await d.getByLabel(/Delete immediately/).check();
    await tab.shot('bulk-delete');
    await d.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('status').getByText('Deleted 2 of 2 secrets.').waitFor();
    await waitFor(async () => (await names(page)).join() === 'bulk/b', 'the one left');
    const left = await c.send(new ListSecretsCommand({}));
    expect(left.SecretList?.map((s) => s.Name).sort()).toEqual(['bulk/b', 'keep/d']);
    c.destroy();
    await tab.close();
  });

  it('switches Region and account: the Region goes in the credential scope, the account is the key id', async () => {
    const eu = client(server.url, '100000000008', 'eu-west-1');
    await eu.send(new CreateSecretCommand({ Name: 'only/in-eu', SecretString: 'x' }));
    const tab = await open('?account=100000000008');
    const { page } = tab;
    await page.getByText('No secrets in us-east-1.').waitFor();
    await page.getByLabel('Region', { exact: true }).selectOption('eu-west-1');
    await page.getByRole('link', { name: 'only/in-eu' }).waitFor();
    expect(tab.calls.at(-1)!.authorization).toMatch(/Credential=100000000008\/\d{8}\/eu-west-1\/secretsmanager\//);
    expect(new URL(page.url()).searchParams.get('region')).toBe('eu-west-1');

    await page.getByLabel('Account', { exact: true }).fill('100000000009');
    await page.getByLabel('Account', { exact: true }).press('Enter');
    await page.getByText('No secrets in eu-west-1.').waitFor();
    await createInUi(page, { name: 'in/other-account', text: 'v' });
    await dialog(page, 'Create secret').getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'in/other-account', level: 1 }).waitFor();
    const other = client(server.url, '100000000009', 'eu-west-1');
    expect((await other.send(new DescribeSecretCommand({ SecretId: 'in/other-account' }))).ARN).toContain(
      ':eu-west-1:100000000009:',
    );
    // a replica from the console's create form
    await page.getByRole('link', { name: 'Secrets' }).first().click();
    await createInUi(page, { name: 'with/replica', text: 'v' });
    await dialog(page, 'Create secret').getByLabel('Replica Regions').fill('us-west-2');
    await dialog(page, 'Create secret').getByRole('button', { name: 'Create', exact: true }).click();
    await section(page, 'Replication').getByRole('cell', { name: 'us-west-2', exact: true }).waitFor();
    await section(page, 'Replication').getByRole('cell', { name: 'InSync' }).waitFor();
    eu.destroy();
    other.destroy();
    await tab.close();
  });

  it('never runs names, descriptions, tags or values as code, and shows them as written', async () => {
    const tab = await open('?account=100000000010');
    const { page } = tab;
    const xss = '<img src=x onerror=alert(1)>';
    const value = '</script><script>alert(2)</script>';
    // AWS refuses such a name: the error says so, as text
    let d = await createInUi(page, { name: xss, text: value });
    await d.getByRole('button', { name: 'Create', exact: true }).click();
    await d.getByRole('alert').waitFor();
    expect(await d.getByRole('alert').textContent()).toMatch(/^ValidationException: /);
    await d.getByRole('button', { name: 'Cancel' }).click();

    d = await createInUi(page, {
      name: 'xss/probe',
      description: xss,
      pairs: [
        [xss, value],
        ['"quoted" & <b>bold</b>', 'a & b'],
      ],
      tags: [['<svg onload=alert(3)>', value]],
    });
    await d.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'xss/probe', level: 1 }).waitFor();
    await section(page, 'Secret details').getByText(xss, { exact: true }).waitFor();
    await section(page, 'Tags').getByRole('cell', { name: '<svg onload=alert(3)>', exact: true }).waitFor();
    await section(page, 'Tags').getByRole('cell', { name: value, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Reveal value' }).click();
    await section(page, 'Secret value').getByRole('cell', { name: xss, exact: true }).waitFor();
    await section(page, 'Secret value').getByRole('cell', { name: value, exact: true }).waitFor();
    await section(page, 'Secret value').getByRole('button', { name: 'Plaintext' }).click();
    expect(await page.getByLabel('Plaintext value').textContent()).toBe(
      JSON.stringify({ [xss]: value, '"quoted" & <b>bold</b>': 'a & b' }),
    );
    await page.getByRole('link', { name: 'Secrets' }).first().click();
    await page.getByRole('cell', { name: xss, exact: true }).waitFor();
    // nothing became markup
    expect(await page.locator('img, svg, b, script:not([src])').count()).toBe(0);
    await tab.shot('xss');
    await tab.close();
  });

  it('works in a 320 px wide window', async () => {
    const account = '100000000011';
    const c = client(server.url, account);
    await c.send(
      new CreateSecretCommand({
        Name: 'narrow/a-rather-long-secret-name-that-must-wrap',
        Description: 'shown on wide screens only',
        SecretString: '{"user":"a","password":"b"}',
        Tags: [{ Key: 'team', Value: 'mobile' }],
      }),
    );
    const tab = await open(`?account=${account}`, { width: 320, height: 640 });
    const { page } = tab;
    const overflow = () => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    await page.getByRole('link', { name: 'narrow/a-rather-long-secret-name-that-must-wrap' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await page.getByRole('columnheader', { name: 'Description' }).isVisible()).toBe(false);
    await tab.shot('narrow-list');
    await page.getByRole('button', { name: 'Create secret' }).click();
    expect(
      await dialog(page, 'Create secret')
        .boundingBox()
        .then((b) => b!.width),
    ).toBeLessThanOrEqual(320);
    await tab.shot('narrow-create');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'narrow/a-rather-long-secret-name-that-must-wrap' }).click();
    await page.getByRole('button', { name: 'Reveal value' }).click();
    await page.getByRole('cell', { name: 'password' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await tab.shot('narrow-details');
    c.destroy();
    await tab.close();
  });

  it('creates a secret with the keyboard alone', async () => {
    const tab = await open('?account=100000000012');
    const { page } = tab;
    await page.getByText('No secrets in us-east-1.').waitFor();
    const focused = () =>
      page.evaluate(
        "(() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.labels?.[0]?.textContent || e.textContent || '').trim() : '' })()",
      );
    const tabTo = async (name: string, key = 'Tab') => {
      for (let i = 0; i < 60; i++) {
        if ((await focused()) === name) return;
        await page.keyboard.press(key);
      }
      throw new Error(`no focus on ${name} (at ${await focused()})`);
    };
    await tabTo('Create secret');
    await page.keyboard.press('Enter');
    await dialog(page, 'Create secret').waitFor();
    expect(await focused()).toBe('Name'); // the dialog puts focus on its first field
    await page.keyboard.type('keyboard/only');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Description');
    await page.keyboard.type('typed, never clicked');
    await page.keyboard.press('Tab'); // the type radios: arrow keys pick one
    await page.keyboard.press('ArrowRight');
    expect(await dialog(page, 'Create secret').getByRole('radio', { name: 'Key/value' }).isChecked()).toBe(true);
    await tabTo('Key 1');
    await page.keyboard.type('user');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kb');
    await tabTo('Create');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'keyboard/only', level: 1 }).waitFor();
    // focus lands on the new page's heading
    await waitFor(async () => (await focused()) === 'keyboard/only', 'focus on the heading');
    // Escape closes a dialog and gives focus back to the button that opened it
    await tabTo('Edit tags');
    await page.keyboard.press('Enter');
    await dialog(page, 'Edit tags').waitFor();
    await page.keyboard.press('Escape');
    await waitFor(async () => (await focused()) === 'Edit tags', 'focus back on Edit tags');
    const made = await client(server.url, '100000000012').send(
      new GetSecretValueCommand({ SecretId: 'keyboard/only' }),
    );
    expect(made.SecretString).toBe('{"user":"kb"}');
    await tab.close();
  });

  it('shows the audit log (LookupEvents) when the server keeps one', async () => {
    const account = '100000000013';
    const c = client(server.url, account);
    await c.send(new CreateSecretCommand({ Name: 'audited', SecretString: 'x' }));
    await c.send(new GetSecretValueCommand({ SecretId: 'audited' }));
    const tab = await open(`?account=${account}`);
    const { page } = tab;
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'GetSecretValue' }).first().waitFor();
    await page.getByRole('cell', { name: 'CreateSecret' }).first().waitFor();
    await page.getByLabel('Attribute').selectOption('EventName');
    await page.getByRole('searchbox', { name: 'Value' }).fill('CreateSecret');
    await page.getByRole('button', { name: 'Look up' }).click();
    await waitFor(async () => (await page.getByRole('cell', { name: 'GetSecretValue' }).count()) === 0, 'filtered');
    const lookup = tab.calls.at(-1)!;
    expect(lookup.target).toBe('com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents');
    expect(lookup.authorization).toMatch(/\/us-east-1\/cloudtrail\/aws4_request/);
    expect(lookup.body.LookupAttributes).toEqual([{ AttributeKey: 'EventName', AttributeValue: 'CreateSecret' }]);
    await page.getByRole('button', { name: /^Record of CreateSecret/ }).click();
    await page.getByText('"eventSource": "secretsmanager.amazonaws.com"').waitFor();
    await tab.shot('audit');
    c.destroy();
    await tab.close();
  });

  it('with --auth sigv4 asks for keys, keeps them in memory only, and shows a denial as AWS words it', async () => {
    const alice = { accessKeyId: 'AKIAUICONSOLEALICE', secretAccessKey: 'alice-console-secret-key' };
    const bob = { accessKeyId: 'AKIAUICONSOLEBOB00', secretAccessKey: 'bob-console-secret-key-00' };
    const credentials = writeCredentials({
      principals: [
        {
          ...alice,
          arn: 'arn:aws:iam::111111111111:user/alice',
          policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
        },
        {
          ...bob,
          arn: 'arn:aws:iam::111111111111:user/bob',
          policies: [
            {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['secretsmanager:ListSecrets', 'secretsmanager:DescribeSecret'],
                  Resource: '*',
                },
              ],
            },
          ],
        },
      ],
    });
    const auth = await startAuthServer(credentials);
    try {
      const tab = await open('', { url: auth.url });
      const { page } = tab;
      let d = dialog(page, 'Sign in');
      await d.waitFor();
      expect(await page.getByRole('link', { name: 'Audit log' }).isVisible()).toBe(false);
      // a key the server does not know
      await d.getByLabel('Access key ID').fill('AKIANOBODY000000');
      await d.getByLabel('Secret access key').fill('nothing');
      await d.getByRole('button', { name: 'Sign in' }).click();
      await d.getByRole('alert').getByText('The security token included in the request is invalid.').waitFor();
      await tab.shot('auth-sign-in');
      await d.getByLabel('Access key ID').fill(bob.accessKeyId);
      await d.getByLabel('Secret access key').fill(bob.secretAccessKey);
      await d.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('arn:aws:iam::111111111111:user/bob').waitFor();
      await page.getByText('No secrets in us-east-1.').waitFor();
      // bob may list but not create: the dialog shows AWS's denial
      d = await createInUi(page, { name: 'bob/denied', text: 'x' });
      await d.getByRole('button', { name: 'Create', exact: true }).click();
      await d.getByRole('alert').waitFor();
      expect(await d.getByRole('alert').textContent()).toBe(
        'AccessDeniedException: User: arn:aws:iam::111111111111:user/bob is not authorized to perform: ' +
          'secretsmanager:CreateSecret on resource: bob/denied because no identity-based policy allows the ' +
          'secretsmanager:CreateSecret action',
      );
      await tab.shot('auth-denied');
      await d.getByRole('button', { name: 'Cancel' }).click();
      // the keys are in no storage a page could read later
      const stored = String(
        await page.evaluate('JSON.stringify([localStorage, sessionStorage, document.cookie, location.href])'),
      );
      expect(stored).not.toContain(bob.secretAccessKey);
      expect(stored).not.toContain(bob.accessKeyId);
      expect((await tab.context.cookies()).length).toBe(0);
      // every request was signed with bob's key
      expect(tab.calls.length).toBeGreaterThan(0);
      expect(
        tab.calls.every((x) => x.authorization.startsWith(`AWS4-HMAC-SHA256 Credential=${bob.accessKeyId}/`)),
      ).toBe(true);
      // a reload forgets them
      await page.reload();
      await dialog(page, 'Sign in').waitFor();
      await dialog(page, 'Sign in').getByLabel('Access key ID').fill(alice.accessKeyId);
      await dialog(page, 'Sign in').getByLabel('Secret access key').fill(alice.secretAccessKey);
      await dialog(page, 'Sign in').getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('arn:aws:iam::111111111111:user/alice').waitFor();
      await createInUi(page, { name: 'alice/allowed', text: 'x' });
      await dialog(page, 'Create secret').getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByRole('heading', { name: 'alice/allowed', level: 1 }).waitFor();
      // no audit log on this server: no Audit log view
      expect(await page.getByRole('link', { name: 'Audit log' }).isVisible()).toBe(false);
      expect(await section(page, 'Secret details').getByText(':111111111111:secret:alice/allowed-').count()).toBe(1);
      await tab.close();
    } finally {
      await auth.close();
    }
  });

  it('takes the README screenshot', async () => {
    const account = '100000000014';
    const c = client(server.url, account);
    const seed: [string, string, Record<string, string>][] = [
      ['prod/orders/db', 'Orders PostgreSQL (primary)', { team: 'orders', env: 'prod' }],
      ['prod/orders/stripe-key', 'Stripe API key for checkout', { team: 'orders', env: 'prod' }],
      ['prod/search/opensearch', 'OpenSearch admin user', { team: 'search', env: 'prod' }],
      ['staging/orders/db', 'Orders PostgreSQL (staging)', { team: 'orders', env: 'staging' }],
      ['staging/web/session-key', 'Cookie signing key', { team: 'web', env: 'staging' }],
      ['dev/shared/github-token', 'CI token for package reads', { team: 'platform', env: 'dev' }],
    ];
    for (const [Name, Description, tags] of seed) {
      await c.send(
        new CreateSecretCommand({
          Name,
          Description,
          SecretString: JSON.stringify({ username: 'app', password: 'p4ss-' + Name.length }),
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
    }
    await c.send(new GetSecretValueCommand({ SecretId: 'prod/orders/db' }));
    await c.send(
      new RotateSecretCommand({ SecretId: 'prod/orders/db', RotationRules: { AutomaticallyAfterDays: 30 } }),
    );
    const tab = await open(`?account=${account}#/secret/prod%2Forders%2Fdb`, { width: 1200, height: 860 });
    const { page } = tab;
    await page.getByRole('button', { name: 'Reveal value' }).click();
    await page.getByRole('cell', { name: 'password' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'readme-details.png') });
    await page.getByRole('link', { name: 'Secrets' }).first().click();
    await page.getByText('Page 1: secrets 1-6', { exact: true }).waitFor();
    await page.getByLabel('Select prod/orders/stripe-key').check();
    await page.setViewportSize({ width: 1200, height: 600 });
    await page.screenshot({ path: join(ARTIFACTS, 'readme-list.png') });
    if (process.env.SECRETLITE_UPDATE_SCREENSHOT) {
      await page.screenshot({ path: join(ROOT, 'docs/console.png') });
    }
    c.destroy();
    await tab.close();
  });
});
