// secretlite.global-setup.mjs: Jest runs it once before all test files; process.env reaches every worker
import { startServer } from 'secretlite';

export default async function globalSetup() {
  const server = await startServer({ seed: new URL('./secrets.yaml', import.meta.url).pathname });
  globalThis.__SECRETLITE__ = server;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: server.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
}
