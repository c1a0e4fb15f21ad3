#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript, bundled into one module (scripts/build.sh).
// libuv runs every file operation, fsync, scrypt and the like on one pool, 4 threads by default:
// a few uploads' fsyncs then hold every thread, and a request's open() or rename() waits behind
// them. It reads the size once, when the pool first starts, which is after this line.
process.env.UV_THREADPOOL_SIZE ??= '16';
import('../dist/src/bundle/pocketstack.js').then((m) => m.main(process.argv.slice(2)));
