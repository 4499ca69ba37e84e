import { SecretsManagerClient, CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({
  endpoint: 'http://localhost:4566',
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
await sm.send(new CreateSecretCommand({
  Name: '/app/db-password', SecretString: 'supersecret',
}));
const { SecretString } = await sm.send(new GetSecretValueCommand({
  SecretId: '/app/db-password',
}));
console.log(SecretString); // supersecret
