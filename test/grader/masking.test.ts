import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReports, REPORT_FORMATS } from '../../src/grader/formats.js';
import type { GradeReport } from '../../src/grader/report.js';
import { explain, py, Runs, SECRET, SECRET_USER } from './helpers.js';

/**
 * Credentials are masked everywhere, always: every line after an AUTH command until
 * the exchange ends, whatever the server answered (500 with AUTH off, 503 before EHLO in
 * plaintext or inside TLS, 535, 538 before TLS), and any line that is a known password in one
 * of its encodings. One client feeds every form (AUTH LOGIN, PLAIN inline, PLAIN on its own line)
 * with the lab account's password and with its own; no report format may contain either.
 */

const runs = new Runs();
afterAll(() => runs.cleanup());

const OWN_USER = 'alice@qq.com';
const OWN_PASS = 'xkcdmnbvqwertyui';

/** The password raw and as AUTH LOGIN and PLAIN (with and without authzid) put it on the wire. */
function forms(user: string, pass: string): string[] {
  return [
    pass,
    Buffer.from(pass).toString('base64'),
    Buffer.from(`\0${user}\0${pass}`).toString('base64'),
    Buffer.from(`${user}\0${user}\0${pass}`).toString('base64'),
  ];
}
const SECRETS = [...forms(SECRET_USER, SECRET), ...forms(OWN_USER, OWN_PASS)];

/** The secret forms in a text, and in every base64 wire event of a JSON report decoded. */
function leaks(output: string): string[] {
  const decoded = [...output.matchAll(/"b64": "([A-Za-z0-9+/=]*)"/g)]
    .map((m) => Buffer.from(m[1]!, 'base64').toString('latin1'))
    .join('\n');
  return SECRETS.filter((s) => output.includes(s) || decoded.includes(s));
}

/** Scenario, WHEN, PASSWORD, and the reply code that refused the first AUTH. */
const CASES = [
  ['plain', 'plaintext', 'own', '500'],
  ['tls-login', 'plaintext', 'own', '538'],
  ['tls-login', 'plaintext', 'given', '538'],
  ['tls-login', 'before-ehlo', 'own', '503'],
  ['tls-login', 'before-ehlo', 'given', '503'],
  ['tls-login', 'tls-before-ehlo', 'own', '503'],
  ['tls-login', 'tls-before-ehlo', 'given', '503'],
  ['tls-login', 'tls', 'own', '235'],
  ['tls-login', 'tls', 'given', '235'],
  ['tls-refused', 'tls', 'own', '535'],
  ['tls-refused', 'tls', 'given', '535'],
] as const;

let reports: GradeReport[];
beforeAll(async () => {
  reports = await Promise.all(
    CASES.map(([scenario, when, which]) => runs.grade(scenario, py('auth_every_form.py', when, which))),
  );
}, 60_000);

describe('every AUTH form, whatever the replies', () => {
  it.each(CASES.map((c, i) => [...c, i] as const))(
    '%s, AUTH %s with the %s password, refused with %s: no format shows a secret',
    (_scenario, when, _which, code, i) => {
      const report = reports[i]!;
      const lines = report.transcript.sessions.flatMap((s) => s.lines);
      // The run really did what the case says: the AUTH exchange got that reply, in TLS or not.
      const auth = lines.findIndex((l) => /^ [-~]> AUTH LOGIN/.test(l));
      expect(auth, explain(report)).toBeGreaterThan(-1);
      const arrow = when.startsWith('tls') ? '<~' : '<-';
      const replies = lines.slice(auth + 1).filter((l) => /^<[-~] /.test(l));
      expect(
        replies.some((l) => l.startsWith(`${arrow}  ${code} `)),
        explain(report),
      ).toBe(true);
      // Three secrets were sent (the LOGIN password, PLAIN inline, PLAIN on its own line): each
      // shows masked (the LOGIN user name is shown: it is not a secret).
      expect(lines.filter((l) => l.includes('********')).length, explain(report)).toBe(3);
      for (const format of REPORT_FORMATS) {
        expect(leaks(formatReports([report], format)), `${format}\n${explain(report)}`).toEqual([]);
      }
    },
  );

  it('the commands after the exchange are shown as they were (QUIT is not masked)', () => {
    for (const report of reports) {
      const lines = report.transcript.sessions.flatMap((s) => s.lines);
      expect(
        lines.some((l) => /^ [-~]> QUIT$/.test(l)),
        explain(report),
      ).toBe(true);
    }
  });
});
