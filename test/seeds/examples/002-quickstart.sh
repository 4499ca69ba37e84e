# Create a secret
curl -X POST http://localhost:4566 \
  -H "X-Amz-Target: secretsmanager.CreateSecret" \
  -H "Content-Type: application/x-amz-json-1.1" \
  -d '{"Name": "/app/db-password", "SecretString": "supersecret"}'
# Get secret value
curl -X POST http://localhost:4566 \
  -H "X-Amz-Target: secretsmanager.GetSecretValue" \
  -H "Content-Type: application/x-amz-json-1.1" \
  -d '{"SecretId": "/app/db-password"}'
