import { formatReply, type Reply } from '../protocol/reply.js';
import type { Persona } from './vocabulary.js';
import type { OutgoingReply } from './faults.js';

/**
 * Provider personas: the greeting and reply texts of real servers (quoted from the providers' own replies), laid
 * over the backend's replies on the wire. Only words change, and a few codes where the provider
 * uses another one for the same refusal; the EHLO keyword set stays the backend's, so nothing is
 * advertised that the server cannot do. Host names and ids are stable fake values.
 */

interface PersonaText {
  /** Which replies: the verb answered (GREETING, EHLO, HELO, AUTH, MAIL, RCPT, DATA, ., QUIT, STARTTLS). */
  verb: string;
  code: number;
  /** The code the client sees, when the provider uses another one. */
  as?: number;
  /** Only when this holds (the backend's text, TLS state): one code can mean several refusals. */
  when?: (said: string, ctx: OutgoingReply) => boolean;
  text: string | string[];
}

interface PersonaDefinition {
  /** First line of the EHLO/HELO reply. */
  ehloName: string;
  texts: PersonaText[];
}

const QQ_HOST = 'newxmesmtplogicsvrsza9.qq.com';
const GMAIL_ID = 'a1b2c3d4e5f6-20020a05600c1234sm1234567wmq.0';

const PERSONAS: Record<Exclude<Persona, 'default'>, PersonaDefinition> = {
  qq: {
    ehloName: `${QQ_HOST}-127.0.0.1-12345678`,
    texts: [
      { verb: 'GREETING', code: 220, text: `${QQ_HOST} XMail Esmtp QQ Mail Server.` },
      {
        verb: 'STARTTLS',
        code: 220,
        text: 'Ready to start TLS from 127.0.0.1 to newxmesmtplogicsvrsza9.qq.com.',
      },
      { verb: 'AUTH', code: 235, text: 'Authentication successful' },
      {
        verb: 'AUTH',
        code: 535,
        text: 'Login fail. Account is abnormal, service is not open, password is incorrect, login frequency limited, or system is busy. More information at https://help.mail.qq.com/detail/108/1023',
      },
      { verb: 'MAIL', code: 250, text: 'OK.' },
      { verb: 'RCPT', code: 250, text: 'OK' },
      { verb: 'DATA', code: 354, text: 'End data with <CR><LF>.<CR><LF>.' },
      { verb: '.', code: 250, text: 'OK: queued as.' },
      {
        verb: '.',
        code: 550,
        text: 'The "From" header is missing or invalid. Please follow RFC5322, RFC2047, RFC822 standard protocol. https://service.mail.qq.com/detail/124/995.',
      },
      { verb: 'QUIT', code: 221, text: 'Bye.' },
    ],
  },
  gmail: {
    ehloName: 'smtp.gmail.com at your service, [127.0.0.1]',
    texts: [
      { verb: 'GREETING', code: 220, text: `smtp.gmail.com ESMTP ${GMAIL_ID} - gsmtp` },
      { verb: 'STARTTLS', code: 220, text: '2.0.0 Ready to start TLS' },
      { verb: 'AUTH', code: 235, text: '2.7.0 Accepted' },
      {
        verb: 'AUTH',
        code: 535,
        text: [
          '5.7.8 Username and Password not accepted. For more information, go to',
          `5.7.8  https://support.google.com/mail/?p=BadCredentials ${GMAIL_ID} - gsmtp`,
        ],
      },
      // smtp-server refuses AUTH before STARTTLS with 538; Gmail says 530.
      {
        verb: 'AUTH',
        code: 538,
        as: 530,
        text: `5.7.0 Must issue a STARTTLS command first. ${GMAIL_ID} - gsmtp`,
      },
      {
        verb: 'MAIL',
        code: 530,
        // Before TLS every 530 to MAIL is this one (smtp-server says "authentication Required").
        when: (_, ctx) => !ctx.tls,
        text: `5.7.0 Must issue a STARTTLS command first. ${GMAIL_ID} - gsmtp`,
      },
      // Inside TLS: MAIL without AUTH where AUTH is required.
      {
        verb: 'MAIL',
        code: 530,
        when: (said, ctx) => ctx.tls === true && /auth/i.test(said),
        text: [
          '5.7.0 Authentication Required. For more information, go to',
          `5.7.0  https://support.google.com/mail/?p=WantAuthError ${GMAIL_ID} - gsmtp`,
        ],
      },
      { verb: 'MAIL', code: 250, text: `2.1.0 OK ${GMAIL_ID} - gsmtp` },
      { verb: 'RCPT', code: 250, text: `2.1.5 OK ${GMAIL_ID} - gsmtp` },
      { verb: 'DATA', code: 354, text: ` Go ahead ${GMAIL_ID} - gsmtp` },
      { verb: '.', code: 250, text: `2.0.0 OK  1795847338 ${GMAIL_ID} - gsmtp` },
      {
        verb: '.',
        code: 550,
        text: [
          '5.7.1 [127.0.0.1] Messages missing a valid address in From: header, or having no From: header, are not',
          `5.7.1 accepted. ${GMAIL_ID} - gsmtp`,
        ],
      },
      { verb: 'QUIT', code: 221, text: `2.0.0 closing connection ${GMAIL_ID} - gsmtp` },
    ],
  },
};

/** The reply as the persona would say it (or unchanged); `hide` drops EHLO keywords. */
export function personaReply(
  persona: Persona,
  reply: Reply,
  ctx: OutgoingReply,
  hide: readonly string[] = [],
): Buffer {
  const isEhlo = (ctx.verb === 'EHLO' || ctx.verb === 'HELO') && reply.code === 250;
  if (persona === 'default' && !(isEhlo && hide.length)) return reply.raw;
  if (isEhlo) {
    const hidden = new Set(hide.map((k) => k.toUpperCase()));
    const [first = '', ...keywords] = reply.lines;
    const kept = keywords.filter((line) => !hidden.has((line.split(' ')[0] ?? '').toUpperCase()));
    const name = persona === 'default' ? first : PERSONAS[persona].ehloName;
    return formatReply(250, ctx.verb === 'HELO' ? [name] : [name, ...kept]);
  }
  if (persona === 'default') return reply.raw;
  const said = reply.lines.join(' ');
  const entry = PERSONAS[persona].texts.find(
    (t) => t.verb === ctx.verb && t.code === reply.code && (!t.when || t.when(said, ctx)),
  );
  return entry ? formatReply(entry.as ?? reply.code, entry.text) : reply.raw;
}

/** The persona's text for a refusal the lab server makes itself (e.g. no From header), if any. */
export function personaText(persona: Persona, verb: string, code: number): string | string[] | undefined {
  if (persona === 'default') return undefined;
  return PERSONAS[persona].texts.find((t) => t.verb === verb && t.code === code)?.text;
}
