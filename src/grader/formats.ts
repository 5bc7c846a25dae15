import pc from 'picocolors';
import type { Lang } from '../i18n/lang.js';
import { messages, type Messages } from '../i18n/messages.js';
import { crashLine } from './diagnosis.js';
import type { GradeReport } from './report.js';
import { visible } from '../transcript/render.js';
import { formatChecks } from './report.js';
import { htmlReport } from './report-html.js';

/**
 * The report formats, one function each in one table (FORMATTERS): text for people, JSON (the
 * contract), Gradescope's results.json, JUnit XML and TAP 13 for CI, and one self-contained HTML
 * page (src/grader/report-html.ts). Every format carries the
 * same facts: the score, each check's verdict, the run-level cause when there is one, and the
 * client's own output (its traceback, or the last lines of its stderr). The words around them
 * are in the language asked for; what a machine reads (JSON keys, statuses, check ids, scores,
 * the JUnit and TAP structure, Gradescope's fields) never changes with it.
 */

export type ReportFormat = 'text' | 'json' | 'gradescope' | 'junit' | 'tap' | 'html';

export interface FormatOptions {
  color?: boolean;
  /** The language of the report's fixed text (default English). */
  lang?: Lang;
}

type Formatter = (reports: readonly GradeReport[], options: FormatOptions, m: Messages) => string;

const FORMATTERS: Record<ReportFormat, Formatter> = {
  text: (reports, options, m) => text(reports, Boolean(options.color), m),
  json: (reports) => JSON.stringify(reports, null, 2) + '\n',
  gradescope: (reports, _options, m) => JSON.stringify(gradescope(reports, m), null, 2) + '\n',
  junit: (reports, _options, m) => junit(reports, m),
  tap: (reports, _options, m) => tap(reports, m),
  html: (reports, options) => htmlReport(reports, options.lang),
};

export const REPORT_FORMATS = Object.keys(FORMATTERS) as readonly ReportFormat[];

export function formatReports(
  reports: readonly GradeReport[],
  format: ReportFormat,
  options: FormatOptions = {},
): string {
  return FORMATTERS[format](reports, options, messages(options.lang));
}

function total(reports: readonly GradeReport[]): { score: number; maxScore: number } {
  return {
    score: reports.reduce((sum, r) => sum + r.score, 0),
    maxScore: reports.reduce((sum, r) => sum + r.maxScore, 0),
  };
}

/** How the client process ended, in words. */
function clientEnd(report: GradeReport, { t }: Messages): string {
  const c = report.client;
  if (c.startError !== undefined) return c.startError;
  if (c.timedOut) return t('report.client.timedOut', { seconds: (c.durationMs / 1000).toFixed(1) });
  if (c.flooded) return t('report.client.flooded', { why: c.flooded });
  if (c.signal) return t('report.client.signal', { signal: c.signal });
  return t('report.client.exit', { code: String(c.exitCode) });
}

/** How the client ended, and `, sandboxed` when it ran under --sandbox: what every format shows. */
function clientHow(report: GradeReport, m: Messages): string {
  const how = clientEnd(report, m);
  return report.client.sandboxed ? m.t('report.client.sandboxed', { how }) : how;
}

/**
 * What went wrong with the run as a whole, when something did: the diagnosis, a kill (time limit,
 * flood, signal) or a crash (a traceback or uncaught error with a non-zero exit). JUnit reports
 * it as an `<error>`, TAP and Gradescope as a failed "client" test.
 */
function runError(report: GradeReport, m: Messages): { type: string; message: string } | undefined {
  const c = report.client;
  if (report.diagnosis) return { type: report.diagnosis.kind, message: report.diagnosis.text };
  if (c.timedOut) return { type: 'timeout', message: clientEnd(report, m) };
  if (c.flooded) return { type: 'flooded', message: clientEnd(report, m) };
  if (c.signal) return { type: 'crash', message: clientEnd(report, m) };
  const crash = c.exitCode !== 0 ? crashLine(c.stderr) : undefined;
  if (crash)
    return { type: 'crash', message: m.t('report.client.crash', { code: String(c.exitCode), crash }) };
  return undefined;
}

