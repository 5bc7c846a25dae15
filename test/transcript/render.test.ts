import { afterEach, describe, expect, it, vi } from 'vitest';
import { frameEvents } from '../../src/transcript/framer.js';
import {
  MASK,
  TranscriptRenderer,
  renderItems,
  renderTranscript,
  visible,
  wantsColor,
} from '../../src/transcript/render.js';
import { HOSTILE_PAYLOADS, RAW_CONTROL, c, note, s, transcriptOf, type Step } from './helpers.js';

const USER = 'alice';
const PASSWORD = 'Tr0ub4dor&3';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const USER_B64 = b64(USER);
const PW_B64 = b64(PASSWORD);
const PLAIN_B64 = b64(`\0${USER}\0${PASSWORD}`);
// ESC, as in "\x1b[31m": picocolors' escapes all start with it.
const ESC = String.fromCharCode(0x1b);

const FULL_SESSION: Step[] = [
  s('220 mail.example ESMTP\r\n'),
  c('EHLO client.example\r\n'),
  s('250-mail.example\r\n250 STARTTLS\r\n'),
  c('STARTTLS\r\n'),
  s('220 2.0.0 Ready to start TLS\r\n'),
  note('TLS 1.3 established'),
  c('EHLO client.example\r\n', true),
  s('250-mail.example\r\n250 AUTH PLAIN LOGIN\r\n', true),
  c('AUTH LOGIN\r\n', true),
  s('334 VXNlcm5hbWU6\r\n', true),
  c(`${USER_B64}\r\n`, true),
  s('334 UGFzc3dvcmQ6\r\n', true),
  c(`${PW_B64}\r\n`, true),
  s('235 2.7.0 Authentication successful\r\n', true),
  c('MAIL FROM:<alice@example.org>\r\n', true),
  s('250 2.1.0 Ok\r\n', true),
  c('RCPT TO:<bob@example.org>\r\n', true),
  s('550 5.1.1 No such user\r\n', true),
  c('RCPT TO:<carol@example.org>\r\n', true),
  s('250 2.1.5 Ok\r\n', true),
  c('DATA\r\n', true),
  s('354 End data with <CR><LF>.<CR><LF>\r\n', true),
  c('Subject: hi\r\n\r\nHello Carol\r\n.\r\n', true),
  s('250 2.0.0 Ok: queued\r\n', true),
  c('QUIT\r\n', true),
  s('221 2.0.0 Bye\r\n', true),
  note('connection closed'),
];

const FULL_GOLDEN = [
  '<-  220 mail.example ESMTP',
  ' -> EHLO client.example',
  '<-  250-mail.example',
  '<-  250 STARTTLS',
  ' -> STARTTLS',
  '<-  220 2.0.0 Ready to start TLS',
  '=== TLS 1.3 established',
  ' ~> EHLO client.example',
  '<~  250-mail.example',
  '<~  250 AUTH PLAIN LOGIN',
  ' ~> AUTH LOGIN',
  '<~  334 VXNlcm5hbWU6',
  ` ~> ${USER_B64}  [user "alice"]`,
  '<~  334 UGFzc3dvcmQ6',
  ' ~> ********  [password, hidden]',
  '<~  235 2.7.0 Authentication successful',
  ' ~> MAIL FROM:<alice@example.org>',
  '<~  250 2.1.0 Ok',
  ' ~> RCPT TO:<bob@example.org>',
  '<~  550 5.1.1 No such user',
  ' ~> RCPT TO:<carol@example.org>',
  '<~  250 2.1.5 Ok',
  ' ~> DATA',
  '<~  354 End data with <CR><LF>.<CR><LF>',
  ' ~> Subject: hi',
  ' ~> ',
  ' ~> Hello Carol',
  ' ~> .',
  '<~  250 2.0.0 Ok: queued',
  ' ~> QUIT',
  '<~  221 2.0.0 Bye',
  '=== connection closed',
].join('\n');

