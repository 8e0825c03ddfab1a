/**
 * The one engine that changes clusters. It runs any Plan the same way: check the target is the one planned,
 * server-side dry-run every write, record an undo journal in the cluster before the first change, apply phase
 * by phase under one field manager, wait, verify. A second apply of the same plan changes nothing and says so;
 * a failure or cancellation mid-way reports exactly what was applied and what was not, and leaves a journal
 * from which both "apply again" and "undo" work. Returns typed results; never prompts.
 */
import { deletedEntry, entryFor, markEntry, refLabel, type Journal, type JournalEntry } from '../../core/ops/journal.js';
import { getAt, type FieldValue } from '../../core/ops/fields.js';
import { countActions, type Step, type StepAction } from '../../core/ops/steps.js';
import type { ObjectRef, Plan } from '../../core/ops/types.js';
import type { ClusterConnection } from '../connection.js';
import type { ClusterError } from '../errors.js';
import type { KubeObject } from '../paths.js';
import { canonical } from './compare.js';
import { runChecks, type Verification } from './checks.js';
import { dryRunPlan, dryRunStep, type DryRunReport, type StepOutcome } from './dryRun.js';
import { DEFAULT_JOURNAL_NAMESPACE, ensureJournalNamespace, journalObjectName, newRunId, saveJournal } from './journalStore.js';
import { describeFailure } from './messages.js';
import { undoJournal } from './undo.js';
import { runWait } from './waits.js';
import { applyObject, createObject, deleteObject, patchObject, readObject } from './writes.js';

export type Stage = 'target' | 'dry-run' | 'journal' | 'apply' | 'wait' | 'verify' | 'undo';

export interface Progress {
  stage: Stage;
  message: string;
}

export interface EngineOptions {
  /** Where the undo journal lives; `kubevirt-storage-tools` by default. */
  journalNamespace?: string;
  signal?: AbortSignal;
  progress?: (p: Progress) => void;
  now?: () => Date;
  random?: () => number;
}

export type Conn = Pick<ClusterConnection, 'request' | 'resource' | 'namespace' | 'list' | 'get' | 'stream' | 'context' | 'server'>;

/** What became of one step. */
export interface StepReport {
  ref: ObjectRef;
  phase: string;
  action: StepAction;
  state: 'done' | 'unchanged' | 'not-done' | 'failed' | 'uncertain';
}

export interface RunResult {
  outcome: 'applied' | 'unchanged' | 'failed' | 'cancelled';
  /** A paragraph for the user: what happened, what was applied, what was not, what to do. */
  message: string;
  runId?: string;
  /** The journal's ConfigMap. */
  journal?: { namespace: string; name: string };
  steps: StepReport[];
  /** The dry run's outcomes (live and next kept for diffs). */
  dryRun?: { summary: string; outcomes: StepOutcome[] };
  verification?: Verification;
  /** Whether `undo` has something to reverse. */
  undoable: boolean;
}

/** The plan's target is this connection's: same context, same server. */
export function targetProblem(conn: Pick<ClusterConnection, 'context' | 'server'>, plan: Plan): string | undefined {
  if (conn.context === plan.target.context && conn.server === plan.target.server) return undefined;
  return `The plan was made for context ${plan.target.context} (${plan.target.server}); the connection now uses ${conn.context} (${conn.server}). Plan again.`;
}

/** The dry run alone: what apply would do, and nothing stored. */
export async function dryRun(conn: Conn, plan: Plan, opts: EngineOptions = {}): Promise<{ ok: true; report: DryRunReport } | { ok: false; message: string }> {
  const wrong = targetProblem(conn, plan);
  if (wrong) return { ok: false, message: wrong };
  const r = await dryRunPlan(conn, plan, { signal: opts.signal, progress: (message) => opts.progress?.({ stage: 'dry-run', message }) });
  return r.ok ? r : { ok: false, message: `${r.message} Nothing was applied.` };
}

interface RunState {
  conn: Conn;
  plan: Plan;
  opts: EngineOptions;
  report: DryRunReport;
  namespace: string;
  journal: Journal;
  /** Index into journal.entries per step, or -1 (nothing to do). */
  entryOf: number[];
  states: StepReport['state'][];
  /** Names the API server generated for `generateName` creates, by `kind|namespace|generateName`. */
  generatedNames: Map<string, string>;
}

const changes = (o: StepOutcome): boolean => o.action !== 'unchanged' && o.action !== 'absent';

