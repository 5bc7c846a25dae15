import { messages, type Messages } from '../i18n/messages.js';
import type { TranscriptEvent, WireEvent } from '../transcript/events.js';
import { SessionFramer } from '../transcript/framer.js';
import { TranscriptRenderer } from '../transcript/render.js';

/**
 * The live transcript of `smtp-lab send`: every event framed and rendered in swaks notation as
 * it happens. Only the first `bodyLines` lines of the message body are framed and shown; the
 * rest is counted and summarised, so a 25 MB attachment costs neither 400 000 printed lines nor
 * the memory of framing them. The recorded transcript itself stays complete.
 */
export class LiveTranscript {
  private readonly framer = new SessionFramer();
  private readonly renderer: TranscriptRenderer;
  private readonly m: Messages;
  /** Body lines handed to the framer so far in this DATA. */
  private bodyLines = 0;
  private skipping = false;
  private skippedBytes = 0;
  /** The last two body octets seen (to find the CRLF before the final "."). */
  private tail = Buffer.alloc(0);

  constructor(
    private readonly write: (line: string) => void,
    /** `messages`: the language of what the transcript adds (flags, summaries); bytes stay as sent. */
    options: { color?: boolean; bodyLines?: number; messages?: Messages } = {},
  ) {
    this.m = options.messages ?? messages();
    this.renderer = new TranscriptRenderer({ color: Boolean(options.color), messages: this.m });
    this.bodyLinesLimit = options.bodyLines ?? 40;
  }

  private readonly bodyLinesLimit: number;

  push(event: TranscriptEvent): void {
    if (event.type === 'wire' && event.dir === 'c2s' && this.framer.inData) {
      this.pushBody(event);
      return;
    }
    this.bodyLines = 0;
    this.skipping = false;
    this.feed(event);
  }

  /** Flushes what the framer still holds (an unfinished line or reply). */
  finish(): void {
    for (const item of this.framer.finish())
      if (item.kind !== 'body-bytes') for (const line of this.renderer.render(item)) this.write(line);
  }

  private pushBody(event: WireEvent): void {
    const data = event.data;
    let from = 0;
    if (!this.skipping) {
      let at = -1;
      while (this.bodyLines < this.bodyLinesLimit) {
        at = data.indexOf(0x0a, at + 1);
        if (at === -1) break;
        this.bodyLines++;
      }
      if (this.bodyLines < this.bodyLinesLimit) {
        this.feed(event);
        this.remember(data);
        return;
      }
      // The limit is reached: show up to the end of the last shown line, then only count.
      const shown = at + 1; // 0 when the limit was reached in an earlier chunk
      if (shown > 0) {
        this.feed({ ...event, data: data.subarray(0, shown) });
        this.remember(data.subarray(0, shown));
      }
      this.skipping = true;
      this.skippedBytes = 0;
      from = shown;
    }
    const rest = data.subarray(from);
    // The client writes nothing after the final "." until the server answers: it ends a chunk.
    const seen = Buffer.concat([this.tail, rest]);
    const ends = seen.length >= 5 ? seen.subarray(-5).toString('latin1') === '\r\n.\r\n' : false;
    this.remember(rest);
    if (!ends) {
      this.skippedBytes += rest.length;
      return;
    }
    // The final "." and the bytes before it: count those, let the framer see the ".".
    this.skippedBytes += rest.length - 3;
    this.skipping = false;
    if (this.skippedBytes > 0) {
      this.write(`=== ${this.m.t('cli.send.bodyContinues', { bytes: this.skippedBytes })}`);
    }
    this.feed({ ...event, data: rest.subarray(rest.length - 3) });
  }

  private remember(data: Buffer): void {
    this.tail = Buffer.concat([this.tail, data.subarray(Math.max(0, data.length - 4))]).subarray(-4);
  }

  private feed(event: TranscriptEvent): void {
    for (const item of this.framer.push(event))
      if (item.kind !== 'body-bytes') for (const line of this.renderer.render(item)) this.write(line);
  }
}
