import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { esc, renderChecks, renderDiagram } from '../../assets/web/diagram.js';
import type { Lang } from '../i18n/lang.js';
import { catalogue, format, messages, type Messages } from '../i18n/messages.js';
import type { GradeReport } from './report.js';
import { fromJsonl, sessionLine } from '../transcript/jsonl.js';
import { buildSessionView, type SessionView } from '../web/session-view.js';
import { diagramText, scriptJson } from '../web/text.js';

/**
 * `grade --format html`: one self-contained file (styles, the diagram and its script inline;
 * nothing fetched, so it opens from a CI artifact, an e-mail attachment or file://) with, per
 * scenario, the score, the checks with hints and evidence linked to the conversation's rows, the
 * diagram of every session (drawn by the same code as the browser view), the run's cause when it
 * could not be judged check by check, and the client's output.
 * The events in a report are already redacted: no secret reaches this file.
 */

const ASSETS = fileURLToPath(new URL('../../assets/web/', import.meta.url));
let cached: { css: string; script: string } | undefined;
function assets(): { css: string; script: string } {
  cached ??= {
    css: readFileSync(path.join(ASSETS, 'style.css'), 'utf8'),
    script: readFileSync(path.join(ASSETS, 'diagram.js'), 'utf8'),
  };
  return cached;
}

/** Inline styles and scripts only; nothing from anywhere, not even this file's own folder. */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const REPORT_CSS = `
body { background: var(--bg); }
.report { max-width: 1320px; margin: 0 auto; padding: 20px 24px 60px; }
.report h1 { font-size: 22px; margin: 6px 0 2px; }
.score { font-size: 15px; font-weight: 700; padding: 2px 10px; border-radius: 12px; background: #e6f4ea; color: var(--ok); }
.score.partial { background: #fff5e0; color: var(--warn); }
.score.zero { background: #fdecec; color: var(--bad); }
.scenario { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; margin: 18px 0; }
.scenario h2 { margin: 0 0 4px; font-size: 18px; display: flex; gap: 12px; align-items: center; }
.cause { color: var(--bad); font-weight: 600; margin: 0 0 10px; overflow-wrap: anywhere; }
.client-line { font-family: var(--mono); font-size: 12.5px; color: var(--dim); margin-bottom: 10px; overflow-wrap: anywhere; }
.session-title { font-size: 13px; color: var(--dim); margin: 14px 0 4px; }
.none { color: var(--dim); font-style: italic; }
table.class { border-collapse: collapse; width: 100%; background: var(--panel); font-size: 13px; }
table.class th, table.class td { border-bottom: 1px solid var(--line); padding: 6px 10px; text-align: left; }
table.class td.num { text-align: right; font-variant-numeric: tabular-nums; }
.st-passed { color: var(--ok); } .st-failed { color: var(--warn); } .st-other { color: var(--bad); }
.chart { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin: 16px 0; }
.bar-row { display: grid; grid-template-columns: 320px 1fr 64px; gap: 10px; align-items: center; font-size: 13px; margin: 4px 0; }
.bar-name { font-family: var(--mono); font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar { height: 16px; background: #eef0f6; border-radius: 4px; overflow: hidden; }
.bar > span { display: block; height: 100%; background: linear-gradient(90deg, #f08c8c, var(--bad)); }
.bar-pct { text-align: right; font-variant-numeric: tabular-nums; }
`;

/** Glue for the report: click a row for its bytes; evidence links select the row. */
const REPORT_SCRIPT = `
const data = JSON.parse(document.getElementById('smtp-lab-views').textContent);
const text = JSON.parse(document.getElementById('smtp-lab-text').textContent);
for (const wrap of document.querySelectorAll('[data-session-view]')) {
  const view = data[wrap.dataset.sessionView];
  const panel = wrap.querySelector('.row-detail');
  const select = (n) => {
    for (const g of wrap.querySelectorAll('g.row')) g.classList.toggle('selected', Number(g.dataset.n) === n);
    panel.innerHTML = rowDetails(view.rows[n], text);
  };
  wrap.addEventListener('click', (event) => {
    const g = event.target.closest('g.row');
    if (g) select(Number(g.dataset.n));
  });
  wrap.addEventListener('keydown', (event) => {
    const g = event.target.closest('g.row');
    if (g && (event.key === 'Enter' || event.key === ' ')) select(Number(g.dataset.n));
  });
  wrap.selectRow = select;
}
for (const a of document.querySelectorAll('a.evidence')) {
  a.addEventListener('click', () => {
    const wrap = document.querySelector('[data-session-view="' + a.dataset.session + '"]');
    wrap?.selectRow?.(Number(a.dataset.n));
  });
}
`;

