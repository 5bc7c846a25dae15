import pc from 'picocolors';
import type { Lang } from '../i18n/lang.js';
import { messages, type MessageKey } from '../i18n/messages.js';
import { displayWidth, padEndWidth } from '../i18n/width.js';
import type { Explanation } from '../protocol/codes.js';
import { wrap } from '../text.js';

/**
 * The terminal layout of a reply-code explanation (`smtp-lab explain`): colours and wrapping are
 * the CLI's; protocol/codes.ts keeps the data and the explanation itself.
 */

export interface FormatOptions {
  color?: boolean;
  /** The language of the labels (default English); give the one the explanation was made in. */
  lang?: Lang;
  /** Wrap text to this many columns (default 100). */
  width?: number;
}

/** Renders an explanation for a terminal: a title line, then labelled, wrapped paragraphs. */
export function formatExplanation(explanation: Explanation, options: FormatOptions = {}): string {
  const c = pc.createColors(Boolean(options.color));
  const m = messages(options.lang);
  const width = Math.max(40, options.width ?? 100);
  const out: string[] = [];
  const label = (key: LabelKey) => `  ${padEndWidth(m.t(key), 9)} `;
  const field = (name: LabelKey, text: string) => {
    out.push(
      ...wrap(text, width, label(name), ' '.repeat(displayWidth(label(name)))).map((line, i) =>
        i === 0 ? c.dim(line.slice(0, label(name).length)) + line.slice(label(name).length) : line,
      ),
    );
  };

  const nextColor =
    explanation.next === 'continue' ? c.green : explanation.next === 'retry-later' ? c.yellow : c.red;
  out.push(`${c.bold(explanation.query)}  ${c.bold(explanation.title)}`);

  const reply = explanation.reply;
  if (reply) {
    out.push('');
    out.push(heading(m.t('explain.heading.reply', { code: reply.code }), reply.name, reply.ref));
    field('explain.label.meaning', reply.meaning);
    if (reply.appears) field('explain.label.appears', reply.appears);
    const { first, second, third } = reply.digits;
    field(
      'explain.label.digits',
      m.t('explain.digitsLine', {
        d1: first.value,
        first: first.name,
        d2: second.value,
        second: second.name,
        d3: third.value,
        third: third.name,
        ref: first.ref,
      }),
    );
  }
  const enh = explanation.enhanced;
  if (enh) {
    out.push('');
    out.push(heading(m.t('explain.heading.enhanced', { code: enh.code }), enh.name, enh.ref));
    if (enh.known) field('explain.label.meaning', enh.meaning);
    field('explain.label.class', m.t('explain.partLine', enh.class));
    field('explain.label.subject', m.t('explain.partLine', enh.subject));
  }
  out.push('');
  out.push(
    m.t('explain.nextLine', { label: c.bold(m.t('explain.next')), step: nextColor(explanation.nextText) }),
  );
  out.push(...wrap(explanation.advice, width, '  ', '  '));
  for (const note of explanation.notes)
    out.push(...wrap(m.t('explain.note', { note }), width, '  ', '        ').map((l) => c.yellow(l)));
  out.push(c.dim(m.t('explain.sources', { refs: explanation.refs.join('; ') })));
  return out.join('\n') + '\n';

  /** "Reply 535: name (ref)", coloured in parts. */
  function heading(what: string, name: string, ref: string): string {
    return m.t('explain.headingLine', {
      what: c.cyan(what),
      name,
      ref: c.dim(m.t('explain.ref', { ref })),
    });
  }
}

type LabelKey = Extract<MessageKey, `explain.label.${string}`>;
