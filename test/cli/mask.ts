import os from 'node:os';
import { ROOT } from '../grader/helpers.js';

/** The volatile parts of CLI output, replaced by a stable placeholder each. */
export function mask(text: string): string {
  const tmp = os.tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (
    text
      .replaceAll(ROOT.replace(/\/$/, ''), '<repo>')
      .replace(new RegExp(`${tmp}/[^/\\s"']+`, 'g'), '<tmp>')
      // ISO times and dates in headers.
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      .replace(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}/g, '<date>')
      .replace(/(127\.0\.0\.1|localhost|\[::1\]):\d+/g, '$1:<port>')
      // An ephemeral port (five digits), not a well-known one such as 465 or 587.
      .replace(/\bport \d{5}\b/g, 'port <port>')
      .replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, '<duration>')
      // Message-IDs, queue ids, session ids, MIME boundaries.
      .replace(/<[^<>@\s]+@/g, '<<id>@')
      .replace(/queued as \S+/g, 'queued as <id>')
      .replace(/^\[[0-9a-f]{6}\]/gm, '[<id>]')
      .replace(/boundary="[^"]+"/g, 'boundary="<boundary>"')
      .replace(/^--[-=_.0-9A-Za-z]{16,}(--)?$/gm, '--<boundary>$1')
  );
}