/** A report's session (redacted JSON events) as diagram rows. */
function sessionView(session: GradeReport['transcript']['sessions'][number]): SessionView | undefined {
  try {
    const text = [
      sessionLine({ id: session.id, startedAt: '' }),
      ...session.events.map((e) => JSON.stringify(e)),
    ].join('\n');
    const transcript = fromJsonl(text, `session ${session.id}`);
    return buildSessionView(transcript.meta, transcript.events, { live: false });
  } catch {
    return undefined;
  }
}

function scoreClass(score: number, max: number): string {
  return score >= max ? 'score' : score > 0 ? 'score partial' : 'score zero';
}

function page(title: string, body: string, views: Record<string, SessionView>, lang: Lang): string {
  // What the diagrams and their details panels say (the catalogue's `web.diagram.` messages).
  const diagram = diagramText(lang);
  const { css, script } = assets();
  const scripts = Object.keys(views).length
    ? `<script type="application/json" id="smtp-lab-views">${scriptJson(views)}</script>\n<script type="application/json" id="smtp-lab-text">${scriptJson(diagram)}</script>\n<script type="module">\n${script}\n${REPORT_SCRIPT}</script>`
    : '';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">
<meta name="generator" content="smtp-lab">
<title>${esc(title)}</title>
<style>${css}${REPORT_CSS}</style>
</head>
<body>
<header class="top"><span class="brand">✉ smtp-lab</span><nav></nav></header>
<main class="report">
${body}
</main>
${scripts}
</body>
</html>
`;
}

/** How the client ended, as the HTML report says it. */
function clientHow(c: GradeReport['client'], { t }: Messages): string {
  const how = c.timedOut
    ? t('report.html.killedTimeLimit', { ms: c.durationMs })
    : c.signal
      ? t('report.client.signal', { signal: c.signal })
      : c.exitCode === null
        ? t('report.html.didNotStart')
        : t('report.client.exit', { code: String(c.exitCode) });
  return c.truncated ? t('report.html.truncated', { how }) : how;
}

/** The HTML report of one student's run over one or more scenarios, in `lang` (default English). */
export function htmlReport(reports: readonly GradeReport[], lang: Lang = 'en'): string {
  const m = messages(lang);
  const { t } = m;
  const diagram = diagramText(lang);
  const views: Record<string, SessionView> = {};
  const sections = reports.map((report) => {
    const drawn = report.transcript.sessions.flatMap((s) => {
      const view = sessionView(s);
      if (view) views[s.id] = view;
      return view ? [view] : [];
    });
    const local = Object.fromEntries(drawn.map((v) => [v.id, v]));
    const c = report.client;
    const checks = report.checks.length
      ? renderChecks(report.checks, local, diagram)
      : `<p class="none">${esc(t('report.html.noChecks'))}</p>`;
    const diagrams = drawn.length
      ? drawn
          .map(
            (view, i) =>
              `<div class="session-title">${esc(
                t('report.html.conversation', {
                  n: i + 1,
                  total: drawn.length,
                  id: view.id,
                  rows: view.rows.length,
                  seconds: (view.duration / 1000).toFixed(2),
                }),
              )}</div>` +
              `<div class="session-view" data-session-view="${esc(view.id)}"><div class="diagram-wrap">${renderDiagram(view, { text: diagram })}</div><div class="row-detail"><p class="dim">${esc(t('report.html.clickRow'))}</p></div></div>`,
          )
          .join('')
      : `<p class="none">${esc(t('report.html.neverConnected'))}</p>`;
    const output = (label: string, text: string) =>
      `<h3>${esc(label)}</h3>${text ? `<pre class="client-output">${esc(text)}</pre>` : `<p class="none">${esc(t('report.html.nothing'))}</p>`}`;
    return `<section class="scenario" id="scenario-${esc(report.scenario)}">
<h2>${esc(report.scenario)}: ${esc(report.title)} <span class="${scoreClass(report.score, report.maxScore)}">${report.score}/${report.maxScore}</span></h2>
<div class="client-line">${esc(t('report.html.client', { command: c.command, how: clientHow(c, m) }))}</div>
${report.diagnosis ? `<p class="cause">${esc(t('report.text.cause', { text: report.diagnosis.text }))}</p>\n` : ''}<div class="session-body with-checks"><div>${diagrams}</div><aside class="verdicts"><h3>${esc(t('report.html.checks'))}</h3>${checks}</aside></div>
${output(t('report.html.stdout'), c.stdout)}${output(t('report.html.stderr'), c.stderr)}
</section>`;
  });
  const score = reports.reduce((s, r) => s + r.score, 0);
  const max = reports.reduce((s, r) => s + r.maxScore, 0);
  const title = t('report.html.title', { scenarios: reports.map((r) => r.scenario).join(', ') });
  const list = reports
    .map((r) => `<a href="#scenario-${esc(r.scenario)}">${esc(r.scenario)}</a> ${r.score}/${r.maxScore}`)
    .join(' · ');
  // The list is markup (its parts escaped above): it fills the sentence after the sentence is escaped.
  const sentence = reports.length === 1 ? 'report.html.scenarios.one' : 'report.html.scenarios.other';
  const count = format(esc(catalogue(lang)[sentence]), { count: reports.length, list });
  const head = `<h1>${esc(t('report.html.heading'))} <span class="${scoreClass(score, max)}">${round(score)}/${round(max)}</span></h1>
<p class="dim">${count}</p>`;
  return page(title, head + sections.join('\n'), views, lang);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * What the class index shows of a batch (grader/batch.ts's BatchResult is one). Declared here so the
 * batch, which writes reports through formats.ts, and this page do not import each other.
 */
export interface ClassResults {
  students: ReadonlyArray<{
    student: string;
    status: string;
    statusText: string;
    score: number;
    maxScore: number;
    failedChecks: readonly string[];
    reportDir: string;
    reports: readonly GradeReport[];
  }>;
  scenarios: readonly string[];
  outDir: string;
}

/**
 * The class's index.html for grade-all: every student with score and status (linked to their own
 * report.html), and per check the share of the class that failed it, as a bar chart.
 */
export function classIndexHtml(result: ClassResults, lang: Lang = 'en'): string {
  const { t } = messages(lang);
  const students = result.students;
  const failures = new Map<string, { failed: number; judged: number }>();
  for (const s of students) {
    for (const report of s.reports) {
      for (const check of report.checks) {
        if (!check.applicable) continue;
        const key = `${report.scenario}/${check.id}`;
        const entry = failures.get(key) ?? { failed: 0, judged: 0 };
        entry.judged++;
        if (!check.passed) entry.failed++;
        failures.set(key, entry);
      }
    }
  }
  const bars = [...failures.entries()]
    .sort((a, b) => b[1].failed / b[1].judged - a[1].failed / a[1].judged || (a[0] < b[0] ? -1 : 1))
    .map(([key, { failed, judged }]) => {
      const pct = judged ? (100 * failed) / judged : 0;
      return `<div class="bar-row" title="${esc(t('report.class.barTitle', { failed, judged, key }))}"><span class="bar-name">${esc(key)}</span><span class="bar"><span style="width:${pct.toFixed(1)}%"></span></span><span class="bar-pct">${pct.toFixed(0)}%</span></div>`;
    })
    .join('');
  const rows = students
    .map((s) => {
      const href = path
        .relative(result.outDir, path.join(s.reportDir, 'report.html'))
        .split(path.sep)
        .map(encodeURIComponent)
        .join('/');
      const cls = s.status === 'passed' ? 'st-passed' : s.status === 'failed' ? 'st-failed' : 'st-other';
      return `<tr><td><a href="${esc(href)}">${esc(s.student)}</a></td><td class="num">${s.score}</td><td class="num">${s.maxScore}</td><td class="${cls}">${esc(s.status)}</td><td>${esc(s.statusText)}</td><td class="dim">${esc(s.failedChecks.join(' ') || '-')}</td></tr>`;
    })
    .join('');
  const counts = new Map<string, number>();
  for (const s of students) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  const statuses =
    [...counts.entries()]
      .map(([status, count]) => t('grader.table.count', { count, status }))
      .join(t('report.listSeparator')) || t('report.none');
  const summary = t(students.length === 1 ? 'report.class.summary.one' : 'report.class.summary.other', {
    count: students.length,
    scenarios: result.scenarios.join(', '),
    statuses,
  });
  const heads = (
    [
      'report.col.student',
      'report.col.score',
      'report.col.max',
      'report.col.status',
      'report.col.why',
      'report.col.failedChecks',
    ] as const
  )
    .map((key) => `<th>${esc(t(key))}</th>`)
    .join('');
  const body = `<h1>${esc(t('report.class.heading'))}</h1>
<p class="dim">${esc(summary)}</p>
<div class="chart"><h3>${esc(t('report.class.chart'))}</h3>${bars || `<p class="none">${esc(t('report.class.noChecks'))}</p>`}</div>
<table class="class"><thead><tr>${heads}</tr></thead><tbody>${rows}</tbody></table>`;
  return page(t('report.class.title'), body, {}, lang);
}
