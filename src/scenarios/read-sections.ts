/**
 * The readers of the scenario's parts that say who is who: the lab server (`server:`), what the
 * client under test is told (`client:`, derived from `server:` where the file says nothing), the
 * checks (`checks:`, with the `baseline` preset) and what the reference client does (`reference:`,
 * formerly `expect:`).
 */
import { PHASES } from '../protocol/phases.js';
import { DEFAULT_ACCOUNT, DEFAULT_RECIPIENT } from '../server/defaults.js';
import {
  AUTH_MECHANISMS,
  AUTH_MODES,
  CERTIFICATES,
  CREDENTIALS,
  PERSONAS,
  TLS_OFFERS,
  type AuthMechanismName,
} from '../server/vocabulary.js';
import { isMap, isScalar } from 'yaml';
import type { Checker, Field } from './checker.js';
import type { CheckId } from './check-ids.js';
import { readLocalized } from './localized.js';
import { didYouMean } from './suggest.js';
import { checkId, DELAY, listOf, ms, REPLY_CODE, size, word } from './read-values.js';
import type { CheckSpec, ClientBrief, ReferenceOutcome, ServerBehaviour } from './types.js';
import {
  ACCOUNT_KEYS,
  BASELINE_CHECKS,
  BASELINE_POINTS,
  BASELINE_PRESET,
  type BaselineCheckId,
  CHECK_KEYS,
  CLIENT_KEYS,
  DEFAULT_GREYLIST_MS,
  DEFAULT_MAX_SIZE,
  GREYLIST_KEYS,
  MAX_POINTS,
  PLACED_BEFORE,
  PRESET_KEYS,
  REFERENCE_KEYS,
  SERVER_KEYS,
  TIERS,
} from './vocabulary.js';

export function defaultServer(): ServerBehaviour {
  return {
    tls: 'starttls',
    requireTls: false,
    auth: 'optional',
    authMechanisms: [...AUTH_MECHANISMS],
    accounts: [{ ...DEFAULT_ACCOUNT }],
    maxSize: DEFAULT_MAX_SIZE,
    persona: 'default',
    certificate: 'valid',
    hideExtensions: [],
    requireFromHeader: false,
    greylistMs: undefined,
    credentials: 'any',
  };
}

/**
 * `server:` over `base` (the defaults, or the server of the scenario this one extends): the keys
 * the file writes replace the base's. Returns the server and the keys written.
 */
export function readServer(
  c: Checker,
  f: Field | undefined,
  base: ServerBehaviour = defaultServer(),
): { server: ServerBehaviour; written: ReadonlySet<string> } {
  const server = structuredClone(base);
  if (f === undefined) return { server, written: new Set() };
  const m = c.map(f, SERVER_KEYS);
  if (m === undefined) return { server, written: new Set() };
  const tls = m.optional('tls', (x) => c.oneOf(x, TLS_OFFERS));
  if (tls !== undefined) server.tls = tls;
  const requireTls = m.optional('require-tls', (x) => c.boolean(x));
  if (requireTls !== undefined) server.requireTls = requireTls;
  if (server.requireTls && server.tls === 'none') {
    const requireTlsAt = m.get('require-tls');
    if (requireTlsAt !== undefined) {
      c.fail(requireTlsAt, 'true, but the server offers no TLS (expected server.tls: starttls or implicit)');
    } else {
      // require-tls: true came from the scenario this one extends.
      c.fail(
        m.get('tls')!,
        'none, but the scenario extended requires TLS (expected starttls or implicit, or require-tls: false here)',
      );
    }
  }
  const auth = m.optional('auth', (x) => c.oneOf(x, AUTH_MODES));
  if (auth !== undefined) server.auth = auth;
  const mechanisms = m.optional('auth-mechanisms', (x) => readMechanisms(c, x));
  if (mechanisms !== undefined) server.authMechanisms = mechanisms;
  const accounts = m.optional('accounts', (x) => readAccounts(c, x));
  if (accounts !== undefined) server.accounts = accounts;
  const maxSize = m.optional('max-size', (x) => size(c, x));
  if (maxSize !== undefined) server.maxSize = maxSize;
  const persona = m.optional('persona', (x) => c.oneOf(x, PERSONAS));
  if (persona !== undefined) server.persona = persona;
  const certificate = m.optional('certificate', (x) => c.oneOf(x, CERTIFICATES));
  if (certificate !== undefined) server.certificate = certificate;
  const hide = m.optional('hide-extensions', (x) =>
    listOf(c, x, 'a list of EHLO keywords, like [STARTTLS, PIPELINING]', (item) =>
      word(c, item, /^[A-Za-z0-9][A-Za-z0-9-]*$/, 'an EHLO keyword, like STARTTLS or 8BITMIME'),
    ),
  );
  if (hide !== undefined) server.hideExtensions = hide;
  const requireFrom = m.optional('require-from-header', (x) => c.boolean(x));
  if (requireFrom !== undefined) server.requireFromHeader = requireFrom;
  // `greylist: false` turns off a greylist the scenario extended has.
  if (m.has('greylist')) server.greylistMs = m.optional('greylist', (x) => readGreylist(c, x));
  const credentials = m.optional('credentials', (x) => c.oneOf(x, CREDENTIALS));
  if (credentials !== undefined) server.credentials = credentials;
  // A provider persona keeps its own rules: only its account logs in, unless the file says otherwise.
  else if (m.has('persona')) {
    server.credentials = server.persona === 'default' ? 'any' : 'accounts';
  }
  return { server, written: new Set(m.keys()) };
}