describe('renderTranscript', () => {
  it('renders a full session in swaks notation (golden)', () => {
    expect(renderTranscript(transcriptOf(FULL_SESSION))).toBe(FULL_GOLDEN + '\n');
  });

  it('renders flags for endings, pipelining, injection and fragments (golden)', () => {
    const out = renderTranscript(
      transcriptOf([
        c('EHLO early\r\n'),
        s('220 hi\r\n'),
        s('250 hello\r\n'),
        c('MAIL FROM:<a>\nRCPT TO:<b>\r\n'),
        s('250 ok\r\n25'),
        s('0 ok\r\n'),
        c('STARTTLS\r\n'),
        s('220 go\r\n'),
        c('NOOP\r\n'),
        c('QUIT', true),
        note('TLS handshake failed', 'error'),
      ]),
    );
    expect(out).toBe(
      [
        ' -> EHLO early  [sent before the reply was complete]',
        '<-  220 hi',
        '<-  250 hello',
        ' -> MAIL FROM:<a>  [bare LF]',
        ' -> RCPT TO:<b>  [sent before the reply was complete]',
        '<-  250 ok',
        '<-  250 ok  [arrived in 2 pieces]',
        ' -> STARTTLS',
        '<-  220 go',
        ' -> NOOP  [plaintext after STARTTLS: ignored]',
        '*** TLS handshake failed',
        ' ~> QUIT  [no line ending]',
      ].join('\n') + '\n',
    );
  });

  it('renders server garbage as an error with its bytes escaped once', () => {
    const out = renderTranscript(
      transcriptOf([s('220 hi\r\n'), c('EHLO x\r\n'), s('HTTP/1.1 400 Bad\x1b[2J\r\n250 ok\r\n')]),
    );
    expect(out.split('\n')).toEqual([
      '<-  220 hi',
      ' -> EHLO x',
      '*** malformed reply line: "HTTP/1.1 400 Bad\\u001b[2J\\r\\n"',
      '<-  250 ok',
      '',
    ]);
  });

  it('prefixes times when asked', () => {
    const out = renderTranscript(transcriptOf([s('220 hi\r\n'), c('QUIT\r\n'), note('closed')]), {
      times: true,
    });
    expect(out).toBe('    10.0 <-  220 hi\n    20.0  -> QUIT\n    30.0 === closed\n');
  });

  it('renders nothing for no items', () => {
    expect(renderItems([])).toBe('');
  });
});

describe('secrets are never rendered', () => {
  const cases: Array<{ name: string; steps: Step[] }> = [
    { name: 'the full session (AUTH LOGIN in TLS)', steps: FULL_SESSION },
    {
      name: 'AUTH PLAIN with an initial response',
      steps: [s('220 hi\r\n'), c(`AUTH PLAIN ${PLAIN_B64}\r\n`), s('235 ok\r\n')],
    },
    {
      name: 'AUTH PLAIN with a trailing space after the initial response',
      steps: [s('220 hi\r\n'), c(`AUTH PLAIN ${PLAIN_B64} \r\n`), s('235 ok\r\n')],
    },
    {
      name: 'AUTH PLAIN after 334',
      steps: [s('220 hi\r\n'), c('AUTH PLAIN\r\n'), s('334 \r\n'), c(`${PLAIN_B64}\r\n`), s('535 no\r\n')],
    },
    {
      name: 'AUTH LOGIN with an initial response',
      steps: [
        s('220 hi\r\n'),
        c(`AUTH LOGIN ${USER_B64}\r\n`),
        s('334 UGFzc3dvcmQ6\r\n'),
        c(`${PW_B64}\r\n`),
      ],
    },
    {
      name: 'credentials pipelined behind an AUTH refused with 504',
      steps: [
        s('220 hi\r\n'),
        c(`AUTH LOGIN\r\n${USER_B64}\r\n${PW_B64}\r\n`),
        s('504 no\r\n500 a\r\n500 b\r\n'),
      ],
    },
    {
      name: 'credentials pipelined behind an AUTH that was never answered',
      steps: [s('220 hi\r\n'), c(`AUTH LOGIN\r\n${USER_B64}\r\n${PW_B64}\r\n`)],
    },
    {
      name: 'AUTH in plaintext after STARTTLS was accepted',
      steps: [
        s('220 hi\r\n'),
        c('STARTTLS\r\n'),
        s('220 go\r\n'),
        c(`AUTH LOGIN\r\n${USER_B64}\r\n${PW_B64}\r\n`),
      ],
    },
    {
      name: 'the password line split over three chunks',
      steps: [
        s('220 hi\r\n'),
        c('AUTH LOGIN\r\n'),
        s('334 VXNlcm5hbWU6\r\n'),
        c(`${USER_B64}\r\n`),
        s('334 UGFzc3dvcmQ6\r\n'),
        c(PW_B64.slice(0, 5)),
        c(PW_B64.slice(5, 10)),
        c(`${PW_B64.slice(10)}\r\n`),
        s('235 ok\r\n'),
      ],
    },
  ];

  it.each(cases)('$name', ({ steps }) => {
    for (const options of [{}, { color: true }, { times: true, maxDataLines: 1 }]) {
      const out = renderTranscript(transcriptOf(steps), options);
      expect(out).not.toContain(PASSWORD);
      expect(out).not.toContain(PW_B64);
      expect(out).not.toContain(PLAIN_B64);
      // Nor any long piece of the encoded secrets.
      expect(out).not.toContain(PW_B64.slice(0, 8));
      expect(out).not.toContain(PLAIN_B64.slice(4, 16));
      expect(out).toContain(MASK);
    }
  });
});

