import { createHash } from 'node:crypto';
import type { Messages } from '../../i18n/messages.js';
import { bodies, body, bodyWhere, sentData, type CheckDef, type Verdict } from './context.js';

/** The message: what was sent after DATA (the wire) and what was stored (the bytes received). */

export const MESSAGE_CHECKS: readonly CheckDef[] = [
  {
    id: 'message-format',
    title: 'message has headers (From, To, Subject), a blank line, then the body',
    judges: 'the stored message: From, To and Subject header lines, an empty line, header syntax',
    tier: 'baseline',
    hint: 'Put From:, To: and Subject: header lines first, then an empty line, then the body.',
    judge: (run) => {
      const message = run.evidence.messages[0];
      if (!message) return { passed: false, notes: [run.m.t('verdict.noMessageStored')] };
      const { headers, blankLine } = splitMessage(body(message));
      const names = headers.map((h) => /^([!-9;-~]+):/.exec(h)?.[1]?.toLowerCase()).filter(Boolean);
      const missing = ['from', 'to', 'subject'].filter((n) => !names.includes(n));
      const malformed = headers.filter((h) => !/^[!-9;-~]+:/.test(h) && !/^[ \t]/.test(h));
      const notes = [
        ...(blankLine ? [] : [run.m.t('verdict.message-format.noBlankLine')]),
        ...missing.map((n) =>
          run.m.t('verdict.message-format.noHeader', { name: `${n[0]!.toUpperCase()}${n.slice(1)}` }),
        ),
        ...malformed
          .slice(0, 2)
          .map((h) => run.m.t('verdict.message-format.notAHeader', { line: JSON.stringify(h.slice(0, 60)) })),
      ];
      return { passed: notes.length === 0, notes };
    },
  },
  {
    id: 'dot-stuffing',
    title: 'doubles a leading dot in body lines',
    judges:
      'body lines on the wire (a line that reached the server as ".x" was not stuffed) and the stored message (a stored line starting with a dot arrived stuffed)',
    tier: 'baseline',
    hint: 'A body line that starts with "." must be sent with one more "." in front (RFC 5321 §4.5.2).',
    judge: (run) => {
      // Body lines on the wire, from the body summaries (counts and flagged samples).
      const sent = run.sessions.flatMap((session) =>
        bodies(session)
          .filter(({ body: b }) => b.lines > 0)
          .map((b) => ({ session, ...b })),
      );
      if (!sent.length) return { passed: false, notes: [run.m.t('verdict.noBodySent')] };
      const unstuffed = sent.flatMap(({ session, index, body: b }) =>
        b.dotStart.samples.map((l) => ({ session, index, line: l })),
      );
      if (unstuffed.length) {
        return {
          passed: false,
          evidence: unstuffed.slice(0, 3).map(({ session, index, line }) => ({
            session,
            item: index,
            bodyLine: line.n,
            why: run.m.t('verdict.dot-stuffing.notDoubled', bodyWhere(line)),
          })),
        };
      }
      const stored = run.evidence.messages.map((m) => body(m));
      const dotLine = (text: string) => text.split(/\r?\n/).some((l) => l.startsWith('.'));
      if (stored.some((raw) => dotLine(raw.toString('latin1')))) return { passed: true };
      if (sent.some(({ body: b }) => b.stuffed > 0)) return { passed: true };
      // Transfer-encoded (base64, quoted-printable): no line on the wire needed stuffing.
      if (stored.some((raw) => dotLine(plainText(raw)))) {
        return {
          passed: true,
          notes: [run.m.t('verdict.dot-stuffing.transferEncoded')],
        };
      }
      return {
        passed: false,
        notes: [
          run.m.t(
            run.brief.body !== undefined
              ? 'verdict.dot-stuffing.untestedBody'
              : 'verdict.dot-stuffing.untested',
          ),
        ],
      };
    },
  },
  {
    id: 'data-terminator',
    title: 'ends the message with <CRLF>.<CRLF>',
    judges: 'the end of every message sent: a line holding only "." after a CRLF, ended by CRLF',
    tier: 'baseline',
    hint: 'End the message with "\\r\\n.\\r\\n": a line with only a dot, CRLF on both sides.',
    judge: (run) => {
      const evidence: NonNullable<Verdict['evidence']> = [];
      for (const session of run.sessions) {
        for (const { index, body: b } of bodies(session)) {
          if (b.ended) continue;
          const loneDot = b.loneDot.samples[0];
          const last = loneDot ?? b.unfinished;
          evidence.push({
            session,
            item: index,
            ...(last ? { bodyLine: last.n } : {}),
            why: loneDot
              ? run.m.t(
                  loneDot.ending === 'lf'
                    ? 'verdict.data-terminator.loneDotLf'
                    : 'verdict.data-terminator.loneDotOther',
                  bodyWhere(loneDot),
                )
              : run.m.t('verdict.data-terminator.neverEnded'),
          });
        }
      }
      if (!run.sessions.some(sentData)) return { passed: false, notes: [run.m.t('verdict.noBodySent')] };
      return { passed: evidence.length === 0, evidence };
    },
  },
  {
    id: 'mime-structure',
    title: 'MIME structure: multipart with text and image, boundaries closed',
    judges: 'the stored message: MIME-Version, multipart with a text and an image part, closed boundaries',
    tier: 'optional',
    hint: 'Use multipart/mixed (or related) with a boundary, and close it with "--boundary--".',
    judge: (run) => {
      const message = run.evidence.messages[0];
      if (!message) return { passed: false, notes: [run.m.t('verdict.noMessageStored')] };
      const problems = mimeProblems(body(message), run.m);
      return { passed: problems.length === 0, notes: problems };
    },
  },
  {
    id: 'image-intact',
    title: 'the image arrives byte for byte',
    judges: "the stored message's base64 parts against the sha256 of IMAGE_FILE",
    tier: 'optional',
    hint: 'Base64-encode the image bytes exactly (open the file in binary mode).',
    judge: (run) => {
      const message = run.evidence.messages[0];
      const image = run.evidence.image;
      if (!image) {
        return { passed: false, applicable: false, notes: [run.m.t('verdict.image-intact.noImage')] };
      }
      if (!message) return { passed: false, notes: [run.m.t('verdict.noMessageStored')] };
      const want = sha256(image);
      const parts = base64Parts(body(message));
      if (parts.some((p) => sha256(p) === want)) return { passed: true };
      return {
        passed: false,
        notes: [run.m.t(parts.length ? 'verdict.image-intact.mismatch' : 'verdict.image-intact.noBase64')],
      };
    },
  },
  {
    id: 'line-length',
    title: 'lines at most 998 octets; base64 wrapped at 76',
    judges: 'body lines on the wire (998 octets) and base64 lines of the stored message (76)',
    tier: 'optional',
    hint: 'Wrap base64 at 76 characters per line (RFC 2045); no line may exceed 998 octets.',
    judge: (run) => {
      if (!run.sessions.some(sentData)) return { passed: false, notes: [run.m.t('verdict.noBodySent')] };
      const evidence = run.sessions
        .flatMap((session) =>
          bodies(session).flatMap(({ index, body: b }) =>
            b.long.samples.map((l) => ({
              session,
              item: index,
              bodyLine: l.n,
              why: run.m.t('verdict.line-length.tooLong', {
                n: l.n,
                octets: l.length - (l.ending === 'crlf' ? 2 : 1),
              }),
            })),
          ),
        )
        .slice(0, 2);
      const notes: string[] = [];
      const message = run.evidence.messages[0];
      if (message) {
        const longBase64 = body(message)
          .toString('latin1')
          .split('\r\n')
          .find((l) => l.length > 76 && /^[A-Za-z0-9+/]+=*$/.test(l));
        if (longBase64) notes.push(run.m.t('verdict.line-length.base64', { length: longBase64.length }));
      }
      return { passed: evidence.length === 0 && notes.length === 0, evidence, notes };
    },
  },
  {
    id: 'header-encoding',
    title: 'non-ASCII header text is RFC 2047 encoded',
    judges: 'the stored header lines: no raw 8-bit text',
    tier: 'optional',
    hint: 'Encode non-ASCII subjects as =?UTF-8?B?...?= (email.header.Header in Python).',
    judge: (run) => {
      const message = run.evidence.messages[0];
      if (!message) return { passed: false, notes: [run.m.t('verdict.noMessageStored')] };
      const bad = splitMessage(body(message)).headers.find((h) => /[^\x00-\x7f]/.test(h));
      return bad
        ? {
            passed: false,
            notes: [run.m.t('verdict.header-encoding.raw', { header: JSON.stringify(bad.slice(0, 60)) })],
          }
        : { passed: true };
    },
  },
];

