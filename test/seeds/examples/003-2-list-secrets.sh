aws secretsmanager list-secrets
