// The conversation as an SVG sequence diagram, drawn by our own code: the same module runs in the
// browser (the live view) and in Node (the self-contained HTML report). It takes the rows that
// src/web/session-view.ts builds and returns markup; every piece of text goes through esc().

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

function clip(text, max = MAX_CHARS) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
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
export function visibleBytes(bytes, maxBytes = 64 * 1024) {
  const shown = bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(shown);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = ch.charCodeAt(0);
    if (ch === '\r' && text[i + 1] === '\n') {
      out += '<span class="eol" data-eol="CRLF"></span>\n';
      i++;
    } else if (ch === '\n') out += '<span class="eol bad" data-eol="LF" title="bare LF"></span>\n';
    else if (ch === '\r') out += '<span class="eol bad" data-eol="CR" title="bare CR"></span>';
    else if (ch === '\t') out += '<span class="ctl">→</span>\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0))
      out += `<span class="ctl">\\x${code.toString(16).padStart(2, '0')}</span>`;
    else if (ch === '\ufffd') out += '<span class="ctl" title="not UTF-8">�</span>';
    else out += esc(ch);
  }
  if (bytes.length > maxBytes) out += `\n<span class="more">… ${bytes.length - maxBytes} more bytes</span>`;
  return out;
}

/** A hex dump (16 bytes a line) of at most 4 KiB. */
export function hexDump(bytes, maxBytes = 4096) {
  const lines = [];
  const n = Math.min(bytes.length, maxBytes);
  for (let i = 0; i < n; i += 16) {
    const chunk = Array.from(bytes.subarray(i, Math.min(i + 16, n)));
    const hex = chunk.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = chunk.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${i.toString(16).padStart(6, '0')}  ${hex.padEnd(47)}  ${esc(ascii)}`);
  }
  if (bytes.length > n) lines.push(`… ${bytes.length - n} more bytes`);
  return lines.join('\n');
}

/** The details panel for one row: what it is, its flags, and its exact bytes. */
export function rowDetails(row) {
  if (!row) return '';
  const bytes = fromB64(row.b64);
  const head = `<div class="detail-head"><b>${esc(kindTitle(row))}</b> at +${esc(ms(row.t))}${
    row.tls ? ' · inside TLS' : ''
  } · ${row.bytes} byte${row.bytes === 1 ? '' : 's'} · transcript line ${row.line}</div>`;
  const flags = row.flags.length
    ? `<ul class="flags">${row.flags.map((f) => `<li class="flag-${esc(f.kind)}">${esc(f.text)}</li>`).join('')}</ul>`
    : '';
  const pieces = row.pieces
    ? `<div class="pieces"><b>Arrived in ${row.pieces.length} pieces:</b>${row.pieces
        .map(
          (p, i) =>
            `<div class="piece"><span class="piece-t">piece ${i + 1} at +${esc(ms(p.t))}</span><pre>${visibleBytes(fromB64(p.b64))}</pre></div>`,
        )
        .join('')}</div>`
    : '';
  const body = row.b64
    ? `<pre class="bytes">${visibleBytes(bytes)}</pre><details><summary>hex</summary><pre class="hex">${hexDump(bytes)}</pre></details>`
    : `<pre class="bytes">${esc(row.text)}</pre>`;
  return head + flags + pieces + body;
}

function kindTitle(row) {
  switch (row.kind) {
    case 'reply':
      return `server reply ${row.code}`;
    case 'command':
      return 'client command';
    case 'auth':
      return 'client AUTH line';
    case 'data':
      return 'message line (DATA)';
    case 'data-more':
      return 'message lines (DATA, summarised)';
    case 'data-end':
      return 'end of DATA';
    case 'garbage':
      return 'server bytes that are not a reply';
    case 'tls':
      return 'TLS';
    case 'fault':
      return 'fault applied by the scenario';
    default:
      return 'note';
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
 * evidence points at.
 */
export function renderDiagram(view, options = {}) {
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
      out = drawPiece(row, slot.piece, groups.get(row), y);
      const ys = brackets.get(row) ?? [];
      ys.push(out.arrowY);
      brackets.set(row, ys);
    } else out = drawRow(row, y);
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
    `<text class="lane-title" x="${CLIENT_X}" y="26" text-anchor="middle">client</text>` +
    `<rect class="lane-head" x="${SERVER_X - 60}" y="8" width="120" height="26" rx="6"/>` +
    `<text class="lane-title" x="${SERVER_X}" y="26" text-anchor="middle">lab server</text>` +
    (view.live ? `<text class="live" x="${WIDTH / 2}" y="26" text-anchor="middle">● live</text>` : '');
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
    return `<g class="${cls.join(' ')}" id="${esc(rowAnchor(view.id, row.n))}" data-n="${row.n}" data-line="${row.line}" tabindex="0"><title>${esc(
      kindTitle(row) + (flagTextOf(row) ? ` — ${flagTextOf(row)}` : '') + ' (click for bytes)',
    )}</title>${drawn.get(row).join('')}</g>`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="diagram" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="SMTP conversation of session ${esc(view.id)}">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>` +
    tls +
    lanes +
    groupsSvg.join('') +
    `</svg>`
  );
}

