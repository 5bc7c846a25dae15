// The smtp-lab library: the same parts the CLI is made of.
export * from './protocol/index.js';
export * from './protocol/codes.js';
export { formatExplanation, type FormatOptions } from './cli/explain-format.js';
export * from './transcript/index.js';
export {
  startLabServer,
  createTestCa,
  createLeaf,
  DEFAULT_ACCOUNT,
  type LabServer,
  type LabServerOptions,
  type LabSession,
  type StoredMessage,
  type MessageRecord,
  type Account,
  type AuthMode,
  type TestCa,
} from './server/index.js';
export * from './client/index.js';
export * from './client/mime/index.js';
export * from './scenarios/types.js';
export {
  parseScenario,
  loadScenarioFile,
  listBuiltinScenarios,
  loadBuiltinScenario,
  resolveScenario,
  ScenarioError,
} from './scenarios/load.js';
export { serverOptionsFor, clientEnvironment, clientPort } from './scenarios/server.js';
export {
  evaluateChecks,
  CHECKS,
  CHECK_IDS,
  CHECK_TITLES,
  type CheckDef,
  type CheckId,
  type CheckResult,
  type RunEvidence,
} from './grader/checks.js';
export { collectEvidence } from './grader/evidence.js';
export { gradeScenario, type GradeOptions } from './grader/run.js';
export type { GradeReport } from './grader/report.js';
export { formatReports, type ReportFormat } from './grader/formats.js';
export {
  DEFAULT_LANG,
  LANGS,
  messages,
  resolveLang,
  UnknownLangError,
  displayWidth,
  type Lang,
  type Messages,
  type MessageKey,
} from './i18n/index.js';
export { scenarioTitle, scenarioLesson, checkHint } from './scenarios/localized.js';
export { startWebServer, type WebServer, type WebServerOptions } from './web/index.js';