/** Dry-run, journal, apply phase by phase, wait, verify. */
export async function applyPlan(conn: Conn, plan: Plan, opts: EngineOptions = {}): Promise<RunResult> {
  const progress = (stage: Stage, message: string): void => opts.progress?.({ stage, message });
  const wrong = targetProblem(conn, plan);
  if (wrong) return { outcome: 'failed', message: wrong, steps: [], undoable: false };
  progress('dry-run', 'Server-side dry run of every write');
  const dry = await dryRunPlan(conn, plan, { signal: opts.signal, progress: (m) => progress('dry-run', m) });
  if (!dry.ok) return { outcome: opts.signal?.aborted ? 'cancelled' : 'failed', message: dry.message.endsWith('nothing was applied.') ? dry.message : `${dry.message} Nothing was applied.`, steps: [], undoable: false };
  const { report } = dry;
  const dryRunView = { summary: report.summary, outcomes: report.outcomes };
  const reports = (states: StepReport['state'][]): StepReport[] => report.steps.map((s, i) => ({ ref: s.ref, phase: plan.phases[s.phase]!.id, action: report.outcomes[i]!.action, state: states[i]! }));

  if (!report.outcomes.some(changes)) {
    const verification = await runChecks(conn, plan.checks, opts.signal, (m) => progress('verify', m));
    return {
      outcome: 'unchanged',
      message: `Nothing to change: the cluster already matches the plan (${countActions(report.outcomes.map((o) => o.action))}). ${verification.message}`.trim(),
      steps: reports(report.outcomes.map(() => 'unchanged')),
      dryRun: dryRunView,
      verification,
      undoable: false,
    };
  }

  const namespace = opts.journalNamespace?.trim() || DEFAULT_JOURNAL_NAMESPACE;
  progress('journal', `Recording the undo journal in namespace ${namespace}`);
  const ns = await ensureJournalNamespace(conn, namespace);
  if (!ns.ok) return { outcome: 'failed', message: `Cannot write the undo journal in namespace ${namespace}: ${ns.error.message}. Nothing was applied (choose another journal namespace, or get permission to create ConfigMaps there).`, steps: reports(report.outcomes.map(() => 'not-done')), dryRun: dryRunView, undoable: false };
  const now = (opts.now ?? (() => new Date()))();
  const entries: JournalEntry[] = [];
  const entryOf = report.steps.map((s, i) => {
    const o = report.outcomes[i]!;
    if (!changes(o)) return -1;
    const e = entryOf1(s, report.live[i] as Record<string, unknown> | undefined);
    if (!e) return -1;
    entries.push(e);
    return entries.length - 1;
  });
  const runId = newRunId(plan.operation, now, opts.random);
  const journal: Journal = { format: 1, operation: plan.operation, runId, title: plan.title, target: plan.target, startedAt: now.toISOString(), state: 'applying', entries, log: [`${now.toISOString()} apply started`] };
  const saved = await saveJournal(conn, namespace, journal);
  if (!saved.ok) return { outcome: 'failed', message: `Cannot write the undo journal in namespace ${namespace}: ${saved.error.message}. Nothing was applied.`, steps: reports(report.outcomes.map(() => 'not-done')), dryRun: dryRunView, undoable: false };

  const st: RunState = { conn, plan, opts, report, namespace, journal, entryOf, states: report.outcomes.map((o) => (changes(o) ? 'not-done' : 'unchanged')), generatedNames: new Map() };
  const where = { namespace, name: journalObjectName(runId) };
  const finish = async (outcome: RunResult['outcome'], message: string, verification?: Verification): Promise<RunResult> => {
    const state = outcome === 'applied' ? 'applied' : outcome === 'cancelled' ? 'cancelled' : 'failed';
    st.journal = { ...st.journal, state, finishedAt: new Date().toISOString(), log: [...st.journal.log, `${new Date().toISOString()} ${state}: ${message.slice(0, 300)}`] };
    const s = await saveJournal(conn, namespace, st.journal);
    const journalNote = s.ok ? '' : ` The undo journal could not be updated (${s.error.message}); undo checks every object it lists.`;
    // Undo has something to do only for writes it can reverse (not a create or delete it must leave as it is).
    const undoable = st.states.some((x, i) => (x === 'done' || x === 'uncertain') && !(st.entryOf[i]! >= 0 && st.journal.entries[st.entryOf[i]!]?.irreversible));
    return { outcome, message: message + journalNote, runId, journal: where, steps: reports(st.states), dryRun: dryRunView, ...(verification ? { verification } : {}), undoable };
  };

  for (let p = 0; p < plan.phases.length; p++) {
    const phase = plan.phases[p]!;
    for (let i = 0; i < report.steps.length; i++) {
      if (report.steps[i]!.phase !== p || st.states[i] !== 'not-done') continue;
      if (opts.signal?.aborted) return finish('cancelled', `Cancelled. ${appliedText(st)}`);
      const deferred = await dryRunDeferred(st, i);
      if (deferred) return deferred.rolledBack ? rolledBack(st, deferred.message, finish) : finish('failed', `${deferred.message} ${appliedText(st)}`);
      progress('apply', `${phase.title}: ${verbOf(report.outcomes[i]!.action)} ${refLabel(report.steps[i]!.ref)} (${i + 1}/${report.steps.length})`);
      if (opts.signal?.aborted) return finish('cancelled', `Cancelled. ${appliedText(st)}`);
      const w = await writeStep(st, i);
      if (!w.ok) return finish('failed', `${await describeFailure(conn, report.steps[i]!, w.error, 'apply', i, report.steps.length)} ${appliedText(st)}`);
    }
    for (const w of phase.waits ?? []) {
      if (opts.signal?.aborted) return finish('cancelled', `Cancelled. ${appliedText(st)}`);
      const target = generatedRef(st, w.target);
      if (!target) return finish('failed', `The name generated for ${refLabel(w.target)}… is not known, so it cannot be waited for. ${appliedText(st)}`);
      const r = await runWait(conn, { ...w, target }, opts.signal, (m) => progress('wait', m));
      if (!r.ok) return finish(r.cancelled ? 'cancelled' : 'failed', `${r.message}. ${appliedText(st)}`);
    }
  }
  if (opts.signal?.aborted) return finish('cancelled', `Cancelled after everything was applied; not verified. ${appliedText(st)}`);
  const checks = plan.checks.map((c) => (c.kind === 'field' ? { ...c, target: generatedRef(st, c.target) ?? c.target } : c));
  const verification = await runChecks(conn, checks, opts.signal, (m) => progress('verify', m));
  return finish('applied', `Applied: ${countActions(st.report.outcomes.filter((_, i) => st.states[i] === 'done').map((o) => o.action))}. ${verification.message}`.trim(), verification);
}

