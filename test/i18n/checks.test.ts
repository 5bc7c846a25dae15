import { describe, expect, it } from 'vitest';
import {
  CHECK_IDS,
  CHECKS,
  checkText,
  evaluateChecks,
  pathIssueText,
  type CheckResult,
  type PathIssue,
  type RunEvidence,
} from '../../src/grader/checks.js';
import { CHECK_TEXT_ZH } from '../../src/grader/checks/zh-CN.js';
import { makeReference } from '../../src/grader/normalise.js';
import type { CheckId } from '../../src/scenarios/check-ids.js';
import { TABLE as ENVELOPE_ROWS } from '../grader/checks/envelope.rows.js';
import {
  c,
  DESYNCED,
  dialogue,
  ex,
  GREETING,
  judge,
  note,
  s,
  scenarioWith,
  sessionOf,
  stored,
  type Row,
  type Step,
} from '../grader/checks/helpers.js';
import { TABLE as MESSAGE_ROWS } from '../grader/checks/message.rows.js';
import { TABLE as SECURITY_ROWS } from '../grader/checks/security.rows.js';
import { TABLE as SESSION_ROWS } from '../grader/checks/session.rows.js';
import * as checksArea from '../../src/i18n/areas/checks.js';
import { messages } from '../../src/i18n/messages.js';

/**
 * Check texts in zh-CN: the typed table gives every check a Chinese title,
 * "judges" line and default hint (a missing id fails the type check; an extra one fails here),
 * English stays the registry's text, and the wire tokens and quoted code survive translation.
 */

const HAN = /\p{Script=Han}/u;
const TOKENS =
  /\b(?:[2-5]\d\d|[2-5]xx|HELO|EHLO|MAIL FROM|RCPT TO|MAIL|RCPT|DATA|QUIT|STARTTLS|AUTH(?: LOGIN| PLAIN)?|CRLF|RFC \d+|MAIL_FROM|RCPT_TO|IMAGE_FILE)\b/g;
/** Quoted code and wire text ("\r\n.\r\n", "221"), kept byte-exact. */
const QUOTED = /"([^"]+)"/g;

function tokens(text: string): string[] {
  return [...new Set(text.match(TOKENS) ?? [])].sort();
}

describe('check texts in Chinese', () => {
  it('cover exactly the registered checks', () => {
    expect(Object.keys(CHECK_TEXT_ZH).sort()).toEqual([...CHECK_IDS].sort());
  });

  it('keep English as the registry has it', () => {
    for (const id of CHECK_IDS) {
      const { title, judges, hint } = CHECKS[id];
      expect(checkText(id)).toEqual({ title, judges, hint });
      expect(checkText(id, 'en')).toEqual({ title, judges, hint });
    }
  });

  it.each([...CHECK_IDS])('%s: Chinese title, judges and hint keeping the tokens and quoted code', (id) => {
    const en = checkText(id, 'en');
    const zh = checkText(id, 'zh-CN');
    for (const field of ['title', 'judges', 'hint'] as const) {
      expect(zh[field], field).toMatch(HAN);
      expect(en[field], field).not.toMatch(HAN);
      expect(tokens(zh[field]), field).toEqual(expect.arrayContaining(tokens(en[field])));
    }
    for (const [, quoted] of en.hint.matchAll(QUOTED)) {
      if (/^[a-z ]+$/.test(quoted!)) continue; // English prose in quotes ("try again later") is translated
      expect(zh.hint).toContain(`"${quoted}"`);
    }
  });
});

/**
 * The judges' reasons in zh-CN: every row the check tests pin, judged in both
 * languages, gives the same ids, verdicts, points and evidence lines; the Chinese reasons, notes
 * and evidence captions carry Chinese and no English sentence is left in them, apart from what the
 * student sent (quoted), protocol tokens and code.
 */

type Case = { id: CheckId; row: Row };

