#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript, bundled into one module (scripts/build.sh).
import('../dist/src/bundle/pocketstack.js').then((m) => m.main(process.argv.slice(2)));
