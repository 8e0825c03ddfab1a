/**
 * The one conversation for every change the tools make to a cluster: plan → preview (the exact manifests
 * and patches, read-only) → server-side dry run (the preview gains each write's outcome and diffs) →
 * a modal confirmation naming the context and every delete → cancellable progress → verification → a result
 * with "Undo" and "Show Log". Features supply words and choices only (`OperationWords`); the server does the
 * work. Undo has the same shape: preview from the journal, confirmation, progress, result.
 */
import { commands, ProgressLocation, window, workspace, type QuickPickItem } from 'vscode';
import {
  operationApplyRequest,
  operationDryRunRequest,
  operationPlanRequest,
  operationsListRequest,
  operationUndoPreviewRequest,
  operationUndoRequest,
  type DryRunView,
  type OperationInfo,
  type PlannedOperation,
  type RunView,
} from '../../protocol/operations.js';
import { ask, connectedContext, notBusy, withRequestProgress, type OperationDeps } from './deps.js';
import { confirmation, resultMessage, undoConfirmation } from './text.js';

export interface OperationWords {
  operation: string;
  /** "Deploying the restore-size webhook": progress titles and results. */
  doing: string;
  /** The confirmation's button: "Deploy", "Uninstall", "Rotate". */
  verb: string;
  /** Options the feature fixes, on top of the settings the operation names. */
  options?: Record<string, string | number | boolean>;
  /** Extra buttons on a successful result. */
  followUps?: { label: string; command: string }[];
  /** Stop after the dry run: the preview shows its outcome and diffs, nothing is asked or applied. */
  dryRunOnly?: boolean;
}

/** How a conversation ended, for a page that shows it (the user has been told already). */
export type ConversationEnd =
  | { stage: 'stopped' }
  | { stage: 'nothing-to-do'; title: string }
  | { stage: 'dry-run'; dryRun: DryRunView }
  | { stage: 'applied'; dryRun: DryRunView; run: RunView }
  | { stage: 'failed'; message: string };

const stoppedEnd: ConversationEnd = { stage: 'stopped' };

const showLog = 'Show Log';
const undo = 'Undo';
const continueAnyway = 'Continue Anyway';

let known: OperationInfo[] | undefined;

async function info(deps: OperationDeps, id: string): Promise<OperationInfo | undefined> {
  if (!known) {
    const r = await ask(deps, 'list the operations', () => deps.server.request(operationsListRequest));
    if (!r.ok) return undefined;
    known = r.value;
  }
  return known.find((o) => o.id === id);
}

/** Option values from the settings the operation names (empty settings are left to the operation's default). */
function fromSettings(op: OperationInfo): Record<string, string | number | boolean> {
  const out: [string, string | number | boolean][] = [];
  for (const o of op.options) {
    if (!o.setting) continue;
    const v = workspace.getConfiguration().get<unknown>(o.setting);
    if (typeof v === 'string' ? v.trim() !== '' : typeof v === 'number' || typeof v === 'boolean') out.push([o.name, typeof v === 'string' ? v.trim() : (v as number | boolean)]);
  }
  // Own entries: an option named like an Object.prototype property stays an option.
  return Object.fromEntries(out);
}

async function plan(deps: OperationDeps, words: OperationWords, options: Record<string, string | number | boolean>): Promise<PlannedOperation | undefined> {
  const r = await window.withProgress({ location: ProgressLocation.Window, title: `KubeVirt Storage: planning (${words.doing})` }, () =>
    ask(deps, `plan ${words.operation}`, () => deps.server.request(operationPlanRequest, { operation: words.operation, options })),
  );
  if (!r.ok) return undefined;
  if (!r.value.ok) {
    void window.showErrorMessage(`KubeVirt Storage: cannot plan ${words.doing.toLowerCase()}: ${r.value.message}`);
    return undefined;
  }
  deps.output.info(`Plan ${r.value.plan.planId}: ${r.value.plan.title} on ${r.value.plan.context}`);
  return r.value.plan;
}

interface ChoiceItem extends QuickPickItem {
  value: string;
}

