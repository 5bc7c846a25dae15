import { readFile } from 'node:fs/promises';
import type { Scenario } from '../scenarios/types.js';
import type { LabSession, StoredMessage } from '../server/index.js';
import { runSessionOf, type ClientOutcome, type RunEvidence, type RunSession } from './checks/context.js';
import { loadRunMessages } from './integrity.js';
import { parseReference, ReferenceFileError } from './normalise.js';

/**
 * The one place a run's evidence is assembled (grade, lab, the reference client's tests): the
 * framed sessions, the stored messages as received (each verified against the sha256 the server
 * recorded; a tampered one rebuilt from the wire and listed in `tampered`), the scenario's image
 * and expected transcript.
 */
export async function collectEvidence(
  scenario: Scenario,
  sessions: readonly LabSession[],
  stored: readonly StoredMessage[],
  options: { client?: ClientOutcome; strict?: boolean } = {},
): Promise<RunEvidence> {
  const runSessions: RunSession[] = sessions.map(runSession);
  const { messages, tampered } = await loadRunMessages(stored, runSessions);
  const image = scenario.client.image
    ? await readFile(scenario.client.image).catch(() => undefined)
    : undefined;
  const reference = scenario.expectedTranscript
    ? await readReference(scenario.expectedTranscript)
    : undefined;
  return {
    scenario,
    sessions: runSessions,
    messages,
    ...(tampered.length ? { tampered } : {}),
    ...(options.client ? { client: options.client } : {}),
    strict: Boolean(options.strict),
    ...(image ? { image } : {}),
    ...(reference ? { reference } : {}),
  };
}

/** A lab session as the checks see it. */
export function runSession(session: LabSession): RunSession {
  return runSessionOf(session.id, session.framer, session.implicitTls, session.transcriptPath);
}

/** The scenario's expected transcript for matches-reference, or why it cannot be used. */
async function readReference(file: string): Promise<NonNullable<RunEvidence['reference']>> {
  try {
    return { file, transcript: parseReference(await readFile(file, 'utf8'), file) };
  } catch (e) {
    // English in `error`; the judge says a known problem in the report's language.
    const problem = e instanceof ReferenceFileError ? { problem: e.problem } : {};
    return { file, error: (e as Error).message, ...problem };
  }
}