function rowLines(row) {
  if (row.kind === 'reply') return row.text.split('\n').map((l) => clip(l));
  if (row.dir === 'c2s' && row.text === '') return ['(empty line)'];
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
function shortFlags(row, lines) {
  const texts = row.flags
    .filter((f) => f.kind !== 'fragmented' && f.kind !== 'secret')
    .map((f) =>
      f.kind === 'early' && row.overtook
        ? `sent before the reply was complete (${row.overtook.after}/${row.overtook.of} pieces in)`
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
function drawPiece(row, i, group, y) {
  const total = row.pieces.length;
  const piece = row.pieces[i];
  const bytes = new TextDecoder().decode(fromB64(piece.b64));
  const what = row.code ? `${row.code} reply` : 'server bytes';
  const head = i === 0 ? `✂ ${what} in ${total} pieces: ` : '';
  const label = `${head}${i + 1}/${total}  ${clip(JSON.stringify(bytes), 48)}`;
  let svg = timeAt(piece.t, y);
  let top = y;
  if (i === total - 1) {
    const code = row.code ? replyClass(row.code) : 'garbage';
    const lines = rowLines(row);
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
      i === total - 1 ? ` <tspan class="complete">— ${esc(what)} complete</tspan>` : ''
    }</text>` +
    `<line class="arrow s2c piece pg${group}" x1="${SERVER_X}" y1="${arrowY}" x2="${CLIENT_X}" y2="${arrowY}" marker-end="url(#arrow)"/>`;
  return { svg, h: arrowY - y + ROW_PAD, arrowY };
}

function drawRow(row, y) {
  const lines = rowLines(row);
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
        ? `<text class="flagtext" x="${SERVER_X - 8}" y="${ay - 3}" text-anchor="end">${esc(shortFlags(row, lines))}</text>`
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
 * of them links to its row.
 */
export function renderChecks(checks, views) {
  if (!checks || !checks.length) return '';
  const items = checks.map((check) => {
    const mark = !check.applicable ? '–' : check.passed ? '✓' : '✗';
    const cls = !check.applicable ? 'na' : check.passed ? 'pass' : 'fail';
    const evidence = (check.evidence || [])
      .map((e) => {
        const view = views[e.session];
        const row = view ? rowForLine(view, e.line) : undefined;
        const text = esc(e.text);
        return row
          ? `<li><a href="#${esc(rowAnchor(e.session, row.n))}" class="evidence" data-session="${esc(e.session)}" data-n="${row.n}">line ${e.line}</a> ${text}</li>`
          : `<li><span class="evidence-other">${esc(e.session.slice(0, 6))}:${e.line}</span> ${text}</li>`;
      })
      .join('');
    const notes = (check.notes || []).map((n) => `<li class="why">${esc(n)}</li>`).join('');
    const hint =
      check.applicable && !check.passed && check.hint ? `<div class="hint">💡 ${esc(check.hint)}</div>` : '';
    const points = check.applicable ? `${check.points}/${check.maxPoints}` : 'n/a';
    return `<li class="check ${cls}"><div class="check-head"><span class="mark">${mark}</span> ${esc(check.title)} <span class="pts">${esc(points)}</span></div><div class="check-id">${esc(check.id)}</div>${evidence || notes ? `<ul class="evidence-list">${evidence}${notes}</ul>` : ''}${hint}</li>`;
  });
  return `<ul class="checks">${items.join('')}</ul>`;
}
