import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  SmtpClientError,
  SmtpClientReplyError,
  exitCodeFor,
  phaseOf,
  sendMail,
  type SendMailOptions,
} from '../../src/client/index.js';
import { buildMessage } from '../../src/client/mime/index.js';
import {
  evaluateChecks,
  type CheckResult,
  type RunMessage,
  type RunSession,
} from '../../src/grader/checks.js';
import { collectEvidence } from '../../src/grader/evidence.js';
import { clientPort, serverOptionsFor } from '../../src/scenarios/server.js';
import type { Scenario } from '../../src/scenarios/types.js';
import {
  startLabServer,
  type LabServer,
  type LabSession,
  type StoredMessage,
  type TestCa,
} from '../../src/server/index.js';
import { renderItems } from '../../src/transcript/render.js';

/**
 * The reference client run the way a scenario's brief tells a student's client to run: the
 * server of the scenario on 127.0.0.1, host and port from clientPort, the TLS mode, account and
 * envelope of the brief, a message built from its subject, body and image. A client that handles
 * temporary failures retries once after a 4xx, waiting the scenario's greylisting time.
 */

/** Milliseconds the reference client waits for each reply: above every delay in the catalogue. */
export const REFERENCE_TIMEOUT_MS = 3000;
export const REFERENCE_HELO = 'lab-client.smtp-lab.test';

export interface ReferenceRun {
  scenario: Scenario;
  /** The error of the last attempt (undefined: the last attempt succeeded). */
  error: unknown;
  /** Errors of every attempt (undefined for a success), in order. */
  attempts: unknown[];
  sessions: RunSession[];
  messages: RunMessage[];
  checks: CheckResult[];
  /** Each session rendered (swaks notation, every body line shown). */
  rendered: string[];
}

/** The options sendMail gets from the brief; `message` is built from subject, body and image. */
export async function referenceOptions(scenario: Scenario, server: LabServer): Promise<SendMailOptions> {
  const brief = scenario.client;
  const account = scenario.server.accounts[0]!;
  const message = await buildMessage({
    from: brief.from,
    to: brief.to,
    subject: brief.subject ?? scenario.title,
    text: brief.body ?? 'I love computer networks!\n',
    ...(brief.image ? { attachments: [brief.image] } : {}),
  });
  return {
    host: '127.0.0.1',
    port: clientPort(scenario, server),
    tls: brief.tls,
    tlsSettings: { ca: await readFile(server.caFile), servername: 'localhost' },
    helo: REFERENCE_HELO,
    ...(brief.auth ? { auth: { user: account.user, password: account.pass } } : {}),
    from: brief.from,
    recipients: brief.to,
    message: await message.toBuffer(),
    timeout: REFERENCE_TIMEOUT_MS,
  };
}

/** A 4xx the server may think better of later (greylisting): worth one retry. */
export function isTemporary(error: unknown): boolean {
  return error instanceof SmtpClientReplyError && error.replyCode >= 400 && error.replyCode < 500;
}

/** Starts the scenario's server, runs `client` against it, stops it and gathers the evidence. */
export async function runScenario(
  scenario: Scenario,
  ca: TestCa,
  client: (server: LabServer) => Promise<unknown[]>,
): Promise<ReferenceRun> {
  const mailbox = await mkdtemp(path.join(os.tmpdir(), `smtp-lab-scenario-${scenario.id}-`));
  const server = await startLabServer({ ...serverOptionsFor(scenario), mailbox, ca });
  const sessions: LabSession[] = [];
  const stored: StoredMessage[] = [];
  server.on('session', (session) => sessions.push(session));
  server.on('message', (message) => stored.push(message));
  try {
    const attempts = await client(server);
    await Promise.all(sessions.map((s) => s.ended));
    await server.stop();
    const error = attempts.at(-1);
    const evidence = await collectEvidence(scenario, sessions, stored, {
      client: { exitCode: error === undefined ? 0 : exitCodeFor(error), timedOut: false },
    });
    const runSessions = evidence.sessions;
    const messages = evidence.messages;
    const checks = evaluateChecks(evidence);
    return {
      scenario,
      error,
      attempts,
      sessions: runSessions,
      messages,
      checks,
      rendered: sessions.map((s) => renderItems(s.items)),
    };
  } finally {
    await server.stop();
    await rm(mailbox, { recursive: true, force: true });
  }
}

/** The reference client under the scenario, retrying once after a 4xx when the server greylists. */
export function runReference(scenario: Scenario, ca: TestCa): Promise<ReferenceRun> {
  return runScenario(scenario, ca, async (server) => {
    const attempt = async (): Promise<unknown> => {
      try {
        await sendMail(await referenceOptions(scenario, server));
        return undefined;
      } catch (error) {
        return error;
      }
    };
    const attempts = [await attempt()];
    const retryAfter = scenario.server.greylistMs;
    if (retryAfter !== undefined && isTemporary(attempts[0])) {
      // The lesson itself: wait as long as the server asked, then try again.
      await sleep(retryAfter);
      attempts.push(await attempt());
    }
    return attempts;
  });
}

/** What a failure of the reference client says: its phase and, for a reply, the code. */
export function describeFailure(error: unknown): { phase: string | undefined; code: number | undefined } {
  return {
    phase: phaseOf(error),
    code: error instanceof SmtpClientReplyError ? error.replyCode : undefined,
  };
}

export { SmtpClientError, SmtpClientReplyError };
