// Download baseline: the plainest node HTTP server that streams one file, in its own process
// (like pocketstack) so the client and the server do not share a core.
// Usage: node dist/bench/plain-file-server.js FILE
import fs from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';

const defaultFile = process.argv[2];
if (!defaultFile) throw new Error('usage: plain-file-server FILE');

// `?file=PATH` serves another file: the bench points it at the file pocketstack stored, so both
// servers read the same bytes in the same page-cache state.
const server = http.createServer((req, res) => {
  const file = new URL(req.url ?? '/', 'http://x').searchParams.get('file') ?? defaultFile;
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': fs.statSync(file).size,
  });
  fs.createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(res);
});
server.listen(0, '127.0.0.1', () => {
  console.log(
    `plain file server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  );
});
process.once('SIGTERM', () => process.exit(0));
