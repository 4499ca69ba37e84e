awslocal secretsmanager describe-secret \
    --secret-id test-secret
