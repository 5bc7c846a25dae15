import stringWidth from 'string-width';

/**
 * Terminal layout by display width: a Chinese character takes two columns, an ANSI colour code
 * none. Everything that pads, aligns, wraps or cuts text for a terminal measures with these.
 */
export function displayWidth(text: string): number {
  // Printable ASCII and Latin-1 (all English output, "§" included) is one column a character:
  // no need to ask the library, whose first non-ASCII call loads ICU's grapheme data.
  return NARROW.test(text) ? text.length : stringWidth(text);
}

/** Printable ASCII and Latin-1 but the soft hyphen (U+00AD, zero columns). */
const NARROW = /^[\x20-\x7e\xa0-\xac\xae-\xff]*$/;

/** Pads on the right to `width` columns (like String.padEnd, by display width). */
export function padEndWidth(text: string, width: number, fill = ' '): string {
  const gap = width - displayWidth(text);
  return gap > 0 ? text + fill.repeat(gap) : text;
}

/** Pads on the left to `width` columns. */
export function padStartWidth(text: string, width: number, fill = ' '): string {
  const gap = width - displayWidth(text);
  return gap > 0 ? fill.repeat(gap) + text : text;
}

/**
 * Cuts text (without ANSI codes) to at most `width` columns, ending in `ellipsis` when cut; never
 * splits a wide character or a surrogate pair.
 */
export function truncateWidth(text: string, width: number, ellipsis = '…'): string {
  if (displayWidth(text) <= width) return text;
  const room = width - displayWidth(ellipsis);
  let out = '';
  let used = 0;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment } of segmenter.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > room) break;
    out += segment;
    used += w;
  }
  return out + ellipsis;
}

/** Made on first use: building one loads ICU data, which English output never needs. */
let segmenter: Intl.Segmenter | undefined;