/**
 * The client's own output as a report shows it (reports made before the field: the stderr),
 * escaped like every other byte a client sent: a traceback never moves a terminal's cursor.
 */
function stderrTail(report: GradeReport): string {
  return visible((report.client.stderrTail ?? report.client.stderr.trimEnd()).replace(/\r\n/g, '\n'));
}

/** The id of the test every CI format adds per scenario for the client process itself. */
const CLIENT_TEST = 'client';

// ----- text -----

function text(reports: readonly GradeReport[], color: boolean, m: Messages): string {
  const c = pc.createColors(color);
  const { t } = m;
  const out: string[] = [];
  for (const report of reports) {
    out.push(c.bold(`== ${report.scenario}: ${report.title}  ${report.score}/${report.maxScore}`));
    out.push(c.dim(t('report.text.client', { command: report.client.command, how: clientHow(report, m) })));
    // The cause and the stderr quote what the client printed: escaped, like the transcript.
    if (report.diagnosis) out.push(c.red(t('report.text.cause', { text: visible(report.diagnosis.text) })));
    for (const tampered of report.tampered ?? []) {
      out.push(
        c.red(
          t('report.text.tampered', {
            file: tampered.file,
            found: tampered.foundSha256.slice(0, 16),
            expected: tampered.expectedSha256.slice(0, 16),
          }),
        ),
      );
    }
    const tail = stderrTail(report);
    if (tail) {
      out.push(c.dim(t('report.text.stderr')));
      for (const line of tail.split('\n')) out.push(c.dim(`  | ${line}`));
    }
    out.push(
      formatChecks(report.checks, { color, brief: Boolean(report.diagnosis), lang: m.lang }).trimEnd(),
      '',
    );
  }
  const { score, maxScore } = total(reports);
  if (reports.length > 1) out.push(c.bold(t('report.text.total', { score, maxScore })));
  return out.join('\n') + '\n';
}

/** What a failed check says, as plain text: why, the evidence lines, the hint. */
function failureText(check: GradeReport['checks'][number], { t }: Messages): string {
  const line = (session: string, n: number, text: string) =>
    t('report.plain.transcript', { ref: `${session.slice(0, 6)}:${n}`, text });
  return [
    ...check.notes.map((note) => t('report.plain.why', { note })),
    ...check.evidence.flatMap((e) => [
      line(e.session, e.line, e.text),
      ...(e.reply ? [line(e.session, e.reply.line, e.reply.text)] : []),
    ]),
    ...(check.hint ? [t('report.plain.hint', { hint: check.hint })] : []),
  ].join('\n');
}

// ----- Gradescope -----

