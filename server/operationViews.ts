/** The engine's results as the protocol carries them (protocol/operations.ts). */
import type { RunResult } from '../cluster/ops/engine.js';
import type { DryRunReport } from '../cluster/ops/dryRun.js';
import type { UndoPreview } from '../cluster/ops/undo.js';
import type { OperationDefinition } from '../cluster/ops/registry.js';
import { refLabel } from '../core/ops/journal.js';
import { deletions, diffText, previewText, redact, type OutcomeView } from '../core/ops/preview.js';
import type { Plan, Question } from '../core/ops/types.js';
import type { DryRunView, OperationInfo, PlannedOperation, RunView, UndoPreviewView } from '../protocol/operations.js';
import { describeWait } from '../cluster/ops/waits.js';

export function operationInfo(d: OperationDefinition): OperationInfo {
  return { id: d.id, title: d.title, summary: d.summary, options: [...d.options] };
}

export function plannedView(planId: string, plan: Plan, questions: Question[] = []): PlannedOperation {
  return {
    planId,
    operation: plan.operation,
    title: plan.title,
    context: plan.target.context,
    server: plan.target.server,
    ...(plan.target.namespace ? { namespace: plan.target.namespace } : {}),
    preview: previewText(plan),
    phases: plan.phases.map((p) => ({
      id: p.id,
      title: p.title,
      why: p.why,
      writes: p.writes.map((w) => ({
        action: w.action,
        label:
          w.action === 'apply' || w.action === 'create' ? refLabel({ kind: w.object.kind, ...(w.object.metadata.namespace ? { namespace: w.object.metadata.namespace } : {}), name: w.object.metadata.name ?? `${w.object.metadata.generateName ?? ''}…` })
          : w.action === 'deleteSelected' ? `every ${w.kind} selected by ${w.labelSelector}`
          : refLabel(w.target),
      })),
      waits: (p.waits ?? []).map(describeWait),
    })),
    checks: plan.checks.map((c) => (c.kind === 'skipped' ? `skipped: ${c.reason}` : c.describe)),
    notes: plan.notes,
    ...(plan.advice ? { advice: plan.advice } : {}),
    questions,
    deletes: deletions(plan),
    ...(plan.confirm?.length ? { confirm: plan.confirm } : {}),
    ...(plan.undo ? { undo: plan.undo } : {}),
  };
}

export function outcomeViews(outcomes: DryRunReport['outcomes']): OutcomeView[] {
  return outcomes.map((o) => ({ label: refLabel(o.ref), action: o.action, dryRun: o.dryRun, ...(o.live ? { live: o.live } : {}), ...(o.next && o.live ? { next: o.next } : {}) }));
}

export function dryRunView(plan: Plan, report: Pick<DryRunReport, 'outcomes' | 'summary'>): DryRunView {
  return {
    summary: report.summary,
    outcomes: report.outcomes.map((o) => ({
      label: refLabel(o.ref),
      phase: o.phase,
      action: o.action,
      dryRun: o.dryRun,
      ...(o.live && o.next ? { diff: diffText(refLabel(o.ref), redact(o.live, plan.secretKeySuffixes ?? []), redact(o.next, plan.secretKeySuffixes ?? [])) } : {}),
    })),
    preview: previewText(plan, outcomeViews(report.outcomes), report.summary),
    deletes: report.outcomes.filter((o) => o.action === 'delete').map((o) => refLabel(o.ref)),
    changes: report.outcomes.some((o) => o.action !== 'unchanged' && o.action !== 'absent'),
  };
}

export function runView(r: RunResult): RunView {
  return {
    outcome: r.outcome,
    message: r.message,
    ...(r.runId ? { runId: r.runId } : {}),
    ...(r.journal ? { journal: r.journal } : {}),
    steps: r.steps.map((s) => ({ label: refLabel(s.ref), phase: s.phase, action: s.action, state: s.state })),
    ...(r.verification ? { verification: { state: r.verification.state, message: r.verification.message } } : {}),
    undoable: r.undoable,
  };
}

export function undoPreviewView(p: UndoPreview): UndoPreviewView {
  const runs = p.runs.map((r) => ({
    runId: r.stored.journal.runId,
    title: r.stored.journal.title,
    startedAt: r.stored.journal.startedAt,
    state: r.stored.journal.state,
    steps: r.steps.map((s) => ({ kind: s.kind, why: s.why })),
    conflicts: r.conflicts.map((c) => c.message),
  }));
  const changes = runs.some((r) => r.steps.some((s) => s.kind !== 'skip'));
  const conflicts = runs.flatMap((r) => r.conflicts);
  const summary =
    runs.length === 0 ? 'Nothing to undo: no run has changes standing.'
    : conflicts.length > 0 ? `Undo cannot go ahead: ${conflicts.join('; ')}.`
    : changes ? `Undo ${runs.length} run${runs.length === 1 ? '' : 's'}, latest first: ${runs.flatMap((r) => r.steps.filter((s) => s.kind !== 'skip').map((s) => s.why)).join('; ')}.`
    : 'Nothing left to change: every object is already as it was before.';
  return { runs, summary, changes };
}
