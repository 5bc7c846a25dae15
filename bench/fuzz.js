// npm run bench -- fuzz: at least 10,000 malformed sessions against one lab server.
// An own fuzzer, seeded and bounded: each session sends at most 64 KiB and lasts at most ~1 s,
// loopback only. Reports crashes (the server process dying), descriptors (sockets and transcript
// files) still open once every client has left, sessions the server still counts as open, and
// the server's peak resident memory.
import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../dist/server/faults.js';
import { descriptorsOf, memoryOf, mib, startLab, watchMemory } from './child.js';

const SESSIONS = Number(process.env.BENCH_FUZZ_SESSIONS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_FUZZ_CONCURRENCY ?? 24);
const SEED = Number(process.env.BENCH_FUZZ_SEED ?? 2026);
const log = (text) => process.stderr.write(`${text}\n`);

const VERBS = [
  'EHLO',
  'HELO',
  'MAIL FROM:',
  'RCPT TO:',
  'DATA',
  'RSET',
  'NOOP',
  'QUIT',
  'VRFY',
  'AUTH',
  'STARTTLS',
  'BDAT',
  'XCLIENT',
];
const AUTHS = ['AUTH PLAIN', 'AUTH LOGIN', 'AUTH CRAM-MD5', 'AUTH XOAUTH2', 'AUTH PLAIN =', 'AUTH LOGIN *'];

/** One malformed session's script: a list of writes (Buffers) and how it ends. */
function script(rnd) {
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
  const ending = () => pick(['\r\n', '\n', '\r', '', '\r\r\n', '\n\r']);
  const writes = [];
  const kind = Math.floor(rnd() * 10);
  const n = 1 + Math.floor(rnd() * 12);
  for (let i = 0; i < n; i++) {
    switch (kind) {
      case 0: // raw binary noise
        writes.push(bytes(1 + Math.floor(rnd() * 2048)));
        break;
      case 1: // commands with random arguments and endings
        writes.push(
          Buffer.from(
            `${pick(VERBS)}${pick(['', ' ', '<>', '<a@b>', bytes(8).toString('latin1')])}${ending()}`,
            'latin1',
          ),
        );
        break;
      case 2: // a transaction with a malformed body
        writes.push(
          Buffer.from(
            [
              'EHLO fuzz\r\n',
              'MAIL FROM:<f@fuzz.test>\r\n',
              'RCPT TO:<r@fuzz.test>\r\n',
              'DATA\r\n',
              `${pick(['.', '..', '.\r', '\r\n.\n', 'x'.repeat(Math.floor(rnd() * 5000))])}${ending()}`,
              pick(['\r\n.\r\n', '.\r\n', '\n.\n', '']),
            ].join(''),
            'latin1',
          ),
        );
        break;
      case 3: // AUTH with garbage credentials
        writes.push(
          Buffer.from(
            `EHLO f\r\n${pick(AUTHS)} ${bytes(6).toString('base64')}${ending()}${bytes(4).toString('base64')}\r\n`,
            'latin1',
          ),
        );
        break;
      case 4: // STARTTLS then plaintext or noise instead of a handshake
        writes.push(
          Buffer.from(
            `EHLO f\r\nSTARTTLS\r\n${pick(['EHLO x\r\n', 'AUTH PLAIN AGEAYg==\r\n', bytes(64).toString('latin1')])}`,
            'latin1',
          ),
        );
        break;
      case 5: // a very long line without an ending
        writes.push(Buffer.alloc(Math.floor(rnd() * 60_000), 0x41));
        break;
      case 6: // NUL and control bytes inside commands
        writes.push(Buffer.from(`MAIL FROM:<\u0000\u001b[2J@x>\r\nRCPT TO:<\u009b31m>\r\n`, 'latin1'));
        break;
      case 7: // pipelined burst, possibly cut mid-line
        writes.push(
          Buffer.from('NOOP\r\n'.repeat(1 + Math.floor(rnd() * 200)) + pick(['', 'NO', 'QUI']), 'latin1'),
        );
        break;
      case 8: // talks before the greeting, then an unfinished command
        writes.push(Buffer.from(`${pick(VERBS)} early`, 'latin1'));
        break;
      default: {
        // a plausible session with one random byte flipped
        const text = Buffer.from(
          'EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nSubject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n',
        );
        text[Math.floor(rnd() * text.length)] = Math.floor(rnd() * 256);
        writes.push(text);
      }
    }
  }
  return {
    tls: rnd() < 0.1, // the implicit-TLS port: a TLS client, or noise where a handshake should be
    tlsNoise: rnd() < 0.5,
    writes,
    gapMs: Math.floor(rnd() * 20),
    end: pick(['end', 'destroy', 'reset', 'wait']),
  };
}

