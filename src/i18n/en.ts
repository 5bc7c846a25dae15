/**
 * The English message catalogue: the reference every other language must match key for key and
 * placeholder for placeholder. Whole sentences with named `{placeholders}`; never fragments that
 * code glues together. Keys are `area.what`, grouped by the module that prints them.
 */
import * as checks from './areas/checks.js';
import * as cli from './areas/cli.js';
import * as grader from './areas/grader.js';
import * as scenarios from './areas/scenarios.js';
import * as server from './areas/server.js';
import * as web from './areas/web.js';

const core = {
  // src/cli/lang.ts: the global --lang option
  'cli.lang.unknown': '{source} {value} is not a language (expected one of: {langs})',

  // src/protocol/codes.ts: what a client does next
  'next.continue': 'continue',
  'next.retry-later': 'retry later with the same message',
  'next.fix-command': 'fix the command and send it again',
  'next.skip-recipient': 'give up on this recipient, continue with the others',
  'next.give-up': 'give up',

  // src/protocol/codes.ts: explanations built from a code's digits
  'explain.digits.undefinedName': 'undefined',
  'explain.digits.firstUndefined': 'Not a reply class defined by RFC 5321.',
  'explain.digits.secondUndefined': 'RFC 5321 defines second digits 0 to 5 only.',
  'explain.unlisted.name': 'Unlisted {first} reply',
  'explain.unlisted.nameWithCategory': 'Unlisted {first} reply ({second})',
  'explain.unlisted.meaning':
    '{code} is not a standard reply code; by its digits: {firstMeaning} Category: {secondMeaning}',
  'explain.subject.unknownName': 'unknown subject',
  'explain.subject.unknownMeaning': 'RFC 3463 defines subjects 0 to 7 only.',
  'explain.enhanced.unlistedName': 'Unlisted {cls} ({subject})',
  'explain.enhanced.unlistedMeaning':
    '{code} is not in the catalogue; by its class and subject: {clsMeaning}',
  'explain.enhanced.classAdvice': '{cls}: {clsMeaning}',
  'explain.note.classMismatch':
    'The enhanced class {cls} does not match reply {code}: RFC 3463 §2 requires the same class; the basic code governs.',
  'explain.title.both': '{reply}: {enhanced}',
  'explain.advice.intermediate': 'The server waits for the rest of the request: send it.',
  'explain.advice.success': 'The request succeeded: go on with the session.',
  'explain.advice.transient': 'A temporary failure: try the same request again later.',
  'explain.advice.syntax': 'A syntax-class error: check what the client sent.',
  'explain.advice.permanent': 'A permanent failure: do not repeat the same request unchanged.',

  // src/protocol/codes.ts: a code that cannot be explained
  'explain.error.notACode': '{input} is not a reply code: {reason}',
  'explain.error.notACodeShort': '{input} is not a reply code',
  'explain.error.expected':
    'expected a basic reply code (200-599, e.g. 550), an enhanced status code (e.g. 5.1.1) or both ("550 5.1.1")',
  'explain.error.integer': 'a reply code is an integer from 200 to 599',
  'explain.error.range': 'a reply code is from 200 to 599 (RFC 5321 §4.2.1)',
  'explain.error.enhancedSyntax':
    'an enhanced status code is CLASS.SUBJECT.DETAIL: class 2, 4 or 5, subject and detail of one to three digits (RFC 3463 §2)',

  // src/cli/explain-format.ts: formatExplanation, the terminal layout
  'explain.label.meaning': 'meaning',
  'explain.label.appears': 'appears',
  'explain.label.digits': 'digits',
  'explain.label.class': 'class',
  'explain.label.subject': 'subject',
  'explain.heading.reply': 'Reply {code}',
  'explain.heading.enhanced': 'Enhanced {code}',
  'explain.headingLine': '{what}: {name} {ref}',
  'explain.ref': '({ref})',
  'explain.digitsLine': '{d1}xx {first}; x{d2}x {second}; xx{d3} {third} ({ref})',
  'explain.partLine': '{value} {name}: {meaning}',
  'explain.next': 'Next:',
  'explain.nextLine': '{label} {step}',
  'explain.note': 'note: {note}',
  'explain.sources': 'Sources: {refs}',

  // src/cli/scenarios.ts
  'scenarios.footer': '{count} scenarios. Run one with: smtp-lab lab <id>',

  // src/cli/checks.ts
  'checks.row': '{id}  {title} ({tier})',
  'checks.tier.baseline': 'baseline',
  'checks.tier.robustness': 'robustness',
  'checks.tier.optional': 'optional',
  'checks.judges': 'judges {what}',
  'checks.footer':
    '{count} checks. A scenario lists the ones it grades under checks: (id, points, tier, hint).',
} as const;

/** Every message: the core above and one area file per part of the program (src/i18n/areas/). */
export const en = {
  ...core,
  ...checks.en,
  ...cli.en,
  ...grader.en,
  ...scenarios.en,
  ...server.en,
  ...web.en,
} as const;

/** The keys of each part, for the test that no two parts share a key. */
export const AREA_KEYS: readonly (readonly string[])[] = [
  core,
  checks.en,
  cli.en,
  grader.en,
  scenarios.en,
  server.en,
  web.en,
].map((o) => Object.keys(o));

/** A message's key. */
export type MessageKey = keyof typeof en;

/** A catalogue: every key of the English reference, each a whole sentence in one language. */
export type Catalogue = { readonly [K in MessageKey]: string };
