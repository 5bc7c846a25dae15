import pc from 'picocolors';
import { messages, type Messages } from '../i18n/messages.js';
import type { Transcript } from './events.js';
import {
  frameEvents,
  MASK,
  type BodyLine,
  type ClientLine,
  type FramedItem,
  type MessageBody,
} from './framer.js';

/**
 * Human rendering in swaks' notation: `<-` server, ` ->` client, `<~` / ` ~>` inside TLS, `===`
 * information, `***` errors. Secrets are always masked here; there is no option to show them.
 */

export interface RenderOptions {
  /** Colour as decoration only; defaults to off. Callers decide from the TTY and NO_COLOR. */
  color?: boolean;
  /** Message body lines shown before the rest is summarised (0 = all the body summary keeps). */
  maxDataLines?: number;
  /** Prefix each line with its time in milliseconds since connect. */
  times?: boolean;
  /** The language of the annotations (flags, summaries); the bytes stay as sent. Default English. */
  messages?: Messages;
}

export { MASK };

type Paint = (text: string) => string;
/** The body-line flags counted in a message body's summary. */
type FlaggedKind = 'bareLf' | 'bareCr' | 'long' | 'dotStart' | 'loneDot';
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

/** Renders framed items one at a time (live) or a whole transcript. */
export class TranscriptRenderer {
  private readonly paint: Record<'dim' | 'red' | 'yellow' | 'green' | 'cyan' | 'bold', Paint>;
  private readonly m: Messages;

  constructor(private readonly options: RenderOptions = {}) {
    this.m = options.messages ?? messages();
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

  /** The time prefix of a rendered line (empty unless `times`). */
  readonly timeOf = (t: number): string =>
    this.options.times ? this.paint.dim(`${t.toFixed(1).padStart(8)} `) : '';

  /** The rendered lines for one item. */
  render(item: FramedItem): string[] {
    const time = this.timeOf;
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
          lines[lines.length - 1] += this.paint.dim(
            `  [${this.m.t('cli.transcript.pieces', { count: item.chunks })}]`,
          );
        }
        return lines;
      }
      case 'line':
        return this.renderLine(item, time(item.t));
      case 'body':
        return this.renderBody(item, time);
    }
  }

  /** A message body: its first lines, then what was counted (lines, bytes, flagged lines). */
  private renderBody(body: MessageBody, time: (t: number) => string): string[] {
    return this.renderBodyNumbered(body, time).lines;
  }

  /**
   * A message body's lines, and where each body line it shows is among them (body line number
   * -> offset): the first lines, a count of the rest, then every flagged line kept as a sample
   * (bare LF, bare CR, too long, an undoubled or lone ".", the unfinished last line).
   */
  renderBodyNumbered(
    body: MessageBody,
    time: (t: number) => string = () => '',
  ): { lines: string[]; at: Map<number, number> } {
    const arrow = body.tls ? ' ~>' : ' ->';
    const max = this.options.maxDataLines ?? 0;
    const shown = max > 0 ? body.head.slice(0, max) : body.head;
    const at = new Map<number, number>();
    const out: string[] = [];
    const show = (line: BodyLine, numbered: boolean) => {
      const flags = [
        ...(numbered ? [this.m.t('cli.transcript.bodyLine', { n: line.n })] : []),
        ...bodyLineFlags(line, this.m),
      ];
      const suffix = flags.length ? this.paint.dim(`  [${flags.join('; ')}]`) : '';
      at.set(line.n, out.length);
      out.push(`${time(line.t)}${arrow} ${visible(line.text)}${suffix}`);
    };
    for (const line of shown) show(line, false);
    const last = shown.at(-1)?.n ?? 0;
    if (body.lines > last) {
      const more = body.lines - last;
      out.push(
        time(body.tEnd) +
          this.paint.dim(
            `=== ${this.m.t(more === 1 ? 'cli.transcript.moreBodyLines.one' : 'cli.transcript.moreBodyLines.many', { count: more, bytes: body.bytes })}`,
          ),
      );
      const flags: Array<[FlaggedKind, MessageBody['bareLf']]> = [
        ['bareLf', body.bareLf],
        ['bareCr', body.bareCr],
        ['long', body.long],
        ['dotStart', body.dotStart],
        ['loneDot', body.loneDot],
      ];
      const samples = new Map<number, BodyLine>();
      for (const [what, flag] of flags) {
        const unseen = flag.samples.filter((l) => l.n > last);
        if (!unseen.length) continue;
        out.push(
          time(unseen[0]!.t) +
            this.paint.yellow(
              `=== ${this.m.t(`cli.transcript.flagged.${what}${flag.count === 1 ? 'One' : 'Many'}`, { count: flag.count })}`,
            ),
        );
        for (const line of unseen) samples.set(line.n, line);
      }
      if (body.unfinished && body.unfinished.n > last) samples.set(body.unfinished.n, body.unfinished);
      for (const line of [...samples.values()].sort((x, y) => x.n - y.n)) show(line, true);
    }
    return { lines: out, at };
  }

  private renderLine(line: ClientLine, time: string): string[] {
    const arrow = line.tls ? ' ~>' : ' ->';
    const flags: string[] = [];
    const m = this.m;
    if (line.ending === 'lf') flags.push(m.t('cli.transcript.flag.bareLf'));
    if (line.bareCr) flags.push(m.t('cli.transcript.flag.bareCr'));
    if (line.ending === 'cr') flags.push(m.t('cli.transcript.flag.endsCr'));
    if (line.ending === 'none') flags.push(m.t('cli.transcript.flag.noEnding'));
    if (line.injected) flags.push(m.t('cli.transcript.flag.injected'));
    else if (line.early && line.mode !== 'data') flags.push(m.t('cli.transcript.flag.early'));
    // Annotations quote what the client sent (a mechanism name, a decoded user name): escaped too.
    if (line.annotation) flags.push(visible(line.annotation));
    if (line.clipped) flags.push(m.t('cli.transcript.flag.clipped', { bytes: line.clipped }));
    const suffix = flags.length ? this.paint.dim(`  [${flags.join('; ')}]`) : '';
    if (line.dataEnd) return [`${time}${arrow} .${suffix}`];
    const text = visible(shownText(line));
    return [`${time}${arrow} ${line.mode === 'data' ? text : this.paint.bold(text)}${suffix}`];
  }
}