function readMechanisms(c: Checker, f: Field): AuthMechanismName[] | undefined {
  const expected = `a non-empty list of AUTH mechanisms from: ${AUTH_MECHANISMS.join(', ')}`;
  const items = c.list(f, expected);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.fail(f, `is an empty list (expected ${expected}; use auth: off for no AUTH)`);
    return undefined;
  }
  const out: AuthMechanismName[] = [];
  for (const item of items) {
    const v = word(c, item, /^[A-Za-z0-9-]+$/, expected);
    if (v === undefined) continue;
    const known = AUTH_MECHANISMS.find((name) => name === v);
    if (known === undefined) {
      c.fail(item, `${JSON.stringify(v)} is not offered by the lab server (expected ${expected})`);
      continue;
    }
    out.push(known);
  }
  return out.length === items.length ? out : undefined;
}

function readAccounts(c: Checker, f: Field): ServerBehaviour['accounts'] | undefined {
  const items = c.list(f, 'a list of accounts, like [{user: a@b.test, pass: secret}]');
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.fail(f, 'is an empty list (expected at least one account {user, pass})');
    return undefined;
  }
  const out: ServerBehaviour['accounts'] = [];
  for (const item of items) {
    const m = c.map(item, ACCOUNT_KEYS, 'a mapping {user, pass}');
    if (m === undefined) continue;
    const user = m.required('user', (x) => c.string(x, { nonEmpty: true }), 'a non-empty string');
    const pass = m.required('pass', (x) => c.string(x, { nonEmpty: true }), 'a non-empty string');
    if (user !== undefined && pass !== undefined) out.push({ user, pass });
  }
  return out;
}

function readGreylist(c: Checker, f: Field): number | undefined {
  const expected = 'true, false, or {retry-after-ms: N}';
  const v = c.scalar(f);
  if (typeof v === 'boolean') return v ? DEFAULT_GREYLIST_MS : undefined;
  if (f.node === null || typeof v !== 'undefined') {
    c.fail(
      f,
      `${v === undefined ? 'nothing' : JSON.stringify(v)} is not a greylist setting (expected ${expected})`,
    );
    return undefined;
  }
  const m = c.map(f, GREYLIST_KEYS, expected);
  if (m === undefined) return undefined;
  return (
    m.optional('retry-after-ms', (x) => c.number(x, { ...DELAY, expected: ms('milliseconds') })) ??
    DEFAULT_GREYLIST_MS
  );
}

/**
 * `client:`. What the file does not write is derived from `server`: `from` the first account's
 * address (the built-in account unless the file lists accounts), `to` the lab's recipient, `tls`
 * the TLS the server offers, `auth` whether it requires AUTH. With `base` (the client of the
 * scenario this one extends) the base's values stand instead, except where this file writes the
 * server key one follows from (`tls`, `auth`, `accounts`: in `serverWritten`).
 */
