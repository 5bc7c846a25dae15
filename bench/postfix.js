// Postfix's smtp-source load against any port, and Postfix's smtp-sink as a reference server.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const DIRS = ['/usr/sbin', '/usr/lib/postfix', '/usr/libexec/postfix', '/usr/bin'];

function find(name) {
  for (const dir of DIRS) if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  return undefined;
}

/** Paths of smtp-source and smtp-sink, or a reason why the Postfix part is skipped. */
export function detectPostfix() {
  const source = find('smtp-source');
  const sink = find('smtp-sink');
  if (!source || !sink) {
    return { available: false, reason: `Postfix's smtp-source/smtp-sink not found in ${DIRS.join(', ')}` };
  }
  return { available: true, source, sink };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `smtp-sink 127.0.0.1:PORT 128`; resolves with { port, stop() } once it accepts connections. */
export async function startSmtpSink(sinkPath) {
  const port = await freePort();
  // smtp-sink refuses to run as root without a user to switch to.
  const args = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
  const child = spawn(sinkPath, [...args, `127.0.0.1:${port}`, '128'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`smtp-sink exited: ${stderr.trim()}`);
    if (await canConnect(port)) {
      return {
        port,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`smtp-sink did not listen on 127.0.0.1:${port}: ${stderr.trim()}`);
}

/**
 * `smtp-source -s SESSIONS -m MESSAGES -l SIZE -d ... 127.0.0.1:PORT`: -d keeps each connection for
 * several messages. Resolves with the wall time; killed after `timeMs`.
 */
export async function runSmtpSource(
  sourcePath,
  port,
  { sessions = 10, messages = 3000, size = 1024, timeMs = 60_000 } = {},
) {
  const args = [
    '-s',
    String(sessions),
    '-m',
    String(messages),
    '-l',
    String(size),
    '-d',
    '-M',
    'smtp-lab.test',
    '-f',
    'bench@smtp-lab.test',
    '-t',
    'sink@smtp-lab.test',
    `127.0.0.1:${port}`,
  ];
  const t0 = performance.now();
  const child = spawn(sourcePath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeMs);
  const code = await new Promise((resolve) => child.once('exit', (c, signal) => resolve(signal ?? c)));
  clearTimeout(timer);
  const wallMs = performance.now() - t0;
  if (code !== 0) throw new Error(`smtp-source exited with ${code}: ${stderr.trim().slice(0, 300)}`);
  return { command: `${sourcePath} ${args.join(' ')}`, wallMs, msgsPerSec: (messages / wallMs) * 1000 };
}
