// secretlite.global-setup.mjs: start secretlite with the test secrets; every SDK in the tests finds it
import { startServer } from 'secretlite';

export default async function setup(project) {
  const server = await startServer({ seed: new URL('./secrets.yaml', import.meta.url).pathname });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: server.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  project.provide('secretliteUrl', server.url);
  return () => server.close();
}
