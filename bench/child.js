// Runs bench/server.js in its own process for the memory and fuzz benchmarks and watches it from
// outside: resident memory (VmRSS, sampled; VmHWM, the kernel's peak) and open descriptors.
import { fork } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts `bench/server.js lab` with extra env; resolves with its ports, pid and probes. */
export function startLab(extraEnv = {}) {
  const child = fork(path.join(here, 'server.js'), ['lab'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...extraEnv },
  });
  let exit;
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('lab server did not start within 20 s'));
    }, 20_000);
    child.once('exit', (code) => reject(new Error(`lab server exited with ${code}`)));
    child.once('message', (/** @type {any} */ message) => {
      const { port, info } = message;
      clearTimeout(timer);
      resolve({
        port,
        tlsPort: info.tlsPort,
        mailbox: info.mailbox,
        pid: child.pid,
        exited,
        /** The exit of the process, if it died ({ code, signal }), else undefined. */
        exit: () => exit,
        stats: () =>
          new Promise((done) => {
            const on = (msg) => {
              if (!msg.stats) return;
              child.off('message', on);
              done(msg.stats);
            };
            child.on('message', on);
            child.send('stats');
          }),
        stop: () =>
          new Promise((done) => {
            if (exit) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.send('stop');
          }),
      });
    });
  });
}

/** Resident and peak resident memory (bytes) of a process, from /proc. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** Samples VmRSS every `ms`; `stop()` returns the highest sample and the kernel's VmHWM. */
export function watchMemory(pid, ms = 20) {
  let peak = 0;
  const timer = setInterval(() => {
    const { rss } = memoryOf(pid);
    if (rss > peak) peak = rss;
  }, ms);
  return {
    stop: () => {
      clearInterval(timer);
      const { rss, hwm } = memoryOf(pid);
      return { peak: Math.max(peak, rss || 0), hwm };
    },
  };
}

/** Open descriptors of a process by kind: sockets, files under `dir`, and all. */
export function descriptorsOf(pid, dir) {
  const out = { all: 0, sockets: 0, files: 0 };
  let names = [];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const name of names) {
    let target = '';
    try {
      target = readlinkSync(`/proc/${pid}/fd/${name}`);
    } catch {
      continue;
    }
    out.all++;
    if (target.startsWith('socket:')) out.sockets++;
    else if (dir && target.startsWith(dir)) out.files++;
  }
  return out;
}

export const mib = (n) => `${(n / (1024 * 1024)).toFixed(0)} MiB`;
