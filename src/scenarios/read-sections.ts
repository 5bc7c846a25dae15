/**
 * The readers of the scenario's parts that say who is who: the lab server (`server:`), what the
 * client under test is told (`client:`, derived from `server:` where the file says nothing) and
 * what the reference client does (`reference:`, formerly `expect:`). The checks: read-checks.ts.
 */
import { PHASES } from '../protocol/phases.js';
import { DEFAULT_ACCOUNT, DEFAULT_RECIPIENT } from '../protocol/defaults.js';
import {
  AUTH_MECHANISMS,
  AUTH_MODES,
  CERTIFICATES,
  CREDENTIALS,
  PERSONAS,
  TLS_OFFERS,
  type AuthMechanismName,
} from '../server/vocabulary.js';
import type { Checker, Field } from './checker.js';
import { phrase } from './phrase.js';
import { DELAY, listOf, ms, REPLY_CODE, size, word } from './read-values.js';
import type { ClientBrief, ReferenceOutcome, ServerBehaviour } from './types.js';
import {
  ACCOUNT_KEYS,
  CLIENT_KEYS,
  DEFAULT_GREYLIST_MS,
  DEFAULT_MAX_SIZE,
  GREYLIST_KEYS,
  REFERENCE_KEYS,
  SERVER_KEYS,
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
      c.fail(requireTlsAt, phrase('scenario.server.requireTlsNoTls'));
    } else {
      // require-tls: true came from the scenario this one extends.
      c.fail(m.get('tls')!, phrase('scenario.server.noTlsRequired'));
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
  const expected = phrase('scenario.expect.mechanisms', { mechanisms: AUTH_MECHANISMS.join(', ') });
  const items = c.list(f, expected);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.fail(f, phrase('scenario.server.noMechanisms', { expected }));
    return undefined;
  }
  const out: AuthMechanismName[] = [];
  for (const item of items) {
    const v = word(c, item, /^[A-Za-z0-9-]+$/, expected);
    if (v === undefined) continue;
    const known = AUTH_MECHANISMS.find((name) => name === v);
    if (known === undefined) {
      c.fail(item, phrase('scenario.server.mechanismUnknown', { value: JSON.stringify(v), expected }));
      continue;
    }
    out.push(known);
  }
  return out.length === items.length ? out : undefined;
}

function readAccounts(c: Checker, f: Field): ServerBehaviour['accounts'] | undefined {
  const items = c.list(f, phrase('scenario.expect.accounts'));
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.fail(f, phrase('scenario.server.noAccounts'));
    return undefined;
  }
  const out: ServerBehaviour['accounts'] = [];
  for (const item of items) {
    const m = c.map(item, ACCOUNT_KEYS, phrase('scenario.expect.account'));
    if (m === undefined) continue;
    const nonEmpty = phrase('scenario.expect.nonEmptyString');
    const user = m.required('user', (x) => c.string(x, { nonEmpty: true }), nonEmpty);
    const pass = m.required('pass', (x) => c.string(x, { nonEmpty: true }), nonEmpty);
    if (user !== undefined && pass !== undefined) out.push({ user, pass });
  }
  return out;
}

function readGreylist(c: Checker, f: Field): number | undefined {
  const expected = phrase('scenario.expect.greylist');
  const v = c.scalar(f);
  if (typeof v === 'boolean') return v ? DEFAULT_GREYLIST_MS : undefined;
  if (f.node === null || typeof v !== 'undefined') {
    const value = v === undefined ? phrase('scenario.value.nothing') : JSON.stringify(v);
    c.fail(f, phrase('scenario.server.notGreylist', { value, expected }));
    return undefined;
  }
  const m = c.map(f, GREYLIST_KEYS, expected);
  if (m === undefined) return undefined;
  return (
    m.optional('retry-after-ms', (x) => c.number(x, { ...DELAY, expected: ms('scenario.expect.ms') })) ??
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
    m.optional('from', (x) => c.string(x, { nonEmpty: true, expected: phrase('scenario.expect.address') })) ??
    client.from;
  client.to =
    m.optional('to', (x) => {
      const expected = phrase('scenario.expect.addresses');
      if (x.node !== null && typeof c.scalar(x) === 'string') {
        const one = c.string(x, { nonEmpty: true, expected });
        return one === undefined ? undefined : [one];
      }
      const items = c.list(x, expected);
      if (items === undefined) return undefined;
      if (items.length === 0) {
        c.fail(x, phrase('scenario.emptyList', { expected }));
        return undefined;
      }
      const address = phrase('scenario.expect.address');
      const all = items.map((item) => c.string(item, { nonEmpty: true, expected: address }));
      return all.every((a) => a !== undefined) ? (all as string[]) : undefined;
    }) ?? client.to;
  client.tls = m.optional('tls', (x) => c.oneOf(x, TLS_OFFERS)) ?? client.tls;
  client.auth = m.optional('auth', (x) => c.boolean(x)) ?? client.auth;
  client.subject = m.optional('subject', (x) => c.string(x)) ?? client.subject;
  client.body = m.optional('body', (x) => c.string(x)) ?? client.body;
  client.image =
    m.optional('image', (x) =>
      c.string(x, { nonEmpty: true, expected: phrase('scenario.expect.filePath') }),
    ) ?? client.image;
  return { client, imageField: m.get('image') };
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
