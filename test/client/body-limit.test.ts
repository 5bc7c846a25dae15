import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { sendMail } from '../../src/client/index.js';
import type { TranscriptEvent } from '../../src/transcript/events.js';
import { withLabServer } from '../helpers/lab-server.js';

/** A long body is shown live but not all kept in the transcript when a body limit is set. */
describe('transcriptBodyLimit', () => {
  it('keeps at most the limit of body bytes (plus the final dot), hands every byte to onEvent', async () => {
    await withLabServer({}, async (lab) => {
      const line = 'x'.repeat(998) + '\r\n';
      const message = Buffer.from('Subject: long\r\n\r\n' + line.repeat(1000));
      let seen = 0;
      const result = await sendMail({
        host: '127.0.0.1',
        port: lab.server.port,
        tls: 'starttls',
        tlsSettings: { ca: await readFile(lab.server.caFile) },
        from: 'a@example.test',
        recipients: ['b@example.test'],
        message,
        transcriptBodyLimit: 64 * 1024,
        onEvent: (event: TranscriptEvent) => {
          if (event.type === 'wire' && event.dir === 'c2s') seen += event.data.length;
        },
      });
      const kept = result.transcript.bytes('c2s');
      expect(seen).toBeGreaterThan(message.length);
      expect(kept.length).toBeLessThan(64 * 1024 + 2 * 1024 + 200);
      // How the message ended is always kept: the final dot, then QUIT.
      expect(kept.toString('latin1').endsWith('.\r\nQUIT\r\n')).toBe(true);
      expect(result.transcript.events.some((e) => e.type === 'note' && e.text.includes('not kept'))).toBe(
        true,
      );
      // The server still got every byte.
      await lab.sessionsEnded();
      const stored = await readFile(lab.messages[0]!.emlPath);
      expect(stored.subarray(lab.messages[0]!.traceHeaderBytes).toString('latin1')).toBe(
        message.toString('latin1'),
      );
    });
  });
});
