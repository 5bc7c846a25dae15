import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import selfsigned from 'selfsigned';

/**
 * A per-run certificate authority and a leaf it signs for the lab server. smtp-server's built-in
 * certificate expired in 2025 and its key is public, so every run makes its own; clients are
 * handed the CA file and verify the leaf the normal way.
 */
export interface TestCa {
  /** PEM of the CA certificate: what clients trust. */
  caCert: string;
  caKey: string;
  /** PEM of the leaf certificate and its key: what the server presents. */
  cert: string;
  key: string;
  /** Path of the CA certificate file, when written. */
  caFile?: string;
}

export interface TestCaOptions {
  /** Write ca.pem (and nothing secret) into this folder. */
  dir?: string;
  /** Names the leaf is valid for; default localhost and 127.0.0.1. */
  hosts?: string[];
  /** Validity window of the leaf; default from one hour ago for 30 days (an expired one for lessons). */
  notBefore?: Date;
  notAfter?: Date;
}

const HOUR = 3600_000;

export async function createTestCa(options: TestCaOptions = {}): Promise<TestCa> {
  const now = Date.now();
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'smtp-lab test CA (this run only)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - HOUR),
    notAfterDate: new Date(now + 30 * 24 * HOUR),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await createLeaf({ cert: ca.cert, key: ca.private }, options);
  const result: TestCa = { caCert: ca.cert, caKey: ca.private, cert: leaf.cert, key: leaf.key };
  if (options.dir) {
    await mkdir(options.dir, { recursive: true });
    result.caFile = path.join(options.dir, 'ca.pem');
    await writeFile(result.caFile, ca.cert);
  }
  return result;
}

/** A leaf signed by the given CA (or by nobody, when `ca` is omitted: an untrusted certificate). */
export async function createLeaf(
  ca: { cert: string; key: string } | undefined,
  options: TestCaOptions = {},
): Promise<{ cert: string; key: string }> {
  const now = Date.now();
  const hosts = options.hosts ?? ['localhost', '127.0.0.1'];
  const altNames = hosts.map((host) =>
    /^[\d.]+$|:/.test(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host },
  );
  const pems = await selfsigned.generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: options.notBefore ?? new Date(now - HOUR),
    notAfterDate: options.notAfter ?? new Date(now + 30 * 24 * HOUR),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
    ...(ca ? { ca } : {}),
  });
  return { cert: pems.cert, key: pems.private };
}
