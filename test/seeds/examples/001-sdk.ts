import {
SecretsManagerClient,
CreateSecretCommand,
GetSecretValueCommand,
PutSecretValueCommand,
DescribeSecretCommand,
DeleteSecretCommand,
} from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({
region: 'us-east-1',
endpoint: 'http://localhost:4566',
credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
// Create a structured JSON secret
const dbCreds = {
host: 'db.example.com',
port: 5432,
username: 'app_user',
password: 'SuperSecret123!',
dbname: 'myapp',
};
const { ARN } = await sm.send(new CreateSecretCommand({
Name: '/myapp/prod/database',
Description: 'Production database credentials',
SecretString: JSON.stringify(dbCreds),
Tags: [
{ Key: 'environment', Value: 'prod' },
{ Key: 'service', Value: 'api' },
],
}));
console.log('Secret ARN:', ARN);
// Retrieve and parse the secret
const { SecretString } = await sm.send(new GetSecretValueCommand({
SecretId: '/myapp/prod/database',
}));
const credentials = JSON.parse(SecretString!);
console.log('DB Host:', credentials.host);
// Rotate the password (creates AWSCURRENT, old becomes AWSPREVIOUS)
await sm.send(new PutSecretValueCommand({
SecretId: '/myapp/prod/database',
SecretString: JSON.stringify({ ...credentials, password: 'NewPassword456!' }),
}));
// Retrieve the previous version
const { SecretString: prevSecret } = await sm.send(new GetSecretValueCommand({
SecretId: '/myapp/prod/database',
VersionStage: 'AWSPREVIOUS',
}));
console.log('Previous password:', JSON.parse(prevSecret!).password);
// Describe (metadata only, no value)
const description = await sm.send(new DescribeSecretCommand({
SecretId: '/myapp/prod/database',
}));
console.log('Versions:', description.VersionIdsToStages);
// Delete with 7-day recovery window
await sm.send(new DeleteSecretCommand({
SecretId: '/myapp/prod/database',
RecoveryWindowInDays: 7,
}));
