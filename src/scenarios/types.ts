/**
 * A scenario is data: one lesson about how a mail server can behave, what the lab server will
 * do (deterministically), what the client is told, and the checks a client must pass.
 * Scenario files are YAML with exactly this shape; src/scenarios/load.ts validates them (the
 * readers are read-*.ts, the walk document.ts).
 */

import type { CheckId } from './check-ids.js';
import type { Lang } from '../i18n/lang.js';
import type { TlsMode } from '../protocol/tls.js';
import type { Account, AuthMode } from '../server/backend.js';
import type {
  AuthMechanismName,
  CertificateKind,
  AcceptedCredentials,
  Fault,
  Persona,
  Rule,
} from '../server/vocabulary.js';
import type { CompareMode, Tier } from './vocabulary.js';

// The vocabulary the lab server executes (faults, rules, personas, certificates) is declared by
// the server, which owns it; scenarios name it here so `smtp-lab`'s public types stay where they were.
export type {
  Action,
  AuthMechanismName,
  CertificateKind,
  AcceptedCredentials,
  Fault,
  Persona,
  ReplySpec,
  Rule,
  Trigger,
} from '../server/vocabulary.js';

/** A teaching text in every language; a file that gives one language has it in both. */
export type LocalizedText = Readonly<Record<Lang, string>>;

/** Which TLS the server offers; the one TLS mode of the toolkit (src/protocol/tls.ts). */
export type TlsOffer = TlsMode;
export type { CompareMode, Tier } from './vocabulary.js';

/** What the lab server is: ports, TLS, AUTH, limits and the voice it speaks with. */
export interface ServerBehaviour {
  /** Which TLS the server offers: STARTTLS on the plain port, implicit TLS, or none. */
  tls: TlsOffer;
  /** STARTTLS is required before AUTH and MAIL (530 otherwise), as Gmail on 587. */
  requireTls: boolean;
  auth: AuthMode;
  /** The AUTH mechanisms offered in EHLO and accepted (default PLAIN, LOGIN, CRAM-MD5). */
  authMechanisms: AuthMechanismName[];
  accounts: Account[];
  /**
   * Whose credentials AUTH accepts: `any` (the dialogue is the lesson; students hard-code their
   * own account) or `accounts` (only these; the default for a provider persona).
   */
  credentials: AcceptedCredentials;
  /** SIZE limit in bytes. */
  maxSize: number;
  /** Greeting, EHLO keywords and reply texts of a real provider (src/server/personas.ts). */
  persona: Persona;
  /** The certificate the server presents. */
  certificate: CertificateKind;
  /** EHLO keywords to leave out of the EHLO reply (e.g. STARTTLS, PIPELINING). */
  hideExtensions: string[];
  /** Refuse at end of DATA a message without a From: header (550), as QQ and Gmail do. */
  requireFromHeader: boolean;
  /** 451 to the first attempt of each (sender, recipient) pair; accepted on a retry after this long. */
  greylistMs: number | undefined;
}

/** What the client under test is told (as environment variables when graded). */
export interface ClientBrief {
  from: string;
  to: string[];
  tls: TlsOffer;
  /** Give SMTP_USER and SMTP_PASS. */
  auth: boolean;
  subject: string | undefined;
  body: string | undefined;
  /** Path (relative to the scenario file) of an image to give as IMAGE_FILE. */
  image: string | undefined;
}

export interface CheckSpec {
  /** A check id from the rubric vocabulary (check-ids.ts; ARCHITECTURE.md), e.g. `waits-for-greeting`. */
  id: CheckId;
  points: number;
  tier: Tier;
  /** Shown with a failed check (English, or the only language the file gives). */
  hint: string | undefined;
  /** The hint per language, when the file gives `hint: { en: ..., zh-CN: ... }`. */
  hints?: LocalizedText;
}

/**
 * What the reference client does under this scenario (`reference:` in the file, `expect:` in
 * files written before 0.2): the documented outcome the catalogue tests assert, and what the
 * grader takes as the right outcome.
 */
export interface ReferenceOutcome {
  /** Messages stored by the end. */
  delivered: number;
  /** The phase where a correct client stops, when failure is the lesson. */
  failsAt: string | undefined;
  /** The reply code a correct client ends up reporting, when failure is the lesson. */
  code: number | undefined;
}

export interface Scenario {
  id: string;
  title: string;
  /** The lesson, in about two sentences (English, or the only language the file gives). */
  lesson: string;
  /**
   * Title and lesson per language, when the file gives either as `{ en: ..., zh-CN: ... }`;
   * read them with scenarioTitle / scenarioLesson (src/scenarios/localized.ts).
   */
  localized?: { title: LocalizedText; lesson: LocalizedText };
  server: ServerBehaviour;
  rules: Rule[];
  faults: Fault[];
  /** Seed for faults with a chance; without one, no fault may use chance. */
  seed: number | undefined;
  client: ClientBrief;
  checks: CheckSpec[];
  reference: ReferenceOutcome;
  /**
   * A reference transcript (`smtp-lab record`) the `matches-reference` check compares a run with;
   * relative to the scenario file as written, absolute once loaded from a file.
   */
  expectedTranscript?: string | undefined;
  /** What matches-reference compares (default `exchange`). */
  compare?: CompareMode | undefined;
  /** Where the scenario came from: a built-in id or a file path. */
  source: string;
}
