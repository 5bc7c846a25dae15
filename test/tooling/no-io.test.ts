import { execFile, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';

/**
 * The `unit` project's guard (test/setup/no-io.ts) is on: a unit file that starts a process or
 * opens a socket fails at the call, whichever import style it uses. This file is itself `unit`.
 */
describe('unit files may not start processes or open sockets', () => {
  it('child_process, through ESM named imports', () => {
    expect(() => spawn('true')).toThrow(/may not start a process \(child_process\.spawn\)/);
    expect(() => spawnSync('true')).toThrow(/child_process\.spawnSync/);
    expect(() => execFile('true')).toThrow(/child_process\.execFile/);
  });

  it('sockets: connect, TLS connect and listen', () => {
    expect(() => net.connect(25, '127.0.0.1')).toThrow(/may not open a socket/);
    expect(() => tls.connect(465, '127.0.0.1')).toThrow(/may not open a socket/);
    expect(() => net.createServer().listen(0, '127.0.0.1')).toThrow(/may not listen/);
  });
});
