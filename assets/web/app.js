// The smtp-lab browser view: plain ES module, no build step. Every piece of data comes from the
// JSON API under /api/ and every piece of text shown goes through esc() (or textContent). Its words
// are the `web.` messages of the catalogue in the page's language, which the server wrote into
// index.html (#smtp-lab-text): this file keeps none of its own.
import { esc, renderChecks, renderDiagram, rowDetails, rowForLine, tr, visibleBytes } from './diagram.js';

const PAGE = 50;
const $ = (id) => document.getElementById(id);
const LANG = document.documentElement.lang || 'en';
const TEXT = JSON.parse($('smtp-lab-text')?.textContent || '{}');
/** The message `key` in the page's language, `{placeholders}` filled (plain text: escape it). */
const t = (key, params) => tr(TEXT, key, params);
/** Dates as the page's language writes them (English: as the browser's locale does). */
const LOCALE = LANG === 'en' ? undefined : LANG;
const state = { route: null, offset: 0, openSession: null, view: null, selected: -1, fresh: new Set() };

async function api(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const m = /^\/(messages|sessions)(?:\/([\w-]+))?(?:\/row\/(\d+))?$/.exec(hash);
  if (m)
    return {
      list: m[1] === 'sessions' ? 'sessions' : 'messages',
      id: m[2] ?? null,
      row: m[3] ? Number(m[3]) : -1,
    };
  return { list: 'messages', id: null, row: -1 };
}