const TABLES = {
  session: SESSION_ROWS,
  envelope: ENVELOPE_ROWS,
  message: MESSAGE_ROWS,
  security: SECURITY_ROWS,
};

const crashed = [
  GREETING,
  ...ex('EHLO me\r\n', '250 ok\r\n'),
  ...ex('MAIL FROM:<a@b.c>\r\n', '250 ok\r\n'),
  note('closed', 'info', 'client-closed'),
];

/** A session that ends with `steps` after the greeting (and the client closing). */
const after = (...steps: Step[]): Step[] => [GREETING, ...steps, note('closed', 'info', 'client-closed')];
const EHLO = ex('EHLO me\r\n', '250-lab.test\r\n250 AUTH LOGIN\r\n');
const HEADERS = 'From: <a@b.c>\r\nTo: <d@e.f>\r\nSubject: hi\r\n\r\n';
const IMAGE = Buffer.from('not the image that was sent');

/**
 * Rows for what the tables do not reach, so that every message a judge can write is judged here
 * in Chinese (the coverage test below lists any that no row produces).
 */
const EXTRA: Record<string, Row[]> = {
  'exits-cleanly': [
    { name: 'crash', sessions: [crashed], client: { exitCode: 1, timedOut: false }, want: 'fail' },
    { name: 'killed', sessions: [crashed], client: { exitCode: null, timedOut: true }, want: 'fail' },
    { name: 'signal', sessions: [crashed], client: { exitCode: null, timedOut: false }, want: 'fail' },
    { name: 'lab', sessions: [dialogue()], want: 'not judged' },
    {
      name: 'exit 0 where the send should fail',
      sessions: [crashed],
      client: { exitCode: 0, timedOut: false },
      scenario: 'expect:\n  fails-at: rcpt\n',
      want: 'fail',
    },
  ],
  greets: [{ name: 'no command', sessions: [after()], want: 'fail' }],
  crlf: [
    {
      name: 'a long line, clipped',
      sessions: [[GREETING, ...ex(`EHLO ${'x'.repeat(300)}\n`, '250 ok\r\n')]],
      want: 'fail',
    },
    { name: 'a bare CR inside', sessions: [after(...ex('EHLO m\re\r\n', '250 ok\r\n'))], want: 'fail' },
    { name: 'no line ending', sessions: [after(c('EHLO me'))], want: 'fail' },
    {
      name: 'a body line with a bare LF',
      sessions: [dialogue({ body: ['Subject: hi\nhello'] })],
      want: 'fail',
    },
    {
      name: 'a body line with a bare CR',
      sessions: [dialogue({ body: ['Subject: hi\rthere'] })],
      want: 'fail',
    },
  ],
  'data-terminator': [
    {
      name: 'a "." line ended by a bare CR',
      sessions: [
        after(
          ...EHLO,
          ...ex('MAIL FROM:<a@b.c>\r\n', '250 ok\r\n'),
          ...ex('RCPT TO:<d@e.f>\r\n', '250 ok\r\n'),
          ...ex('DATA\r\n', '354 go\r\n'),
          c('Subject: hi\r\n\r\nhello\r\n.\r'),
        ),
      ],
      want: 'fail',
    },
  ],
  'waits-for-replies': [
    { name: 'no complete command', sessions: [after(c('EHLO me'))], want: 'fail' },
    {
      name: 'after an AUTH line, before its reply',
      sessions: [
        after(
          ...EHLO,
          ...ex('AUTH LOGIN\r\n', '334 VXNlcm5hbWU6\r\n'),
          c('c3R1ZGVudA==\r\n'),
          c('cGFzcw==\r\n'),
          s('334 UGFzc3dvcmQ6\r\n'),
        ),
      ],
      want: 'fail',
    },
  ],
  'reads-whole-replies': [
    {
      name: 'after an AUTH line, during its reply',
      sessions: [
        after(
          ...EHLO,
          ...ex('AUTH LOGIN\r\n', '334 VXNlcm5hbWU6\r\n'),
          c('c3R1ZGVudA==\r\n'),
          s('334 UGFzc'),
          c('cGFzcw==\r\n'),
          s('3dvcmQ6\r\n'),
        ),
      ],
      want: 'fail',
    },
  ],
  quit: [{ name: 'never connected', sessions: [], want: 'fail' }],
  data: [
    {
      name: 'no DATA',
      sessions: [
        after(...EHLO, ...ex('MAIL FROM:<a@b.c>\r\n', '250 ok\r\n'), ...ex('QUIT\r\n', '221 bye\r\n')),
      ],
      want: 'fail',
    },
    {
      name: 'DATA refused',
      sessions: [
        after(...EHLO, ...ex('DATA\r\n', '554 no valid recipients\r\n'), ...ex('QUIT\r\n', '221 bye\r\n')),
      ],
      want: 'fail',
    },
  ],
  'handles-temporary-failure': [
    { name: 'nothing temporary, nothing stored', sessions: [dialogue()], want: 'fail' },
  ],
  'message-format': [{ name: 'nothing stored', sessions: [dialogue()], want: 'fail' }],
  'dot-stuffing': [
    {
      name: 'no dot line, no MAIL_BODY',
      sessions: [dialogue()],
      messages: [stored(`${HEADERS}hello\r\n`)],
      want: 'fail',
    },
  ],
  'mime-structure': [
    {
      name: 'multipart without a boundary',
      sessions: [dialogue()],
      messages: [stored('MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\nhi\r\n')],
      want: 'fail',
    },
  ],
  'image-intact': [
    { name: 'no image in the scenario', sessions: [dialogue()], want: 'not judged' },
    {
      name: 'no base64 part',
      sessions: [dialogue()],
      messages: [stored(`${HEADERS}hi\r\n`)],
      image: IMAGE,
      want: 'fail',
    },
    {
      name: 'another image',
      sessions: [dialogue()],
      messages: [
        stored(
          'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n',
        ),
      ],
      image: IMAGE,
      want: 'fail',
    },
  ],
  auth: [{ name: 'no AUTH', sessions: [dialogue()], want: 'fail' }],
  starttls: [{ name: 'no STARTTLS', sessions: [dialogue()], want: 'fail' }],
  'ehlo-after-starttls': [
    {
      name: 'MAIL first inside TLS',
      sessions: [
        after(
          ...EHLO,
          ...ex('STARTTLS\r\n', '220 go ahead\r\n'),
          note('TLS started: TLSv1.3', 'info', 'tls-started'),
          ...ex('MAIL FROM:<a@b.c>\r\n', '250 ok\r\n', true),
        ),
      ],
      want: 'fail',
    },
  ],
  'matches-reference': [{ name: 'no expected transcript', sessions: [dialogue()], want: 'not judged' }],
};

