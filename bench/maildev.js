// MailDev (a test SMTP server that keeps mail in memory and in a temp folder, never fsyncs),
// installed once from npm into a temporary prefix and started on 127.0.0.1, for the benches that
// put it side by side with smtp-lab (bench/run.js: throughput; bench/web.js: the browser view).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Installs MailDev (once) into os.tmpdir()/smtp-lab-bench-maildev; resolves with { bin, version }. */
export async function maildevBin(log = (/** @type {string} */ _text) => undefined) {
  const prefix = path.join(os.tmpdir(), 'smtp-lab-bench-maildev');
  const pkg = path.join(prefix, 'node_modules', 'maildev', 'package.json');
  if (!existsSync(pkg)) {
    log('installing MailDev from npm (once) into ' + prefix);
    await mkdir(prefix, { recursive: true });
    execFileSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--omit=dev', 'maildev'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const { version, bin } = JSON.parse(await readFile(pkg, 'utf8'));
  const file = typeof bin === 'string' ? bin : bin.maildev;
  return { bin: path.join(path.dirname(pkg), file), version };
}

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** @param {number} port */
function healthy(port) {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/api/healthz' }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      })
      .on('error', () => resolve(false));
  });
}

/** CPU time (ms, user + system, all threads) of a process so far, from /proc (Linux only). */
function procCpuMs(/** @type {number} */ pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), here 11 and 12 after "pid (comm) ".
    const ticks = Number(fields[11]) + Number(fields[12]);
    const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (ticks * 1000) / hz;
  } catch {
    return NaN;
  }
}

/**
 * Starts MailDev on 127.0.0.1 (SMTP and web on free ports, mail in mailDir) and resolves once its
 * web API answers; { smtp, web, url, pid, cpu(), stop() }. cpu() is the process's CPU time (ms).
 * @param {string} bin
 * @param {string} mailDir
 */
export async function startMaildev(bin, mailDir) {
  const [smtp, web] = [await freePort(), await freePort()];
  const args = ['--ip', '127.0.0.1', '--web-ip', '127.0.0.1', '--smtp', String(smtp), '--web', String(web)];
  const child = spawn(process.execPath, [bin, ...args, '--mail-directory', mailDir, '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 20_000;
  while (!(await healthy(web))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('MailDev did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = /** @type {number} */ (child.pid);
  return {
    smtp,
    web,
    url: `http://127.0.0.1:${web}/`,
    pid,
    cpu: async () => procCpuMs(pid),
    /** @returns {Promise<void>} */
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