/** A wait's or check's target, with the name the API server generated when it names a `generateName` create. */
function generatedRef(st: RunState, ref: ObjectRef): ObjectRef | undefined {
  if (!ref.generated) return ref;
  const { generated: _, ...plain } = ref;
  const name = st.generatedNames.get(`${ref.kind}|${ref.namespace ?? ''}|${ref.name}`);
  return name === undefined ? undefined : { ...plain, name };
}

function entryOf1(s: Step, live: Record<string, unknown> | undefined): JournalEntry | undefined {
  if (s.write.action === 'delete') return live ? deletedEntry(s.ref, live, s.write.undo) : undefined;
  return entryFor(s.write, live);
}

function verbOf(a: StepAction): string {
  return a === 'create' ? 'creating' : a === 'update' ? 'updating' : a === 'delete' ? 'deleting' : 'checking';
}

function appliedText(st: RunState): string {
  const done = st.report.steps.filter((_, i) => st.states[i] === 'done').map((s) => refLabel(s.ref));
  const uncertain = st.report.steps.filter((_, i) => st.states[i] === 'uncertain').map((s) => refLabel(s.ref));
  const notDone = st.report.steps.filter((_, i) => st.states[i] === 'not-done' || st.states[i] === 'failed').map((s) => refLabel(s.ref));
  const parts = [`Applied: ${done.join(', ') || 'nothing'}.`];
  if (uncertain.length > 0) parts.push(`Unknown (the answer was lost): ${uncertain.join(', ')}.`);
  parts.push(`Not applied: ${notDone.join(', ') || 'nothing'}.`);
  if (done.length > 0 || uncertain.length > 0) parts.push('Apply again to finish, or undo to remove what was applied.');
  return parts.join(' ');
}

/**
 * Before the first write into a namespace the plan created: dry-run every step that had to wait for it.
 * A failure rolls back what this run did (the namespace), so nothing is left half-applied.
 */
async function dryRunDeferred(st: RunState, index: number): Promise<{ message: string; rolledBack: boolean } | undefined> {
  const ns = st.report.steps[index]!.ref.namespace;
  if (!ns || st.report.outcomes[index]!.dryRun !== 'deferred') return undefined;
  const pending = st.report.steps.map((s, i) => i).filter((i) => st.report.steps[i]!.ref.namespace === ns && st.report.outcomes[i]!.dryRun === 'deferred');
  for (const i of pending) {
    st.opts.progress?.({ stage: 'dry-run', message: `Dry run (namespace ${ns} now exists) ${i + 1}/${st.report.steps.length}: ${refLabel(st.report.steps[i]!.ref)}` });
    const r = await dryRunStep(st.conn, st.report.steps[i]!);
    if (!r.ok) return { message: await describeFailure(st.conn, st.report.steps[i]!, r.error, 'dry run', i, st.report.steps.length), rolledBack: true };
    st.report.outcomes[i] = { ...st.report.outcomes[i]!, ...r.value.outcome };
    st.report.live[i] = r.value.live;
    if (!changes(st.report.outcomes[i]!)) {
      st.states[i] = 'unchanged';
      st.entryOf[i] = -1;
    }
  }
  return undefined;
}

