import { domainToASCII } from 'node:url';
import { problem } from '../problem.js';
import { MimeError, refuseLineBreak } from './errors.js';
import { phraseTokens, type HeaderToken } from './encode.js';

/** A mailbox: the address and, optionally, the name shown for it. */
export interface Mailbox {
  address: string;
  name?: string;
}

/** "user@example.com" or { address, name }. */
export type MailboxInput = string | Mailbox;

const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const LITERAL = /^\[[\x21-\x5a\x5e-\x7e]+\]$/;

/**
 * Checks an address (dot-atom local part, host name or address literal) and returns it with an
 * internationalised domain in its ASCII (punycode) form. A non-ASCII local part would need
 * SMTPUTF8, which this builder does not do: refused.
 */
export function normaliseAddress(address: string, field: string): string {
  refuseLineBreak(field, address);
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  let domain = address.slice(at + 1);
  if (at < 1 || domain === '')
    throw new MimeError(
      'ERR_MIME_ADDRESS',
      field,
      problem('cli.send.problem.notAddress', { field, address: JSON.stringify(address) }),
    );
  if (!DOT_ATOM.test(local)) {
    throw new MimeError(
      'ERR_MIME_ADDRESS',
      field,
      problem('cli.send.problem.localPart', { field, address: JSON.stringify(address) }),
    );
  }
  if (!LITERAL.test(domain)) {
    if (!/^[\x00-\x7f]*$/.test(domain)) domain = domainToASCII(domain);
    if (!HOSTNAME.test(domain))
      throw new MimeError(
        'ERR_MIME_ADDRESS',
        field,
        problem('cli.send.problem.badDomain', { field, address: JSON.stringify(address) }),
      );
  }
  return `${local}@${domain}`;
}

/** The mailbox with its address checked and its name checked for line breaks. */
export function normaliseMailbox(input: MailboxInput, field: string): Mailbox {
  const mailbox = typeof input === 'string' ? { address: input } : input;
  const address = normaliseAddress(mailbox.address, `${field}.address`);
  if (mailbox.name === undefined || mailbox.name === '') return { address };
  refuseLineBreak(`${field}.name`, mailbox.name);
  return { address, name: mailbox.name };
}

/** The domain Message-IDs are made in: the sender's, or a reserved one for an address literal. */
export function domainOf(address: string): string {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return domain.startsWith('[') ? 'smtp-lab.invalid' : domain;
}

/** Header tokens of an address list: `Name <a@b>, "Last, First" <c@d>, e@f`. */
export function addressListTokens(mailboxes: Mailbox[]): HeaderToken[] {
  const tokens: HeaderToken[] = [];
  mailboxes.forEach((mailbox, i) => {
    const comma = i < mailboxes.length - 1 ? ',' : '';
    if (mailbox.name === undefined) {
      tokens.push({ kind: 'plain', text: mailbox.address + comma, sep: ' ' });
      return;
    }
    tokens.push(...phraseTokens(mailbox.name));
    tokens.push({ kind: 'plain', text: `<${mailbox.address}>${comma}`, sep: ' ' });
  });
  return tokens;
}
