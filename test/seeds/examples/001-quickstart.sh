# Create a secret with a string value
SECRET_ARN=$(curl -s http://localhost:4566 \
-H "Content-Type: application/x-amz-json-1.1" \
-H "X-Amz-Target: secretsmanager.CreateSecret" \
-H "Authorization: AWS4-HMAC-SHA256 Credential=test/20260421/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=fake" \
-d '{"Name":"my-db-password","Description":"Production DB password","SecretString":"s3cur3p@ss"}' \
| jq -r '.ARN')
echo "Secret ARN: $SECRET_ARN"
# Retrieve the secret value
curl -s http://localhost:4566 \
-H "Content-Type: application/x-amz-json-1.1" \
-H "X-Amz-Target: secretsmanager.GetSecretValue" \
-H "Authorization: AWS4-HMAC-SHA256 Credential=test/20260421/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=fake" \
-d '{"SecretId":"my-db-password"}'
