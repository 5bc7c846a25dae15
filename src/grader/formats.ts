import pc from 'picocolors';
import type { GradeReport } from './run.js';
import { formatChecks } from './report.js';

export type ReportFormat = 'text' | 'json' | 'gradescope' | 'junit' | 'tap';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'gradescope', 'junit', 'tap'];

export function formatReports(
  reports: readonly GradeReport[],
  format: ReportFormat,
  options: { color?: boolean } = {},
): string {
  switch (format) {
    case 'text':
      return text(reports, Boolean(options.color));
    case 'json':
      return JSON.stringify(reports, null, 2) + '\n';
    case 'gradescope':
      return JSON.stringify(gradescope(reports), null, 2) + '\n';
    case 'junit':
      return junit(reports);
    case 'tap':
      return tap(reports);
  }
}

function total(reports: readonly GradeReport[]): { score: number; maxScore: number } {
  return {
    score: reports.reduce((sum, r) => sum + r.score, 0),
    maxScore: reports.reduce((sum, r) => sum + r.maxScore, 0),
  };
}

function clientLine(report: GradeReport): string {
  const c = report.client;
  const how = c.timedOut
    ? `killed after the time limit (${c.durationMs} ms)`
    : c.signal
      ? `killed by ${c.signal}`
      : `exit ${c.exitCode}`;
  return `client: ${c.command}  (${how})`;
}

function text(reports: readonly GradeReport[], color: boolean): string {
  const c = pc.createColors(color);
  const out: string[] = [];
  for (const report of reports) {
    out.push(c.bold(`== ${report.scenario}: ${report.title}  ${report.score}/${report.maxScore}`));
    out.push(c.dim(clientLine(report)));
    out.push(formatChecks(report.checks, { color }).trimEnd(), '');
  }
  const { score, maxScore } = total(reports);
  if (reports.length > 1) out.push(c.bold(`total ${score}/${maxScore}`));
  return out.join('\n') + '\n';
}

/** What a failed check says, as plain text: why, the evidence lines, the hint. */
function failureText(check: GradeReport['checks'][number]): string {
  return [
    ...check.notes.map((n) => `why: ${n}`),
    ...check.evidence.map((e) => `transcript ${e.session.slice(0, 6)}:${e.line}: ${e.text}`),
    ...(check.hint ? [`hint: ${check.hint}`] : []),
  ].join('\n');
}

/** Gradescope's results.json: a top-level score and one test per check. */
function gradescope(reports: readonly GradeReport[]) {
  return {
    score: total(reports).score,
    output: reports.map((r) => `${r.scenario}: ${r.score}/${r.maxScore} (${clientLine(r)})`).join('\n'),
    tests: reports.flatMap((r) =>
      r.checks
        .filter((check) => check.applicable)
        .map((check) => ({
          name: `${r.scenario}: ${check.title}`,
          number: `${r.scenario}/${check.id}`,
          score: check.points,
          max_score: check.maxPoints,
          status: check.passed ? 'passed' : 'failed',
          output: check.passed ? check.notes.map((n) => `note: ${n}`).join('\n') : failureText(check),
          tags: [check.tier],
        })),
    ),
  };
}

function xml(text: string): string {
  return (
    text
      .replace(
        /[<>&"']/g,
        (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!,
      )
      // XML 1.0 cannot carry most control characters at all.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '?')
  );
}

function junit(reports: readonly GradeReport[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = reports.flatMap((r) => r.checks.filter((c) => c.applicable));
  out.push(
    `<testsuites name="smtp-lab" tests="${all.length}" failures="${all.filter((c) => !c.passed).length}">`,
  );
  for (const r of reports) {
    const checks = r.checks.filter((c) => c.applicable);
    out.push(
      `  <testsuite name="${xml(r.scenario)}" tests="${checks.length}" failures="${checks.filter((c) => !c.passed).length}" time="${(r.client.durationMs / 1000).toFixed(3)}">`,
    );
    for (const check of checks) {
      const name = `${xml(check.title)} [${xml(check.id)}] (${check.points}/${check.maxPoints})`;
      if (check.passed) {
        out.push(`    <testcase classname="${xml(r.scenario)}" name="${name}"/>`);
      } else {
        out.push(`    <testcase classname="${xml(r.scenario)}" name="${name}">`);
        out.push(
          `      <failure message="${xml(check.notes[0] ?? check.evidence[0]?.text ?? 'failed')}">${xml(failureText(check))}</failure>`,
        );
        out.push('    </testcase>');
      }
    }
    out.push(`    <system-out>${xml(r.client.stdout)}</system-out>`);
    out.push(`    <system-err>${xml(r.client.stderr)}</system-err>`);
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function tap(reports: readonly GradeReport[]): string {
  const checks = reports.flatMap((r) => r.checks.filter((c) => c.applicable).map((check) => ({ r, check })));
  const out = ['TAP version 14', `1..${checks.length}`];
  checks.forEach(({ r, check }, i) => {
    out.push(
      `${check.passed ? 'ok' : 'not ok'} ${i + 1} - ${r.scenario}: ${check.title} (${check.points}/${check.maxPoints})`,
    );
    if (!check.passed) {
      out.push('  ---');
      // YAML diagnostics; JSON strings are valid YAML scalars.
      out.push(`  id: ${check.id}`);
      if (check.notes.length) out.push(`  why: ${JSON.stringify(check.notes.join('; '))}`);
      if (check.evidence.length) {
        out.push('  evidence:');
        for (const e of check.evidence)
          out.push(`    - ${JSON.stringify(`${e.session.slice(0, 6)}:${e.line}: ${e.text}`)}`);
      }
      if (check.hint) out.push(`  hint: ${JSON.stringify(check.hint)}`);
      out.push('  ...');
    }
  });
  const { score, maxScore } = total(reports);
  out.push(`# score ${score}/${maxScore}`);
  return out.join('\n') + '\n';
}