const CASES: Case[] = [...Object.values(TABLES), EXTRA].flatMap((table) =>
  Object.entries(table).flatMap(([id, rows]) => rows.map((row) => ({ id: id as CheckId, row }))),
);

/** A case judged in both languages, once (the tests below read the same results). */
const judged = new Map<Row, { en: CheckResult; zh: CheckResult }>();
function both({ id, row }: Case): { en: CheckResult; zh: CheckResult } {
  let r = judged.get(row);
  if (!r) {
    r = { en: judge(id, row, 'en'), zh: judge(id, row, 'zh-CN') };
    judged.set(row, r);
  }
  return r;
}

/** Quoted student bytes, `<addresses>` and upper-case tokens (HELO, MAIL_FROM, CRLF) set aside. */
function withoutTokens(text: string): string {
  return text
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/<[^<>\s]*>/g, ' ')
    .replace(/\b[A-Z][A-Z0-9_-]*\b/g, ' ');
}

/** A run of three or more Latin words in the ASCII stretches of a text: an English sentence left. */
function englishLeft(text: string): string | undefined {
  for (const stretch of withoutTokens(text).split(/[^\x00-\x7f]+/)) {
    const run = /[A-Za-z][A-Za-z'-]*(?:[\s,;:()]+[A-Za-z][A-Za-z'-]*){2,}/.exec(stretch);
    if (run) return run[0];
  }
  return undefined;
}

