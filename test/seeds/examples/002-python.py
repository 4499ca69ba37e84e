import boto3, json
sm = boto3.client('secretsmanager', endpoint_url='http://localhost:4566',
                  aws_access_key_id='test', aws_secret_access_key='test',
                  region_name='us-east-1')
sm.create_secret(
    Name='/app/config',
    SecretString=json.dumps({'host': 'db.local', 'password': 's3cr3t'}),
)
response = sm.get_secret_value(SecretId='/app/config')
config = json.loads(response['SecretString'])
print(config['host']) # db.local
