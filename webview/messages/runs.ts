/**
 * Messages between the extension (client/operations/runsPanel.ts) and the operations panel (webview/runs/),
 * both ways, as discriminated unions: each side switches over `type` exhaustively.
 */

export interface RunRow {
  runId: string;
  operation: string;
  title: string;
  startedAt: string;
  finishedAt?: string;
  /** applying, applied, failed, cancelled, undone, undo-partial */
  state: string;
  /** The journal's events, oldest first. */
  log: string[];
  /** Whether undo of this run may still change something. */
  undoable: boolean;
}

export interface OperationRow {
  id: string;
  title: string;
  /** What is deployed now, in a sentence (absent: the operation has no state to show, or it could not be read). */
  status?: string;
  details: string[];
  runs: RunRow[];
  /** Why the status or the runs could not be read. */
  error?: string;
}

/** Extension → panel. */
export type ToRunsPanel =
  | { type: 'show'; context: string; journalNamespace: string; operations: OperationRow[]; readAt: string }
  | { type: 'notConnected'; message: string }
  | { type: 'busy'; busy: boolean };

/** Panel → extension. */
export type FromRunsPanel = { type: 'ready' } | { type: 'refresh' } | { type: 'undo'; operation: string; runId: string } | { type: 'showLog' };
