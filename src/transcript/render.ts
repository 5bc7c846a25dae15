import pc from 'picocolors';
import type { Transcript } from './events.js';
import { frameEvents, MASK, type ClientLine, type FramedItem } from './framer.js';

/**
 * Human rendering in swaks' notation: `<-` server, ` ->` client, `<~` / ` ~>` inside TLS, `===`
 * information, `***` errors. Secrets are always masked here; there is no option to show them.
 */

export interface RenderOptions {
  /** Colour as decoration only; defaults to off. Callers decide from the TTY and NO_COLOR. */
  color?: boolean;
  /** Message body lines shown before the rest is summarised (0 = show all). */
  maxDataLines?: number;
  /** Prefix each line with its time in milliseconds since connect. */
  times?: boolean;
}

export { MASK };

type Paint = (text: string) => string;
const plain: Paint = (text) => text;

/** Whether colour should be used on a stream: a TTY, and NO_COLOR / FORCE_COLOR respected. */
export function wantsColor(stream: { isTTY?: boolean }): boolean {
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/**
 * Makes control characters visible so a transcript line never moves the cursor or hides bytes:
 * C0 controls except TAB and LF, DEL, the C1 controls (U+0080-U+009F; U+009B is a CSI to
 * terminals that honour 8-bit controls), and the Unicode line separators and bidirectional
 * overrides that reorder or break what a terminal shows. Idempotent: escaping twice changes
 * nothing more. Everything a peer sent goes through it, annotations and notes included.
 */
export function visible(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (ch) => {
      const code = ch.charCodeAt(0);
      if (code === 0x0d) return '\\r';
      if (code > 0xff) return `\\u${code.toString(16).padStart(4, '0')}`;
      return `\\x${code.toString(16).padStart(2, '0')}`;
    },
  );
}

/** The text of a client line as it may be shown: with its secret masked. */
export function shownText(line: ClientLine): string {
  return line.secret ? line.text.slice(0, line.secret.from) + MASK : line.text;
}

/** Renders framed items one at a time (live) or a whole transcript; keeps DATA-elision state. */
export class TranscriptRenderer {
  private dataLines = 0;
  private readonly paint: Record<'dim' | 'red' | 'yellow' | 'green' | 'cyan' | 'bold', Paint>;

  constructor(private readonly options: RenderOptions = {}) {
    const colors = pc.createColors(Boolean(options.color));
    this.paint = options.color
      ? {
          dim: colors.dim,
          red: colors.red,
          yellow: colors.yellow,
          green: colors.green,
          cyan: colors.cyan,
          bold: colors.bold,
        }
      : { dim: plain, red: plain, yellow: plain, green: plain, cyan: plain, bold: plain };
  }

  /** The rendered lines for one item (none when it is part of an elided message body). */
  render(item: FramedItem): string[] {
    const time = (t: number) => (this.options.times ? this.paint.dim(`${t.toFixed(1).padStart(8)} `) : '');
    switch (item.kind) {
      case 'note':
        return [
          time(item.t) +
            (item.level === 'error'
              ? this.paint.red(`*** ${visible(item.text)}`)
              : this.paint.dim(`=== ${visible(item.text)}`)),
        ];
      case 'garbage':
        return [
          time(item.t) +
            this.paint.red(
              // JSON escapes C0 controls itself; visible() after it catches DEL and C1 (escaping once).
              `*** ${item.error}: ${visible(JSON.stringify(item.raw.toString('utf8').slice(0, 200)))}`,
            ),
        ];
      case 'reply': {
        const arrow = item.tls ? '<~ ' : '<- ';
        const color =
          item.reply.code >= 500
            ? this.paint.red
            : item.reply.code >= 400
              ? this.paint.yellow
              : this.paint.green;
        const lines = item.reply.raw
          .toString('utf8')
          .split('\n')
          .filter((line, i, all) => line !== '' || i < all.length - 1)
          .map((line) => time(item.t) + color(`${arrow} ${visible(line.replace(/\r$/, ''))}`));
        if (item.chunks > 1) {
          lines[lines.length - 1] += this.paint.dim(`  [arrived in ${item.chunks} pieces]`);
        }
        return lines;
      }
      case 'line':
        return this.renderLine(item, time(item.t));
    }
  }

  private renderLine(line: ClientLine, time: string): string[] {
    const arrow = line.tls ? ' ~>' : ' ->';
    const flags: string[] = [];
    if (line.ending === 'lf') flags.push('bare LF');
    if (line.bareCr) flags.push('bare CR inside the line');
    if (line.ending === 'cr') flags.push('ends with a bare CR');
    if (line.ending === 'none') flags.push('no line ending');
    if (line.injected) flags.push('plaintext after STARTTLS: ignored');
    else if (line.early && line.mode !== 'data') flags.push('sent before the reply was complete');
    // Annotations quote what the client sent (a mechanism name, a decoded user name): escaped too.
    if (line.annotation) flags.push(visible(line.annotation));
    const suffix = flags.length ? this.paint.dim(`  [${flags.join('; ')}]`) : '';

    if (line.mode === 'data' && !line.dataEnd) {
      this.dataLines++;
      const max = this.options.maxDataLines ?? 0;
      if (max > 0 && this.dataLines > max) {
        return this.dataLines === max + 1
          ? [time + this.paint.dim('=== (rest of the message body not shown)')]
          : [];
      }
    }
    if (line.dataEnd) {
      const hidden = this.dataLines - (this.options.maxDataLines ?? 0);
      this.dataLines = 0;
      const out: string[] = [];
      if ((this.options.maxDataLines ?? 0) > 0 && hidden > 0) {
        out.push(time + this.paint.dim(`=== (${hidden} more body lines)`));
      }
      out.push(`${time}${arrow} .${suffix}`);
      return out;
    }
    const text = visible(shownText(line));
    return [`${time}${arrow} ${line.mode === 'data' ? text : this.paint.bold(text)}${suffix}`];
  }
}

export function renderItems(items: readonly FramedItem[], options: RenderOptions = {}): string {
  const renderer = new TranscriptRenderer(options);
  return items.flatMap((item) => renderer.render(item)).join('\n') + (items.length ? '\n' : '');
}

/**
 * Rendered lines with a map from item index to its first line (1-based), so that evidence can
 * point at transcript lines. Items inside an elided body point at the elision line.
 */
export function renderNumbered(
  items: readonly FramedItem[],
  options: RenderOptions = {},
): { lines: string[]; lineOf: number[] } {
  const renderer = new TranscriptRenderer(options);
  const lines: string[] = [];
  const lineOf: number[] = [];
  for (const item of items) {
    lineOf.push(Math.max(1, lines.length + 1));
    const rendered = renderer.render(item);
    if (!rendered.length) lineOf[lineOf.length - 1] = Math.max(1, lines.length);
    lines.push(...rendered);
  }
  return { lines, lineOf };
}

export function renderTranscript(transcript: Transcript, options: RenderOptions = {}): string {
  return renderItems(frameEvents(transcript.events), options);
}
