import { afterEach, describe, expect, it } from 'vitest';
import { createLeaf, createTestCa, type TestCa } from '../../src/server/ca.js';
import {
  RecipientsRefusedError,
  SmtpArgumentError,
  SmtpClientError,
  SmtpClientReplyError,
  exitCodeFor,
  isLoopback,
  parseExtensions,
  sendMail,
} from '../../src/client/index.js';
import { Transcript } from '../../src/transcript/events.js';
import { redactTranscript } from '../../src/transcript/redact.js';
import { renderTranscript } from '../../src/transcript/render.js';
import {
  failure,
  scriptedServer,
  sendOptions as options,
  type ScriptedPeer,
  type ScriptedServer,
} from './helpers.js';

/**
 * The reference client against small scripted servers: canned replies (split, multi-line,
 * garbage, cut off, never sent) and the exact bytes the client must write, compared byte for
 * byte, in the style of Go's net/smtp tests.
 */

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(script: (peer: ScriptedPeer) => Promise<void>, options = {}): Promise<ScriptedServer> {
  const server = await scriptedServer(script, options);
  servers.push(server);
  return server;
}

describe('exact bytes on the wire', () => {
  it('writes CRLF everywhere, dot-stuffs, keeps a lone "." and a 998-octet line intact', async () => {
    const long = 'x'.repeat(998);
    // Bare LF, CRLF and a bare CR in the input: all become CRLF; lines starting with "." get a second one.
    const message = `Subject: dots\n\n.leading dot\nmiddle . dot\n.\n..two\r\n${long}\rlast line`;
    let body: Buffer | undefined;
    const server = await serve(async (peer) => {
      await peer.write('220 test.example ESMTP\r\n');
      await peer.expect(
        'EHLO client.example',
        '250-test.example\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n',
      );
      await peer.expect(/^AUTH PLAIN /, '235 2.7.0 Authentication successful\r\n');
      await peer.expect('MAIL FROM:<alice@example.com>', '250 2.1.0 Ok\r\n');
      await peer.expect('RCPT TO:<bob@example.com>', '250 2.1.5 Ok\r\n');
      await peer.expect('RCPT TO:<carol@example.com>', '250 2.1.5 Ok\r\n');
      await peer.expect('DATA', '354 End data with <CR><LF>.<CR><LF>\r\n');
      body = await peer.until('\r\n.\r\n');
      await peer.write('250 2.0.0 Ok: queued as 1\r\n');
      await peer.expect('QUIT', '221 2.0.0 Bye\r\n');
      peer.socket.end();
      await peer.closed();
    });
    const result = await sendMail(
      options(server.port, {
        recipients: ['bob@example.com', 'carol@example.com'],
        auth: { user: 'alice', password: 'wonderland' },
        message,
      }),
    );
    const peer = await server.done;
    const expected = Buffer.concat([
      Buffer.from('EHLO client.example\r\n'),
      Buffer.from(`AUTH PLAIN ${Buffer.from('\0alice\0wonderland').toString('base64')}\r\n`),
      Buffer.from('MAIL FROM:<alice@example.com>\r\n'),
      Buffer.from('RCPT TO:<bob@example.com>\r\n'),
      Buffer.from('RCPT TO:<carol@example.com>\r\n'),
      Buffer.from('DATA\r\n'),
      Buffer.from(
        `Subject: dots\r\n\r\n..leading dot\r\nmiddle . dot\r\n..\r\n...two\r\n${long}\r\nlast line\r\n.\r\n`,
      ),
      Buffer.from('QUIT\r\n'),
    ]);
    // As strings (latin1: one character per byte, exact) so a difference shows as a diff.
    expect(peer.received.toString('latin1')).toBe(expected.toString('latin1'));
    expect(body!.toString()).toContain(`\r\n${long}\r\n`);
    expect(result.accepted).toEqual(['bob@example.com', 'carol@example.com']);
    expect(result.reply.code).toBe(250);
    expect(result.quit.reply?.code).toBe(221);
    expect(result.auth).toEqual({ mechanism: 'PLAIN', user: 'alice' });
    // The transcript recorded exactly what went out.
    expect(result.transcript.bytes('c2s').toString('latin1')).toBe(expected.toString('latin1'));
  });

  it('AUTH LOGIN sends the user and the password as separate base64 lines after each 334', async () => {
    const server = await serve(async (peer) => {
      await peer.write('220 test.example ESMTP\r\n');
      await peer.expect(/^EHLO /, '250-test.example\r\n250 AUTH LOGIN\r\n');
      await peer.expect('AUTH LOGIN', '334 VXNlcm5hbWU6\r\n');
      await peer.expect(Buffer.from('alice').toString('base64'), '334 UGFzc3dvcmQ6\r\n');
      await peer.expect(Buffer.from('wonderland').toString('base64'), '235 2.7.0 Accepted\r\n');
      await peer.expect(/^MAIL FROM:/, '250 Ok\r\n');
      await peer.expect(/^RCPT TO:/, '250 Ok\r\n');
      await peer.expect('DATA', '354 go ahead\r\n');
      await peer.until('\r\n.\r\n');
      await peer.write('250 Ok\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
      peer.socket.end();
    });
    const result = await sendMail(options(server.port, { auth: { user: 'alice', password: 'wonderland' } }));
    await server.done;
    expect(result.auth?.mechanism).toBe('LOGIN');
    // The human rendering masks the password and shows the user.
    const shown = renderTranscript(result.transcript);
    expect(shown).toContain('user "alice"');
    expect(shown).not.toContain(Buffer.from('wonderland').toString('base64'));
    const redacted = redactTranscript(result.transcript).bytes('c2s').toString();
    expect(redacted).not.toContain(Buffer.from('wonderland').toString('base64'));
  });

  it('an empty message still ends with ".\\r\\n" after DATA', async () => {
    let body: Buffer | undefined;
    const server = await serve(async (peer) => {
      await peer.write('220 t\r\n');
      await peer.expect(/^EHLO /, '250 t\r\n');
      await peer.expect(/^MAIL/, '250 Ok\r\n');
      await peer.expect(/^RCPT/, '250 Ok\r\n');
      await peer.expect('DATA', '354 go\r\n');
      body = await peer.until('.\r\n');
      await peer.write('250 Ok\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
    });
    await sendMail(options(server.port, { message: '' }));
    await server.done;
    expect(body!.toString()).toBe('.\r\n');
  });
});

describe('reading replies', () => {
  it('reads multi-line replies split at every byte, and waits for the whole greeting', async () => {
    const server = await serve(async (peer) => {
      const greeting = '220-test.example ESMTP\r\n220-second line\r\n220 ready\r\n';
      for (const byte of greeting) {
        await peer.write(byte);
        // Between pieces the client must not have answered a reply it has not finished reading.
        await new Promise((resolve) => setImmediate(resolve));
        if (peer.received.length > 0 && byte !== '\n')
          throw new Error('client spoke before the greeting was complete');
      }
      await peer.line();
      const ehlo = '250-test.example\r\n250-SIZE 1000\r\n250 8BITMIME\r\n';
      await peer.write(ehlo.slice(0, 5));
      await peer.write(ehlo.slice(5, 23));
      await peer.write(ehlo.slice(23));
      // MAIL's reply and RCPT's reply, each split in the middle of the code.
      await peer.expect(/^MAIL/, '25');
      await peer.write('0 Ok\r\n');
      await peer.expect(/^RCPT/, '2');
      await peer.write('50 Ok\r\n');
      await peer.expect('DATA', '354 go\r\n');
      await peer.until('\r\n.\r\n');
      await peer.write('250 Ok\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
    });
    const result = await sendMail(options(server.port));
    await server.done;
    expect(result.greeting.lines).toEqual(['test.example ESMTP', 'second line', 'ready']);
    expect(result.extensions).toEqual(['SIZE', '8BITMIME']);
  });

  it('a garbage reply is a protocol error at once, not a hang; QUIT is still sent', async () => {
    const server = await serve(async (peer) => {
      await peer.write('220 test.example ESMTP\r\n');
      await peer.expect(/^EHLO /, 'HTTP/1.1 400 Bad Request\r\n\r\n');
      await peer.line(); // QUIT
    });
    // A hang would end in ERR_TIMEOUT after 20 s; the protocol error is the event that says "at once".
    const error = await failure(sendMail(options(server.port, { timeout: 20_000 })));
    expect(error).toBeInstanceOf(SmtpClientError);
    expect((error as SmtpClientError).code).toBe('ERR_SMTP_PROTOCOL');
    expect((error as SmtpClientError).phase).toBe('ehlo');
    expect(exitCodeFor(error)).toBe(22);
    const peer = await server.done;
    expect(peer.receivedText).toMatch(/QUIT\r\n$/);
  });

  it('a server that closes in the middle of a reply gives a typed error', async () => {
    const server = await serve(async (peer) => {
      await peer.write('220 test.example ESMTP\r\n');
      await peer.expect(/^EHLO /, '250-test.example\r\n250-PIPELI');
      peer.socket.end();
    });
    const error = await failure(sendMail(options(server.port)));
    expect(error).toBeInstanceOf(SmtpClientError);
    expect((error as SmtpClientError).code).toBe('ERR_CONNECTION_CLOSED');
    expect((error as SmtpClientError).phase).toBe('ehlo');
    expect(error.message).toContain('middle of a reply');
  });

  it('a server that never answers times out, bounded by the read timeout', async () => {
    const server = await serve(async (peer) => {
      await peer.closed();
    });
    const started = performance.now();
    const error = await failure(sendMail(options(server.port, { timeout: 300 })));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(SmtpClientError);
    expect((error as SmtpClientError).code).toBe('ERR_TIMEOUT');
    expect((error as SmtpClientError).phase).toBe('greeting');
    expect(exitCodeFor(error)).toBe(21);
    // Never before the timeout; an unbounded wait would hang until the test times out (10 s).
    expect(elapsed).toBeGreaterThanOrEqual(290);
  }, 10_000);

  it('a reply longer than the cap is refused (a hostile server cannot exhaust memory)', async () => {
    const server = await serve(async (peer) => {
      await peer.write(`220 ${'a'.repeat(600)}`);
      await peer.closed();
    });
    const error = await failure(sendMail(options(server.port, { limits: { maxLineLength: 512 } })));
    expect((error as SmtpClientError).code).toBe('ERR_SMTP_PROTOCOL');
    expect((error as SmtpClientError).phase).toBe('greeting');
  });

  it('a greeting other than 220 is a greeting error carrying the reply', async () => {
    const server = await serve(async (peer) => {
      await peer.write('554 5.7.1 go away\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
    });
    const error = await failure(sendMail(options(server.port)));
    expect(error).toBeInstanceOf(SmtpClientReplyError);
    expect((error as SmtpClientReplyError).replyCode).toBe(554);
    expect((error as SmtpClientReplyError).enhanced).toBe('5.7.1');
    expect((error as SmtpClientReplyError).phase).toBe('greeting');
    expect((await server.done).receivedText).toBe('QUIT\r\n');
  });
});

describe('steps and their expected replies', () => {
  it('falls back to HELO when EHLO gets a 5xx', async () => {
    const server = await serve(async (peer) => {
      await peer.write('220 old.example SMTP\r\n');
      await peer.expect('EHLO client.example', '502 5.5.2 command not recognized\r\n');
      await peer.expect('HELO client.example', '250 old.example\r\n');
      await plainTail(peer);
    });
    const result = await sendMail(options(server.port));
    expect(result.usedHelo).toBe(true);
    expect((await server.done).receivedText).toMatch(/^EHLO client.example\r\nHELO client.example\r\nMAIL/);
  });

  it('carries on when some recipients are refused, and stops with a typed error when all are', async () => {
    const some = await serve(async (peer) => {
      await peer.write('220 t\r\n');
      await peer.expect(/^EHLO/, '250 t\r\n');
      await peer.expect(/^MAIL/, '250 Ok\r\n');
      await peer.expect('RCPT TO:<bob@example.com>', '550 5.1.1 no such user\r\n');
      await peer.expect('RCPT TO:<carol@example.com>', '250 Ok\r\n');
      await plainData(peer);
    });
    const result = await sendMail(
      options(some.port, { recipients: ['bob@example.com', 'carol@example.com'] }),
    );
    expect(result.accepted).toEqual(['carol@example.com']);
    expect(result.rejected.map((r) => [r.address, r.reply.code])).toEqual([['bob@example.com', 550]]);

    const none = await serve(async (peer) => {
      await peer.write('220 t\r\n');
      await peer.expect(/^EHLO/, '250 t\r\n');
      await peer.expect(/^MAIL/, '250 Ok\r\n');
      await peer.expect(/^RCPT/, '550 5.1.1 no such user\r\n');
      await peer.expect(/^RCPT/, '450 4.2.0 try later\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
    });
    const error = await failure(
      sendMail(options(none.port, { recipients: ['bob@example.com', 'carol@example.com'] })),
    );
    expect(error).toBeInstanceOf(RecipientsRefusedError);
    expect((error as RecipientsRefusedError).refused.map((r) => r.reply.code)).toEqual([550, 450]);
    expect(exitCodeFor(error)).toBe(24);
    expect((await none.done).receivedText).not.toContain('DATA');
  });

  it('DATA without 354, and a message refused after ".", are errors of their own phase; QUIT follows', async () => {
    const noData = await serve(async (peer) => {
      await peer.write('220 t\r\n');
      await peer.expect(/^EHLO/, '250 t\r\n');
      await peer.expect(/^MAIL/, '250 Ok\r\n');
      await peer.expect(/^RCPT/, '250 Ok\r\n');
      await peer.expect('DATA', '554 5.5.1 no valid recipients\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
    });
    const dataError = await failure(sendMail(options(noData.port)));
    expect((dataError as SmtpClientReplyError).phase).toBe('data');
    expect(exitCodeFor(dataError)).toBe(25);
    await noData.done;

    const refused = await serve(async (peer) => {
      await peer.write('220 t\r\n');
      await peer.expect(/^EHLO/, '250 t\r\n');
      await peer.expect(/^MAIL/, '250 Ok\r\n');
      await peer.expect(/^RCPT/, '250 Ok\r\n');
      await peer.expect('DATA', '354 go\r\n');
      await peer.until('\r\n.\r\n');
      await peer.write('550 5.7.1 From header missing\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
    });
    const messageError = await failure(sendMail(options(refused.port)));
    expect((messageError as SmtpClientReplyError).phase).toBe('message');
    expect((messageError as SmtpClientReplyError).replyCode).toBe(550);
    expect(exitCodeFor(messageError)).toBe(26);
    expect((await refused.done).receivedText).toMatch(/\r\n\.\r\nQUIT\r\n$/);
  });

  it('MAIL refused: typed error with the reply; QUIT is sent and its 221 read', async () => {
    const server = await serve(async (peer) => {
      await peer.write('220 t\r\n');
      await peer.expect(/^EHLO/, '250 t\r\n');
      await peer.expect(/^MAIL/, '501 mail from address must be same as authorization user\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
    });
    const transcript = new Transcript({ id: 't', startedAt: new Date().toISOString() });
    const error = await failure(sendMail(options(server.port, { transcript })));
    expect(error).toBeInstanceOf(SmtpClientReplyError);
    expect((error as SmtpClientReplyError).phase).toBe('mail');
    expect((error as SmtpClientReplyError).command).toBe('MAIL FROM:<alice@example.com>');
    expect(exitCodeFor(error)).toBe(23);
    // The caller's transcript holds the whole failed session, QUIT's 221 included.
    expect(transcript.bytes('s2c').toString()).toMatch(/221 Bye\r\n$/);
  });

  it('a QUIT answered with something other than 221 is reported, but the message stays accepted', async () => {
    const server = await serve(async (peer) => {
      await peer.write('220 t\r\n');
      await peer.expect(/^EHLO/, '250 t\r\n');
      await peer.expect(/^MAIL/, '250 Ok\r\n');
      await peer.expect(/^RCPT/, '250 Ok\r\n');
      await peer.expect('DATA', '354 go\r\n');
      await peer.until('\r\n.\r\n');
      await peer.write('250 Ok\r\n');
      await peer.expect('QUIT', '500 what\r\n');
    });
    const result = await sendMail(options(server.port));
    expect(result.reply.code).toBe(250);
    expect(result.quit.error?.phase).toBe('quit');
    expect(exitCodeFor(result.quit.error)).toBe(27);
  });

  it('refuses CR or LF in addresses and the HELO name before connecting', async () => {
    let connected = false;
    const server = await serve(async () => {
      connected = true;
    });
    for (const bad of [
      { from: 'a@example.com\r\nRCPT TO:<evil@example.com>' },
      { recipients: ['b@example.com\nDATA'] },
      { helo: 'x\r\nMAIL FROM:<x@y>' },
    ]) {
      const error = await failure(sendMail(options(server.port, bad)));
      expect(error).toBeInstanceOf(SmtpArgumentError);
      expect(exitCodeFor(error)).toBe(2);
    }
    expect(connected).toBe(false);
  });

  it('a message source that fails mid-DATA closes the connection without the final "."', async () => {
    const server = await serve(async (peer) => {
      await peer.write('220 t\r\n');
      await peer.expect(/^EHLO/, '250 t\r\n');
      await peer.expect(/^MAIL/, '250 Ok\r\n');
      await peer.expect(/^RCPT/, '250 Ok\r\n');
      await peer.expect('DATA', '354 go\r\n');
      await peer.closed();
    });
    async function* broken() {
      yield Buffer.from('Subject: half\r\n\r\nfirst part\r\n');
      throw new Error('disk on fire');
    }
    const error = await failure(sendMail(options(server.port, { message: broken() })));
    expect((error as SmtpClientError).code).toBe('ERR_MESSAGE_SOURCE');
    expect((error as SmtpClientError).phase).toBe('message');
    const peer = await server.done;
    expect(peer.receivedText).not.toContain('\r\n.\r\n');
    expect(peer.receivedText).not.toContain('QUIT');
  });

  it('respects backpressure: a server that stops reading stalls the client, which times out', async () => {
    const total = 64 * 1024 * 1024;
    let produced = 0;
    async function* huge() {
      const line = Buffer.from(`${'y'.repeat(1022)}\r\n`);
      const chunk = Buffer.concat(Array.from({ length: 64 }, () => line));
      while (produced < total) {
        produced += chunk.length;
        yield chunk;
      }
    }
    const server = await serve(async (peer) => {
      await peer.write('220 t\r\n');
      await peer.expect(/^EHLO/, '250 t\r\n');
      await peer.expect(/^MAIL/, '250 Ok\r\n');
      await peer.expect(/^RCPT/, '250 Ok\r\n');
      await peer.expect('DATA', '354 go\r\n');
      peer.socket.pause(); // and never read again
      await new Promise<void>((resolve) => peer.socket.once('close', () => resolve()));
    });
    const transcript = new Transcript({ id: 't', startedAt: new Date().toISOString() });
    const error = await failure(
      sendMail(options(server.port, { message: huge(), timeout: 400, transcript })),
    );
    expect((error as SmtpClientError).code).toBe('ERR_TIMEOUT');
    expect((error as SmtpClientError).phase).toBe('message');
    // Only what the kernel and the stream buffers hold was read from the source, not all 64 MB.
    expect(produced).toBeLessThan(total / 2);
    expect(transcript.bytes('c2s').length).toBeLessThan(total / 2);
  });

  it('an unsolicited 421 before a command is reported as the reply it is', async () => {
    const server = await serve(async (peer) => {
      await peer.write('220 t\r\n');
      await peer.expect(/^EHLO/, '250 t\r\n421 4.4.2 idle too long, closing\r\n');
      await peer.closed();
    });
    const error = await failure(sendMail(options(server.port)));
    expect(error).toBeInstanceOf(SmtpClientReplyError);
    expect((error as SmtpClientReplyError).replyCode).toBe(421);
    expect((error as SmtpClientReplyError).temporary).toBe(true);
    expect((error as SmtpClientReplyError).phase).toBe('mail');
  });
});

describe('TLS and credentials', () => {
  let ca: TestCa;
  const getCa = async () => (ca ??= await createTestCa());

  it('STARTTLS, EHLO again inside TLS, AUTH only inside TLS', async () => {
    const { cert, key, caCert } = await getCa();
    const server = await serve(async (peer) => {
      await peer.write('220 t ESMTP\r\n');
      await peer.expect(/^EHLO/, '250-t\r\n250 STARTTLS\r\n');
      await peer.expect('STARTTLS', '220 2.0.0 Ready to start TLS\r\n');
      await peer.startTls({ cert, key });
      await peer.expect(/^EHLO/, '250-t\r\n250 AUTH PLAIN LOGIN\r\n');
      await peer.expect(/^AUTH PLAIN /, '235 2.7.0 Accepted\r\n');
      await plainTail(peer);
    });
    const result = await sendMail(
      options(server.port, {
        tls: 'starttls',
        tlsSettings: { ca: caCert },
        auth: { user: 'u', password: 'p4ss' },
      }),
    );
    expect(result.tls?.authorized).toBe(true);
    expect(result.extensions).toContain('AUTH');
    const events = result.transcript.events.filter((e) => e.type === 'wire');
    const auth = events.find((e) => e.type === 'wire' && e.data.toString().startsWith('AUTH'));
    expect(auth?.type === 'wire' && auth.tls).toBe(true);
  });

  it('refuses to go on when TLS is required and EHLO does not offer STARTTLS: no AUTH bytes sent', async () => {
    const server = await serve(async (peer) => {
      await peer.write('220 t ESMTP\r\n');
      // A downgrade: STARTTLS stripped from the list, AUTH offered in the clear.
      await peer.expect(/^EHLO/, '250-t\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
    });
    const error = await failure(
      sendMail(options(server.port, { tls: 'starttls', auth: { user: 'u', password: 'secret-pass' } })),
    );
    expect((error as SmtpClientError).code).toBe('ERR_TLS_REQUIRED');
    expect((error as SmtpClientError).phase).toBe('tls');
    expect(exitCodeFor(error)).toBe(29);
    const peer = await server.done;
    expect(peer.receivedText).toBe('EHLO client.example\r\nQUIT\r\n');
    expect(peer.receivedText).not.toContain('AUTH');
  });

  it('refuses an untrusted certificate after STARTTLS, sending nothing inside TLS', async () => {
    const { caCert } = await getCa();
    const untrusted = await createLeaf(undefined); // self-signed, not from the CA the client trusts
    const server = await serve(async (peer) => {
      await peer.write('220 t ESMTP\r\n');
      await peer.expect(/^EHLO/, '250-t\r\n250 STARTTLS\r\n');
      await peer.expect('STARTTLS', '220 Ready\r\n');
      await peer.startTls(untrusted).catch(() => {});
      await peer.closed();
    });
    const error = await failure(
      sendMail(
        options(server.port, {
          tls: 'starttls',
          tlsSettings: { ca: caCert },
          auth: { user: 'u', password: 'pw12' },
        }),
      ),
    );
    expect((error as SmtpClientError).code).toBe('ERR_TLS_CERT');
    expect((error as SmtpClientError).phase).toBe('tls');
    const peer = await server.done;
    expect(peer.receivedText).toBe('EHLO client.example\r\nSTARTTLS\r\n');
  });

  it('refuses an untrusted certificate with implicit TLS; --insecure accepts it with a warning', async () => {
    const { caCert } = await getCa();
    const untrusted = await createLeaf(undefined);
    const refused = await serve(async (peer) => peer.closed(), { implicitTls: untrusted });
    const error = await failure(
      sendMail(options(refused.port, { tls: 'implicit', tlsSettings: { ca: caCert } })),
    );
    expect((error as SmtpClientError).code).toBe('ERR_TLS_CERT');
    expect((error as SmtpClientError).phase).toBe('tls');
    expect(exitCodeFor(error)).toBe(29);

    const accepted = await serve(
      async (peer) => {
        await peer.write('220 t\r\n');
        await peer.expect(/^EHLO/, '250 t\r\n');
        await plainTail(peer);
      },
      { implicitTls: untrusted },
    );
    const result = await sendMail(
      options(accepted.port, { tls: 'implicit', tlsSettings: { insecure: true } }),
    );
    expect(result.tls?.authorized).toBe(false);
    expect(renderTranscript(result.transcript)).toContain('NOT verified');
  });

  it('refuses plaintext data the server injects after its 220 to STARTTLS', async () => {
    const { cert, key, caCert } = await getCa();
    const server = await serve(async (peer) => {
      await peer.write('220 t ESMTP\r\n');
      await peer.expect(/^EHLO/, '250-t\r\n250 STARTTLS\r\n');
      await peer.expect('STARTTLS', '220 Ready\r\n250-injected\r\n250 AUTH PLAIN\r\n');
      await peer.startTls({ cert, key }).catch(() => {});
      await peer.closed();
    });
    const error = await failure(
      sendMail(options(server.port, { tls: 'starttls', tlsSettings: { ca: caCert } })),
    );
    expect((error as SmtpClientError).code).toBe('ERR_TLS');
    expect((error as SmtpClientError).phase).toBe('tls');
  });

  it('AUTH not offered is an AUTH error before any credential is sent', async () => {
    const server = await serve(async (peer) => {
      await peer.write('220 t\r\n');
      await peer.expect(/^EHLO/, '250-t\r\n250 8BITMIME\r\n');
      await peer.expect('QUIT', '221 Bye\r\n');
    });
    const error = await failure(sendMail(options(server.port, { auth: { user: 'u', password: 'pw12' } })));
    expect((error as SmtpClientError).code).toBe('ERR_AUTH_UNAVAILABLE');
    expect(exitCodeFor(error)).toBe(28);
    expect((await server.done).receivedText).toBe('EHLO client.example\r\nQUIT\r\n');
  });

  it('knows loopback addresses (plaintext AUTH is allowed only to those, unless asked)', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.8.9.10')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(isLoopback('::ffff:192.168.1.2')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});

describe('parseExtensions', () => {
  it('reads keywords after the first line, upper-cased, and merges the old AUTH= form', () => {
    const reply = {
      code: 250,
      enhanced: undefined,
      lines: ['mx.example hello', 'size 1000', 'AUTH=LOGIN', 'STARTTLS'],
      raw: Buffer.alloc(0),
    };
    const extensions = parseExtensions(reply);
    expect(extensions.get('SIZE')).toBe('1000');
    expect(extensions.get('AUTH')).toBe('LOGIN');
    expect(extensions.has('STARTTLS')).toBe(true);
    expect(extensions.has('MX.EXAMPLE')).toBe(false);
  });
});

async function plainTail(peer: ScriptedPeer): Promise<void> {
  await peer.expect(/^MAIL/, '250 Ok\r\n');
  await peer.expect(/^RCPT/, '250 Ok\r\n');
  await plainData(peer);
}

async function plainData(peer: ScriptedPeer): Promise<void> {
  await peer.expect('DATA', '354 go\r\n');
  await peer.until('\r\n.\r\n');
  await peer.write('250 Ok\r\n');
  await peer.expect('QUIT', '221 Bye\r\n');
  peer.socket.end();
}