export function readClient(
  c: Checker,
  f: Field | undefined,
  server: ServerBehaviour,
  base?: { client: ClientBrief; serverWritten: ReadonlySet<string> },
): { client: ClientBrief; imageField: Field | undefined } {
  const derived: ClientBrief = {
    from: server.accounts[0]?.user ?? DEFAULT_ACCOUNT.user,
    to: [DEFAULT_RECIPIENT],
    tls: server.tls,
    auth: server.auth === 'required',
    subject: undefined,
    body: undefined,
    image: undefined,
  };
  const again = base?.serverWritten;
  const client: ClientBrief =
    base === undefined || again === undefined
      ? derived
      : {
          ...structuredClone(base.client),
          ...(again.has('accounts') ? { from: derived.from } : {}),
          ...(again.has('tls') ? { tls: derived.tls } : {}),
          ...(again.has('auth') ? { auth: derived.auth } : {}),
        };
  if (f === undefined) return { client, imageField: undefined };
  const m = c.map(f, CLIENT_KEYS);
  if (m === undefined) return { client, imageField: undefined };
  client.from =
    m.optional('from', (x) => c.string(x, { nonEmpty: true, expected: 'an address' })) ?? client.from;
  client.to =
    m.optional('to', (x) => {
      const expected = 'an address, or a non-empty list of addresses';
      if (x.node !== null && typeof c.scalar(x) === 'string') {
        const one = c.string(x, { nonEmpty: true, expected });
        return one === undefined ? undefined : [one];
      }
      const items = c.list(x, expected);
      if (items === undefined) return undefined;
      if (items.length === 0) {
        c.fail(x, `is an empty list (expected ${expected})`);
        return undefined;
      }
      const all = items.map((item) => c.string(item, { nonEmpty: true, expected: 'an address' }));
      return all.every((a) => a !== undefined) ? (all as string[]) : undefined;
    }) ?? client.to;
  client.tls = m.optional('tls', (x) => c.oneOf(x, TLS_OFFERS)) ?? client.tls;
  client.auth = m.optional('auth', (x) => c.boolean(x)) ?? client.auth;
  client.subject = m.optional('subject', (x) => c.string(x)) ?? client.subject;
  client.body = m.optional('body', (x) => c.string(x)) ?? client.body;
  client.image =
    m.optional('image', (x) =>
      c.string(x, { nonEmpty: true, expected: 'a file path relative to the scenario file' }),
    ) ?? client.image;
  return { client, imageField: m.get('image') };
}

const CHECKS_EXPECTED = 'a non-empty list of checks, each with an id and points';
const PRESET_EXPECTED = `${BASELINE_PRESET}, or ${BASELINE_PRESET}: { except: [baseline check ids] }`;

/** The `baseline` entry of a checks list: which baseline checks it leaves out, and where that is said. */
interface Preset {
  except: Map<CheckId, number>;
}

/** `- baseline`, or `- baseline: { except: [...] }`; undefined for any other item. */
function isPresetItem(c: Checker, item: Field): boolean {
  if (item.node === null) return false;
  if (isScalar(item.node)) return c.scalar(item) === BASELINE_PRESET;
  return (
    isMap(item.node) &&
    item.node.items.some((pair) => isScalar(pair.key) && pair.key.value === BASELINE_PRESET)
  );
}

function readPreset(c: Checker, item: Field): Preset | undefined {
  const preset: Preset = { except: new Map() };
  if (isScalar(item.node)) return preset;
  const m = c.map(item, [BASELINE_PRESET], PRESET_EXPECTED);
  const options = m?.get(BASELINE_PRESET);
  if (options === undefined) return undefined;
  const o = c.map(options, PRESET_KEYS, `{ except: [baseline check ids] }`);
  const except = o?.get('except');
  if (except === undefined) return preset;
  const expected = `a list of baseline checks to leave out, from: ${BASELINE_CHECKS.join(', ')}`;
  const ids = listOf(c, except, expected, (x) => {
    const id = checkId(c, x);
    if (id === undefined) return undefined;
    if (!isBaseline(id)) {
      c.fail(x, `${JSON.stringify(id)} is not in ${BASELINE_PRESET} (expected ${expected})`);
      return undefined;
    }
    preset.except.set(id, c.lineOf(x.offset));
    return id;
  });
  return ids === undefined ? undefined : preset;
}

/**
 * `checks:`: a list of checks `{id, points, tier, hint}`, and optionally the preset `baseline`
 * (or `baseline: { except: [...] }`) standing for the baseline checks (vocabulary.ts
 * BASELINE_CHECKS, one point each, tier baseline, no hint), wherever it is written in the list.
 * In a file that extends another, the other's checks are the base instead (`inherited`). With a
 * base, an entry for a check the base holds changes it where it stands (points, tier and hint as
 * given; `points` may be left out); any other check is placed before the baseline check
 * PLACED_BEFORE names (or the next one the base has), in the order the file gives, so reports
 * list checks in the order a session meets them. Without one, the list is what the file gives.
 */