describe('colour', () => {
  it('off by default and when false: no ANSI escapes at all', () => {
    expect(renderTranscript(transcriptOf(FULL_SESSION))).not.toContain(ESC);
    expect(renderTranscript(transcriptOf(FULL_SESSION), { color: false })).not.toContain(ESC);
  });

  it('on when asked: escapes present, and the text without them is the plain rendering', () => {
    const coloured = renderTranscript(transcriptOf(FULL_SESSION), { color: true });
    expect(coloured).toContain(`${ESC}[`);
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(FULL_GOLDEN + '\n');
  });

  it('colours replies by class', () => {
    const renderer = new TranscriptRenderer({ color: true });
    const [ok, temp, perm] = frameEvents(
      transcriptOf([s('250 ok\r\n'), s('451 later\r\n'), s('550 no\r\n')]).events,
    ).map((item) => renderer.render(item)[0]!);
    expect(ok).toBe(`${ESC}[32m<-  250 ok${ESC}[39m`);
    expect(temp).toBe(`${ESC}[33m<-  451 later${ESC}[39m`);
    expect(perm).toBe(`${ESC}[31m<-  550 no${ESC}[39m`);
  });
});

describe('wantsColor', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    { NO_COLOR: undefined, FORCE_COLOR: undefined, isTTY: true, want: true },
    { NO_COLOR: undefined, FORCE_COLOR: undefined, isTTY: false, want: false },
    { NO_COLOR: undefined, FORCE_COLOR: undefined, isTTY: undefined, want: false },
    { NO_COLOR: '1', FORCE_COLOR: undefined, isTTY: true, want: false },
    { NO_COLOR: '', FORCE_COLOR: undefined, isTTY: true, want: true },
    { NO_COLOR: '1', FORCE_COLOR: '1', isTTY: true, want: false },
    { NO_COLOR: undefined, FORCE_COLOR: '1', isTTY: false, want: true },
    { NO_COLOR: undefined, FORCE_COLOR: '0', isTTY: false, want: false },
  ])(
    'NO_COLOR=$NO_COLOR FORCE_COLOR=$FORCE_COLOR isTTY=$isTTY -> $want',
    ({ NO_COLOR, FORCE_COLOR, isTTY, want }) => {
      vi.stubEnv('NO_COLOR', NO_COLOR);
      vi.stubEnv('FORCE_COLOR', FORCE_COLOR);
      expect(wantsColor(isTTY === undefined ? {} : { isTTY })).toBe(want);
    },
  );
});

describe('visible', () => {
  it.each([
    { text: 'plain text', want: 'plain text' },
    { text: 'tab\tstays', want: 'tab\tstays' },
    { text: 'a\rb', want: 'a\\rb' },
    { text: 'nul\0', want: 'nul\\x00' },
    { text: 'bell\x07', want: 'bell\\x07' },
    { text: '\x1b[2J\x1b[H', want: '\\x1b[2J\\x1b[H' },
    { text: 'del\x7f', want: 'del\\x7f' },
    { text: 'backspace\x08x', want: 'backspace\\x08x' },
    { text: 'c1 csi\u009b31m', want: 'c1 csi\\x9b31m' },
    { text: 'c1 nel\u0085', want: 'c1 nel\\x85' },
    { text: 'Grüße 例え', want: 'Grüße 例え' },
    { text: 'rtl\u202egnp.exe', want: 'rtl\\u202egnp.exe' },
    { text: 'isolate\u2066x\u2069', want: 'isolate\\u2066x\\u2069' },
    { text: 'line\u2028sep', want: 'line\\u2028sep' },
  ])('visible($text)', ({ text, want }) => {
    expect(visible(text)).toBe(want);
    // Idempotent: a renderer may escape what another one already escaped.
    expect(visible(visible(text))).toBe(want);
  });

  it('is applied to client lines and replies', () => {
    const out = renderTranscript(
      transcriptOf([s('250 a\rb\x1b[31m\r\n'), c('EHLO \x1b]0;pwned\x07x\r\n'), c('DATA\r\n')]),
    );
    expect(out).not.toContain(ESC);
    expect(out).not.toContain('\x07');
    expect(out.split('\n').slice(0, 2)).toEqual(['<-  250 a\\rb\\x1b[31m', ' -> EHLO \\x1b]0;pwned\\x07x']);
  });
});

