// One browser-view server in its own process, over a mailbox folder (no lab server): bench/web.js
// measures its response times and its memory. Reports { port } over IPC once listening.
import path from 'node:path';
import { startWebServer } from '../dist/web/index.js';

const dir = process.argv[2];
const web = await startWebServer({ mailbox: dir, sessionsDir: path.join(dir, 'sessions'), port: 0 });
process.send({ port: web.port, url: web.url });
process.on('message', async (message) => {
  if (message === 'gc') {
    globalThis.gc?.();
    process.send({ usage: process.memoryUsage() });
  }
  if (message === 'stop') {
    await web.close();
    process.exit(0);
  }
});
