import { messages, type MessageKey, type Messages, type ParamsOf } from '../i18n/messages.js';

/**
 * What is wrong with an argument of the client or the message builder, as a typed catalogue
 * message (`cli.send.problem.*`, whole sentences that name the field) and its values. The
 * errors carry it so that their message is English (logs, --json) while `send` says it in the
 * command's language (`problemText(problem, m)`), with no pattern reading English back.
 */
export type ProblemKey = Extract<MessageKey, `cli.send.problem.${string}`>;

export interface Problem {
  readonly key: ProblemKey;
  readonly params: Readonly<Record<string, string | number>>;
}

/** A problem: the key and the values its English text names (typed as `m.t` types them). */
export function problem<K extends ProblemKey>(key: K, ...params: ParamsOf<K>): Problem {
  return { key, params: (params[0] ?? {}) as Problem['params'] };
}

/** The problem as a sentence in `m`'s language (English by default). */
export function problemText(p: Problem, m: Messages = messages()): string {
  return (m.t as (key: MessageKey, params?: Problem['params']) => string)(p.key, p.params);
}