describe('DATA elision', () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}\r\n`).join('');
  const session = (n: number): Step[] => [
    s('220 hi\r\n'),
    c('DATA\r\n'),
    s('354 go\r\n'),
    c(`${body(n)}.\r\n`),
    s('250 ok\r\n'),
  ];

  it.each([
    {
      max: 2,
      lines: 5,
      want: [' -> line 1', ' -> line 2', '=== (3 more body lines; 40 bytes in all)', ' -> .'],
    },
    { max: 2, lines: 2, want: [' -> line 1', ' -> line 2', ' -> .'] },
    {
      max: 2,
      lines: 3,
      want: [' -> line 1', ' -> line 2', '=== (1 more body line; 24 bytes in all)', ' -> .'],
    },
    { max: 0, lines: 4, want: [' -> line 1', ' -> line 2', ' -> line 3', ' -> line 4', ' -> .'] },
    { max: 5, lines: 0, want: [' -> .'] },
  ])('maxDataLines $max with $lines body lines', ({ max, lines, want }) => {
    const out = renderTranscript(transcriptOf(session(lines)), { maxDataLines: max }).split('\n');
    expect(out).toEqual(['<-  220 hi', ' -> DATA', '<-  354 go', ...want, '<-  250 ok', '']);
  });

  it('counts afresh for a second message in the same session', () => {
    const out = renderTranscript(
      transcriptOf([
        ...session(3),
        c('DATA\r\n'),
        s('354 go\r\n'),
        c('again 1\r\nagain 2\r\nagain 3\r\n.\r\n'),
      ]),
      { maxDataLines: 1 },
    );
    expect(out.split('\n').slice(3)).toEqual([
      ' -> line 1',
      '=== (2 more body lines; 24 bytes in all)',
      ' -> .',
      '<-  250 ok',
      ' -> DATA',
      '<-  354 go',
      ' -> again 1',
      '=== (2 more body lines; 27 bytes in all)',
      ' -> .',
      '',
    ]);
  });

  it('elides live, one item at a time', () => {
    const renderer = new TranscriptRenderer({ maxDataLines: 1 });
    const items = frameEvents(transcriptOf(session(3)).events);
    expect(items.map((item) => renderer.render(item))).toEqual([
      ['<-  220 hi'],
      [' -> DATA'],
      ['<-  354 go'],
      // A body is one item: its first lines and a count, rendered once it is complete.
      [' -> line 1', '=== (2 more body lines; 24 bytes in all)'],
      [' -> .'],
      ['<-  250 ok'],
    ]);
  });
});

describe('hostile bytes in annotations and notes stay inert', () => {
  it.each(HOSTILE_PAYLOADS)('$name in an AUTH mechanism name and a decoded user name', ({ text }) => {
    const out = renderTranscript(
      transcriptOf([
        s('220 mail.example ESMTP\r\n'),
        c(`AUTH ${text} ${b64('token')}\r\n`),
        s('504 5.5.4 Unrecognized\r\n'),
        c(`AUTH LOGIN ${b64(text)}\r\n`),
        s('334 UGFzc3dvcmQ6\r\n'),
        c(`${PW_B64}\r\n`),
        s('235 ok\r\n'),
        c(`AUTH PLAIN ${b64(`${text}\0${text}\0pw`)}\r\n`),
        s('503 already\r\n'),
        note(`peer said ${text}`, 'error'),
      ]),
      { color: false },
    );
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain('response, hidden');
    expect(out).toContain('user ');
  });
});
