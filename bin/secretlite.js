#!/usr/bin/env node
// The command, bundled into one file at build time (scripts/bundle.mjs): it starts faster than dist/cli/main.js.
import '../dist/secretlite.js';