function bodyLineFlags(line: BodyLine, m: Messages): string[] {
  const flags: string[] = [];
  if (line.ending === 'lf') flags.push(m.t('cli.transcript.flag.bareLf'));
  if (line.bareCr) flags.push(m.t('cli.transcript.flag.bareCr'));
  if (line.ending === 'cr') flags.push(m.t('cli.transcript.flag.endsCr'));
  if (line.ending === 'none') flags.push(m.t('cli.transcript.flag.noEnding'));
  const ending = line.ending === 'crlf' ? 2 : line.ending === 'none' ? 0 : 1;
  if (line.length - ending > Buffer.byteLength(line.text))
    flags.push(m.t('cli.transcript.flag.clippedOctets', { octets: line.length - ending }));
  return flags;
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
): {
  lines: string[];
  lineOf: number[];
  /** For a body item: the (1-based) line of each body line it shows, by body line number. */
  bodyLineOf: Map<number, Map<number, number>>;
} {
  const renderer = new TranscriptRenderer(options);
  const lines: string[] = [];
  const lineOf: number[] = [];
  const bodyLineOf = new Map<number, Map<number, number>>();
  items.forEach((item, index) => {
    lineOf.push(Math.max(1, lines.length + 1));
    if (item.kind === 'body') {
      const { lines: rendered, at } = renderer.renderBodyNumbered(item, renderer.timeOf);
      bodyLineOf.set(index, new Map([...at].map(([n, offset]) => [n, lines.length + offset + 1])));
      lines.push(...rendered);
      return;
    }
    const rendered = renderer.render(item);
    if (!rendered.length) lineOf[lineOf.length - 1] = Math.max(1, lines.length);
    lines.push(...rendered);
  });
  return { lines, lineOf, bodyLineOf };
}

export function renderTranscript(transcript: Transcript, options: RenderOptions = {}): string {
  return renderItems(frameEvents(transcript.events), options);
}
