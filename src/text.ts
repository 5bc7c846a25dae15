import { displayWidth } from './i18n/width.js';
import { messages, type Messages } from './i18n/messages.js';

/**
 * Where a line may break: between words at whitespace, and (in Chinese, which has no spaces)
 * between two wide characters. Closing punctuation (，。）etc.) stays with what precedes it and
 * opening punctuation with what follows, so no line starts with "，" or ends with "（".
 */
const WIDE_CHARS =
  '\\p{Script=Han}\\u2E80-\\u2FFF\\u3000-\\u303F\\u3040-\\u30FF\\uAC00-\\uD7AF\\uFF00-\\uFFEF';
const WIDE = new RegExp(`[${WIDE_CHARS}]`, 'u');
const PIECES = new RegExp(`[${WIDE_CHARS}]|[^${WIDE_CHARS}]+`, 'gu');
const NO_LINE_START = /^[，。、；：！？）」』】》〉”’…—,.;:!?)\]}%]/u;
const NO_LINE_END = /[（「『【《〈“‘([{]$/u;

interface Unit {
  text: string;
  /** Whitespace stood before it in the source: joined back with one space. */
  spaced: boolean;
}

/** Splits text into the pieces a line may break between. */
function units(text: string): Unit[] {
  const out: Unit[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!WIDE.test(word)) {
      out.push({ text: word, spaced: true });
      continue;
    }
    // Break a word with wide characters into single wide characters and runs of the rest.
    const pieces = word.match(PIECES)!;
    pieces.forEach((piece, i) => {
      const last = out[out.length - 1];
      if (i > 0 && last && (NO_LINE_START.test(piece) || NO_LINE_END.test(last.text))) last.text += piece;
      else out.push({ text: piece, spaced: i === 0 });
    });
  }
  return out;
}

/**
 * Word-wraps text to `width` terminal columns (a Chinese character counts two); the first line
 * gets `first` as prefix, the rest `rest`.
 */
export function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let used = displayWidth(first);
  let empty = true;
  for (const unit of units(text)) {
    const sep = empty || !unit.spaced ? '' : ' ';
    const w = displayWidth(unit.text);
    if (!empty && used + sep.length + w > width) {
      lines.push(line);
      line = rest + unit.text;
      used = displayWidth(rest) + w;
    } else {
      line += sep + unit.text;
      used += sep.length + w;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/**
 * The one size parser: `25M`, `1.5 MB`, `1G`, `512k`, `4096` (K = 1024 bytes, M = 1024 K,
 * G = 1024 M; a trailing `B` or `iB` is allowed). Returns the bytes, or what is wrong as the end
 * of a sentence, like `"lots" is not a size (expected ...)`, in `m`'s language (English by
 * default), for the caller to prefix with the field or option it came from.
 */
export function parseSize(
  text: string,
  m: Messages = messages(),
): { bytes: number } | { problem: string; reason: 'not-a-size' | 'out-of-range' } {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  if (match === null)
    return { problem: m.t('cli.size.notASize', { value: JSON.stringify(text) }), reason: 'not-a-size' };
  const bytes = Math.round(Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toUpperCase()]!);
  if (bytes < 1)
    return { problem: m.t('cli.size.outOfRange', { value: JSON.stringify(text) }), reason: 'out-of-range' };
  return { bytes };
}
