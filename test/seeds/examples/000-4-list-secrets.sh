awslocal secretsmanager list-secrets \
    --filters Key=name,Values=Secret