/** The caption a check wrote after an evidence line ("<line>  <- why"), if any. */
function caption(text: string): string | undefined {
  const at = text.lastIndexOf('  <- ');
  return at === -1 ? undefined : text.slice(at + 5);
}

/** What a check wrote in a result: captions and notes (a diff note: its labels and last line only). */
function written(result: CheckResult): string[] {
  return [
    ...result.evidence.flatMap((e) => caption(e.text) ?? []),
    ...result.notes.flatMap((n) => {
      if (!n.startsWith('--- ')) return [n];
      const lines = n.split('\n');
      const more = lines.at(-1)!;
      return [lines[0]!.slice(4), lines[1]!.slice(4), ...(/^\.\.\./.test(more) ? [more] : [])];
    }),
  ];
}

function expectSameVerdict(en: CheckResult, zh: CheckResult): void {
  const shape = (r: CheckResult) => ({
    id: r.id,
    tier: r.tier,
    passed: r.passed,
    applicable: r.applicable,
    points: r.points,
    maxPoints: r.maxPoints,
    evidence: r.evidence.map((e) => ({ session: e.session, line: e.line, reply: e.reply?.line })),
    notes: r.notes.length,
  });
  expect(shape(zh)).toEqual(shape(en));
}

function expectChinese(zh: CheckResult, en: CheckResult, foreign = ''): void {
  const said = written(zh);
  expect(said.length).toBe(written(en).length);
  for (const text of said.map((t) => (foreign ? t.replace(foreign, '') : t))) {
    expect(text, text).toMatch(HAN);
    expect(englishLeft(text), text).toBeUndefined();
  }
}

describe('judges write their reasons in the language asked for', () => {
  it('the tables hold the rows the check tests use', () => {
    expect(CASES.length).toBeGreaterThan(80);
    // Rows that say something: most fail, and a failure must explain itself.
    expect(CASES.filter((c) => written(both(c).en).length > 0).length).toBeGreaterThan(55);
  });

  it.each(CASES.map((c) => [`${c.id}: ${c.row.name}`, c] as const))('%s', (_, { id, row }) => {
    const { en, zh } = both({ id, row });
    expect(!en.applicable ? 'not judged' : en.passed ? 'pass' : 'fail').toBe(row.want);
    expectSameVerdict(en, zh);
    expectChinese(zh, en);
    for (const text of written(en)) expect(withoutTokens(text), text).not.toMatch(HAN);
  });

  it('the detector finds English left in a Chinese sentence and spares quoted bytes and tokens', () => {
    expect(englishLeft('客户端 sent nothing at all')).toBe('sent nothing at all');
    expect(englishLeft('地址两边没有尖括号："FROM:a b c" 应写成 "FROM:<a b c>"')).toBeUndefined();
    expect(englishLeft('本场景评判的是 AUTH LOGIN 对话（compare: exchange）')).toBeUndefined();
  });
});

const REFERENCE = makeReference('table', [
  sessionOf(dialogue({ mail: 'MAIL FROM:<student@smtp-lab.test>', body: ['Subject: Lab', '', 'hello'] })),
]);
const OWN = dialogue({ mail: 'MAIL FROM:<alice@qq.com>', body: ['Subject: my own', '', 'my words'] });
const MANY_RCPT = dialogue({ rcpt: Array.from({ length: 70 }, (_, i) => `RCPT TO:<r${i}@x.y>`) });

function referenceRun(steps: Step[], compare: string, reference: RunEvidence['reference']): RunEvidence {
  return {
    scenario: scenarioWith(['matches-reference'], `compare: ${compare}\n`),
    sessions: [sessionOf(steps)],
    messages: [],
    ...(reference ? { reference } : {}),
  };
}

