/**
 * The JSON Schema of a scenario file, built from the same word lists the loader reads
 * (src/server/vocabulary.ts, vocabulary.ts, check-ids.ts, PHASES), so an editor that knows
 * yaml-language-server completes and checks a scenario as the instructor types.
 * scripts/gen-schema.mjs writes it to scenarios/scenario.schema.json on `npm run build`;
 * test/scenarios/json-schema.test.ts fails when the shipped file is not what this returns.
 *
 * The loader stays the authority: it reports what a schema cannot say (a check outside the
 * preset needs points, a chance needs a seed, id equals the file name, a pattern compiles as
 * RE2, an image exists) and says everything with a line and a column.
 */
import { PHASES } from '../protocol/phases.js';
import {
  ACTION_KEYS,
  ACTION_WORDS,
  AUTH_MECHANISMS,
  AUTH_MODES,
  CERTIFICATES,
  CLOSE_HOW,
  CREDENTIALS,
  PERSONAS,
  RULE_WHEN,
  TLS_OFFERS,
  TRIGGER_KEYS,
  TRIGGER_WORDS,
  type ActionKey,
  type TriggerKey,
} from '../server/vocabulary.js';
import { CHECK_IDS } from './check-ids.js';
import { LANG_KEYS } from './localized.js';
import {
  ACCOUNT_KEYS,
  BASELINE_CHECKS,
  BASELINE_PRESET,
  CHECK_KEYS,
  CLIENT_KEYS,
  COMPARE_MODES,
  MAX_DELAY_MS,
  MAX_PATTERN_LENGTH,
  MAX_POINTS,
  REFERENCE_KEYS,
  SERVER_KEYS,
  TIERS,
  TOP_KEYS,
} from './vocabulary.js';

type Schema = { [key: string]: unknown };

const object = (properties: Record<string, Schema>, keys: readonly string[], extra: Schema = {}): Schema => {
  // Every key the loader allows has a property here, and nothing else is allowed.
  const missing = keys.filter((k) => !(k in properties));
  const unknown = Object.keys(properties).filter((k) => !keys.includes(k));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `schema and loader disagree: missing ${missing.join(', ')}; unknown ${unknown.join(', ')}`,
    );
  }
  return { type: 'object', properties, additionalProperties: false, ...extra };
};
const oneOf = (values: readonly string[], description: string): Schema => ({
  enum: [...values],
  description,
});
const int = (minimum: number, description: string, maximum?: number): Schema => ({
  type: 'integer',
  minimum,
  ...(maximum !== undefined ? { maximum } : {}),
  description,
});
const delay = (description: string) => int(0, description, MAX_DELAY_MS);
const text = (description: string, minLength = 0): Schema => ({
  type: 'string',
  ...(minLength > 0 ? { minLength } : {}),
  description,
});
const line = { type: 'string', pattern: '^[^\\r\\n]*$' };
const lines = { type: 'array', items: line, minItems: 1 };

/** A pattern matching these words (letters, digits, hyphens) in any case: JSON Schema patterns have no flags. */
function anyCase(words: readonly string[]): string {
  const letters = (w: string) =>
    [...w].map((ch) => (/[a-z]/i.test(ch) ? `[${ch.toUpperCase()}${ch.toLowerCase()}]` : ch)).join('');
  return `^(?:${words.map(letters).join('|')})$`;
}

/** A teaching text: one string, or one per language. */
function localized(description: string, minLength = 0): Schema {
  const one = minLength > 0 ? { type: 'string', minLength } : { type: 'string' };
  return {
    description,
    anyOf: [
      one,
      {
        type: 'object',
        properties: Object.fromEntries(LANG_KEYS.map((lang) => [lang, one])),
        additionalProperties: false,
        minProperties: 1,
      },
    ],
  };
}

const reply: Schema = {
  type: 'object',
  properties: {
    code: int(200, 'the reply code', 599),
    text: { description: 'one line, or a list of lines for a multi-line reply', anyOf: [line, lines] },
  },
  required: ['code', 'text'],
  additionalProperties: false,
};

