import { describe, expect, it } from 'vitest';
import { GetRandomPasswordCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsError, useTestServer, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
useTestServer((server, client) => ((t = server), (sm = client)));

const PUNCT = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const pw = async (input: ConstructorParameters<typeof GetRandomPasswordCommand>[0] = {}) =>
  (await sm.send(new GetRandomPasswordCommand(input))).RandomPassword!;

describe('GetRandomPassword', () => {
  it('defaults to 32 characters with every type', async () => {
    for (let i = 0; i < 20; i++) {
      const p = await pw();
      expect(p).toHaveLength(32);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect([...p].some((c) => PUNCT.includes(c))).toBe(true);
      expect(p).not.toContain(' ');
    }
  });

  it('honours every flag', async () => {
    expect(await pw({ PasswordLength: 50, ExcludePunctuation: true })).toMatch(/^[A-Za-z0-9]{50}$/);
    expect(
      await pw({ PasswordLength: 50, ExcludeUppercase: true, ExcludeLowercase: true, ExcludePunctuation: true }),
    ).toMatch(/^[0-9]{50}$/);
    expect(
      await pw({ PasswordLength: 50, ExcludeNumbers: true, ExcludePunctuation: true, ExcludeLowercase: true }),
    ).toMatch(/^[A-Z]{50}$/);
    expect(await pw({ PasswordLength: 4096, ExcludeCharacters: 'abcABC123!"#' })).not.toMatch(/[abcABC123!"#]/);
    const spaced = await pw({ PasswordLength: 5, IncludeSpace: true });
    expect(spaced).toContain(' ');
    const loose = await pw({ PasswordLength: 1, RequireEachIncludedType: false });
    expect(loose).toHaveLength(1);
  });

  it('uses exactly the 32 ASCII punctuation characters', async () => {
    const p = await pw({ PasswordLength: 4096, ExcludeUppercase: true, ExcludeLowercase: true, ExcludeNumbers: true });
    expect(new Set(p)).toEqual(new Set(PUNCT));
  });

  it('draws uniformly (chi-square over digits)', async () => {
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 5; i++) {
      for (const c of await pw({
        PasswordLength: 4096,
        ExcludeUppercase: true,
        ExcludeLowercase: true,
        ExcludePunctuation: true,
      }))
        counts[Number(c)]++;
    }
    const expected = (5 * 4096) / 10;
    const chi2 = counts.reduce((s, n) => s + (n - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.88); // p = 0.001 with 9 degrees of freedom
  });

  it('refuses what it cannot satisfy', async () => {
    expect(await awsError(sm.send(new GetRandomPasswordCommand({ PasswordLength: 3 })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Password length is too short based on the required types.',
      status: 400,
    });
    expect(
      (
        await awsError(
          sm.send(
            new GetRandomPasswordCommand({
              ExcludeUppercase: true,
              ExcludeLowercase: true,
              ExcludeNumbers: true,
              ExcludePunctuation: true,
            }),
          ),
        )
      ).name,
    ).toBe('InvalidParameterException');
    const r = await t.raw('secretsmanager.GetRandomPassword', { PasswordLength: 5555 });
    expect(r.json).toEqual({
      __type: 'ValidationException',
      Message:
        "1 validation error detected: Value '5555' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096",
    });
    expect((await t.raw('secretsmanager.GetRandomPassword', { PasswordLength: 1.5 })).json.__type).toBe(
      'SerializationException',
    );
    expect((await t.raw('secretsmanager.GetRandomPassword', { ExcludeNumbers: 'true' })).json.__type).toBe(
      'SerializationException',
    );
  });
});