/** Asks the planner's questions the user has not answered in settings or options; re-plans when they differ. */
async function answer(deps: OperationDeps, words: OperationWords, planned: PlannedOperation, options: Record<string, string | number | boolean>): Promise<PlannedOperation | undefined> {
  let current = planned;
  for (const q of planned.questions) {
    if (Object.hasOwn(options, q.option) || q.choices.length < 2) continue;
    const items: ChoiceItem[] = [...q.choices].sort((a, b) => (a.value === q.chosen ? -1 : b.value === q.chosen ? 1 : 0)).map((c) => ({ value: c.value, label: c.label, description: c.value === q.chosen ? 'detected default' : '', ...(c.detail ? { detail: c.detail } : {}) }));
    const picked = await window.showQuickPick(items, { title: `${words.doing}: ${q.prompt}`, placeHolder: `Detected on ${planned.context}`, ignoreFocusOut: true });
    if (!picked) return undefined;
    Object.defineProperty(options, q.option, { value: picked.value, enumerable: true, writable: true, configurable: true });
    if (picked.value !== q.chosen) {
      const again = await plan(deps, words, options);
      if (!again) return undefined;
      current = again;
    }
  }
  return current;
}

function where(p: PlannedOperation): string {
  return `${p.context}${p.namespace ? `/${p.namespace}` : ''}`;
}

/** Runs the whole conversation for one operation; every way out is logged and told. */
export async function runOperation(deps: OperationDeps, words: OperationWords): Promise<ConversationEnd> {
  const context = connectedContext(deps);
  if (!context || !notBusy(deps)) return stoppedEnd;
  const op = await info(deps, words.operation);
  if (!op) return stoppedEnd;
  const options = { ...fromSettings(op), ...(words.options ?? {}) };
  const first = await plan(deps, words, options);
  if (!first) return stoppedEnd;
  const planned = await answer(deps, words, first, options);
  if (!planned) {
    deps.output.info(`${words.doing}: cancelled at a choice; nothing was applied`);
    return stoppedEnd;
  }
  if (planned.phases.length === 0) {
    void window.showInformationMessage(`KubeVirt Storage: ${planned.title}.`);
    return { stage: 'nothing-to-do', title: planned.title };
  }
  if (planned.advice && !words.dryRunOnly) {
    const go = await window.showWarningMessage(`${words.doing} on ${context} is not advised`, { modal: true, detail: `${planned.advice}\n\nGo on anyway?` }, continueAnyway);
    if (go !== continueAnyway) {
      deps.output.info(`${words.doing}: not started (${planned.advice})`);
      return stoppedEnd;
    }
  }

  const preview = `${planned.planId}.yaml`;
  await deps.documents.show(preview, planned.preview, 'yaml');
  const stopped = async (message: string): Promise<ConversationEnd> => {
    deps.output.info(message);
    await deps.documents.close(preview);
    void window.showInformationMessage(`KubeVirt Storage: ${message}`);
    return stoppedEnd;
  };

  const dry = await withRequestProgress(deps, `dry run: ${words.doing.toLowerCase()} on ${where(planned)}`, `dry-run ${words.operation}`, (t) =>
    deps.server.request(operationDryRunRequest, { planId: planned.planId }, t),
  );
  if (!dry.ok) return dry.cancelled ? stopped(`${words.doing}: cancelled during the dry run; nothing was applied.`) : stoppedEnd;
  if (!dry.value.ok) {
    void window.showErrorMessage(`KubeVirt Storage: the server-side dry run on ${where(planned)} failed, so nothing was applied: ${dry.value.message}`);
    return { stage: 'failed', message: dry.value.message };
  }
  const view = dry.value.dryRun;
  deps.documents.set(preview, view.preview);
  if (!view.changes) {
    void window.showInformationMessage(`KubeVirt Storage: ${words.doing} on ${where(planned)}: nothing to change. ${view.summary}`);
    return { stage: 'dry-run', dryRun: view };
  }
  if (words.dryRunOnly) {
    // The preview stays open with the outcome and diffs; applying is a separate, confirmed step.
    deps.output.info(`${words.doing}: dry run on ${where(planned)}: ${view.summary}`);
    void window.showInformationMessage(`KubeVirt Storage: dry run on ${where(planned)}: ${view.summary} Nothing was applied.`);
    return { stage: 'dry-run', dryRun: view };
  }
  const c = confirmation(planned, view, words.verb);
  const choice = await window.showWarningMessage(c.message, { modal: true, detail: c.detail }, c.button);
  if (choice !== c.button) return stopped(`${words.doing}: cancelled at the confirmation; nothing was applied.`);

  const journalNamespace = workspace.getConfiguration().get<string>('kubevirtStorage.operations.journalNamespace', '').trim();
  const applied = await withRequestProgress(deps, `${words.doing} on ${where(planned)}`, words.operation, (t) =>
    deps.server.request(operationApplyRequest, { planId: planned.planId, ...(journalNamespace ? { journalNamespace } : {}) }, t),
  );
  deps.changed(words.operation);
  if (!applied.ok) {
    if (applied.cancelled) void window.showWarningMessage(`KubeVirt Storage: ${words.doing} on ${where(planned)} was cancelled; see the log for what was applied.`, showLog, undo).then((x) => follow(deps, words, x));
    return { stage: 'failed', message: applied.cancelled ? 'cancelled' : 'the request failed' };
  }
  if (!applied.value.ok) {
    void window.showErrorMessage(`KubeVirt Storage: ${words.doing} on ${where(planned)} failed: ${applied.value.message}`, showLog);
    return { stage: 'failed', message: applied.value.message };
  }
  const run = applied.value.run;
  const m = resultMessage(words.doing, run, where(planned));
  const buttons = [...(run.undoable ? [undo] : []), showLog, ...(run.outcome === 'applied' ? (words.followUps ?? []).map((f) => f.label) : [])];
  deps.output[m.severity === 'error' ? 'error' : m.severity === 'warning' ? 'warn' : 'info'](m.text);
  const show = m.severity === 'error' ? window.showErrorMessage : m.severity === 'warning' ? window.showWarningMessage : window.showInformationMessage;
  // The command is done once the work is: the message stays for the user, nobody awaits it.
  void show(`KubeVirt Storage: ${m.text}`, ...buttons).then((x) => follow(deps, words, x));
  return { stage: 'applied', dryRun: view, run };
}