/** Runs one session: connects, writes, ends as scripted; resolves when the socket has closed. */
function session(ports, s) {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve(outcome);
    };
    const useTls = s.tls && !s.tlsNoise;
    const socket = useTls
      ? tls.connect({ host: '127.0.0.1', port: ports.tls, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port: s.tls ? ports.tls : ports.plain });
    socket.on('error', () => done('error'));
    socket.on('data', () => undefined);
    socket.on('close', () => done('closed'));
    const deadline = setTimeout(() => done('client time limit'), 1500);
    socket.once(useTls ? 'secureConnect' : 'connect', async () => {
      for (const write of s.writes) {
        if (socket.destroyed) return;
        socket.write(write);
        if (s.gapMs) await new Promise((r) => setTimeout(r, s.gapMs));
      }
      if (s.end === 'end') socket.end();
      else if (s.end === 'destroy') socket.destroy();
      else if (s.end === 'reset' && !useTls) socket.resetAndDestroy();
      else if (s.end === 'reset') socket.destroy();
      else setTimeout(() => socket.end(), 200);
    });
  });
}

const lab = await startLab({ BENCH_TLS_PORT: '1', BENCH_IDLE_MS: '2000', BENCH_WARM: '2' });
const ports = { plain: lab.port, tls: lab.tlsPort };
const dir = lab.mailbox;
await new Promise((r) => setTimeout(r, 200));
const baseline = descriptorsOf(lab.pid, dir);
const memory = watchMemory(lab.pid, 50);
// The fault engine's PRNG (mulberry32): the same sessions for the same seed.
const rnd = seededRandom(SEED);
const t0 = performance.now();
let next = 0;
let finished = 0;
const outcomes = {};
log(`fuzz: ${SESSIONS} sessions, ${CONCURRENCY} at a time, seed ${SEED}; server pid ${lab.pid}`);
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < SESSIONS && !lab.exit()) {
      next++;
      const outcome = await session(ports, script(rnd));
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (++finished % 1000 === 0) log(`  ${finished} sessions`);
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
// Every client has left: the server must let go of every session within its own deadlines.
let stats = lab.exit() ? undefined : await lab.stats();
const settleUntil = performance.now() + 15_000;
while (!lab.exit() && stats.started !== stats.ended && performance.now() < settleUntil) {
  await new Promise((r) => setTimeout(r, 250));
  stats = await lab.stats();
}
// The backend pool grows under the burst and shrinks back as its idle connections reach the
// backend's idle timeout (idle timeout + 5 s): wait for that, bounded.
let after = descriptorsOf(lab.pid, dir);
const poolUntil = performance.now() + 20_000;
while (!lab.exit() && after.sockets > baseline.sockets && performance.now() < poolUntil) {
  await new Promise((r) => setTimeout(r, 250));
  after = descriptorsOf(lab.pid, dir);
}
if (process.env.BENCH_FUZZ_INSPECT) {
  const { execFileSync } = await import('node:child_process');
  log(
    execFileSync('ss', ['-tanp'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(`pid=${lab.pid},`))
      .join('\n'),
  );
}
const { peak, hwm } = memory.stop();
const died = lab.exit();
const rssAfter = memoryOf(lab.pid).rss;
await lab.stop();

const row = (cells) => `| ${cells.join(' | ')} |`;
console.log(`\n## smtp-lab fuzz (\`npm run bench -- fuzz\`, seed ${SEED})\n`);
console.log(
  row([
    'sessions',
    'seconds',
    'server crashes',
    'sessions still open',
    'sockets before / after',
    'transcript files open after',
    'peak RSS',
    'RSS after',
  ]),
);
console.log(row(['---', '---', '---', '---', '---', '---', '---', '---']));
console.log(
  row([
    `${finished} (${Object.entries(outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
    seconds.toFixed(1),
    died ? `1 (${died.signal ?? died.code})` : '0',
    stats ? String(stats.started - stats.ended) : '?',
    `${baseline.sockets} / ${after.sockets}`,
    String(after.files),
    mib(hwm || peak),
    mib(rssAfter),
  ]),
);
const ok =
  !died &&
  finished >= SESSIONS &&
  stats &&
  stats.started === stats.ended &&
  after.sockets <= baseline.sockets &&
  after.files === 0;
console.log(
  `\n${ok ? 'met' : 'MISSED'}: >= ${SESSIONS} sessions, zero crashes, zero leaked sockets or open files after the clients left`,
);
