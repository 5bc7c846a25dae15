import { describe, expect, it } from 'vitest';
import * as checks from '../../src/i18n/areas/checks.js';
import * as cli from '../../src/i18n/areas/cli.js';
import * as grader from '../../src/i18n/areas/grader.js';
import * as scenarios from '../../src/i18n/areas/scenarios.js';
import * as server from '../../src/i18n/areas/server.js';
import * as web from '../../src/i18n/areas/web.js';

/**
 * One text, one key: a sentence two areas both need is written once, in one area, and the other
 * uses that key (the browser view's line flags are the terminal's `cli.transcript.flag.*`). Two
 * copies drift apart in translation. Labels of fewer than three words ("n/a", "{count} bytes") may
 * recur: the browser's `web.diagram.` words travel to the page as their own set.
 */
const AREAS = { checks, cli, grader, scenarios, server, web };
const FEWEST_WORDS = 3;

type Texts = Record<string, string>;

/** Every text of at least FEWEST_WORDS words (placeholders aside) that two areas write, with its keys. */
function sharedAcrossAreas(areas: Record<string, Texts>): string[] {
  const where = new Map<string, string[]>();
  for (const [area, texts] of Object.entries(areas)) {
    for (const [key, text] of Object.entries(texts)) {
      if (
        text
          .replace(/\{\w+\}/g, ' ')
          .split(/\s+/)
          .filter(Boolean).length < FEWEST_WORDS
      )
        continue;
      where.set(text, [...(where.get(text) ?? []), `${area}: ${key}`]);
    }
  }
  return [...where]
    .filter(([, places]) => new Set(places.map((p) => p.split(':')[0])).size > 1)
    .map(([text, places]) => `${JSON.stringify(text)} in ${places.join(', ')}`);
}

const english = Object.fromEntries(Object.entries(AREAS).map(([area, m]) => [area, m.en as Texts]));

describe('catalogue areas', () => {
  it('write no English sentence in two areas', () => {
    expect(sharedAcrossAreas(english)).toEqual([]);
  });

  it('the check finds a sentence pasted into a second area', () => {
    const text = english.cli!['cli.transcript.flag.early']!;
    const pasted = { cli: english.cli!, web: { ...english.web, 'web.flag.early': text } };
    expect(sharedAcrossAreas(pasted)).toEqual([
      `${JSON.stringify(text)} in cli: cli.transcript.flag.early, web: web.flag.early`,
    ]);
  });
});