function size(n) {
  return n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KB`
      : `${(n / 1048576).toFixed(1)} MB`;
}

function when(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString(LOCALE) : d.toLocaleString(LOCALE);
}

// ---------- lists ----------

async function showList() {
  const route = state.route;
  const list = $('list');
  const path = route.list === 'sessions' ? '/api/sessions' : '/api/messages';
  const page = await api(`${path}?offset=${state.offset}&limit=${PAGE}`);
  if (route.list === 'messages') $('count').textContent = page.total ? String(page.total) : '';
  $('nav-inbox').classList.toggle('active', route.list === 'messages');
  $('nav-sessions').classList.toggle('active', route.list === 'sessions');
  const items = page.items.map((item) => (route.list === 'sessions' ? sessionItem(item) : messageItem(item)));
  const empty =
    route.list === 'sessions'
      ? `<p class="empty">${esc(t('web.list.emptySessions'))}</p>`
      : `<p class="empty">${esc(t('web.list.emptyMessages'))}</p>`;
  const pager =
    page.total > PAGE
      ? `<div class="pager"><button id="newer" ${state.offset === 0 ? 'disabled' : ''}>${esc(t('web.list.newer'))}</button><span>${esc(
          t('web.list.range', {
            first: state.offset + 1,
            last: Math.min(state.offset + PAGE, page.total),
            total: page.total,
          }),
        )}</span><button id="older" ${state.offset + PAGE >= page.total ? 'disabled' : ''}>${esc(t('web.list.older'))}</button></div>`
      : '';
  list.innerHTML = `<ul class="items">${items.join('') || `<li>${empty}</li>`}</ul>${pager}`;
  $('newer')?.addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE);
    void showList();
  });
  $('older')?.addEventListener('click', () => {
    state.offset += PAGE;
    void showList();
  });
}

function messageItem(m) {
  const active = state.route.list === 'messages' && state.route.id === m.id ? ' active' : '';
  const fresh = state.fresh.has(m.id) ? ' fresh' : '';
  return `<li class="item${active}${fresh}" data-id="${esc(m.id)}"><a href="#/messages/${esc(m.id)}">
    <div class="item-top"><span class="from">${esc(m.from || m.mailFrom || t('web.list.noSender'))}</span><span class="when">${esc(when(m.receivedAt))}</span></div>
    <div class="subject">${esc(m.subject ?? t('web.list.noSubject'))}</div>
    <div class="meta">${esc(t('web.list.to', { recipients: m.rcptTo.join(', ') }))} · ${esc(size(m.size))}${m.tls !== 'none' ? ' · 🔒' : ''}</div></a></li>`;
}

function sessionItem(s) {
  const active = state.route.list === 'sessions' && state.route.id === s.id ? ' active' : '';
  return `<li class="item${active}" data-id="${esc(s.id)}"><a href="#/sessions/${esc(s.id)}">
    <div class="item-top"><span class="from">${esc(t('web.list.session', { id: s.id.slice(0, 6) }))}</span><span class="when">${esc(when(s.startedAt))}</span></div>
    <div class="meta">${esc(s.peer ?? '')} · ${esc(size(s.bytes))}${s.live ? ` · <span class="live">${esc(t('web.live'))}</span>` : ''}</div></a></li>`;
}

// ---------- one message ----------

async function showMessage(id) {
  const detail = $('detail');
  let m;
  try {
    m = await api(`/api/messages/${encodeURIComponent(id)}?lang=${LANG}`);
  } catch {
    detail.innerHTML = `<p class="empty">${esc(t('web.message.missing'))}</p>`;
    return;
  }
  const r = m.record;
  const base = `/api/messages/${encodeURIComponent(id)}`;
  const inlineImages = m.attachments.filter((a) => /^image\/(png|jpeg|gif|webp)$/i.test(a.contentType));
  const attachments = m.attachments.length
    ? `<div class="attachments"><h3>${esc(t('web.message.attachments'))}</h3><ul>${m.attachments
        .map(
          (a) =>
            `<li><a href="${base}/attachments/${a.index}" download>${esc(a.filename ?? t('web.message.part', { n: a.index + 1 }))}</a> <span class="dim">${esc(a.contentType)} · ${esc(size(a.size))}${a.contentId ? ` · cid ${esc(a.contentId)}` : ''}${a.inline ? ` · ${esc(t('web.message.inline'))}` : ''}</span></li>`,
        )
        .join('')}</ul>${
        !m.hasHtml && inlineImages.length
          ? inlineImages
              .map(
                (a) =>
                  `<img class="preview" alt="${esc(a.filename ?? '')}" src="${base}/attachments/${a.index}?inline">`,
              )
              .join('')
          : ''
      }</div>`
    : '';
  const html = m.hasHtml
    ? `<h3>${esc(t('web.message.htmlPart'))} <span class="dim">${esc(t('web.message.htmlSandbox'))}</span></h3><iframe class="mail-html" sandbox="" referrerpolicy="no-referrer" src="${base}/html" title="${esc(t('web.message.htmlFrame'))}"></iframe>`
    : '';
  const text =
    m.text !== null
      ? `<h3>${esc(t('web.message.textPart'))}</h3><pre class="mail-text">${esc(m.text)}</pre>`
      : '';
  const problems = countProblems(m.tree);
  detail.innerHTML = `
    <article class="message">
      <h1 class="mail-subject">${esc(m.subject ?? t('web.list.noSubject'))}</h1>
      <dl class="mail-head">
        <dt>${esc(t('web.message.from'))}</dt><dd>${esc(m.from ?? '')}</dd>
        <dt>${esc(t('web.message.to'))}</dt><dd>${esc(m.to ?? '')}</dd>
        ${m.cc ? `<dt>${esc(t('web.message.cc'))}</dt><dd>${esc(m.cc)}</dd>` : ''}
        <dt>${esc(t('web.message.date'))}</dt><dd>${esc(m.date ?? t('web.message.noDate'))}</dd>
      </dl>
      <div class="envelope">
        <span><b>MAIL FROM</b> &lt;${esc(r.envelope.mailFrom)}&gt;</span>
        <span><b>RCPT TO</b> ${r.envelope.rcptTo.map((to) => `&lt;${esc(to)}&gt;`).join(', ')}</span>
        <span><b>TLS</b> ${esc(r.tls.mode)}${r.tls.protocol ? ` (${esc(r.tls.protocol)})` : ''}</span>
        <span><b>AUTH</b> ${r.auth ? `${esc(r.auth.user)} (${esc(r.auth.mechanism)})` : esc(t('web.message.noAuth'))}</span>
        <span><b>${esc(t('web.message.received'))}</b> ${esc(when(r.receivedAt))} · ${esc(size(r.size))}</span>
        <a href="#/sessions/${esc(r.sessionId)}">${esc(t('web.message.conversation', { id: r.sessionId.slice(0, 6) }))}</a>
      </div>
      <div class="tabs" role="tablist">
        <button data-tab="view" class="on">${esc(t('web.message.tabView'))}</button>
        <button data-tab="tree">${esc(t('web.message.tabTree'))}${problems ? ` <span class="badge">${problems}</span>` : ''}</button>
        <button data-tab="headers">${esc(t('web.message.tabHeaders'))}</button>
        <button data-tab="raw">${esc(t('web.message.tabRaw'))}</button>
      </div>
      <div class="tab" data-tab="view">${html}${text}${attachments}</div>
      <div class="tab" data-tab="tree" hidden><ul class="tree">${treeItem(m.tree)}</ul></div>
      <div class="tab" data-tab="headers" hidden><table class="headers">${m.headers
        .map((h) => `<tr><th>${esc(h.name)}</th><td>${esc(h.value)}</td></tr>`)
        .join('')}</table></div>
      <div class="tab" data-tab="raw" hidden><p class="dim">${esc(t('web.message.rawNote'))}</p><pre class="raw" id="raw">${esc(t('web.message.loading'))}</pre></div>
    </article>
    <section class="conversation"><h2>${esc(t('web.message.carriedBy'))}</h2><div id="session-slot"></div></section>`;
  for (const button of detail.querySelectorAll('.tabs button')) {
    button.addEventListener('click', () => {
      for (const b of detail.querySelectorAll('.tabs button')) b.classList.toggle('on', b === button);
      for (const t of detail.querySelectorAll('.tab')) t.hidden = t.dataset.tab !== button.dataset.tab;
      if (button.dataset.tab === 'raw') void loadRaw(base);
    });
  }
  const frame = detail.querySelector('iframe.mail-html');
  if (frame) fitMailFrame(frame, m, base, inlineImages);
  state.openSession = r.sessionId;
  await showSession(r.sessionId, $('session-slot'));
}

/**
 * The student's HTML lives in an opaque-origin sandbox (no script, no same-origin), so its height
 * cannot be read. Estimate it instead: the text part's lines plus the inline images' natural
 * heights (loaded here as the same images the frame shows), between 120 and 600 px; the frame
 * keeps its resize handle for anything taller.
 */
function fitMailFrame(frame, m, base, images) {
  const lines = (m.text ?? '').split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(l.length / 110)), 0);
  let imageHeight = 0;
  const fit = () => {
    const h = 24 + lines * 21 + imageHeight;
    frame.style.height = `${Math.min(600, Math.max(120, h))}px`;
  };
  fit();
  for (const a of images.filter((i) => i.contentId)) {
    const img = new Image();
    img.addEventListener('load', () => {
      imageHeight += Math.min(img.naturalHeight, 560) + 12;
      fit();
    });
    img.src = `${base}/attachments/${a.index}?inline`;
  }
}

async function loadRaw(base) {
  const res = await fetch(`${base}/raw`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  $('raw').innerHTML = visibleBytes(bytes, 512 * 1024, TEXT);
}

function countProblems(part) {
  return part.problems.length + part.children.reduce((n, c) => n + countProblems(c), 0);
}

function treeItem(part) {
  const name = part.path === '' ? t('web.tree.message') : t('web.tree.part', { path: part.path });
  const decoded = part.decodedSize !== undefined && part.decodedSize !== part.size;
  const facts = [
    part.charset && t('web.tree.charset', { charset: part.charset }),
    part.encoding,
    part.disposition,
    part.filename && t('web.tree.filename', { filename: part.filename }),
    part.contentId && `cid ${part.contentId}`,
    decoded
      ? t('web.tree.decoded', { size: size(part.size), decoded: size(part.decodedSize) })
      : size(part.size),
  ].filter(Boolean);
  const problems = part.problems
    .map((p) => `<li class="problem ${esc(p.level)}"><b>${esc(p.kind)}</b> ${esc(p.text)}</li>`)
    .join('');
  const ok = part.problems.length ? '' : '<span class="ok">✓</span>';
  return `<li><div class="part"><span class="ptype">${esc(part.contentType)}</span> ${ok} <span class="dim">${esc(name)} · ${esc(
    facts.join(' · '),
  )}</span></div>${problems ? `<ul class="problems">${problems}</ul>` : ''}${
    part.children.length ? `<ul>${part.children.map(treeItem).join('')}</ul>` : ''
  }</li>`;
}

// ---------- one session ----------

async function showSession(id, slot) {
  let view;
  try {
    view = await api(`/api/sessions/${encodeURIComponent(id)}?lang=${LANG}`);
  } catch {
    slot.innerHTML = `<p class="empty">${esc(t('web.session.missing'))}</p>`;
    return;
  }
  state.view = view;
  state.openSession = id;
  const marked = (view.checks || []).flatMap((c) =>
    c.applicable && !c.passed
      ? c.evidence.filter((e) => e.session === id).map((e) => rowForLine(view, e.line)?.n ?? -1)
      : [],
  );
  const checks = renderChecks(view.checks || [], { [id]: view }, TEXT);
  const start = new Date(view.startedAt);
  // The id in bold: the message around it is escaped, then the id put in its place.
  const idText = esc(t('web.session.id', { id: '\u0000' })).replace('\u0000', `<b>${esc(view.id)}</b>`);
  slot.innerHTML = `
    <div class="session-head">${idText} · ${esc(view.peer ?? '')} · ${esc(
      t('web.session.started', {
        when: Number.isNaN(start.getTime()) ? view.startedAt : start.toLocaleString(LOCALE),
      }),
    )} · ${esc(t('web.session.rows', { count: view.rows.length }))}${view.live ? ` · <span class="live">${esc(t('web.live'))}</span>` : ''}${
      view.truncatedBytes
        ? ` · <span class="warn">${esc(t('web.session.truncated', { size: size(view.truncatedBytes) }))}</span>`
        : ''
    } · <a href="/api/sessions/${esc(view.id)}/events" target="_blank" rel="noreferrer">${esc(t('web.session.events'))}</a></div>
    <div class="session-body${checks ? ' with-checks' : ''}">
      <div class="diagram-wrap" id="diagram">${renderDiagram(view, { selected: state.selected, marked, text: TEXT })}</div>
      ${checks ? `<aside class="verdicts"><h3>${esc(t('web.session.checks'))}</h3>${checks}</aside>` : ''}
    </div>
    <div class="row-detail" id="row-detail">${state.selected >= 0 ? rowDetails(view.rows[state.selected], TEXT) : `<p class="dim">${esc(t('web.session.pick'))}</p>`}</div>`;
  slot.querySelector('#diagram').addEventListener('click', (event) => {
    const g = event.target.closest('g.row');
    if (g) select(Number(g.dataset.n));
  });
  slot.querySelector('#diagram').addEventListener('keydown', (event) => {
    const g = event.target.closest('g.row');
    if (g && (event.key === 'Enter' || event.key === ' ')) select(Number(g.dataset.n));
  });
  for (const a of slot.querySelectorAll('a.evidence')) {
    a.addEventListener('click', (event) => {
      event.preventDefault();
      select(Number(a.dataset.n), true);
    });
  }
}

function select(n, scroll = false) {
  state.selected = n;
  const view = state.view;
  if (!view) return;
  for (const g of document.querySelectorAll('#diagram g.row'))
    g.classList.toggle('selected', Number(g.dataset.n) === n);
  $('row-detail').innerHTML = rowDetails(view.rows[n], TEXT);
  if (scroll) document.querySelector(`#diagram g.row[data-n="${n}"]`)?.scrollIntoView({ block: 'center' });
}

