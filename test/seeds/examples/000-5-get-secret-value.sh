awslocal secretsmanager get-secret-value \
    --secret-id test-secret