function follow(deps: OperationDeps, words: OperationWords, choice: string | undefined): void {
  if (choice === showLog) deps.output.show();
  else if (choice === undo) void undoOperation(deps, words.operation);
  else {
    const f = words.followUps?.find((x) => x.label === choice);
    if (f) void commands.executeCommand(f.command);
  }
}

/** Undo from the journal: what it will do (or why it cannot), a modal confirmation, progress, the result. */
export async function undoOperation(deps: OperationDeps, operation: string, runId?: string): Promise<void> {
  const context = connectedContext(deps);
  if (!context || !notBusy(deps)) return;
  const journalNamespace = workspace.getConfiguration().get<string>('kubevirtStorage.operations.journalNamespace', '').trim();
  const sel = { ...(runId ? { runId } : { operation }), ...(journalNamespace ? { journalNamespace } : {}) };
  const p = await window.withProgress({ location: ProgressLocation.Window, title: 'KubeVirt Storage: reading the undo journal' }, () =>
    ask(deps, 'read the undo journal', () => deps.server.request(operationUndoPreviewRequest, sel)),
  );
  if (!p.ok) return;
  if (!p.value.ok) {
    void window.showErrorMessage(`KubeVirt Storage: cannot read the undo journal on ${context}: ${p.value.message}`);
    return;
  }
  const preview = p.value.preview;
  const conflicts = preview.runs.some((r) => r.conflicts.length > 0);
  if (!preview.changes && !conflicts) {
    void window.showInformationMessage(`KubeVirt Storage: ${preview.summary}`);
    return;
  }
  const c = undoConfirmation(preview, context);
  const choice = await window.showWarningMessage(c.message, { modal: true, detail: c.detail }, c.button);
  if (choice !== c.button) return deps.output.info(`Undo of ${operation} cancelled at the confirmation; nothing was changed`);
  const r = await withRequestProgress(deps, `undoing ${operation} on ${context}`, `undo ${operation}`, (t) => deps.server.request(operationUndoRequest, { ...sel, force: conflicts }, t));
  deps.changed(operation);
  if (!r.ok) return;
  deps.output[r.value.ok ? 'info' : 'error'](r.value.message);
  void (r.value.ok ? window.showInformationMessage : window.showErrorMessage)(`KubeVirt Storage: ${r.value.message}`, showLog).then((x) => (x === showLog ? deps.output.show() : undefined));
}