// ---------- routing and live updates ----------

async function render() {
  const route = parseRoute();
  const listChanged = !state.route || state.route.list !== route.list;
  if (listChanged) state.offset = 0;
  if (!state.route || state.route.id !== route.id) state.selected = route.row;
  state.route = route;
  // A conversation needs the room: the list gets narrower.
  document.querySelector('.layout').classList.toggle('wide', route.list === 'sessions' && Boolean(route.id));
  await showList();
  const detail = $('detail');
  state.openSession = null;
  state.view = null;
  if (!route.id) {
    detail.innerHTML =
      route.list === 'sessions'
        ? `<div class="welcome"><h1>${esc(t('web.welcome.sessionsTitle'))}</h1><p>${esc(t('web.welcome.sessions'))}</p></div>`
        : `<div class="welcome"><h1>${esc(t('web.welcome.inboxTitle'))}</h1><p>${esc(t('web.welcome.inbox'))}</p></div>`;
    return;
  }
  if (route.list === 'messages') await showMessage(route.id);
  else {
    detail.innerHTML = `<section class="conversation"><h2>${esc(t('web.session.title'))}</h2><div id="session-slot"></div></section>`;
    await showSession(route.id, $('session-slot'));
  }
}

function connect() {
  const source = new EventSource('/api/stream');
  const status = $('status');
  source.addEventListener('hello', () => {
    status.textContent = t('web.status.live');
    status.className = 'status on';
  });
  source.addEventListener('error', () => {
    status.textContent = t('web.status.offline');
    status.className = 'status off';
  });
  source.addEventListener('message', (event) => {
    const update = JSON.parse(event.data);
    state.fresh.add(update.id);
    if (state.route.list === 'messages' && state.offset === 0) void showList();
    else void api('/api/messages?limit=1').then((p) => ($('count').textContent = String(p.total)));
  });
  const sessionsChanged = () => {
    if (state.route.list === 'sessions' && state.offset === 0) void showList();
  };
  source.addEventListener('session', sessionsChanged);
  const reloadOpen = (event) => {
    const update = JSON.parse(event.data);
    if (update.id === state.openSession) void showSession(update.id, $('session-slot'));
  };
  source.addEventListener('session-change', reloadOpen);
  source.addEventListener('session-end', (event) => {
    reloadOpen(event);
    sessionsChanged();
  });
  source.addEventListener('checks', () => {
    if (state.openSession) void showSession(state.openSession, $('session-slot'));
  });
}

/**
 * The language switch (中文 / English): a link to this page in the other language that keeps the
 * open message or conversation, the current language marked.
 */
function updateLangLinks() {
  for (const a of document.querySelectorAll('.langs a')) {
    const url = new URL(location.href);
    url.searchParams.set('lang', a.hreflang);
    a.href = url.href;
    if (a.hreflang === LANG) a.setAttribute('aria-current', 'true');
    else a.removeAttribute('aria-current');
  }
}

window.addEventListener('hashchange', () => {
  updateLangLinks();
  void render();
});
updateLangLinks();
connect();
void render();
