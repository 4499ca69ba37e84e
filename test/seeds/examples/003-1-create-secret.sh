aws secretsmanager create-secret --name MySecretName --secret-string "MySecretValue"
