import type { Phase } from './errors.js';
import type { TlsMode } from './session.js';
import { messages, type Messages } from '../i18n/messages.js';

/**
 * Presets for the mail providers students send through, and the pitfall each one is known for.
 * A hint is printed when the connection or the authentication fails: that is when people search
 * the web for it.
 */

export const PROVIDER_IDS = ['qq', '163', 'gmail', 'outlook'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface Provider {
  id: ProviderId;
  host: string;
  port: number;
  tls: TlsMode;
}

/** Where each provider listens by default; its name, other ports and AUTH pitfall are in the catalogue. */
export const PROVIDERS: Readonly<Record<ProviderId, Provider>> = {
  qq: { id: 'qq', host: 'smtp.qq.com', port: 465, tls: 'implicit' },
  '163': { id: '163', host: 'smtp.163.com', port: 465, tls: 'implicit' },
  gmail: { id: 'gmail', host: 'smtp.gmail.com', port: 587, tls: 'starttls' },
  outlook: { id: 'outlook', host: 'smtp-mail.outlook.com', port: 587, tls: 'starttls' },
};

/** The hints to print after a failure in `phase`, for this provider and port, in the language of `m`. */
export function hintsFor(
  phase: Phase | undefined,
  context: { provider?: ProviderId; port: number },
  m: Messages = messages(),
): string[] {
  const hints: string[] = [];
  const provider = context.provider ? PROVIDERS[context.provider] : undefined;
  const name = provider ? m.t(`cli.provider.name.${provider.id}`) : '';
  const connectionTrouble = phase === 'connect' || phase === 'greeting' || phase === 'tls';
  if (connectionTrouble && context.port === 25) hints.push(m.t('cli.provider.port25'));
  if (connectionTrouble && provider) {
    hints.push(
      m.t('cli.provider.ports', {
        name,
        host: provider.host,
        port: provider.port,
        tls: provider.tls,
        otherPorts: m.t(`cli.provider.otherPorts.${provider.id}`),
      }),
    );
  }
  if (phase === 'auth' && provider) hints.push(m.t(`cli.provider.auth.${provider.id}`));
  if (phase === 'mail' && provider && (provider.id === 'qq' || provider.id === '163')) {
    hints.push(m.t('cli.provider.fromIsUser', { name }));
  }
  return hints;
}
