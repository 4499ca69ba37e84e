// Reference server for the benchmark: node:http and nothing else. Reads the request body, then answers 200
// with a fixed JSON body shaped and sized like a secretlite GetSecretValue response (~270 bytes).
// Prints its URL on stdout. Started as a child process by bench/run.mjs.
import { createServer } from 'node:http';
import process from 'node:process';

const BODY = JSON.stringify({
  ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench/app-000001-AbCdEf',
  Name: 'bench/app-000001',
  VersionId: '3f1c2a9e-7b4d-4e8a-9c1f-0a2b3c4d5e6f',
  SecretString: '{"username":"app000001","password":"b3nchP4ssw0rd-000001-xYz"}',
  VersionStages: ['AWSCURRENT'],
  CreatedDate: 1767225600.123,
});
const HEADERS = { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(BODY) };

const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    // Touch the body the way a real server would (it has to be read before answering).
    void Buffer.concat(chunks).length;
    res.writeHead(200, HEADERS);
    res.end(BODY);
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`http://127.0.0.1:${port}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
