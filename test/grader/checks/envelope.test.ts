import { describe, expect, it } from 'vitest';
import { judgePath, pathIssueText, type PathIssue } from '../../../src/grader/checks.js';
import { parseCommand } from '../../../src/protocol/command.js';
import { expectRow } from './helpers.js';
import { TABLE } from './envelope.rows.js';

/** Envelope and transaction checks pinned by framed transcripts. */

describe('envelope checks: framed transcript -> verdict', () => {
  for (const [id, rows] of Object.entries(TABLE)) {
    describe(id, () => {
      for (const row of rows) it(row.name, () => expectRow(id as Parameters<typeof expectRow>[0], row));
    });
  }
});

describe('judgePath: RFC 5321 paths', () => {
  // Each row: the line, the keyword, the address made out, the problems and the lax points as
  // codes, and a piece of the first problem's English text.
  const cases: Array<
    [string, 'FROM' | 'TO', string | undefined, PathIssue['code'][], PathIssue['code'][], string?]
  > = [
    ['MAIL FROM:<a@b.c>', 'FROM', 'a@b.c', [], []],
    ['MAIL FROM:<"john doe"@b.c>', 'FROM', '"john doe"@b.c', [], []],
    ['MAIL FROM:<@relay.org:a@b.c>', 'FROM', 'a@b.c', [], []],
    ['MAIL FROM:<a@[127.0.0.1]>', 'FROM', 'a@[127.0.0.1]', [], []],
    ['MAIL FROM:<jörg@bücher.de> SMTPUTF8', 'FROM', 'jörg@bücher.de', [], []],
    ['mail from: <a@b.c> ', 'FROM', 'a@b.c', [], ['verb-case', 'space-after-colon', 'space-at-end']],
    ['MAIL FROM :<a@b.c>', 'FROM', 'a@b.c', ['space-before-colon'], [], 'space before the colon'],
    ['MAIL FROM:<a@b.c>SIZE=1', 'FROM', 'a@b.c', ['text-after-address'], [], 'unexpected text'],
    ['MAIL FROM:<a@b.c', 'FROM', 'a@b.c', ['no-closing-bracket'], [], 'no closing'],
    ['MAIL FROM:<a b@c.d>', 'FROM', 'a b@c.d', ['space-in-address'], [], 'a space inside'],
    ['MAIL FROM:<a@-b.c>', 'FROM', 'a@-b.c', ['not-a-mailbox'], [], 'not an RFC 5321 mailbox'],
    ['RCPT TO:<a@b.c>', 'FROM', undefined, ['no-keyword'], [], 'expected "FROM:"'],
  ];
  for (const [line, keyword, address, problems, lax, text] of cases) {
    it(line, () => {
      const j = judgePath(parseCommand(line), keyword);
      expect(j.address).toBe(address);
      expect(j.problems.map((p) => p.code)).toEqual(problems);
      expect(j.lax.map((p) => p.code)).toEqual(lax);
      if (text !== undefined) expect(pathIssueText(j.problems[0]!)).toContain(text);
    });
  }

  it('renders the lax points in English as before', () => {
    const j = judgePath(parseCommand('mail from: <a@b.c> '), 'FROM');
    expect(j.lax.map((p) => pathIssueText(p))).toEqual([
      'the verb is not in upper case',
      'a space after the colon (RFC 5321 grammar: "FROM:<address>")',
      'a space before the line end (RFC 5321 grammar allows none)',
    ]);
  });
});
