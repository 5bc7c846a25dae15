/**
 * Masks what legitimately differs between two runs of the same scenario in a rendered session:
 * ports, dates, Message-IDs, queue ids, MIME boundaries, TLS challenges (CRAM-MD5 334 lines).
 * What is left must be identical: every command, reply, fault note and body line.
 */
export function maskRun(rendered: string): string {
  return settleFaultNotes(
    rendered
      // `connection from 127.0.0.1:40123 to port 35555`, and ports anywhere else.
      .replace(/\b(127\.0\.0\.1|localhost|\[::1\]|::ffff:127\.0\.0\.1):\d+/g, '$1:<port>')
      .replace(/\bport \d+/g, 'port <port>')
      // Header lines of the built message.
      .replace(/^( [-~]> )Date: .*$/gm, '$1Date: <date>')
      .replace(/^( [-~]> )Message-ID: .*$/gim, '$1Message-ID: <message-id>')
      // The MIME builder's random boundaries (=_smtp-lab_<hex>_<n>).
      .replace(/=_smtp-lab_[0-9a-f]+_(\d+)/g, '=_smtp-lab_<boundary>_$1')
      // `queued as 4f2a9c1e0b7d-1` (smtp-lab), `queued as ABC123` (others).
      .replace(/queued as [0-9A-Za-z-]+/g, 'queued as <queue-id>')
      // A CRAM-MD5 challenge is random by design; the LOGIN prompts are fixed.
      .replace(/^(<[-~]\s+334 )(?!VXNlcm5hbWU6$|UGFzc3dvcmQ6$)\S+$/gm, '$1<challenge>')
      // A date or time in a reply text (Gmail's end-of-data timestamp is fixed; others are not).
      .replace(/\b\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\b/g, '<date>'),
  );
}

/**
 * The proxy frames a whole TCP chunk before it acts on it, so the note of a fault fired by one of
 * the chunk's lines (a DATA byte) follows every line of that chunk: where the client's writes were
 * split decides how many. Moving fault notes below the client lines that follow them removes that.
 */
function settleFaultNotes(rendered: string): string {
  const lines = rendered.split('\n');
  for (let i = lines.length - 2; i >= 0; i--) {
    for (
      let j = i;
      j + 1 < lines.length && /^=== fault: /.test(lines[j]!) && /^ [-~]> /.test(lines[j + 1]!);
      j++
    ) {
      [lines[j], lines[j + 1]] = [lines[j + 1]!, lines[j]!];
    }
  }
  return lines.join('\n');
}
