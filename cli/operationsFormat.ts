/** How `kvstorage plan|apply|undo|status` print an operation: text for terminals, JSON for scripts. */
import type { DryRunReport } from '../cluster/ops/dryRun.js';
import type { RunResult } from '../cluster/ops/engine.js';
import type { UndoPreview } from '../cluster/ops/undo.js';
import { refLabel, type Journal } from '../core/ops/journal.js';
import { deletions, previewText } from '../core/ops/preview.js';
import type { Plan, Question } from '../core/ops/types.js';
import { readable } from '../cluster/ops/compare.js';

/** The plan's YAML (notes and reasons as comments), then the choices that could be made otherwise. */
export function planText(plan: Plan, questions: readonly Question[]): string {
  const asks = questions.map((q) => `# ${q.prompt}: ${q.chosen} (also possible: ${q.choices.filter((c) => c.value !== q.chosen).map((c) => c.value).join(', ')}; --${q.option})`);
  return `${previewText(plan)}${asks.length > 0 ? `${asks.join('\n')}\n` : ''}`;
}

export function planJson(plan: Plan, questions: readonly Question[]): object {
  return {
    operation: plan.operation,
    title: plan.title,
    target: plan.target,
    ...(plan.advice ? { advice: plan.advice } : {}),
    notes: plan.notes,
    ...(plan.confirm?.length ? { confirm: plan.confirm } : {}),
    questions,
    deletes: deletions(plan),
    phases: plan.phases.map((p) => ({ ...p, writes: p.writes.map((w) => (w.action === 'apply' || w.action === 'create' ? { ...w, object: redactSecrets(w.object, plan.secretKeySuffixes ?? []) } : w)) })),
    checks: plan.checks,
  };
}

function redactSecrets(o: object, suffixes: readonly string[]): object {
  const obj = o as Record<string, unknown>;
  if (obj['kind'] !== 'Secret' || typeof obj['data'] !== 'object' || obj['data'] === null) return o;
  return { ...obj, data: Object.fromEntries(Object.entries(obj['data'] as Record<string, string>).map(([k, v]) => [k, suffixes.some((s) => k.endsWith(s)) ? '<redacted>' : v])) };
}

/** One line per write: `create  Namespace kvs`, then the dry run's sentence. */
export function dryRunText(plan: Plan, report: Pick<DryRunReport, 'outcomes' | 'summary'>): string {
  const width = Math.max(...report.outcomes.map((o) => o.action.length), 6);
  const lines = report.outcomes.map((o) => `  ${o.action.padEnd(width)}  ${refLabel(o.ref)}${o.dryRun === 'deferred' ? '  (dry-run once its namespace exists)' : ''}`);
  return [`${plan.title} (context ${plan.target.context})`, ...(plan.advice ? [`advice: ${plan.advice}`] : []), ...lines, report.summary, ...(plan.confirm ?? []), ''].join('\n');
}

export function applyText(r: RunResult, operation: string): string {
  const lines = [r.message];
  if (r.runId && r.journal) lines.push(`run ${r.runId}; undo journal ConfigMap ${r.journal.namespace}/${r.journal.name}${r.undoable ? ` (kvstorage undo ${operation})` : ''}`);
  return `${lines.join('\n')}\n`;
}

export function runJson(r: RunResult): object {
  return {
    outcome: r.outcome,
    message: r.message,
    ...(r.runId ? { runId: r.runId, journal: r.journal } : {}),
    steps: r.steps.map((s) => ({ object: refLabel(s.ref), phase: s.phase, action: s.action, state: s.state })),
    ...(r.verification ? { verification: r.verification } : {}),
    undoable: r.undoable,
    ...(r.dryRun ? { dryRun: { summary: r.dryRun.summary, outcomes: r.dryRun.outcomes.map((o) => ({ object: refLabel(o.ref), action: o.action, dryRun: o.dryRun, ...(o.live ? { live: readable(o.live) } : {}) })) } } : {}),
  };
}

export function undoPreviewText(p: UndoPreview): string {
  if (p.runs.length === 0) return 'Nothing to undo: no run has changes standing.\n';
  const lines: string[] = [];
  for (const r of p.runs) {
    const j = r.stored.journal;
    lines.push(`run ${j.runId} (${j.title}; ${j.state}, started ${j.startedAt}):`);
    for (const s of r.steps) lines.push(`  ${s.kind === 'skip' ? 'skip   ' : s.kind.padEnd(7)}  ${s.why}`);
    for (const c of r.conflicts) lines.push(`  CONFLICT ${c.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export function statusText(summary: string, details: readonly string[], runs: readonly Journal[], namespace: string): string {
  const lines = [summary, ...details.map((d) => `  ${d}`)];
  if (runs.length === 0) lines.push(`No runs in the undo journal (namespace ${namespace}).`);
  else {
    lines.push(`Runs in the undo journal (namespace ${namespace}), oldest first:`);
    for (const j of runs) lines.push(`  ${j.runId}  ${j.state.padEnd(12)} ${j.startedAt}  ${j.title}`);
  }
  return `${lines.join('\n')}\n`;
}