/** Why a file could not be read, as Node says it (evidence.ts passes it on): quoted, not translated. */
const READ_ERROR = 'Unexpected token \'x\', "xx" is not valid JSON';

/** Runs judged as a whole (the desync rule, the expected transcript): evidence, not rows. */
const RUNS: Record<string, RunEvidence> = {
  'a desync: echoes not scored': {
    scenario: scenarioWith(['greets', 'waits-for-replies', 'reads-whole-replies', 'quit'], '', {
      'reads-whole-replies': 'robustness',
    }),
    sessions: [sessionOf(DESYNCED)],
    messages: [],
  },
  'compare: exchange, its own addresses and message': referenceRun(OWN, 'exchange', {
    file: 'ref.json',
    transcript: REFERENCE,
  }),
  'compare: envelope': referenceRun(OWN, 'envelope', { file: 'ref.json', transcript: REFERENCE }),
  'compare: message': referenceRun(OWN, 'message', { file: 'ref.json', transcript: REFERENCE }),
  'compare: exchange, no QUIT': referenceRun(dialogue({ quit: false }), 'exchange', {
    file: 'ref.json',
    transcript: REFERENCE,
  }),
  'compare: exchange, a diff longer than a note shows': referenceRun(MANY_RCPT, 'exchange', {
    file: 'ref.json',
    transcript: REFERENCE,
  }),
  'compare: message, only the message differs': referenceRun(
    dialogue({ mail: 'MAIL FROM:<student@smtp-lab.test>', body: ['Subject: other', '', 'x'] }),
    'message',
    { file: 'ref.json', transcript: REFERENCE },
  ),
  'an expected transcript that cannot be read': referenceRun(OWN, 'exchange', {
    file: 'ref.json',
    error: READ_ERROR,
  }),
  'an expected transcript without a reason': referenceRun(OWN, 'exchange', { file: 'ref.json' }),
};

const runResults = new Map<string, CheckResult[]>();
/** A whole run judged in `lang`, once. */
function judgeRun(name: string, lang: 'en' | 'zh-CN'): CheckResult[] {
  const key = `${lang} ${name}`;
  let r = runResults.get(key);
  if (!r) {
    r = evaluateChecks(RUNS[name]!, { lang });
    runResults.set(key, r);
  }
  return r;
}

describe('runs judged as a whole, in both languages', () => {
  it.each(Object.keys(RUNS))('%s', (name) => {
    const en = judgeRun(name, 'en');
    const zh = judgeRun(name, 'zh-CN');
    expect(zh.map((r) => r.id)).toEqual(en.map((r) => r.id));
    en.forEach((r, i) => {
      expectSameVerdict(r, zh[i]!);
      expectChinese(zh[i]!, r, READ_ERROR);
    });
    expect(evaluateChecks(RUNS[name]!)).toEqual(en);
  });

  it('"not scored" after a desync names the line that lost track', () => {
    const quit = judgeRun('a desync: echoes not scored', 'zh-CN').find((r) => r.id === 'quit')!;
    expect(quit).toMatchObject({ applicable: false, maxPoints: 0 });
    expect(quit.notes[0]).toBe(
      '不计分：客户端与应答脱节了（reads-whole-replies：在问候还没有收完时就发送了），这项失败可能只是它的连带后果',
    );
  });

  it('the diff keeps the transcript as it is and labels its sides in Chinese', () => {
    const [en] = judgeRun('compare: exchange, a diff longer than a note shows', 'en');
    const [zh] = judgeRun('compare: exchange, a diff longer than a note shows', 'zh-CN');
    const enDiff = en!.notes[1]!.split('\n');
    const zhDiff = zh!.notes[1]!.split('\n');
    expect(zhDiff.slice(0, 2)).toEqual(['--- 预期', '+++ 本次运行']);
    expect(zhDiff.slice(2, -1)).toEqual(enDiff.slice(2, -1));
    expect(enDiff.at(-1)).toMatch(/^\.\.\. \(\d+ more diff lines\)$/);
    expect(zhDiff.at(-1)).toMatch(/^\.\.\.（还有 \d+ 行差异）$/);
  });
});

