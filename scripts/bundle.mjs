// Bundles the command (dist/cli/main.js, as tsc compiled it) into one file, dist/secretlite.js, which
// bin/secretlite.js runs. Node 20 loads ES modules one by one (resolve, read, compile each: about 45 ms for
// our 60 files, most of the server's start-up time); one file loads in a few. The library entry
// (dist/index.js, what `import { startServer } from 'secretlite'` loads) stays as tsc wrote it.
// Dependencies stay outside the bundle: the stores load better-sqlite3 and pg with require, when used.
//
// Then the web console (src/ui: TypeScript for the browser, one HTML and one CSS file) into dist/ui, which
// server/ui.ts serves at /_secretlite/ui/. `node scripts/bundle.mjs --ui` builds only the console (the UI tests
// do, when dist/ui is missing or older than its sources).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!process.argv.includes('--ui')) {
  await build({
    entryPoints: [`${root}dist/cli/main.js`],
    outfile: `${root}dist/secretlite.js`, // beside dist/version.js: '../package.json' still names the package's file
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

// The console: one script, one style sheet, one page, minified; no source maps shipped.
const ui = `${root}dist/ui/`;
mkdirSync(ui, { recursive: true });
await build({
  entryPoints: [
    { in: `${root}src/ui/main.ts`, out: 'console' },
    { in: `${root}src/ui/console.css`, out: 'console' },
  ],
  outdir: ui,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome109', 'firefox115', 'safari16'],
  tsconfig: `${root}src/ui/tsconfig.json`,
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(`${root}src/ui/index.html`, `${ui}index.html`);
