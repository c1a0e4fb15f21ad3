#!/usr/bin/env bash
# `npm run build`: TypeScript to dist/, then two esbuild bundles that start-up needs.
# - dist/src/vendor/typebox.js: TypeBox as one module (src/vendor/typebox.ts says why).
# - dist/src/bundle/pocketstack.js: the whole server as one module for bin/pocketstack.js. Node
#   spends more time resolving and loading pocketstack's and its dependencies' ~400 modules than
#   running them; one file starts in about half the time. Tests import the unbundled dist/.
#   Worker threads stay files of their own (dist/src/<dir>/*.worker.js), found relative to
#   dist/src/<dir>/, the bundle's depth too. better-sqlite3 is native and stays external.
set -euo pipefail
cd "$(dirname "$0")/.."
npx --no-install tsc -p tsconfig.json
npx --no-install esbuild src/vendor/typebox.ts --bundle --platform=node --format=esm \
  --target=node20 --outfile=dist/src/vendor/typebox.js --allow-overwrite --log-level=warning
npx --no-install esbuild dist/src/cli/main.js --bundle --platform=node --format=esm \
  --target=node20 --outfile=dist/src/bundle/pocketstack.js --external:better-sqlite3 \
  --log-level=warning \
  --banner:js="import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