function splitMessage(raw: Buffer): { headers: string[]; blankLine: boolean } {
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const head = end === -1 ? text : text.slice(0, end);
  return { headers: head.split(/\r?\n/).filter((l) => l !== ''), blankLine: end !== -1 };
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

interface Part {
  headers: string;
  body: string;
}

/**
 * What is wrong with a multipart entity's boundary: none declared (`boundary` undefined), or one
 * never closed.
 */
interface BoundaryProblem {
  boundary?: string;
}

/** The leaf parts of a MIME message, read from the raw text (boundaries as declared). */
function mimeParts(raw: string): { parts: Part[]; problems: BoundaryProblem[] } {
  const problems: BoundaryProblem[] = [];
  const parts: Part[] = [];
  const walk = (entity: string, depth: number) => {
    const split = entity.search(/\r?\n\r?\n/);
    const headers = split === -1 ? entity : entity.slice(0, split);
    const content = split === -1 ? '' : entity.slice(split).replace(/^\r?\n\r?\n/, '');
    const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
    const type = /^content-type:\s*([^;\r\n]+)(.*)$/im.exec(unfolded);
    if (!type || !/^multipart\//i.test(type[1]!.trim())) {
      parts.push({ headers: unfolded, body: content });
      return;
    }
    const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(type[2] ?? '');
    const b = boundary?.[1] ?? boundary?.[2];
    if (!b) {
      problems.push({});
      return;
    }
    const delimiter = `--${b}`;
    const pieces = content.split(new RegExp(`(?:^|\\r?\\n)${escapeRegExp(delimiter)}`));
    if (!content.includes(`${delimiter}--`)) problems.push({ boundary: b });
    if (depth > 10) return;
    for (const piece of pieces.slice(1)) {
      if (piece.startsWith('--')) break;
      walk(piece.replace(/^[ \t]*\r?\n/, ''), depth + 1);
    }
  };
  walk(raw, 0);
  return { parts, problems };
}

/** The message's first text part (or its only body), its transfer encoding undone. */
function plainText(raw: Buffer): string {
  const { parts } = mimeParts(raw.toString('latin1'));
  const part =
    parts.find((p) => /^content-type:\s*text\/plain/im.test(p.headers)) ??
    parts.find((p) => !/^content-type:/im.test(p.headers)) ??
    parts[0];
  if (!part) return '';
  const encoding = /^content-transfer-encoding:\s*([\w-]+)/im.exec(part.headers)?.[1]?.toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(part.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            part.body
              .replace(/=\r?\n/g, '')
              .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          )
        : Buffer.from(part.body, 'latin1');
  return bytes.toString('utf8');
}

function mimeProblems(raw: Buffer, m: Messages): string[] {
  const text = raw.toString('latin1');
  const { parts, problems } = mimeParts(text);
  const out = problems.map(({ boundary }) =>
    boundary === undefined
      ? m.t('verdict.mime-structure.noBoundary')
      : m.t('verdict.mime-structure.unclosed', { boundary, delimiter: `--${boundary}` }),
  );
  if (!/^content-type:\s*multipart\//im.test(text.split(/\r?\n\r?\n/)[0] ?? ''))
    out.push(m.t('verdict.mime-structure.notMultipart'));
  if (!/^mime-version:\s*1\.0/im.test(text.split(/\r?\n\r?\n/)[0] ?? ''))
    out.push(m.t('verdict.mime-structure.noMimeVersion'));
  if (!parts.some((p) => /^content-type:\s*text\//im.test(p.headers) || !/content-type:/i.test(p.headers))) {
    out.push(m.t('verdict.mime-structure.noTextPart'));
  }
  if (!parts.some((p) => /^content-type:\s*image\//im.test(p.headers))) {
    out.push(m.t('verdict.mime-structure.noImagePart'));
  }
  return out;
}

function base64Parts(raw: Buffer): Buffer[] {
  const { parts } = mimeParts(raw.toString('latin1'));
  return parts
    .filter((p) => /^content-transfer-encoding:\s*base64/im.test(p.headers))
    .map((p) => Buffer.from(p.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
