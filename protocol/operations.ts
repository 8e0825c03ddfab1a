/**
 * Operations: every change the tools make to a cluster (server/operations.ts ↔ client/operations/). One
 * conversation for all of them: list, plan (a preview and the choices made), dry-run, apply with progress,
 * undo from the journal in the cluster, status. A feature adds an operation id, never a request.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { OptionSpec, Question } from '../core/ops/types.js';

export type { OptionSpec, Question };

export interface OperationInfo {
  id: string;
  title: string;
  summary: string;
  options: OptionSpec[];
}

/** Request `kubevirtStorage/operations/list`: the operations the server can run. */
export const operationsListRequest = new RequestType0<OperationInfo[], void>('kubevirtStorage/operations/list');

export interface OperationPlanParams {
  operation: string;
  /** Option values by name; empty or absent means the operation's default. */
  options?: Record<string, string | number | boolean>;
}

export interface PlannedWrite {
  label: string;
  action: 'apply' | 'create' | 'patch' | 'delete' | 'deleteSelected';
}

export interface PlannedOperation {
  /** Names the plan kept on the server: dry-run and apply use exactly what was previewed. */
  planId: string;
  operation: string;
  title: string;
  context: string;
  server: string;
  namespace?: string;
  /** The read-only YAML document of the plan (private keys redacted). */
  preview: string;
  phases: { id: string; title: string; why: string; writes: PlannedWrite[]; waits: string[] }[];
  checks: string[];
  notes: string[];
  /** Set when the tools advise against applying: the editor asks with it. */
  advice?: string;
  /** Choices the planner made that the user may change. */
  questions: Question[];
  /** What the plan deletes, named, before anything is deleted. */
  deletes: string[];
  /** What the confirmation says besides the writes (what a delete sets off, what stays). */
  confirm?: string[];
  /** What undo can do, when it is not the usual. */
  undo?: string;
}

export type OperationPlanResult = { ok: true; plan: PlannedOperation } | { ok: false; message: string };

/** Request `kubevirtStorage/operations/plan`. */
export const operationPlanRequest = new RequestType<OperationPlanParams, OperationPlanResult, void>('kubevirtStorage/operations/plan');

export interface PlanRef {
  planId: string;
}

export interface WriteOutcome {
  label: string;
  phase: string;
  action: 'create' | 'update' | 'unchanged' | 'delete' | 'absent';
  /** `deferred`: in a namespace the plan creates; dry-run once it exists. */
  dryRun: 'passed' | 'deferred';
  /** For updates: a unified diff of the live object against what the API server would store. */
  diff?: string;
}

export interface DryRunView {
  /** Says exactly what was dry-run and what could not be yet. */
  summary: string;
  outcomes: WriteOutcome[];
  /** The preview again, with each write's outcome and diffs against the live objects. */
  preview: string;
  /** Everything the apply will delete, by name, as the dry run found it. */
  deletes: string[];
  /** Whether anything would change. */
  changes: boolean;
}

export type OperationDryRunResult = { ok: true; dryRun: DryRunView } | { ok: false; message: string };

/** Request `kubevirtStorage/operations/dryRun` (cancellable; progress as `operations/progress`). */
export const operationDryRunRequest = new RequestType<PlanRef, OperationDryRunResult, void>('kubevirtStorage/operations/dryRun');

export interface OperationApplyParams extends PlanRef {
  /** Where the undo journal goes (default `kubevirtStorage.operations.journalNamespace`, else `kubevirt-storage-tools`). */
  journalNamespace?: string;
}

export interface StepView {
  label: string;
  phase: string;
  action: WriteOutcome['action'];
  state: 'done' | 'unchanged' | 'not-done' | 'failed' | 'uncertain';
}

export interface RunView {
  outcome: 'applied' | 'unchanged' | 'failed' | 'cancelled';
  message: string;
  runId?: string;
  journal?: { namespace: string; name: string };
  steps: StepView[];
  verification?: { state: 'verified' | 'failed' | 'partial' | 'skipped' | 'none' | 'cancelled'; message: string };
  undoable: boolean;
}

export type OperationApplyResult = { ok: true; run: RunView } | { ok: false; message: string };

/** Request `kubevirtStorage/operations/apply` (cancellable between writes; progress as `operations/progress`). */
export const operationApplyRequest = new RequestType<OperationApplyParams, OperationApplyResult, void>('kubevirtStorage/operations/apply');

export interface OperationProgressParams {
  /** The plan (apply, dry-run) or `undo:<operation>` the progress belongs to. */
  planId: string;
  stage: 'target' | 'dry-run' | 'journal' | 'apply' | 'wait' | 'verify' | 'undo';
  message: string;
}

/** Notification `kubevirtStorage/operations/progress` (server → client). */
export const operationProgressNotification = new NotificationType<OperationProgressParams>('kubevirtStorage/operations/progress');

export interface UndoParams {
  /** Undo every standing run of this operation (and those it undoes too), latest first… */
  operation?: string;
  /** …or one run. */
  runId?: string;
  /** Undo even where objects changed since (their changes are overwritten). */
  force?: boolean;
  journalNamespace?: string;
}

export interface UndoRunView {
  runId: string;
  title: string;
  startedAt: string;
  state: string;
  steps: { kind: 'delete' | 'restore' | 'recreate' | 'skip'; why: string }[];
  conflicts: string[];
}

export interface UndoPreviewView {
  runs: UndoRunView[];
  /** One paragraph: what undo will do, or why it cannot. */
  summary: string;
  /** Whether undo would change anything. */
  changes: boolean;
}

export type UndoPreviewResult = { ok: true; preview: UndoPreviewView } | { ok: false; message: string };

/** Request `kubevirtStorage/operations/undoPreview`: what undo would do now, and any conflicts. */
export const operationUndoPreviewRequest = new RequestType<UndoParams, UndoPreviewResult, void>('kubevirtStorage/operations/undoPreview');

export type UndoResult = { ok: boolean; message: string; conflicts: string[] };

/** Request `kubevirtStorage/operations/undo` (progress as `operations/progress` with planId `undo:…`). */
export const operationUndoRequest = new RequestType<UndoParams, UndoResult, void>('kubevirtStorage/operations/undo');

export interface RunSummary {
  runId: string;
  operation: string;
  title: string;
  startedAt: string;
  finishedAt?: string;
  state: string;
  log: string[];
}

export interface OperationStatusParams {
  operation: string;
  journalNamespace?: string;
}

export type OperationStatusResult =
  | { ok: true; summary: string; details: string[]; runs: RunSummary[]; journalNamespace: string }
  | { ok: false; message: string };

/** Request `kubevirtStorage/operations/status`: what is deployed now, and the runs in the journal. */
export const operationStatusRequest = new RequestType<OperationStatusParams, OperationStatusResult, void>('kubevirtStorage/operations/status');
