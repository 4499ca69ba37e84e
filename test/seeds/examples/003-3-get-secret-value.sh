aws secretsmanager get-secret-value --secret-id MySecretName
