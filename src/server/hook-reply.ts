import type { ReplySpec } from './vocabulary.js';

/**
 * The one way a hook makes smtp-server answer: reject (or call back) with a HookReply, and
 * smtp-server writes its `responseCode` and message as the reply. The scenario's rules, the
 * backend's own refusals (bad credentials, no STARTTLS yet) and the message store (too big, no
 * From: header) all use it.
 */
export class HookReply extends Error {
  readonly responseCode: number;
  constructor(code: number, text: string | readonly string[]) {
    // smtp-server prints the message after the code; a multi-line text becomes one line there.
    super(typeof text === 'string' ? text : text.join(' '));
    this.responseCode = code;
  }

  /** The reply a scenario's rule (or persona) asked for. */
  static of(spec: ReplySpec): HookReply {
    return new HookReply(spec.code, spec.text);
  }
}
