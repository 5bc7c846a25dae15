import { messages, type Messages } from '../i18n/messages.js';
import { hasLineBreak } from '../protocol/command.js';

/** Options whose value is message body text, where line breaks belong. */
const BODY_OPTIONS = new Set(['text']);

/**
 * CR or LF in any argument would let a value inject a second SMTP command or header line; no
 * command of ours needs one outside a message body, so every other argument carrying one is
 * refused up front.
 */
export function refuseLineBreaks(args: Record<string, unknown>, m: Messages = messages()): void {
  for (const [name, value] of Object.entries(args)) {
    if (name === '$0' || name === '_' || name === '--' || BODY_OPTIONS.has(name)) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (typeof item === 'string' && hasLineBreak(item)) {
        process.stderr.write(`${m.t('cli.main.lineBreak', { name })}\n`);
        process.exit(2);
      }
    }
  }
}
