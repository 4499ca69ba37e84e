import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/*
 * What the console's browser tests share: the built console, Chromium (Debian's, driven by playwright-core), a tab
 * that records the page's API calls, dialogs and errors, and the locators the tests find things by.
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.SECRETLITE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test/ui/artifacts');
export const HAVE_BROWSER = existsSync(CHROMIUM);
export const UI = '/_secretlite/ui/';

/** Builds dist/ui when it is missing or older than any file of src/ui. */
export function ensureUiBuilt(): void {
  const out = join(ROOT, 'dist/ui/console.js');
  const src = join(ROOT, 'src/ui');
  const built = existsSync(out) && existsSync(join(ROOT, 'dist/ui/index.html')) ? statSync(out).mtimeMs : 0;
  const newest = Math.max(...readdirSync(src).map((f) => statSync(join(src, f)).mtimeMs));
  if (built < newest) execFileSync(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), '--ui'], { cwd: ROOT });
}

export const client = (url: string, accessKeyId = 'test', region = 'us-east-1') =>
  new SecretsManagerClient({
    endpoint: url,
    region,
    credentials: { accessKeyId, secretAccessKey: 'test' },
    maxAttempts: 1,
  });

export interface ApiCall {
  readonly target: string;
  readonly body: Record<string, unknown>;
  readonly authorization: string;
}

export interface Tab {
  readonly page: Page;
  readonly context: BrowserContext;
  /** alert/confirm/prompt dialogs the page opened (none may: XSS) */
  readonly dialogs: string[];
  /** uncaught errors and console errors other than HTTP error statuses (CSP violations among them) */
  readonly errors: string[];
  /** the API calls the page made */
  readonly calls: ApiCall[];
  /** a screenshot in test/ui/artifacts/: the whole page, or the viewport (a modal dialog's backdrop covers only that) */
  shot(name: string, fullPage?: boolean): Promise<void>;
  /** checks nothing ran that should not have, and closes the tab */
  close(): Promise<void>;
}

/**
 * `describe` when there is a browser; without one the suite is skipped with a warning, or fails with CI set (CI
 * must run the UI tests).
 */
export function browserSuite(name: string, fn: () => void): void {
  if (HAVE_BROWSER) {
    describe(name, fn);
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`No browser at ${CHROMIUM}: apt-get install -y chromium (CI must run the UI tests).`);
      });
    });
  } else {
    console.warn(
      `test/ui: skipping the browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set ` +
        'SECRETLITE_CHROMIUM). With CI set they fail instead.',
    );
    describe.skip(name, fn);
  }
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A new tab (its own context) on the console of the server at `url`, `query` after the console's path. */
export async function openTab(
  browser: Browser,
  url: string,
  query = '',
  opts: { width?: number; height?: number } = {},
): Promise<Tab> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  const calls: ApiCall[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    // AWS errors arrive as HTTP 400s, which Chromium reports as failed resources: those are expected
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('request', (r) => {
    const target = r.headers()['x-amz-target'];
    if (r.method() === 'POST' && target) {
      calls.push({
        target,
        body: JSON.parse(r.postData() ?? '{}') as Record<string, unknown>,
        authorization: r.headers()['authorization'] ?? '',
      });
    }
  });
  await page.goto(`${url}${UI}${query}`);
  return {
    page,
    context,
    dialogs,
    errors,
    calls,
    shot: async (name, fullPage = true) => {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
    },
    async close() {
      await context.close();
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    },
  };
}

export const dialog = (page: Page, name: string) => page.getByRole('dialog', { name });
export const ops = (tab: Tab) => tab.calls.map((c) => c.target.replace(/^secretsmanager\./, ''));
export const row = (page: Page, name: string | RegExp) => page.getByRole('row', { name });
/** The names in the list, in order. */
export const names = (page: Page) => page.locator('table.secrets tbody th a').allTextContents();
export const waitFor = async (fn: () => Promise<boolean>, what: string) => {
  for (let i = 0; i < 100; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};
export const section = (page: Page, name: string) => page.getByRole('region', { name });

export async function createInUi(
  page: Page,
  s: { name: string; description?: string; text?: string; pairs?: [string, string][]; tags?: [string, string][] },
): Promise<Locator> {
  await page.getByRole('button', { name: 'Create secret' }).click();
  const d = dialog(page, 'Create secret');
  await d.getByLabel('Name', { exact: true }).fill(s.name);
  if (s.description) await d.getByLabel('Description', { exact: true }).fill(s.description);
  if (s.pairs) {
    await d.getByRole('radio', { name: 'Key/value' }).check();
    for (const [i, [k, v]] of s.pairs.entries()) {
      if (i > 0) await d.getByRole('button', { name: 'Add row' }).click();
      await d.getByLabel(`Key ${i + 1}`, { exact: true }).fill(k);
      await d.getByLabel(`Value ${i + 1}`, { exact: true }).fill(v);
    }
  } else if (s.text !== undefined) {
    await d.getByLabel('Secret value', { exact: true }).fill(s.text);
  }
  for (const [i, [k, v]] of (s.tags ?? []).entries()) {
    await d.getByRole('button', { name: 'Add tag' }).click();
    await d.getByLabel(`Tag key ${i + 1}`, { exact: true }).fill(k);
    await d.getByLabel(`Tag value ${i + 1}`, { exact: true }).fill(v);
  }
  return d;
}
