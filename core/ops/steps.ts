/**
 * A plan's writes as the engine runs them: one step per object, in apply order, with `deleteSelected`
 * resolved to the names it selected at dry-run time (apply deletes exactly those, so what the user
 * confirmed is what happens).
 */
import { refLabel, writeRef } from './journal.js';
import type { DeleteUndo, ObjectRef, Plan, Write } from './types.js';

export type StepWrite = Exclude<Write, { action: 'deleteSelected' }>;

export interface Step {
  /** Index of the phase in `plan.phases`. */
  phase: number;
  write: StepWrite;
  ref: ObjectRef;
}

/** What the dry run says a step will do. */
export type StepAction = 'create' | 'update' | 'unchanged' | 'delete' | 'absent';

/** The steps of a plan, `select` naming what each `deleteSelected` selects. */
export function planSteps(plan: Plan, select: (w: Extract<Write, { action: 'deleteSelected' }>, phase: number) => ObjectRef[]): Step[] {
  const steps: Step[] = [];
  plan.phases.forEach((phase, p) => {
    for (const w of phase.writes) {
      if (w.action === 'deleteSelected') {
        for (const ref of select(w, p)) steps.push({ phase: p, ref, write: { action: 'delete', target: ref, undo: w.undo } });
      } else steps.push({ phase: p, ref: writeRef(w), write: w });
    }
  });
  return steps;
}

/** Namespaces that a step of the plan creates (an apply or create of a Namespace), by step index. */
export function namespacesCreated(steps: readonly Step[]): Map<string, number> {
  const out = new Map<string, number>();
  steps.forEach((s, i) => {
    if ((s.write.action === 'apply' || s.write.action === 'create') && s.ref.kind === 'Namespace' && s.ref.apiVersion === 'v1' && !out.has(s.ref.name)) out.set(s.ref.name, i);
  });
  return out;
}

export function stepLabel(s: Step): string {
  return refLabel(s.ref);
}

export function deleteUndoText(u: DeleteUndo): string {
  return u.kind === 'recreate' ? 'undo recreates it' : `undo cannot bring it back: ${u.reason}`;
}

/** "3 to create, 1 to update, 2 unchanged" */
export function countActions(actions: readonly StepAction[]): string {
  const words: Record<StepAction, string> = { create: 'to create', update: 'to update', unchanged: 'unchanged', delete: 'to delete', absent: 'already absent' };
  const order: StepAction[] = ['create', 'update', 'delete', 'unchanged', 'absent'];
  const parts = order.map((a) => [a, actions.filter((x) => x === a).length] as const).filter(([, n]) => n > 0).map(([a, n]) => `${n} ${words[a]}`);
  return parts.join(', ') || 'nothing';
}
