import { readFileSync, writeFileSync } from 'node:fs';
import { parseConfig, helpText, ConfigError, type Config } from '../config.js';
import { startServer } from '../index.js';
import { createLogger } from '../logger.js';
import { keepShortLivedYoung, limitHeapGrowth } from '../server/heap.js';
import { VERSION } from '../version.js';
import { progress, type Progress } from './progress.js';
import { openStore } from '../store/open.js';
import { exportStore, importDump, type Dump } from '../admin/dump.js';
import { rotateMasterKey } from '../admin/rotate.js';
import { verifyAuditFile } from '../audit/log.js';

const COMMANDS = ['rotate-master-key', 'export', 'import'] as const;
type Command = (typeof COMMANDS)[number];

/** Flags that belong to a subcommand, taken out of argv before the server options are parsed. */
function takeFlags(argv: string[]): { rest: string[]; out?: string; plaintext: boolean; file?: string } {
  const rest: string[] = [];
  let out: string | undefined;
  let plaintext = false;
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') out = argv[++i];
    else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else if (a === '--plaintext') plaintext = true;
    else if (
      !a.startsWith('-') &&
      file === undefined &&
      (i === 0 || !argv[i - 1]!.startsWith('--') || argv[i - 1]!.includes('='))
    )
      file = a;
    else rest.push(a);
  }
  return { rest, out, plaintext, file };
}

async function serve(config: Config): Promise<void> {
  limitHeapGrowth(config.heapGrowthPercent);
  keepShortLivedYoung();
  const logger = createLogger(config.logLevel);
  const opened = await openStore(config);
  let seeding: Progress | undefined;
  const server = await startServer({
    ...config,
    store: opened.store,
    logger,
    tls: config.tlsCert && config.tlsKey ? { certFile: config.tlsCert, keyFile: config.tlsKey } : undefined,
    onSeedProgress: (done, total) => {
      seeding ??= progress('seeding', total);
      seeding.tick(1);
      if (done === total) seeding.done();
    },
  });
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // Last: whoever waits for this line may signal at once (a pipe to stdout is synchronous on Linux).
  process.stdout.write(
    `secretlite ${VERSION} listening on ${server.url} (store: ${opened.description}; ` +
      `account ${config.accountId}, region ${config.region}${config.strictAws ? '; strict AWS mode' : ''}` +
      `${server.agentUrl ? `; Secrets Manager Agent endpoint on ${server.agentUrl}` : ''}` +
      `${config.auth === 'sigv4' ? '; signatures and policies enforced' : ''}` +
      `; console ${server.url}/_secretlite/ui/)\n`,
  );
}

async function runCommand(command: Command, argv: string[]): Promise<void> {
  const flags = takeFlags(argv);
  const config = parseConfig(flags.rest, process.env);
  if (command === 'rotate-master-key') {
    const r = await rotateMasterKey(config);
    process.stdout.write(`key term ${r.term} added; ${r.rewrapped} secrets re-wrapped\n`);
    return;
  }
  if (config.dataDir === undefined && config.databaseUrl === undefined) {
    throw new ConfigError(`${command} needs --data-dir or --database-url`);
  }
  const { store } = await openStore(config);
  try {
    const passphrase = process.env.SECRETLITE_EXPORT_PASSPHRASE;
    if (command === 'export') {
      const bar = progress('exporting', (await store.stats()).secrets);
      const dump = await exportStore(store, { passphrase, plaintext: flags.plaintext, onProgress: () => bar.tick() });
      bar.done();
      const text = `${JSON.stringify(dump, null, 2)}\n`;
      if (flags.out) writeFileSync(flags.out, text, { mode: 0o600 });
      else process.stdout.write(text);
      process.stderr.write(
        `exported ${dump.secrets.length} secrets${dump.encryption === 'none' ? ' (plaintext)' : ''}\n`,
      );
    } else {
      if (!flags.file) throw new ConfigError('import needs a file: secretlite import FILE --data-dir DIR');
      const dump = JSON.parse(readFileSync(flags.file, 'utf8')) as Dump;
      const bar = progress('importing', Array.isArray(dump.secrets) ? dump.secrets.length : 0);
      const n = await importDump(store, dump, passphrase, () => bar.tick());
      bar.done();
      process.stdout.write(`imported ${n} secrets\n`);
    }
  } finally {
    await store.close();
  }
}

/** `secretlite audit verify FILE`: whether the file's hash chain is intact; exit 1 where it breaks. */
async function audit(argv: string[]): Promise<void> {
  const [sub, file, ...rest] = argv;
  if (sub !== 'verify' || !file || rest.length > 0) throw new ConfigError('usage: secretlite audit verify FILE');
  const r = await verifyAuditFile(file);
  if (r.ok) {
    process.stdout.write(`${file}: intact, ${r.records} records\n`);
    return;
  }
  process.stdout.write(`${file}: broken at line ${r.brokenAt}: ${r.reason} (${r.records} records intact before it)\n`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const command = COMMANDS.find((c) => c === argv[0]);
  try {
    if (argv[0] === 'audit') {
      await audit(argv.slice(1));
      return;
    }
    if (command) {
      await runCommand(command, argv.slice(1));
      return;
    }
    const config = parseConfig(argv, process.env);
    if (config.help) {
      process.stdout.write(`${helpText()}\n`);
      return;
    }
    if (config.version) {
      process.stdout.write(`${VERSION}\n`);
      return;
    }
    await serve(config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`secretlite: ${e.message}\n\n${helpText()}\n`);
      process.exit(2);
    }
    throw e;
  }
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  process.stderr.write(`secretlite: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}\n`);
  process.exit(1);
});
