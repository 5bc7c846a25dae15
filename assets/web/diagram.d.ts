// Types of diagram.js (plain JavaScript, shipped as it is, for the browser and the HTML report).
// Structural on purpose: the rows are src/web/session-view.ts's DiagramRow, the checks the grader's.

export interface DiagramRowLike {
  n: number;
  line: number;
  kind: string;
  dir: string;
  t: number;
  tls: boolean;
  text: string;
  code?: number;
  flags: Array<{ kind: string; text: string }>;
  b64: string;
  bytes: number;
  pieces?: Array<{ t: number; b64: string }>;
  overtook?: { n: number; after: number; of: number };
}
export interface SessionViewLike {
  id: string;
  live: boolean;
  rows: DiagramRowLike[];
}
export interface CheckLike {
  id: string;
  title: string;
  passed: boolean;
  applicable: boolean;
  points: number;
  maxPoints: number;
  evidence: Array<{ session: string; line: number; text: string }>;
  notes: string[];
  hint: string | null;
}

/** The words a diagram says: `web.diagram.` messages by key (src/web/text.ts's diagramText()). */
export type DiagramText = Readonly<Record<string, string>>;

export function esc(text: unknown): string;
export function tr(
  text: DiagramText | undefined,
  key: string,
  params?: Readonly<Record<string, string | number | undefined>>,
): string;
export function fromB64(b64: string): Uint8Array;
export function visibleBytes(bytes: Uint8Array, maxBytes?: number, text?: DiagramText): string;
export function hexDump(bytes: Uint8Array, maxBytes?: number, text?: DiagramText): string;
export function rowDetails(row: DiagramRowLike | undefined, text?: DiagramText): string;
export function renderDiagram(
  view: SessionViewLike,
  options?: { selected?: number; marked?: number[]; text?: DiagramText },
): string;
export function rowForLine(view: SessionViewLike, line: number): DiagramRowLike | undefined;
export function rowAnchor(sessionId: string, n: number): string;
export function renderChecks(
  checks: readonly CheckLike[],
  views: Record<string, SessionViewLike>,
  text?: DiagramText,
): string;
