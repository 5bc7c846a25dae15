/**
 * Setup file of the `unit` vitest project (vitest.config.ts): a unit test file may not start a
 * process or open a socket. Every way in — `net`/`tls` connections, a server that listens, any
 * `child_process` spawn, sync or async — throws a plain error naming the file's project, so a
 * test that needs a real peer fails at once and is moved to the `integration` globs.
 *
 * The CommonJS objects are patched and then synced into the ESM named exports
 * (`syncBuiltinESMExports`), so `import { spawn } from 'node:child_process'` sees the guard too.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

function refuse(what: string): never {
  throw new Error(
    `unit tests may not ${what}: move this test file to the integration globs in vitest.config.ts`,
  );
}

net.Socket.prototype.connect = function connect(): never {
  return refuse('open a socket');
};
net.Server.prototype.listen = function listen(): never {
  return refuse('listen on a socket');
};
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  Object.defineProperty(childProcess, name, {
    configurable: true,
    writable: true,
    value: () => refuse(`start a process (child_process.${name})`),
  });
}
syncBuiltinESMExports();
