/**
 * The words of the one operation conversation: the confirmation (naming the context and every delete), the
 * result (with what was applied and what was not), and the undo confirmation. Pure (no vscode), so
 * test/unit checks them without an editor.
 */
import type { DryRunView, PlannedOperation, RunView, UndoPreviewView } from '../../protocol/operations.js';

/** `n thing(s)`, with thousands separators. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export interface Confirmation {
  /** The modal's message: a question naming the context. */
  message: string;
  /** Its detail: the plan's title, what the dry run said, every delete by name, and how to undo. */
  detail: string;
  /** The button that goes ahead. */
  button: string;
}

/** The modal before apply. `verb` is the button ("Deploy", "Uninstall", "Rotate", "Apply"). */
export function confirmation(plan: PlannedOperation, dry: DryRunView, verb: string): Confirmation {
  const where = `${plan.context}${plan.namespace ? `/${plan.namespace}` : ''}`;
  const changes = dry.outcomes.filter((o) => o.action !== 'unchanged' && o.action !== 'absent');
  const deletes = dry.deletes;
  const lines = [
    plan.title,
    '',
    dry.summary,
    ...(deletes.length > 0 ? ['', `This deletes ${plural(deletes.length, 'object')}:`, ...deletes.map((d) => `  • ${d}`)] : []),
    ...(plan.confirm?.length ? ['', ...plan.confirm] : []),
    '',
    plan.undo ?? 'Undo reverses it from the journal kept in the cluster (KubeVirt Storage: Undo, or kvstorage undo).',
  ];
  return {
    message: `${verb} on context ${where}? ${plural(changes.length, 'change')}${deletes.length > 0 ? `, ${plural(deletes.length, 'deletion')}` : ''}.`,
    detail: lines.join('\n'),
    button: verb,
  };
}

export interface ResultMessage {
  severity: 'info' | 'warning' | 'error';
  text: string;
}

/** The end of an apply: applied and verified, applied with verification skipped or failed, stopped, cancelled. */
export function resultMessage(title: string, run: RunView, where: string): ResultMessage {
  const v = run.verification;
  switch (run.outcome) {
    case 'unchanged':
      return { severity: 'info', text: `${title} on ${where}: ${run.message}` };
    case 'applied':
      return !v || v.state === 'verified' || v.state === 'none'
        ? { severity: 'info', text: `${title} on ${where}: done. ${run.message}` }
        : { severity: 'warning', text: `${title} on ${where}: applied, ${v.state === 'failed' ? 'but the verification failed' : 'not fully verified'}. ${run.message}` };
    case 'cancelled':
      return { severity: 'warning', text: `${title} on ${where} was cancelled. ${run.message}` };
    case 'failed':
      return { severity: 'error', text: `${title} on ${where} stopped: ${run.message}` };
  }
}

/** The modal before undo: every step, and conflicts (which stop it). */
export function undoConfirmation(preview: UndoPreviewView, context: string): Confirmation {
  const lines: string[] = [];
  for (const r of preview.runs) {
    lines.push(`Run ${r.runId} (${r.title}, ${r.startedAt}, ${r.state}):`);
    for (const s of r.steps) lines.push(`  ${s.kind === 'skip' ? '–' : '•'} ${s.why}`);
    for (const c of r.conflicts) lines.push(`  ✗ ${c}`);
  }
  const conflicts = preview.runs.flatMap((r) => r.conflicts);
  return {
    message: conflicts.length > 0 ? `Undo on context ${context} cannot go ahead: ${plural(conflicts.length, 'object')} changed since.` : `Undo ${plural(preview.runs.length, 'run')} on context ${context}?`,
    detail: [preview.summary, '', ...lines].join('\n'),
    button: conflicts.length > 0 ? 'Undo Anyway (Overwrite Their Changes)' : 'Undo',
  };
}
