// npm run bench -- lab: what one more session costs `smtp-lab lab`, the 1st and the Nth.
//
// Starts `smtp-lab lab basic` on a free port (its own process, mailbox in a temp folder) and
// runs BENCH_LAB_SESSIONS (default 1000) sessions one after the other with a raw-socket client
// that does the assignment's exchange and waits for every reply. After each session it waits
// until the lab has printed that session's judgement ("score N/M"), and times from the client's
// close to that line. Prints the median and p90 of the first 50 and of the last 50 sessions and
// the lab's peak RSS (VmHWM). BENCH_LAB_BIN points at another build (e.g. an older checkout).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(process.env.BENCH_LAB_BIN ?? path.join(here, '../bin/smtp-lab.js'));
const sessions = Number(process.env.BENCH_LAB_SESSIONS ?? 1000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'smtp-lab-bench-lab-'));

const lab = spawn(process.execPath, [bin, 'lab', 'basic', '-p', '0', '-m', dir, '--no-explain'], {
  env: { ...process.env, NO_COLOR: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let text = '';
let scores = 0;
let waiting;
lab.stdout.on('data', (chunk) => {
  text += chunk.toString('utf8');
  // Keep only the tail: the header (for the port) is read before the first session.
  const found = text.match(/^score \d+\/\d+$/gm)?.length ?? 0;
  if (found) {
    scores += found;
    text = text.slice(text.lastIndexOf('\nscore ') + 1).replace(/^score \d+\/\d+$/m, '');
  }
  waiting?.();
});
const wait = (ready) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('lab did not answer within 30 s')), 30_000);
    waiting = () => {
      if (!ready()) return;
      clearTimeout(timer);
      waiting = undefined;
      resolve();
    };
    waiting();
  });

await wait(() => /Waiting for your client/.test(text));
const port = Number(/^ {2}export SMTP_PORT=(\d+)$/m.exec(text)[1]);
text = '';

/** The assignment's exchange; resolves when the connection has closed. */
function session() {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const steps = [
      'HELO bench',
      'MAIL FROM:<student@smtp-lab.test>',
      'RCPT TO:<teacher@smtp-lab.test>',
      'DATA',
      'From: <student@smtp-lab.test>\r\nTo: <teacher@smtp-lab.test>\r\nSubject: bench\r\n\r\nI love computer networks!\r\n.',
      'QUIT',
    ];
    let buffer = '';
    socket.on('data', (data) => {
      buffer += data.toString('latin1');
      // One complete reply (its last line has a space after the code) moves the client on.
      while (/^\d{3} .*\r\n/m.test(buffer)) {
        buffer = buffer.slice(buffer.search(/^\d{3} .*\r\n/m)).replace(/^\d{3} .*\r\n/, '');
        const next = steps.shift();
        if (next === undefined) socket.end();
        else socket.write(`${next}\r\n`);
      }
    });
    socket.on('close', resolve);
    socket.on('error', reject);
  });
}

const costs = [];
const started = performance.now();
for (let i = 1; i <= sessions; i++) {
  await session();
  const closed = performance.now();
  await wait(() => scores >= i);
  costs.push(performance.now() - closed);
  if (i % 200 === 0) process.stderr.write(`lab bench: ${i}/${sessions} sessions\n`);
}
const total = performance.now() - started;
const status = readFileSync(`/proc/${lab.pid}/status`, 'utf8');
const peak = Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
lab.kill('SIGTERM');
await new Promise((resolve) => lab.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms`;
};
const n = Math.min(50, Math.floor(sessions / 2));
console.log(`smtp-lab lab basic: ${sessions} sessions in ${(total / 1000).toFixed(1)} s (${bin})`);
console.log(`  close -> judgement printed, sessions 1-${n}: ${stats(costs.slice(0, n))}`);
console.log(
  `  close -> judgement printed, sessions ${sessions - n + 1}-${sessions}: ${stats(costs.slice(-n))}`,
);
console.log(`  lab peak RSS ${peak.toFixed(1)} MiB`);
