import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import { HookReply } from './hook-reply.js';
import type { RuleBook } from './rules.js';
import type { AuthMode } from './vocabulary.js';

export type { AuthMode } from './vocabulary.js';

export interface Account {
  user: string;
  pass: string;
}

export interface BackendOptions {
  /** The name the server gives in its greeting and EHLO reply. */
  hostname: string;
  auth: AuthMode;
  /** AUTH mechanisms offered in EHLO and accepted (smtp-server knows PLAIN, LOGIN, CRAM-MD5, XOAUTH2). */
  authMechanisms: readonly string[];
  accounts: Account[];
  /** Accept any user name and password (the AUTH dialogue is judged, not the account). */
  anyCredentials?: boolean;
  /** Refuse AUTH and MAIL before STARTTLS (as Gmail on 587). */
  requireTls: boolean;
  /** SIZE limit in bytes, advertised in EHLO and enforced. */
  maxSize: number;
  /** Certificate and key of the server (for STARTTLS and the implicit-TLS backend). */
  cert: string;
  key: string;
  /** Idle timeout of a session in ms. */
  socketTimeout: number;
  /** The scenario's MAIL / RCPT / AUTH / DATA rules and greylisting (shared by both backends). */
  rules: RuleBook;
  /** EHLO keywords smtp-server can leave out itself (PIPELINING, 8BITMIME, SMTPUTF8, STARTTLS, SIZE). */
  hideExtensions: readonly string[];
  /** Called with each message; resolve with the text of the 250 reply, or reject with a HookReply (else 451). */
  onMessage: (stream: Readable, session: SMTPServerSession) => Promise<string>;
}

export interface AuthenticatedUser {
  user: string;
  mechanism: string;
}

function hidden(options: BackendOptions, keyword: string): boolean {
  return options.hideExtensions.some((k) => k.toUpperCase() === keyword);
}

/** A running smtp-server, unmodified, listening on 127.0.0.1 for the proxy only. */
export interface Backend {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts one smtp-server behind the proxy: plaintext with STARTTLS (`secure` false) or the
 * implicit-TLS one (`secure` true). Its hooks give meaning (accounts, size, TLS requirement,
 * storage); everything about bytes on the wire is the proxy's job.
 */
export async function startBackend(options: BackendOptions, secure: boolean): Promise<Backend> {
  const server = new SMTPServer({
    secure,
    name: options.hostname,
    banner: 'smtp-lab: every byte of this session is recorded',
    key: options.key,
    cert: options.cert,
    size: options.maxSize,
    authMethods: options.authMechanisms.map((m) => m.toUpperCase()),
    authOptional: options.auth !== 'required',
    disabledCommands: options.auth === 'off' ? ['AUTH'] : [],
    // The lab's first exercise is AUTH LOGIN on a plaintext port; requireTls turns that off.
    allowInsecureAuth: !options.requireTls,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    socketTimeout: options.socketTimeout,
    hidePIPELINING: hidden(options, 'PIPELINING'),
    hide8BITMIME: hidden(options, '8BITMIME'),
    hideSMTPUTF8: hidden(options, 'SMTPUTF8'),
    onAuth(auth: SMTPServerAuthentication, _session, callback) {
      const ruled = options.rules.check('auth', auth.username ?? '');
      if (ruled) return callback(HookReply.of(ruled));
      const account = options.accounts.find((a) => a.user === auth.username);
      const ok =
        options.anyCredentials ||
        (account !== undefined &&
          (auth.method === 'CRAM-MD5'
            ? auth.validatePassword?.(account.pass)
            : auth.password === account.pass));
      if (!ok) {
        return callback(new HookReply(535, '5.7.8 Authentication credentials invalid'));
      }
      const user: AuthenticatedUser = { user: auth.username ?? '', mechanism: auth.method };
      callback(null, { user });
    },
    onMailFrom(address, session, callback) {
      if (options.requireTls && !session.secure) {
        return callback(new HookReply(530, '5.7.0 Must issue a STARTTLS command first'));
      }
      const ruled = options.rules.check('mail', address.address);
      callback(ruled ? HookReply.of(ruled) : undefined);
    },
    onRcptTo(address, session, callback) {
      const ruled =
        options.rules.check('rcpt', address.address) ??
        options.rules.greylisted(
          session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          address.address,
        );
      callback(ruled ? HookReply.of(ruled) : undefined);
    },
    onData(stream, session, callback) {
      options.onMessage(stream, session).then(
        (text) => callback(null, text),
        (err: Error & { responseCode?: number }) => {
          stream.resume();
          err.responseCode ??= 451;
          callback(err);
        },
      );
    },
  });
  // A failed TLS handshake or a socket error is reported here; without a listener it would kill the process.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
