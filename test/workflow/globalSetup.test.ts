import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * The README's test-suite setups, run as written (test/workflow/examples): the Vitest global setup in a real
 * nested Vitest run, and the Jest global setup and teardown called as Jest calls them (Jest itself is not a
 * dependency: its contract for these files is "a module whose default export is an async function").
 */
const examples = (p: string) => fileURLToPath(new URL(`./examples/${p}`, import.meta.url));

describe('test-suite setups from the README', () => {
  it('Vitest: globalSetup starts secretlite with a seed; the tests find it through the environment', async () => {
    const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
    const out = await new Promise<{ code: number; text: string }>((resolve) =>
      execFile(
        process.execPath,
        [vitest, 'run', '--root', examples('vitest'), '--config', examples('vitest/vitest.config.mjs')],
        { timeout: 120_000, env: { ...process.env, CI: 'true', AWS_ENDPOINT_URL: '', AWS_REGION: '' } },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, text: stdout + stderr }),
      ),
    );
    expect(out.text).toMatch(/1 passed/);
    expect(out.code).toBe(0);
  }, 120_000);

  it('Jest: globalSetup and globalTeardown as Jest calls them', async () => {
    const saved = { ...process.env };
    try {
      const setup = (await import(examples('jest/secretlite.global-setup.mjs'))) as { default: () => Promise<void> };
      const teardown = (await import(examples('jest/secretlite.global-teardown.mjs'))) as { default: () => Promise<void> }; // prettier-ignore
      await setup.default();
      const url = process.env.AWS_ENDPOINT_URL!;
      const sm = new SecretsManagerClient({ maxAttempts: 1 });
      const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
      expect(JSON.parse(SecretString!).password).toBe('s3cret');
      await teardown.default();
      await expect(fetch(`${url}/_secretlite/health`)).rejects.toThrow();
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
