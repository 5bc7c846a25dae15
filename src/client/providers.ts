import type { Phase } from './errors.js';
import type { TlsMode } from './session.js';

/**
 * Presets for the mail providers students send through, and the pitfall each one is known for.
 * A hint is printed when the connection or the authentication fails: that is when people search
 * the web for it.
 */

export const PROVIDER_IDS = ['qq', '163', 'gmail', 'outlook'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface Provider {
  id: ProviderId;
  name: string;
  host: string;
  port: number;
  tls: TlsMode;
  /** Other ports the provider serves, for the hint. */
  otherPorts: string;
  /** What goes wrong with AUTH there, and what to do. */
  authPitfall: string;
}

export const PROVIDERS: Readonly<Record<ProviderId, Provider>> = {
  qq: {
    id: 'qq',
    name: 'QQ Mail',
    host: 'smtp.qq.com',
    port: 465,
    tls: 'implicit',
    otherPorts: '587 with --tls starttls',
    authPitfall:
      'QQ Mail wants the 16-letter authorization code (授权码), not your QQ password: enable the SMTP service and generate a code in the mailbox settings (Account > POP3/IMAP/SMTP). --from must be the same address as --user, or QQ answers 501.',
  },
  '163': {
    id: '163',
    name: 'NetEase 163 Mail',
    host: 'smtp.163.com',
    port: 465,
    tls: 'implicit',
    otherPorts: '25 (plaintext, usually blocked)',
    authPitfall:
      '163 Mail wants the authorization code (授权码) made when you enable POP3/SMTP in the mailbox settings, not your login password. --from must be the same address as --user.',
  },
  gmail: {
    id: 'gmail',
    name: 'Gmail',
    host: 'smtp.gmail.com',
    port: 587,
    tls: 'starttls',
    otherPorts: '465 with --tls implicit',
    authPitfall:
      'Gmail refuses the account password (535 5.7.8): turn on 2-Step Verification and use a 16-character app password (Google Account > Security > App passwords).',
  },
  outlook: {
    id: 'outlook',
    name: 'Outlook.com',
    host: 'smtp-mail.outlook.com',
    port: 587,
    tls: 'starttls',
    otherPorts: 'none (587 with STARTTLS only)',
    authPitfall:
      'Microsoft is retiring password ("basic") authentication for SMTP AUTH on Outlook.com: if a correct password or app password is refused, the account needs OAuth2, which this client does not do.',
  },
};

const PORT_25 =
  'Port 25 is blocked on most home, campus and cloud networks (it is for server-to-server mail): use 465 (--tls implicit) or 587 (--tls starttls).';

/** The hints to print after a failure in `phase`, for this provider and port. */
export function hintsFor(
  phase: Phase | undefined,
  context: { provider?: ProviderId; port: number },
): string[] {
  const hints: string[] = [];
  const provider = context.provider ? PROVIDERS[context.provider] : undefined;
  const connectionTrouble = phase === 'connect' || phase === 'greeting' || phase === 'tls';
  if (connectionTrouble && context.port === 25) hints.push(PORT_25);
  if (connectionTrouble && provider) {
    hints.push(
      `${provider.name} listens on ${provider.host} port ${provider.port} (--tls ${provider.tls}); also ${provider.otherPorts}. A firewall or proxy on your network may block outgoing mail ports.`,
    );
  }
  if (phase === 'auth' && provider) hints.push(provider.authPitfall);
  if (phase === 'mail' && provider && (provider.id === 'qq' || provider.id === '163')) {
    hints.push(
      `${provider.name} accepts only MAIL FROM equal to the authenticated user: make --from the same as --user.`,
    );
  }
  return hints;
}
