/**
 * What a user reads before anything changes: a plan as one read-only YAML document (the notes and each
 * phase's reason as comments, then every manifest, patch and delete in apply order, private keys redacted),
 * and, once dry-run, each write's outcome with a diff against the live object where it exists.
 */
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { refLabel } from './journal.js';
import { deleteUndoText } from './steps.js';
import type { KubeObject, Plan, Write } from './types.js';

/** What the dry run said of one write, as the preview shows it (live and next only for updates). */
export interface OutcomeView {
  label: string;
  action: string;
  dryRun: 'passed' | 'deferred';
  live?: unknown;
  next?: unknown;
}

const REDACTED = '<redacted: private key, kept by the tools>';

/** A copy without private keys: Secret data whose key ends with one of the suffixes. */
export function redact<T>(o: T, suffixes: readonly string[]): T {
  if (suffixes.length === 0 || o === null || typeof o !== 'object') return o;
  const obj = o as Record<string, unknown>;
  if (obj['kind'] !== 'Secret' || typeof obj['data'] !== 'object' || obj['data'] === null) return o;
  const data = Object.fromEntries(Object.entries(obj['data'] as Record<string, unknown>).map(([k, v]) => [k, suffixes.some((s) => k.endsWith(s)) ? REDACTED : v]));
  return { ...obj, data } as T;
}

const yaml = (v: unknown): string => stringify(v, { lineWidth: 0 });
const comment = (text: string): string => text.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n');

/** One write as the preview shows it: a title line, and the manifest or patch as YAML (deletes have none). */
export function writeDoc(w: Write, suffixes: readonly string[]): { title: string; body?: string } {
  switch (w.action) {
    case 'apply':
    case 'create': {
      const kept = w.action === 'create' && w.undo ? ` (undo leaves it: ${w.undo.reason})` : '';
      return { title: `${w.action === 'apply' ? 'apply (server-side)' : 'create'}: ${writeLabel(w)}${w.object.metadata.name ? '' : '… (name generated)'}${kept}`, body: yaml(redact(w.object, suffixes)) };
    }
    case 'patch':
      return { title: `${w.patchType === 'json' ? 'JSON patch' : 'merge patch'} of ${refLabel(w.target)}`, body: yaml(w.patch) };
    case 'delete':
      return { title: `delete ${refLabel(w.target)} (${deleteUndoText(w.undo)})` };
    case 'deleteSelected':
      return { title: `delete every ${w.kind}${w.namespace ? ` in namespace ${w.namespace}` : ''} selected by ${w.labelSelector} (listed by the dry run; ${deleteUndoText(w.undo)})` };
  }
}

function writeLabel(w: Exclude<Write, { action: 'deleteSelected' }>): string {
  if (w.action === 'apply' || w.action === 'create') return refLabel({ kind: w.object.kind, ...(w.object.metadata.namespace ? { namespace: w.object.metadata.namespace } : {}), name: w.object.metadata.name ?? w.object.metadata.generateName ?? '' });
  return refLabel(w.target);
}

/** The plan as a multi-document YAML text. `outcomes` (in step order) adds the dry run's word and diffs. */
export function previewText(plan: Plan, outcomes?: readonly OutcomeView[], dryRunSummary?: string): string {
  const suffixes = plan.secretKeySuffixes ?? [];
  const head = [
    plan.title,
    `Target: context ${plan.target.context} (${plan.target.server})${plan.target.namespace ? `, namespace ${plan.target.namespace}` : ''}`,
    ...(plan.advice ? [`ADVICE: ${plan.advice}`] : []),
    ...plan.notes,
    ...(plan.confirm ?? []),
    ...(dryRunSummary ? [dryRunSummary] : ['Not dry-run yet.']),
  ];
  const docs: string[] = [];
  const byLabel = new Map((outcomes ?? []).map((o) => [o.label, o]));
  let n = 0;
  plan.phases.forEach((phase, p) => {
    const waits = (phase.waits ?? []).map((w) => `then waits: ${w.kind} of ${refLabel(w.target)} (up to ${w.timeoutSeconds} s)`);
    phase.writes.forEach((w, i) => {
      const d = writeDoc(w, suffixes);
      const lines = [`${i === 0 ? `Phase ${p + 1}/${plan.phases.length} "${phase.title}": ${phase.why}\n` : ''}${++n}. ${d.title}`];
      const o = w.action === 'deleteSelected' ? undefined : byLabel.get(writeLabel(w));
      if (o) lines.push(`dry run: ${o.dryRun === 'deferred' ? 'after its namespace is created' : o.action}`);
      if (o?.live !== undefined && o.next !== undefined) lines.push(diffText(o.label, redact(o.live, suffixes), redact(o.next, suffixes)));
      if (i === phase.writes.length - 1) lines.push(...waits);
      docs.push(`${comment(lines.join('\n'))}\n${d.body ?? '{}\n'}`);
    });
    if (phase.writes.length === 0 && waits.length > 0) docs.push(`${comment(`Phase ${p + 1}: ${phase.why}\n${waits.join('\n')}`)}\n{}\n`);
  });
  if (outcomes && plan.phases.some((ph) => ph.writes.some((w) => w.action === 'deleteSelected'))) {
    const selected = outcomes.filter((o) => o.action === 'delete' || o.action === 'absent').map((o) => o.label);
    docs.push(`${comment(`Deletes, as the dry run lists them: ${selected.join(', ') || 'none'}`)}\n{}\n`);
  }
  const checks = plan.checks.map((c) => (c.kind === 'skipped' ? `skipped: ${c.reason}` : c.describe));
  if (checks.length > 0) docs.push(`${comment(`Verification after apply:\n${checks.map((c) => `- ${c}`).join('\n')}`)}\n{}\n`);
  return `${comment(head.join('\n'))}\n${docs.join('---\n')}`;
}

/** A unified diff of two objects as YAML, as comment lines. */
export function diffText(label: string, live: unknown, next: unknown): string {
  const patch = createTwoFilesPatch(`${label} (live)`, `${label} (after apply)`, yaml(live), yaml(next), undefined, undefined, { context: 2 });
  const body = patch.split('\n').slice(2).filter((l) => l !== '' && !l.startsWith('\\'));
  return body.length > 0 ? `diff against the live object:\n${body.join('\n')}` : 'no difference in the fields shown';
}

/** Names of what a plan deletes (explicit ones; selectors until the dry run lists them). */
export function deletions(plan: Plan): string[] {
  return plan.phases.flatMap((p) => p.writes.flatMap((w) => (w.action === 'delete' ? [refLabel(w.target)] : w.action === 'deleteSelected' ? [`every ${w.kind} selected by ${w.labelSelector}${w.namespace ? ` in ${w.namespace}` : ''}`] : [])));
}

/** The objects a plan writes, for a count in a confirmation. */
export function writeCount(plan: Plan): number {
  return plan.phases.reduce((n, p) => n + p.writes.length, 0);
}

export type { KubeObject };
