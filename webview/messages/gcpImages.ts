/**
 * Messages between the extension (client/gcpImages.ts) and the GCP golden-image checklist (webview/gcpImages/),
 * both ways, as discriminated unions. The view mirrors protocol/gcpImages.ts (pages import nothing else).
 */

export interface StepRow {
  step: number;
  id: string;
  title: string;
  state: 'needed' | 'done' | 'not-needed';
  reason: string;
  /** What applying writes for this step: a title line, then the manifest or patch as YAML. */
  writes: { label: string; action: string; text: string }[];
}

export interface CheckRow {
  id: string;
  title: string;
  state: 'passed' | 'pending' | 'failed';
  message: string;
}

export interface ChecklistView {
  context: string;
  blocked?: string;
  steps: StepRow[];
  problems: string[];
  notes: string[];
  plan: { ok: true; title: string; advice?: string } | { ok: false; message: string };
  verification: { state: 'verified' | 'pending' | 'failed'; summary: string; checks: CheckRow[] };
}

/** What the dry run said of one write: its step (the plan's phase id), action, and the diff for updates. */
export interface OutcomeRow {
  label: string;
  phase: string;
  action: string;
  diff?: string;
}

/** Extension → page. */
export type ToGcpImagesPage =
  | { type: 'show'; view: ChecklistView; readAt: string }
  /** The last action's outcome, in a sentence (and the dry run's per-write outcomes). */
  | { type: 'result'; action: 'dry-run' | 'apply' | 'verify' | 'undo'; message: string; outcomes?: OutcomeRow[] }
  | { type: 'notConnected'; message: string }
  | { type: 'busy'; busy: boolean };

/** Page → extension. */
export type FromGcpImagesPage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'dryRun' }
  | { type: 'apply' }
  | { type: 'verify' }
  | { type: 'undo' }
  | { type: 'showLog' };
