import { parseConfig, helpText, ConfigError } from '../config.js';
import { startServer } from '../index.js';
import { createLogger } from '../logger.js';
import { VERSION } from '../version.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`secretlite: ${e.message}\n\n${helpText()}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (config.help) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  if (config.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const logger = createLogger(config.logLevel);
  const server = await startServer({ ...config, logger });
  process.stdout.write(`secretlite ${VERSION} listening on ${server.url} (store: ${server.store.kind}, account ${config.accountId}, region ${config.region})\n`);
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  process.stderr.write(`secretlite: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}\n`);
  process.exit(1);
});
