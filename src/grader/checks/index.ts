import type { Lang } from '../../i18n/lang.js';
import { messages, type Messages } from '../../i18n/messages.js';
import { CHECK_IDS, type CheckId } from '../../scenarios/check-ids.js';
import { checkHint } from '../../scenarios/localized.js';
import type { CheckSpec } from '../../scenarios/types.js';
import { renderNumbered } from '../../transcript/render.js';
import { Run, type CheckDef, type CheckResult, type RunEvidence, type Verdict } from './context.js';
import { ENVELOPE_CHECKS } from './envelope.js';
import { MESSAGE_CHECKS } from './message.js';
import { PROCESS_CHECKS } from './process.js';
import { REFERENCE_CHECKS } from './reference.js';
import { SECURITY_CHECKS } from './security.js';
import { SESSION_CHECKS } from './session.js';
import { CHECK_TEXT_ZH, type CheckText } from './zh-CN.js';

export * from './context.js';
export { judgePath, pathIssueText, type PathIssue, type PathJudgement } from './envelope.js';
export { project } from './reference.js';
export { CHECK_IDS, type CheckId, type CheckText };

/**
 * The checks, one registry entry each ({ id, title, judges, tier, hint, judge }), split by
 * concern. Each judges a client from what crossed the wire (the proxy's framed bytes) and what
 * was stored, never from what the lenient backend accepted.
 */
export const CHECKS: Readonly<Record<CheckId, CheckDef>> = registry([
  ...SESSION_CHECKS,
  ...ENVELOPE_CHECKS,
  ...MESSAGE_CHECKS,
  ...SECURITY_CHECKS,
  ...PROCESS_CHECKS,
  ...REFERENCE_CHECKS,
]);

function registry(defs: readonly CheckDef[]): Record<CheckId, CheckDef> {
  const out = {} as Record<CheckId, CheckDef>;
  for (const def of defs) {
    if (out[def.id]) throw new Error(`check ${def.id} is defined twice`);
    out[def.id] = def;
  }
  const missing = CHECK_IDS.filter((id) => !out[id]);
  if (missing.length) throw new Error(`checks without a definition: ${missing.join(', ')}`);
  return out;
}

export const CHECK_TITLES: Readonly<Record<CheckId, string>> = Object.fromEntries(
  CHECK_IDS.map((id) => [id, CHECKS[id].title]),
) as Record<CheckId, string>;

/**
 * A check's title, what it judges and its default hint in `lang`: English from the registry
 * entry, Chinese from the typed table in ./zh-CN.ts (every id has one, or the type check fails).
 */
export function checkText(id: CheckId, lang: Lang = 'en'): CheckText {
  if (lang === 'zh-CN') return CHECK_TEXT_ZH[id];
  const { title, judges, hint } = CHECKS[id];
  return { title, judges, hint };
}

/**
 * Checks a robustness scenario still scores after the client lost track of the replies (its
 * first command, its line endings, the robustness checks themselves): the others are reported,
 * not scored, because their failures are echoes of the desync.
 */
const JUDGED_AFTER_DESYNC = new Set<CheckId>(['waits-for-greeting', 'greets', 'crlf']);

/** An evidence line short enough to read (a base64 line can be thousands of characters). */
function clip(m: Messages, text: string, max = 200): string {
  return text.length <= max
    ? text
    : m.t('verdict.clipped', { text: text.slice(0, max), more: text.length - max });
}

/**
 * Judges every check the scenario lists; evidence points at lines of each session's rendering.
 * `lang` chooses the language of each result's title, hint (the scenario's own hint, else the
 * check's default), notes and evidence captions; ids, verdicts and points never depend on it.
 */
export function evaluateChecks(evidence: RunEvidence, options: { lang?: Lang } = {}): CheckResult[] {
  const lang = options.lang ?? 'en';
  const m = messages(lang);
  const run = new Run(evidence, m);
  const rendered = new Map(evidence.sessions.map((s) => [s, renderNumbered(s.items, { maxDataLines: 40 })]));
  const verdicts = new Map<CheckId, Verdict>(
    evidence.scenario.checks.map((spec) => [spec.id, CHECKS[spec.id].judge(run)]),
  );
  const desync = desyncOf(evidence.scenario.checks, verdicts, m);
  return evidence.scenario.checks.map((spec: CheckSpec) => {
    let verdict = verdicts.get(spec.id)!;
    if (desync && !verdict.passed && spec.tier !== 'robustness' && !JUDGED_AFTER_DESYNC.has(spec.id)) {
      verdict = {
        ...verdict,
        applicable: false,
        notes: [m.t('verdict.desync.notScored', { why: desync }), ...(verdict.notes ?? [])],
      };
    }
    const applicable = verdict.applicable ?? true;
    const passed = applicable && verdict.passed;
    return {
      id: spec.id,
      title: checkText(spec.id, lang).title,
      tier: spec.tier,
      passed,
      applicable,
      points: passed ? spec.points : 0,
      maxPoints: applicable ? spec.points : 0,
      evidence: (verdict.evidence ?? []).map(({ session, item, why, bodyLine }) => {
        const view = rendered.get(session)!;
        const line =
          (bodyLine !== undefined ? view.bodyLineOf.get(item)?.get(bodyLine) : undefined) ??
          view.lineOf[item] ??
          1;
        const text = clip(m, (view.lines[line - 1] ?? '').trim());
        const at = session.items[item];
        // The client's line and the server's reply to it: both sides of what happened.
        const reply = at?.kind === 'line' ? run.replyTo(session, item) : undefined;
        const replyIndex = reply ? session.items.indexOf(reply) : -1;
        const replyLine = replyIndex >= 0 ? (view.lineOf[replyIndex] ?? 0) : 0;
        return {
          session: session.id,
          line,
          text: why ? `${text}  <- ${why}` : text,
          ...(replyLine > 0
            ? { reply: { line: replyLine, text: clip(m, (view.lines[replyLine - 1] ?? '').trim()) } }
            : {}),
        };
      }),
      notes: verdict.notes ?? [],
      hint: passed ? null : (checkHint(spec, lang) ?? checkText(spec.id, lang).hint),
    };
  });
}

/** In a scenario that scores reads-whole-replies as robustness, where the client lost track. */
function desyncOf(
  specs: readonly CheckSpec[],
  verdicts: ReadonlyMap<CheckId, Verdict>,
  m: Messages,
): string | undefined {
  const spec = specs.find((s) => s.id === 'reads-whole-replies' && s.tier === 'robustness');
  const verdict = spec && verdicts.get(spec.id);
  if (!verdict || verdict.passed || !verdict.evidence?.length) return undefined;
  return verdict.evidence[0]!.why ?? m.t('verdict.desync.partRead');
}
