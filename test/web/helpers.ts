import { fileURLToPath } from 'node:url';
import { sendMail, type SendMailOptions } from '../../src/client/index.js';
import { buildMessage } from '../../src/client/mime/index.js';
import type { LabServerOptions } from '../../src/server/index.js';
import { startWebServer, type WebServer } from '../../src/web/index.js';
import { PASS, USER, sharedCa, withLabServer, type Lab } from '../helpers/lab-server.js';

export const DEMO_IMAGE = fileURLToPath(new URL('../../assets/smtp-lab.png', import.meta.url));

/** A lab server with the browser view in front of it, both on 127.0.0.1 port 0. */
export async function withWeb<T>(
  options: LabServerOptions,
  fn: (lab: Lab, web: WebServer) => Promise<T>,
): Promise<T> {
  return withLabServer(options, async (lab) => {
    const web = await startWebServer({ lab: lab.server, port: 0 });
    try {
      return await fn(lab, web);
    } finally {
      await web.close();
    }
  });
}

/** Sends with the reference client (plaintext unless told); resolves with its result. */
export async function send(lab: Lab, overrides: Partial<SendMailOptions> = {}) {
  return sendMail({
    host: '127.0.0.1',
    port: lab.server.port,
    tls: 'none',
    from: USER,
    recipients: ['teacher@smtp-lab.test'],
    message: 'Subject: hello\r\n\r\nhello\r\n',
    timeout: 10_000,
    helo: 'student-laptop',
    ...overrides,
  });
}

/** The reference client's text-and-image message (the demo's), through STARTTLS and AUTH LOGIN. */
export async function sendImageMessage(lab: Lab, subject = 'I love computer networks! 我爱计算机网络') {
  const message = await buildMessage({
    from: USER,
    to: ['teacher@smtp-lab.test'],
    subject,
    text: 'Hello from the smtp-lab reference client.\n',
    inlineImages: [DEMO_IMAGE],
  });
  return send(lab, {
    tls: 'starttls',
    tlsSettings: { ca: (await sharedCa()).caCert },
    auth: { user: USER, password: PASS, mechanism: 'LOGIN' },
    recipients: message.envelope.to,
    message: () => message.stream(),
  });
}

/** GET with an explicit Host header (fetch would not let a test forge one). */
export async function get(
  web: WebServer,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: web.port, path, headers: { Host: `127.0.0.1:${web.port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function getJson<T = any>(web: WebServer, path: string): Promise<T> {
  const res = await get(web, path);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.toString()}`);
  return JSON.parse(res.body.toString('utf8')) as T;
}