/** One of a list of words, or a mapping with exactly one of a list of keys. */
function wordOrOneKey<K extends string>(
  words: readonly string[],
  keys: readonly K[],
  values: Record<K, Schema>,
  description: string,
): Schema {
  return {
    description,
    anyOf: [{ enum: [...words] }, object(values, keys, { minProperties: 1, maxProperties: 1 })],
  };
}

const TRIGGERS: Record<TriggerKey, Schema> = {
  command: int(1, 'the Nth command of the connection (1 = the first)'),
  verb: { type: 'string', pattern: '^[A-Za-z]+$', description: 'a command verb, like EHLO or RCPT' },
  reply: int(200, 'replies with this code', 599),
  'data-byte': int(0, 'this byte offset into the DATA'),
  'after-ms': delay('milliseconds since connect'),
};

const ACTIONS: Record<ActionKey, Schema> = {
  'delay-ms': delay('hold the reply this many milliseconds'),
  fragment: object(
    { size: int(1, 'bytes per piece'), 'gap-ms': delay('milliseconds between pieces') },
    ['size', 'gap-ms'],
    { required: ['size', 'gap-ms'], description: 'send the reply in pieces' },
  ),
  throttle: int(1, 'bytes per second'),
  replace: { ...reply, description: 'send this reply instead' },
  multiline: { ...lines, description: 'send the reply as these lines' },
  garbage: text('inject this text', 1),
  close: oneOf(CLOSE_HOW, 'close the connection: fin, or rst (a reset)'),
  'reply-and-close': { ...reply, description: 'send this reply, then close' },
};

const check = object(
  {
    id: oneOf(CHECK_IDS, 'a check from the rubric (smtp-lab checks lists them)'),
    points: {
      type: 'number',
      minimum: 0,
      maximum: MAX_POINTS,
      description: 'points (a baseline check: 1 unless given)',
    },
    tier: oneOf(TIERS, 'baseline (default), robustness or optional'),
    hint: localized('shown with a failed check'),
  },
  CHECK_KEYS,
  { required: ['id'] },
);

const preset: Schema = {
  description: `${BASELINE_PRESET}: the baseline checks, one point each, placed where a session meets them`,
  anyOf: [
    { const: BASELINE_PRESET },
    {
      type: 'object',
      properties: {
        [BASELINE_PRESET]: {
          type: 'object',
          properties: {
            except: {
              type: 'array',
              items: { enum: [...BASELINE_CHECKS] },
              description: 'baseline checks to leave out',
            },
          },
          additionalProperties: false,
        },
      },
      required: [BASELINE_PRESET],
      additionalProperties: false,
    },
  ],
};

const reference = (description: string): Schema =>
  object(
    {
      delivered: int(0, 'messages stored by the end (default 1, or 0 with fails-at)'),
      'fails-at': oneOf(PHASES, 'the phase where a correct client stops'),
      code: int(200, 'the reply code a correct client reports', 599),
    },
    REFERENCE_KEYS,
    { description },
  );