/** A Markdown code block that no backtick run inside `body` can close. */
function fenced(body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${body}\n${fence}`;
}

/**
 * Gradescope's results.json: a top-level score and Markdown output (each scenario's score, cause
 * and the client's output in a code block), one test per check (plain text), and per scenario a
 * "client" test with 0 points carrying how the process ran and its output.
 */
function gradescope(reports: readonly GradeReport[], m: Messages) {
  const { t } = m;
  const output = reports
    .map((r) => {
      const tail = stderrTail(r);
      return [
        t('report.gradescope.scenario', {
          scenario: r.scenario,
          score: r.score,
          maxScore: r.maxScore,
          how: clientHow(r, m),
        }),
        ...(r.diagnosis ? [t('report.gradescope.cause', { text: r.diagnosis.text })] : []),
        ...(tail ? [t('report.gradescope.stderr'), fenced(tail)] : []),
      ].join('\n\n');
    })
    .join('\n\n');
  return {
    score: total(reports).score,
    output,
    output_format: 'md',
    test_output_format: 'text',
    tests: reports.flatMap((r) => [
      ...r.checks
        .filter((check) => check.applicable)
        .map((check) => ({
          name: `${r.scenario}: ${check.title}`,
          number: `${r.scenario}/${check.id}`,
          score: check.points,
          max_score: check.maxPoints,
          status: check.passed ? 'passed' : 'failed',
          output: check.passed
            ? check.notes.map((note) => t('report.plain.note', { note })).join('\n')
            : failureText(check, m),
          tags: [check.tier],
        })),
      clientTest(r, m),
    ]),
  };
}

function clientTest(r: GradeReport, m: Messages) {
  const error = runError(r, m);
  const tail = stderrTail(r);
  return {
    name: `${r.scenario}: ${m.t('report.clientTest.title')}`,
    number: `${r.scenario}/${CLIENT_TEST}`,
    score: 0,
    max_score: 0,
    status: error ? 'failed' : 'passed',
    output: [
      `${r.client.command} (${clientHow(r, m)})`,
      ...(error && error.message !== clientEnd(r, m) ? [error.message] : []),
      ...(tail ? [m.t('report.gradescope.stderr'), fenced(tail)] : []),
    ].join('\n\n'),
    output_format: 'md',
    tags: ['client'],
  };
}

// ----- JUnit -----

function xml(value: string): string {
  return (
    // CRLF is LF to any XML reader; a lone CR, DEL, C1 and bidi controls are shown escaped.
    visible(value.replace(/\r\n/g, '\n'))
      .replace(
        /[<>&"']/g,
        (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!,
      )
      // XML 1.0 cannot carry most control characters at all.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '?')
  );
}

/**
 * JUnit XML: a suite per scenario with tests, failures, errors and time; a testcase per check
 * named by title and id only (CI tracks tests by name; the score is a suite property), and a
 * "client" testcase whose `<error>` says the process crashed, was killed or never connected.
 * The client's stdout and stderr go to `<system-out>` and `<system-err>`.
 */
function junit(reports: readonly GradeReport[], m: Messages): string {
  const suites = reports.map((r) => {
    const checks = r.checks.filter((c) => c.applicable);
    const error = runError(r, m);
    return {
      r,
      checks,
      error,
      tests: checks.length + 1,
      failures: checks.filter((c) => !c.passed).length,
      errors: error ? 1 : 0,
    };
  });
  const sum = (key: 'tests' | 'failures' | 'errors') => suites.reduce((n, s) => n + s[key], 0);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="smtp-lab" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}">`,
  );
  for (const { r, checks, error, tests, failures, errors } of suites) {
    const time = (r.client.durationMs / 1000).toFixed(3);
    const classname = xml(r.scenario);
    out.push(
      `  <testsuite name="${classname}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${time}">`,
    );
    out.push('    <properties>');
    out.push(`      <property name="score" value="${r.score}"/>`);
    out.push(`      <property name="maxScore" value="${r.maxScore}"/>`);
    if (r.diagnosis) out.push(`      <property name="diagnosis" value="${xml(r.diagnosis.kind)}"/>`);
    out.push('    </properties>');
    for (const check of checks) {
      const name = `${xml(check.title)} [${xml(check.id)}]`;
      if (check.passed) {
        out.push(`    <testcase classname="${classname}" name="${name}"/>`);
      } else {
        out.push(`    <testcase classname="${classname}" name="${name}">`);
        out.push(
          `      <failure message="${xml(check.notes[0] ?? check.evidence[0]?.text ?? m.t('report.failed'))}" type="${xml(check.id)}">${xml(failureText(check, m))}</failure>`,
        );
        out.push('    </testcase>');
      }
    }
    const clientName = `${xml(m.t('report.clientTest.title'))} [${CLIENT_TEST}]`;
    if (error) {
      out.push(`    <testcase classname="${classname}" name="${clientName}" time="${time}">`);
      out.push(
        `      <error message="${xml(error.message)}" type="${xml(error.type)}">${xml(stderrTail(r))}</error>`,
      );
      out.push('    </testcase>');
    } else {
      out.push(`    <testcase classname="${classname}" name="${clientName}" time="${time}"/>`);
    }
    out.push(`    <system-out>${xml(r.client.stdout)}</system-out>`);
    out.push(`    <system-err>${xml(r.client.stderr)}</system-err>`);
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

// ----- TAP -----

/**
 * A YAML double-quoted scalar that both full YAML parsers (tap-parser) and Perl's YAMLish reader
 * (prove) read back exactly: only the escapes they share (\\ \" \n \r \t \xHH).
 */
export function yamlString(value: string): string {
  return `"${value.replace(/[\\"\u0000-\u001f\u007f-\u009f]/g, (ch) => {
    if (ch === '\\' || ch === '"') return `\\${ch}`;
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  })}"`;
}

/** A test description: `#` escaped, so it is never read as a directive. */
function description(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/#/g, '\\#')
    .replace(/[\r\n]+/g, ' ');
}

/**
 * TAP version 13 (what Perl's prove reads; tap-parser too): one test per applicable check named
 * by scenario, title and id (no score), then per scenario a "client" test. A failure carries YAML
 * diagnostics: message, severity, the check's points, evidence (lines in one string), hint, and
 * for the client test its stderr.
 */
function tap(reports: readonly GradeReport[], m: Messages): string {
  const { t } = m;
  const lines: string[] = [];
  let n = 0;
  // Lists are one string of lines: Perl's YAMLish reader takes a list item such as "ab:1: x"
  // for a mapping, and a quoted string with \n escapes reads back the same everywhere.
  const yaml = (fields: Array<[string, string | number | string[] | undefined]>) => {
    lines.push('  ---');
    for (const [key, value] of fields) {
      if (value === undefined || (Array.isArray(value) && !value.length)) continue;
      const text = Array.isArray(value) ? value.join('\n') : value;
      lines.push(`  ${key}: ${typeof text === 'number' ? text : yamlString(text)}`);
    }
    lines.push('  ...');
  };
  for (const r of reports) {
    for (const check of r.checks.filter((c) => c.applicable)) {
      n++;
      lines.push(
        `${check.passed ? 'ok' : 'not ok'} ${n} - ${description(`${r.scenario}: ${check.title} [${check.id}]`)}`,
      );
      if (check.passed) continue;
      yaml([
        ['message', check.notes[0] ?? check.evidence[0]?.text ?? t('report.failed')],
        ['severity', 'fail'],
        ['points', `${check.points}/${check.maxPoints}`],
        ['why', check.notes.slice(1)],
        [
          'evidence',
          check.evidence.flatMap((e) => [
            `${e.session.slice(0, 6)}:${e.line}: ${e.text}`,
            // Both sides: the server's reply to that line.
            ...(e.reply ? [`${e.session.slice(0, 6)}:${e.reply.line}: ${e.reply.text}`] : []),
          ]),
        ],
        ['hint', check.hint ?? undefined],
      ]);
    }
    n++;
    const error = runError(r, m);
    lines.push(
      `${error ? 'not ok' : 'ok'} ${n} - ${description(`${r.scenario}: ${t('report.clientTest.title')} [${CLIENT_TEST}]`)}`,
    );
    if (error) {
      const tail = stderrTail(r);
      yaml([
        ['message', error.message],
        ['severity', error.type === 'timeout' || error.type === 'crash' ? 'error' : 'fail'],
        ['command', r.client.command],
        ['exit', clientEnd(r, m)],
        ['stderr', tail || undefined],
      ]);
    }
    lines.push(
      `# ${description(t('report.tap.scenarioScore', { scenario: r.scenario, score: r.score, maxScore: r.maxScore }))}`,
    );
  }
  const { score, maxScore } = total(reports);
  return (
    ['TAP version 13', `1..${n}`, ...lines, `# ${t('report.score', { score, maxScore })}`].join('\n') + '\n'
  );
}