describe('the reasons side by side', () => {
  /**
   * Every caption and note the rows and runs above produce, English then Chinese, in one reviewed
   * file: the English is pinned byte for byte (it must not change with this work), and a reader
   * of Chinese reviews the translations in context. A change shows as a diff of that file; accept
   * it with `npx vitest run test/i18n/checks.test.ts -u` after reading it.
   */
  it('match test/i18n/verdicts.en-zh.txt', async () => {
    const pairs = (en: CheckResult, zh: CheckResult) =>
      written(en).flatMap((text, i) => [`  en: ${text}`, `  zh: ${written(zh)[i]}`]);
    const out = [
      ...CASES.flatMap((c) => {
        const said = pairs(both(c).en, both(c).zh);
        return said.length ? [`${c.id} | ${c.row.name}`, ...said] : [];
      }),
      ...Object.keys(RUNS).flatMap((name) => {
        const zh = judgeRun(name, 'zh-CN');
        return judgeRun(name, 'en').flatMap((en, i) => {
          const said = pairs(en, zh[i]!);
          return said.length ? [`${en.id} | ${name}`, ...said] : [];
        });
      }),
    ];
    await expect(`${out.join('\n')}\n`).toMatchFileSnapshot('./verdicts.en-zh.txt');
  });
});

describe('every message a judge can write', () => {
  /** One issue of each code, with bytes a student might send. */
  const ISSUES: PathIssue[] = [
    { code: 'not-a-command' },
    { code: 'verb-case' },
    { code: 'no-keyword', keyword: 'FROM', found: 'FORM:<a@b.c>' },
    { code: 'space-before-colon', keyword: 'TO' },
    { code: 'space-after-colon', keyword: 'FROM' },
    { code: 'space-at-end' },
    { code: 'no-brackets', keyword: 'TO', address: 'bob@163.com' },
    { code: 'no-address', keyword: 'FROM' },
    { code: 'no-closing-bracket' },
    { code: 'text-after-address', found: ' and more words here' },
    { code: 'empty-recipient' },
    { code: 'space-in-address', address: 'john doe@b.c' },
    { code: 'no-domain', address: 'alice' },
    { code: 'not-a-mailbox', address: 'a@-b.c' },
  ];

  it.each(Object.keys(checksArea.en))('%s keeps the protocol tokens and quoted code of English', (key) => {
    const en = checksArea.en[key as keyof typeof checksArea.en];
    const zh = checksArea.zhCN[key as keyof typeof checksArea.en];
    expect(tokens(zh)).toEqual(expect.arrayContaining(tokens(en)));
    for (const [quoted] of en.matchAll(QUOTED)) expect(zh).toContain(quoted);
  });

  it.each(ISSUES.map((issue) => [issue.code, issue] as const))('path issue %s', (_, issue) => {
    const zh = pathIssueText(issue, messages('zh-CN'));
    expect(zh).toMatch(HAN);
    expect(englishLeft(zh), zh).toBeUndefined();
    expect(withoutTokens(pathIssueText(issue)), 'English').not.toMatch(HAN);
  });

  /**
   * Each message of the checks area is written, in Chinese, by some row, run or path issue above,
   * so the checks above read every one of them. A placeholder matches anything; a message used
   * only inside another (the default desync reason) is looked for anywhere.
   */
  it('is written by some row, run or path issue above, so each is checked in Chinese', () => {
    const said = [
      ...CASES.flatMap((c) => {
        const { zh } = both(c);
        return [...zh.evidence.map((e) => e.text), ...zh.notes];
      }),
      ...Object.keys(RUNS).flatMap((name) =>
        judgeRun(name, 'zh-CN').flatMap((r) => [...r.evidence.map((e) => e.text), ...r.notes]),
      ),
      ...ISSUES.map((issue) => pathIssueText(issue, messages('zh-CN'))),
    ].flatMap((text) => text.split('\n'));
    const pattern = (template: string) =>
      new RegExp(
        template
          .split(/\{[A-Za-z0-9]+\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^]*'),
      );
    const unwritten = Object.entries(checksArea.zhCN)
      .filter(([, template]) => !said.some((text) => pattern(template).test(text)))
      .map(([key]) => key);
    // reads-whole-replies always gives its evidence a caption: the fallback is never needed.
    expect(unwritten).toEqual(['verdict.desync.partRead']);
  });
});

describe('the commonest failures, word for word in zh-CN', () => {
  const zh = (id: CheckId, row: Omit<Row, 'name' | 'want'>) =>
    judge(id, { name: id, want: 'fail', ...row }, 'zh-CN');

  it('no angle brackets around the address', () => {
    const result = zh('mail-from', { sessions: [dialogue({ mail: 'MAIL FROM:alice@qq.com' })] });
    expect(result.notes).toEqual(['地址两边没有尖括号："FROM:alice@qq.com" 应写成 "FROM:<alice@qq.com>"']);
    expect(result.evidence[0]!.text).toBe(
      '-> MAIL FROM:alice@qq.com  <- 地址两边没有尖括号："FROM:alice@qq.com" 应写成 "FROM:<alice@qq.com>"',
    );
  });

  it('a bare LF at the end of a command and of a body line', () => {
    const command = zh('crlf', { sessions: [[GREETING, ...ex('EHLO me\n', '250 ok\r\n')]] });
    expect(command.evidence.map((e) => caption(e.text))).toEqual(['以单独的 LF 结尾']);
    const body = zh('crlf', { sessions: [dialogue({ body: ['Subject: hi\nhello'] })] });
    expect(body.evidence.map((e) => caption(e.text))).toEqual([
      '正文第 1 行（"Subject: hi"）以单独的 LF 结尾',
    ]);
  });

  it('no QUIT', () => {
    const result = zh('quit', { sessions: [dialogue({ quit: false })] });
    expect(result.notes).toEqual(['从未发送 QUIT']);
  });

  it('a message never ended (DATA unterminated)', () => {
    const result = zh('data-terminator', {
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250 ok\r\n'),
          ...ex('MAIL FROM:<a@b.c>\r\n', '250 ok\r\n'),
          ...ex('RCPT TO:<d@e.f>\r\n', '250 ok\r\n'),
          ...ex('DATA\r\n', '354 go\r\n'),
          c('Subject: hi\r\n\r\nhello\r\n'),
          note('client connection closed', 'info', 'client-closed'),
        ],
      ],
    });
    expect(result.evidence.map((e) => caption(e.text))).toEqual(['这封邮件从未结束']);
  });

  it('an AUTH response that is not base64', () => {
    const result = zh('auth', {
      sessions: [
        [
          GREETING,
          ...ex('EHLO me\r\n', '250-lab.test\r\n250 AUTH LOGIN PLAIN\r\n'),
          ...ex('AUTH LOGIN\r\n', '334 VXNlcm5hbWU6\r\n'),
          ...ex('student\r\n', '334 UGFzc3dvcmQ6\r\n'),
          ...ex('secret pass\r\n', '535 5.7.8 Authentication failed\r\n'),
        ],
      ],
    });
    expect(result.notes).toEqual([
      'AUTH 的一行响应不是 base64（请对用户名和密码进行编码）',
      '这里接受任何用户名和密码：本场景评判的是 AUTH 对话，而不是账号',
    ]);
    expect(result.evidence.map((e) => caption(e.text))).toEqual([
      '它之后的一行响应不是 base64',
      '始终没有得到 235 应答',
    ]);
  });
});