export function readChecks(c: Checker, f: Field, inherited?: readonly CheckSpec[]): CheckSpec[] | undefined {
  const items = c.list(f, CHECKS_EXPECTED);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.fail(f, `is an empty list (expected ${CHECKS_EXPECTED})`);
    return undefined;
  }
  const presetItems = items.filter((item) => isPresetItem(c, item));
  for (const extra of presetItems.slice(1)) {
    c.fail(extra, `${BASELINE_PRESET} is already in this list (expected it once)`);
  }
  if (inherited !== undefined && presetItems[0] !== undefined) {
    c.fail(
      presetItems[0],
      `${BASELINE_PRESET} in a file that extends another (expected only checks that change or add to the checks it inherits)`,
    );
  }
  const preset =
    inherited === undefined && presetItems[0] !== undefined ? readPreset(c, presetItems[0]) : undefined;
  const base: readonly CheckSpec[] | undefined =
    inherited ??
    (preset === undefined
      ? undefined
      : BASELINE_CHECKS.filter((id) => !preset.except.has(id)).map((id) => ({
          id,
          points: BASELINE_POINTS,
          tier: 'baseline' as const,
          hint: undefined,
        })));
  const seen = new Map<string, number>();
  const written: CheckSpec[] = [];
  for (const item of items) {
    if (isPresetItem(c, item)) continue;
    if (item.node !== null && isScalar(item.node) && typeof c.scalar(item) === 'string') {
      const hint = didYouMean(String(c.scalar(item)), [BASELINE_PRESET]);
      c.fail(
        item,
        `${JSON.stringify(c.scalar(item))} is not a check${hint ? `, ${hint}` : ''} (expected a check {id, points, tier, hint}, or ${BASELINE_PRESET} for the baseline checks)`,
      );
      continue;
    }
    const m = c.map(item, CHECK_KEYS, 'a check {id, points, tier, hint}');
    if (m === undefined) continue;
    const id = m.required('id', (x) => checkId(c, x), 'a check id from the rubric, like reads-whole-replies');
    if (id !== undefined) {
      const idField = m.get('id')!;
      const first = seen.get(id);
      const leftOut = preset?.except.get(id);
      if (first !== undefined) {
        c.fail(
          idField,
          `duplicate check id ${JSON.stringify(id)}, first used on line ${first} (expected each check once)`,
        );
      } else if (leftOut !== undefined) {
        c.fail(
          idField,
          `${JSON.stringify(id)} is left out of ${BASELINE_PRESET} on line ${leftOut} (expected either; to change its points, keep it in ${BASELINE_PRESET})`,
        );
      } else {
        seen.set(id, c.lineOf(idField.offset));
      }
    }
    const readPoints = (x: Field) => c.number(x, { min: 0, max: MAX_POINTS });
    const given = id === undefined ? undefined : base?.find((check) => check.id === id);
    const points =
      given !== undefined
        ? (m.optional('points', readPoints) ?? (m.has('points') ? undefined : given.points))
        : m.required('points', readPoints, `a number from 0 to ${MAX_POINTS}`);
    const tier = m.optional('tier', (x) => c.oneOf(x, TIERS)) ?? given?.tier ?? 'baseline';
    const hints = m.optional('hint', (x) => readLocalized(c, x));
    if (id !== undefined && points !== undefined && !preset?.except.has(id)) {
      const hint =
        hints === undefined
          ? { hint: given?.hint, ...(given?.hints ? { hints: given.hints } : {}) }
          : { hint: hints.text, ...(hints.byLang ? { hints: hints.byLang } : {}) };
      written.push({ id, points, tier, ...hint });
    }
  }
  return base === undefined ? written : placeAmong(written, base);
}

function isBaseline(id: CheckId): id is BaselineCheckId {
  return BASELINE_CHECKS.some((b) => b === id);
}

/**
 * The base's checks with the file's changes, and the file's other checks placed among them: each
 * before the baseline check it belongs before (PLACED_BEFORE; for a baseline check, the one after
 * it), or the next such check the base has; last when there is none.
 */
function placeAmong(written: CheckSpec[], base: readonly CheckSpec[]): CheckSpec[] {
  const has = new Set<CheckId>(base.map((check) => check.id));
  const anchor = (id: CheckId): CheckId | undefined => {
    const own = isBaseline(id)
      ? (BASELINE_CHECKS[BASELINE_CHECKS.indexOf(id) + 1] ?? 'last')
      : PLACED_BEFORE[id];
    if (own === 'last') return undefined;
    return BASELINE_CHECKS.slice(BASELINE_CHECKS.indexOf(own)).find((b) => has.has(b));
  };
  const extras = written.filter((check) => !has.has(check.id));
  const out: CheckSpec[] = [];
  for (const check of base) {
    out.push(...extras.filter((extra) => anchor(extra.id) === check.id));
    out.push(written.find((w) => w.id === check.id) ?? check);
  }
  out.push(...extras.filter((extra) => anchor(extra.id) === undefined));
  return out;
}

/** `reference:` (formerly `expect:`): what the reference client does under the scenario. */
export function readReference(c: Checker, f: Field | undefined): ReferenceOutcome {
  const reference: ReferenceOutcome = { delivered: 1, failsAt: undefined, code: undefined };
  if (f === undefined) return reference;
  const m = c.map(f, REFERENCE_KEYS);
  if (m === undefined) return reference;
  reference.failsAt = m.optional('fails-at', (x) => c.oneOf(x, PHASES));
  reference.code = m.optional('code', (x) => c.number(x, REPLY_CODE));
  reference.delivered =
    m.optional('delivered', (x) => c.number(x, { integer: true, min: 0 })) ?? (m.has('fails-at') ? 0 : 1);
  return reference;
}