/** The JSON Schema (draft-07, what yaml-language-server reads) of a scenario file. */
export function scenarioJsonSchema(): Schema {
  const server = object(
    {
      tls: oneOf(TLS_OFFERS, 'the TLS the server offers (default starttls)'),
      'require-tls': { type: 'boolean', description: 'refuse AUTH and MAIL before STARTTLS' },
      auth: oneOf(AUTH_MODES, 'AUTH before MAIL (default optional)'),
      'auth-mechanisms': {
        type: 'array',
        // Offered upper-case; the loader takes any case, as SMTP does.
        items: {
          anyOf: [{ enum: [...AUTH_MECHANISMS] }, { type: 'string', pattern: anyCase(AUTH_MECHANISMS) }],
        },
        minItems: 1,
        description: 'the AUTH mechanisms offered',
      },
      accounts: {
        type: 'array',
        minItems: 1,
        items: object({ user: text('user name', 1), pass: text('password', 1) }, ACCOUNT_KEYS, {
          required: ['user', 'pass'],
        }),
        description: 'the accounts AUTH accepts (default the built-in one)',
      },
      'max-size': {
        description: 'the SIZE limit: bytes, or a number with K, M or G, like 25M',
        anyOf: [
          { type: 'integer', minimum: 1 },
          { type: 'string', pattern: '^\\s*\\d+(?:\\.\\d+)?\\s*[kKmMgG]?(?:[iI]?[bB])?\\s*$' },
        ],
      },
      persona: oneOf(PERSONAS, 'the voice the server speaks with'),
      certificate: oneOf(CERTIFICATES, 'the certificate the server presents'),
      'hide-extensions': {
        type: 'array',
        items: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]*$' },
        description: 'EHLO keywords to leave out, like STARTTLS',
      },
      'require-from-header': { type: 'boolean', description: 'refuse a message without From: (550)' },
      greylist: {
        description: 'answer 451 to the first attempt: true, or {retry-after-ms: N}',
        anyOf: [
          { type: 'boolean' },
          object({ 'retry-after-ms': delay('how long until a retry is accepted') }, ['retry-after-ms']),
        ],
      },
      credentials: oneOf(CREDENTIALS, 'whose credentials AUTH accepts'),
    },
    SERVER_KEYS,
    { description: 'what the lab server is' },
  );
  const pattern = { type: 'string', maxLength: MAX_PATTERN_LENGTH };
  const rule = object(
    {
      when: oneOf(RULE_WHEN, 'the command the rule answers'),
      match: { ...pattern, description: 'only values matching this RE2 expression' },
      'not-match': { ...pattern, description: 'only values not matching this RE2 expression' },
      nth: int(1, 'only the Nth occurrence in the run'),
      reply: { ...reply, description: 'the reply the command gets' },
    },
    ['when', 'match', 'not-match', 'nth', 'reply'],
    { required: ['when', 'reply'] },
  );
  const fault = object(
    {
      on: wordOrOneKey(TRIGGER_WORDS, TRIGGER_KEYS, TRIGGERS, 'when the fault fires'),
      do: wordOrOneKey(ACTION_WORDS, ACTION_KEYS, ACTIONS, 'what it does'),
      times: int(1, 'how many times in a connection'),
      connections: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 },
      chance: { type: 'number', exclusiveMinimum: 0, maximum: 1, description: 'a probability (needs seed)' },
    },
    ['on', 'do', 'times', 'connections', 'chance'],
    { required: ['on', 'do'] },
  );
  const client = object(
    {
      from: text('the sender address (default the first account)', 1),
      to: {
        description: 'the recipient, or a list',
        anyOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        ],
      },
      tls: oneOf(TLS_OFFERS, 'the TLS the client is told to use (default the server tls)'),
      auth: { type: 'boolean', description: 'give SMTP_USER and SMTP_PASS (default: server auth required)' },
      subject: text('the subject the client is given'),
      body: text('the body the client is given'),
      image: text('an image file relative to this file, given as IMAGE_FILE', 1),
    },
    CLIENT_KEYS,
    { description: 'what the client under test is told; what follows from server is derived' },
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'smtp-lab scenario',
    description:
      'A lab scenario: what the lab server does and how a client is graded (generated; do not edit).',
    ...object(
      {
        id: {
          type: 'string',
          pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
          description: 'the file base name, kebab-case',
        },
        title: localized('the title', 1),
        lesson: localized('the lesson, in about two sentences', 1),
        extends: {
          type: 'string',
          pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
          description:
            'the id of a scenario to build on (next to this file, or built in): what this file does not write, it takes from it',
        },
        server,
        rules: { type: 'array', items: rule, description: 'meaning-level replies' },
        faults: { type: 'array', items: fault, description: 'wire faults' },
        seed: { type: 'integer', description: 'the seed of faults with a chance' },
        client,
        checks: {
          type: 'array',
          minItems: 1,
          items: { anyOf: [preset, check] },
          description: 'the checks and their points; baseline stands for the baseline checks',
        },
        reference: reference('what the reference client does under this scenario'),
        expect: reference('the old spelling of reference'),
        'expected-transcript': text('a transcript from smtp-lab record, relative to this file', 1),
        compare: oneOf(COMPARE_MODES, 'what matches-reference compares (default exchange)'),
      },
      TOP_KEYS,
      // checks, unless inherited; expect is the old spelling of reference: one or the other.
      {
        required: ['id', 'title', 'lesson'],
        anyOf: [{ required: ['checks'] }, { required: ['extends'] }],
        not: { required: ['reference', 'expect'] },
      },
    ),
  };
}
