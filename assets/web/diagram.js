// The conversation as an SVG sequence diagram, drawn by our own code: the same module runs in the
// browser (the live view) and in Node (the self-contained HTML report). It takes the rows that
// src/web/session-view.ts builds and returns markup; every piece of text goes through esc().
// Its words come from its caller (`text`: the `web.diagram.` messages of src/i18n/areas/web.ts, as
// src/web/text.ts gives them), so the page and the HTML report each speak their own language.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML and SVG content and attribute values. */
export function esc(text) {
  return String(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

const WIDTH = 840;
const TIME_X = 4;
const CLIENT_X = 88;
const SERVER_X = 780;
const LINE_H = 15;
const ROW_PAD = 9;
const MAX_CHARS = 92;
const PIECE_H = 18;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/**
 * The message `key` of `text` with its `{placeholders}` filled from `params` (as src/i18n's
 * format(): a name without a value stays as written, values are not scanned again). A key the
 * caller did not give shows as the key itself, so a missing message is seen, not hidden.
 */
export function tr(text, key, params = {}) {
  const template = text && Object.hasOwn(text, key) ? text[key] : key;
  return template.replace(PLACEHOLDER, (whole, name) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** Han, kana, hangul and full-width forms: about two Latin letters wide on the diagram. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** `text` cut to `max` columns (a wide character counts two), with an ellipsis if cut. */
function clip(text, max = MAX_CHARS) {
  let width = 0;
  let cut = -1;
  for (let i = 0; i < text.length; i++) {
    width += WIDE.test(text[i]) ? 2 : 1;
    if (cut < 0 && width > max - 1) cut = i;
    if (width > max) return text.slice(0, cut) + '…';
  }
  return text;
}

function ms(t) {
  return t < 1000 ? `${t.toFixed(1)} ms` : `${(t / 1000).toFixed(2)} s`;
}

function replyClass(code) {
  return code >= 500 ? 'r5' : code >= 400 ? 'r4' : code >= 300 ? 'r3' : 'r2';
}

/** Decodes base64 to bytes in the browser and in Node alike. */
export function fromB64(b64) {
  const bin = atob(b64 || '');
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Bytes as text with every line ending and control character visible: a CRLF, LF or CR tag at
 * each line end (a bare LF or CR in red; drawn by CSS, so copied text stays the bytes), other
 * controls as \xNN. Returns HTML (escaped).
 */
export function visibleBytes(bytes, maxBytes = 64 * 1024, text = undefined) {
  const shown = bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(shown);
  const bareLf = esc(tr(text, 'web.diagram.bareLf'));
  const bareCr = esc(tr(text, 'web.diagram.bareCr'));
  let out = '';
  for (let i = 0; i < decoded.length; i++) {
    const ch = decoded[i];
    const code = ch.charCodeAt(0);
    if (ch === '\r' && decoded[i + 1] === '\n') {
      out += '<span class="eol" data-eol="CRLF"></span>\n';
      i++;
    } else if (ch === '\n') out += `<span class="eol bad" data-eol="LF" title="${bareLf}"></span>\n`;
    else if (ch === '\r') out += `<span class="eol bad" data-eol="CR" title="${bareCr}"></span>`;
    else if (ch === '\t') out += '<span class="ctl">→</span>\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0))
      out += `<span class="ctl">\\x${code.toString(16).padStart(2, '0')}</span>`;
    else if (ch === '\ufffd')
      out += `<span class="ctl" title="${esc(tr(text, 'web.diagram.notUtf8'))}">�</span>`;
    else out += esc(ch);
  }
  if (bytes.length > maxBytes)
    out += `\n<span class="more">${esc(tr(text, 'web.diagram.moreBytes', { count: bytes.length - maxBytes }))}</span>`;
  return out;
}

/** A hex dump (16 bytes a line) of at most 4 KiB. */
export function hexDump(bytes, maxBytes = 4096, text = undefined) {
  const lines = [];
  const n = Math.min(bytes.length, maxBytes);
  for (let i = 0; i < n; i += 16) {
    const chunk = Array.from(bytes.subarray(i, Math.min(i + 16, n)));
    const hex = chunk.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = chunk.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${i.toString(16).padStart(6, '0')}  ${hex.padEnd(47)}  ${esc(ascii)}`);
  }
  if (bytes.length > n) lines.push(esc(tr(text, 'web.diagram.moreBytes', { count: bytes.length - n })));
  return lines.join('\n');
}

/** The details panel for one row: what it is, its flags, and its exact bytes. */
export function rowDetails(row, text = undefined) {
  if (!row) return '';
  const bytes = fromB64(row.b64);
  const at = esc(tr(text, 'web.diagram.detailAt', { kind: '\u0000', time: ms(row.t) })).replace(
    '\u0000',
    `<b>${esc(kindTitle(row, text))}</b>`,
  );
  const facts = [
    at,
    row.tls && esc(tr(text, 'web.diagram.detailTls')),
    esc(
      row.bytes === 1
        ? tr(text, 'web.diagram.detailOneByte')
        : tr(text, 'web.diagram.detailBytes', { count: row.bytes }),
    ),
    esc(tr(text, 'web.diagram.detailLine', { line: row.line })),
  ].filter(Boolean);
  const head = `<div class="detail-head">${facts.join(' · ')}</div>`;
  const flags = row.flags.length
    ? `<ul class="flags">${row.flags.map((f) => `<li class="flag-${esc(f.kind)}">${esc(f.text)}</li>`).join('')}</ul>`
    : '';
  const pieces = row.pieces
    ? `<div class="pieces"><b>${esc(tr(text, 'web.diagram.arrived', { count: row.pieces.length }))}</b>${row.pieces
        .map(
          (p, i) =>
            `<div class="piece"><span class="piece-t">${esc(tr(text, 'web.diagram.piece', { n: i + 1, time: ms(p.t) }))}</span><pre>${visibleBytes(fromB64(p.b64), undefined, text)}</pre></div>`,
        )
        .join('')}</div>`
    : '';
  const body = row.b64
    ? `<pre class="bytes">${visibleBytes(bytes, undefined, text)}</pre><details><summary>${esc(tr(text, 'web.diagram.hex'))}</summary><pre class="hex">${hexDump(bytes, undefined, text)}</pre></details>`
    : `<pre class="bytes">${esc(row.text)}</pre>`;
  return head + flags + pieces + body;
}

function kindTitle(row, text) {
  switch (row.kind) {
    case 'reply':
      return tr(text, 'web.diagram.kind.reply', { code: row.code });
    case 'command':
      return tr(text, 'web.diagram.kind.command');
    case 'auth':
      return tr(text, 'web.diagram.kind.auth');
    case 'data':
      return tr(text, 'web.diagram.kind.data');
    case 'data-more':
      return tr(text, 'web.diagram.kind.dataMore');
    case 'data-end':
      return tr(text, 'web.diagram.kind.dataEnd');
    case 'garbage':
      return tr(text, 'web.diagram.kind.garbage');
    case 'tls':
      return tr(text, 'web.diagram.kind.tls');
    case 'fault':
      return tr(text, 'web.diagram.kind.fault');
    default:
      return tr(text, 'web.diagram.kind.note');
  }
}

/** Colours of fragmented replies: one per reply, so pieces of replies that overlap stay apart. */
const PIECE_GROUPS = 3;

/**
 * Where things go, top to bottom in time: one slot per row, except that a reply which arrived in
 * several writes gets one slot per piece, each at its own arrival time (so a client line sent
 * while a reply was still arriving is drawn between the pieces it overtook). Stable in time.
 */
function slotsOf(rows) {
  const slots = [];
  for (const row of rows) {
    if (row.pieces && row.pieces.length > 1)
      row.pieces.forEach((p, i) => slots.push({ row, piece: i, t: p.t }));
    else slots.push({ row, piece: -1, t: row.t });
  }
  return slots.sort((a, b) => a.t - b.t);
}

/**
 * The diagram: client and server lanes, top to bottom in time with the time since connect at the
 * left; each command, reply or event at the time it was seen, and each piece of a fragmented reply
 * at the time it arrived, the pieces of one reply joined by a bracket in one colour.
 * `options.selected`: the row number to highlight; `options.marked`: row numbers that check
 * evidence points at; `options.text`: the words (`web.diagram.` messages).
 */
export function renderDiagram(view, options = {}) {
  const text = options.text;
  const selected = options.selected ?? -1;
  const marked = new Set(options.marked ?? []);
  const rows = view.rows;
  const drawn = new Map(rows.map((row) => [row, []]));
  const groups = new Map();
  const brackets = new Map();
  let y = 52;
  let tlsStart = -1;
  const bands = [];
  for (const slot of slotsOf(rows)) {
    const { row } = slot;
    if (row.tls && tlsStart < 0) tlsStart = y;
    if (!row.tls && row.dir !== 'info' && tlsStart >= 0) {
      bands.push([tlsStart, y]);
      tlsStart = -1;
    }
    let out;
    if (slot.piece >= 0) {
      if (!groups.has(row)) groups.set(row, groups.size % PIECE_GROUPS);
      out = drawPiece(row, slot.piece, groups.get(row), y, text);
      const ys = brackets.get(row) ?? [];
      ys.push(out.arrowY);
      brackets.set(row, ys);
    } else out = drawRow(row, y, text);
    drawn
      .get(row)
      .push(`<rect class="hit" x="0" y="${y - 2}" width="${WIDTH}" height="${out.h}"/>` + out.svg);
    y += out.h;
  }
  if (tlsStart >= 0) bands.push([tlsStart, y]);
  // One bracket per fragmented reply beside the server lane, a tick at each piece.
  for (const [row, ys] of brackets) {
    const x = SERVER_X + 14;
    const ticks = ys.map((py) => `<line x1="${SERVER_X}" y1="${py}" x2="${x}" y2="${py}"/>`).join('');
    drawn
      .get(row)
      .push(
        `<g class="bracket pg${groups.get(row)}">${ticks}<line x1="${x}" y1="${ys[0]}" x2="${x}" y2="${ys.at(-1)}"/></g>`,
      );
  }
  const height = y + 30;
  const lanes =
    `<line class="lane" x1="${CLIENT_X}" y1="40" x2="${CLIENT_X}" y2="${height - 10}"/>` +
    `<line class="lane" x1="${SERVER_X}" y1="40" x2="${SERVER_X}" y2="${height - 10}"/>` +
    `<rect class="lane-head" x="${CLIENT_X - 60}" y="8" width="120" height="26" rx="6"/>` +
    `<text class="lane-title" x="${CLIENT_X}" y="26" text-anchor="middle">${esc(tr(text, 'web.diagram.client'))}</text>` +
    `<rect class="lane-head" x="${SERVER_X - 60}" y="8" width="120" height="26" rx="6"/>` +
    `<text class="lane-title" x="${SERVER_X}" y="26" text-anchor="middle">${esc(tr(text, 'web.diagram.server'))}</text>` +
    (view.live
      ? `<text class="live" x="${WIDTH / 2}" y="26" text-anchor="middle">${esc(tr(text, 'web.diagram.live'))}</text>`
      : '');
  const tls = bands
    .map(
      ([a, b]) =>
        `<rect class="tls-band" x="${CLIENT_X}" y="${a - 4}" width="${SERVER_X - CLIENT_X}" height="${b - a}"/>` +
        `<text class="tls-label" x="${SERVER_X - 6}" y="${a + 8}" text-anchor="end">🔒 TLS</text>`,
    )
    .join('');
  const groupsSvg = rows.map((row) => {
    const cls = ['row', `k-${row.kind}`];
    if (row.n === selected) cls.push('selected');
    if (marked.has(row.n)) cls.push('marked');
    if (row.flags.some((f) => f.kind !== 'secret' && f.kind !== 'fragmented')) cls.push('flagged');
    const flags = flagTextOf(row);
    const title = flags
      ? tr(text, 'web.diagram.rowTitleFlags', { kind: kindTitle(row, text), flags })
      : tr(text, 'web.diagram.rowTitle', { kind: kindTitle(row, text) });
    return `<g class="${cls.join(' ')}" id="${esc(rowAnchor(view.id, row.n))}" data-n="${row.n}" data-line="${row.line}" tabindex="0"><title>${esc(
      title,
    )}</title>${drawn.get(row).join('')}</g>`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="diagram" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${esc(tr(text, 'web.diagram.aria', { id: view.id }))}">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>` +
    tls +
    lanes +
    groupsSvg.join('') +
    `</svg>`
  );
}

function rowLines(row, text) {
  if (row.kind === 'reply') return row.text.split('\n').map((l) => clip(l));
  if (row.dir === 'c2s' && row.text === '') return [tr(text, 'web.diagram.emptyLine')];
  return [clip(row.text)];
}

function flagTextOf(row) {
  return row.flags
    .filter((f) => f.kind !== 'fragmented' && f.kind !== 'secret')
    .map((f) => f.text)
    .join(' · ');
}

/**
 * The flags as they fit on the arrow, right of the line's own text (the details panel has them in
 * full): an overtaking line says how many pieces of the reply it overtook had arrived.
 */
function shortFlags(row, lines, text) {
  const texts = row.flags
    .filter((f) => f.kind !== 'fragmented' && f.kind !== 'secret')
    .map((f) =>
      f.kind === 'early' && row.overtook
        ? tr(text, 'web.diagram.early', { after: row.overtook.after, of: row.overtook.of })
        : f.text,
    );
  const room = Math.floor((SERVER_X - CLIENT_X - 24) / 6.6) - (lines.at(-1)?.length ?? 0) - 3;
  return clip(`⚠ ${texts.join(' · ')}`, Math.max(12, room));
}

function timeAt(t, y) {
  return `<text class="t" x="${TIME_X}" y="${y + 12}">+${esc(ms(t))}</text>`;
}

/**
 * One piece of a fragmented reply, at its own time: its bytes on a dashed arrow, "i/N"; the first
 * says which reply it starts, the last carries the whole reply's text (complete only now).
 */
function drawPiece(row, i, group, y, text) {
  const total = row.pieces.length;
  const piece = row.pieces[i];
  const bytes = clip(JSON.stringify(new TextDecoder().decode(fromB64(piece.b64))), 48);
  const params = { code: row.code, total, n: i + 1, bytes };
  const label =
    i > 0
      ? `${i + 1}/${total}  ${bytes}`
      : tr(text, row.code ? 'web.diagram.pieceFirstReply' : 'web.diagram.pieceFirstBytes', params);
  const complete = tr(text, row.code ? 'web.diagram.completeReply' : 'web.diagram.completeBytes', params);
  let svg = timeAt(piece.t, y);
  let top = y;
  if (i === total - 1) {
    const code = row.code ? replyClass(row.code) : 'garbage';
    const lines = rowLines(row, text);
    svg += lines
      .map(
        (l, k) =>
          `<text class="label s2c ${code}" x="${SERVER_X - 8}" y="${y + 11 + k * LINE_H}" text-anchor="end">${esc(l)}</text>`,
      )
      .join('');
    top = y + lines.length * LINE_H;
  }
  const arrowY = top + PIECE_H - 2;
  svg +=
    `<text class="piece-label pg${group}" x="${CLIENT_X + 14}" y="${arrowY - 3}">${esc(label)}${
      i === total - 1 ? ` <tspan class="complete">${esc(complete)}</tspan>` : ''
    }</text>` +
    `<line class="arrow s2c piece pg${group}" x1="${SERVER_X}" y1="${arrowY}" x2="${CLIENT_X}" y2="${arrowY}" marker-end="url(#arrow)"/>`;
  return { svg, h: arrowY - y + ROW_PAD, arrowY };
}

function drawRow(row, y, text) {
  const lines = rowLines(row, text);
  const h = Math.max(1, lines.length) * LINE_H + ROW_PAD;
  let body = timeAt(row.t, y);
  const flagText = flagTextOf(row);
  if (row.dir === 'info') {
    const icon = row.kind === 'fault' ? '⚡ ' : row.kind === 'tls' ? '🔒 ' : row.kind === 'error' ? '✖ ' : '';
    body +=
      `<rect class="band b-${row.kind}" x="${CLIENT_X + 20}" y="${y}" width="${SERVER_X - CLIENT_X - 40}" height="${LINE_H + 2}" rx="4"/>` +
      `<text class="note" x="${(CLIENT_X + SERVER_X) / 2}" y="${y + 12}" text-anchor="middle">${esc(icon + clip(row.text, 110))}</text>`;
  } else if (row.dir === 'c2s') {
    const ay = y + lines.length * LINE_H;
    body +=
      lines
        .map(
          (l, i) => `<text class="label c2s" x="${CLIENT_X + 8}" y="${y + 11 + i * LINE_H}">${esc(l)}</text>`,
        )
        .join('') +
      `<line class="arrow c2s${row.kind === 'data' || row.kind === 'data-more' ? ' data' : ''}" x1="${CLIENT_X}" y1="${ay}" x2="${SERVER_X}" y2="${ay}" marker-end="url(#arrow)"/>` +
      (flagText
        ? `<text class="flagtext" x="${SERVER_X - 8}" y="${ay - 3}" text-anchor="end">${esc(shortFlags(row, lines, text))}</text>`
        : '');
  } else {
    const code = row.code ? replyClass(row.code) : 'garbage';
    const ay = y + lines.length * LINE_H;
    body +=
      lines
        .map(
          (l, i) =>
            `<text class="label s2c ${code}" x="${SERVER_X - 8}" y="${y + 11 + i * LINE_H}" text-anchor="end">${esc(l)}</text>`,
        )
        .join('') +
      `<line class="arrow s2c ${code}" x1="${SERVER_X}" y1="${ay}" x2="${CLIENT_X}" y2="${ay}" marker-end="url(#arrow)"/>`;
  }
  return { svg: body, h };
}

/**
 * The row that transcript line `line` (check evidence) falls on: the row printed on that line,
 * else the one printed last before it. Rows are in time order, so lines are not sorted.
 */
export function rowForLine(view, line) {
  let found;
  for (const row of view.rows) if (row.line <= line && (!found || row.line > found.line)) found = row;
  return found;
}

/** The anchor of a row, unique in a page that shows several sessions. */
export function rowAnchor(sessionId, n) {
  return `s-${sessionId}-row-${n}`;
}

/**
 * The verdicts beside the diagram. `views`: the sessions drawn on the page, by id; evidence in one
 * of them links to its row. `text`: the words (`web.diagram.` messages).
 */
export function renderChecks(checks, views, text = undefined) {
  if (!checks || !checks.length) return '';
  const items = checks.map((check) => {
    const mark = !check.applicable ? '–' : check.passed ? '✓' : '✗';
    const cls = !check.applicable ? 'na' : check.passed ? 'pass' : 'fail';
    const evidence = (check.evidence || [])
      .map((e) => {
        const view = views[e.session];
        const row = view ? rowForLine(view, e.line) : undefined;
        const said = esc(e.text);
        return row
          ? `<li><a href="#${esc(rowAnchor(e.session, row.n))}" class="evidence" data-session="${esc(e.session)}" data-n="${row.n}">${esc(tr(text, 'web.diagram.evidenceLine', { line: e.line }))}</a> ${said}</li>`
          : `<li><span class="evidence-other">${esc(e.session.slice(0, 6))}:${e.line}</span> ${said}</li>`;
      })
      .join('');
    const notes = (check.notes || []).map((n) => `<li class="why">${esc(n)}</li>`).join('');
    const hint =
      check.applicable && !check.passed && check.hint ? `<div class="hint">💡 ${esc(check.hint)}</div>` : '';
    const points = check.applicable
      ? `${check.points}/${check.maxPoints}`
      : tr(text, 'web.diagram.notApplicable');
    return `<li class="check ${cls}"><div class="check-head"><span class="mark">${mark}</span> ${esc(check.title)} <span class="pts">${esc(points)}</span></div><div class="check-id">${esc(check.id)}</div>${evidence || notes ? `<ul class="evidence-list">${evidence}${notes}</ul>` : ''}${hint}</li>`;
  });
  return `<ul class="checks">${items.join('')}</ul>`;
}
