import { RE2JS } from 're2js';
import type { ReplySpec, Rule } from './vocabulary.js';

/**
 * A rule's `match` / `not-match` pattern: a regular expression in RE2 syntax (re2js), matched
 * case-insensitively anywhere in the value unless anchored with ^ and $. RE2 runs in time linear
 * in the input whatever the pattern, so no scenario can stall the server with a catastrophic
 * expression such as (a+)+$; the price is no lookaround and no backreferences.
 * @throws re2js's RE2JSSyntaxException for a pattern RE2 does not accept.
 */
export function compilePattern(source: string): (value: string) => boolean {
  const pattern = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  return (value) => pattern.matcher(value).find();
}

/**
 * The meaning-level rules of a run, applied in smtp-server's hooks: which MAIL, RCPT, AUTH and
 * end-of-DATA get which reply, greylisting, "fail the Nth message". Counts and the greylist span
 * every connection of the run, so a retry in a new connection sees what the first one did.
 */
export class RuleBook {
  private readonly counts = new Map<Rule, number>();
  private readonly greylist = new Map<string, number>();
  private readonly matchers = new Map<Rule, (value: string) => boolean>();

  constructor(
    private readonly rules: readonly Rule[] = [],
    private readonly greylistMs?: number,
    private readonly now: () => number = Date.now,
  ) {
    for (const rule of rules) {
      const match = rule.match === undefined ? undefined : compilePattern(rule.match);
      const notMatch = rule.notMatch === undefined ? undefined : compilePattern(rule.notMatch);
      this.matchers.set(rule, (value) => (!match || match(value)) && !notMatch?.(value));
    }
  }

  /** The reply a rule gives to this command, or undefined to let the server decide. */
  check(when: Rule['when'], value: string): ReplySpec | undefined {
    for (const rule of this.rules) {
      if (rule.when !== when) continue;
      if (!this.matchers.get(rule)!(value)) continue;
      const count = (this.counts.get(rule) ?? 0) + 1;
      this.counts.set(rule, count);
      if (rule.nth !== undefined && rule.nth !== count) continue;
      return rule.reply;
    }
    return undefined;
  }

  /** 451 to the first attempt of a (sender, recipient) pair, until the retry wait has passed. */
  greylisted(from: string, to: string): ReplySpec | undefined {
    if (this.greylistMs === undefined) return undefined;
    const key = `${from.toLowerCase()} ${to.toLowerCase()}`;
    const first = this.greylist.get(key);
    const now = this.now();
    if (first === undefined) this.greylist.set(key, now);
    if (first !== undefined && now - first >= this.greylistMs) return undefined;
    const seconds = Math.max(1, Math.ceil(this.greylistMs / 1000));
    return { code: 451, text: `4.7.1 Greylisted: please try again in ${seconds} s` };
  }
}