async function rolledBack(st: RunState, why: string, finish: (o: RunResult['outcome'], m: string) => Promise<RunResult>): Promise<RunResult> {
  const u = await undoJournal(st.conn, st.namespace, st.journal, { force: false, signal: undefined, progress: st.opts.progress });
  if (u.ok) {
    st.journal = u.journal;
    st.states = st.states.map((s) => (s === 'done' ? 'not-done' : s));
    const r = await finish('failed', `${why} What this run had created for the dry run (${u.undone.join(', ') || 'nothing'}) was deleted again: nothing is left applied.`);
    return { ...r, undoable: false };
  }
  return finish('failed', `${why} Removing what this run had created failed too: ${u.message}. ${appliedText(st)}`);
}

/** One step for real: re-read the object, record its prior state, write, record the outcome. */
async function writeStep(st: RunState, i: number): Promise<{ ok: true } | { ok: false; error: ClusterError }> {
  const s = st.report.steps[i]!;
  const e = st.entryOf[i]!;
  const current = s.write.action === 'create' && !s.write.object.metadata.name ? { ok: true as const, value: undefined } : await readObject(st.conn, s.ref);
  if (!current.ok) return current;
  const live = current.value as Record<string, unknown> | undefined;
  if (s.write.action === 'delete' && !live) {
    st.states[i] = 'unchanged';
    return { ok: true };
  }
  if (e >= 0) {
    const fresh = entryOf1(s, live);
    if (fresh && canonical(fresh) !== canonical(st.journal.entries[e])) {
      st.journal = { ...st.journal, entries: st.journal.entries.map((x, n) => (n === e ? fresh : x)) };
      const saved = await saveJournal(st.conn, st.namespace, st.journal);
      if (!saved.ok) return { ok: false, error: { ...saved.error, message: `recording the undo journal failed: ${saved.error.message}` } };
    }
  }
  const w = s.write;
  const r: { ok: true; value: KubeObject | undefined } | { ok: false; error: ClusterError } =
    w.action === 'apply' ? await applyObject(st.conn, w.object, false)
    : w.action === 'create' ? await createObject(st.conn, w.object, false)
    : w.action === 'patch' ? await patchObject(st.conn, w.target, w.patchType, w.patch, false)
    : await deleteObject(st.conn, w.target, { dryRun: false, propagationPolicy: w.propagationPolicy, ...(uidOf(live) ? { uid: uidOf(live)! } : {}) }).then((x) => (x.ok ? { ok: true as const, value: undefined } : x));
  if (!r.ok) {
    // No answer at all (a timeout, a dropped connection): the write may or may not have happened.
    const lost = r.error.status === undefined && (r.error.kind === 'timeout' || r.error.kind === 'unreachable');
    st.states[i] = lost ? 'uncertain' : 'failed';
    if (e >= 0) st.journal = markEntry(st.journal, e, lost ? 'uncertain' : 'failed');
    await saveJournal(st.conn, st.namespace, st.journal);
    return r;
  }
  st.states[i] = 'done';
  if (w.action === 'create' && w.object.metadata.generateName !== undefined && !w.object.metadata.name) {
    const made = (r.value as { metadata?: { name?: string } } | undefined)?.metadata?.name;
    if (made) st.generatedNames.set(`${w.object.kind}|${w.object.metadata.namespace ?? ''}|${w.object.metadata.generateName}`, made);
  }
  if (e >= 0) {
    const entry = st.journal.entries[e]!;
    const answer = r.value as Record<string, unknown> | undefined;
    const extra: Partial<JournalEntry> = {};
    if (entry.change === 'created' && answer) {
      const meta = answer['metadata'] as { uid?: string; name?: string } | undefined;
      if (meta?.uid) extra.uid = meta.uid;
      if (meta?.name && meta.name !== entry.ref.name) extra.ref = { ...entry.ref, name: meta.name };
    }
    // What the object holds at the recorded paths right after the write, defaults included: undo compares with it.
    if (entry.change === 'changed' && answer) extra.set = (entry.prior ?? []).map((p): FieldValue => {
      const v = getAt(answer, p.path);
      return v === undefined ? { path: p.path, absent: true } : { path: p.path, value: v };
    });
    st.journal = markEntry(st.journal, e, 'done', extra);
    const saved = await saveJournal(st.conn, st.namespace, st.journal);
    if (!saved.ok) st.opts.progress?.({ stage: 'journal', message: `Recording ${refLabel(s.ref)} in the undo journal failed (${saved.error.message}); undo will check it against the cluster` });
  }
  return { ok: true };
}

function uidOf(o: Record<string, unknown> | undefined): string | undefined {
  return (o?.['metadata'] as { uid?: string } | undefined)?.uid;
}
