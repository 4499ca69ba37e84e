// Bundles the command (dist/cli/main.js, as tsc compiled it) into one file, dist/secretlite.js, which
// bin/secretlite.js runs. Node 20 loads ES modules one by one (resolve, read, compile each: about 45 ms for
// our 60 files, most of the server's start-up time); one file loads in a few. The library entry
// (dist/index.js, what `import { startServer } from 'secretlite'` loads) stays as tsc wrote it.
// Dependencies stay outside the bundle: the stores load better-sqlite3 and pg with require, when used.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/secretlite.js', // beside dist/version.js: '../package.json' still names the package's file
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
