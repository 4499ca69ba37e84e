import { expect, inject, it } from 'vitest';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

it('reads a seeded secret through the SDK, configured by the environment alone', async () => {
  const sm = new SecretsManagerClient({});
  const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
  expect(JSON.parse(SecretString).password).toBe('s3cret');
  expect(inject('secretliteUrl')).toBe(process.env.AWS_ENDPOINT_URL);
});
