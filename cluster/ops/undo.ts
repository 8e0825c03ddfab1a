/**
 * Undo from the journal in the cluster: restore exactly the fields a run recorded, delete what it created,
 * recreate what it deleted (where that is possible), latest run first. Every object is checked against the
 * live cluster first: a field someone else changed since is a conflict, shown, and nothing is changed
 * (unless forced). A run whose answers were lost (a crash, a timeout) is resolved against the cluster: an
 * object created after the journal by the tools' field manager is the run's.
 */
import { decideUndo, markEntry, refKey, refLabel, type Journal, type UndoConflict, type UndoStep } from '../../core/ops/journal.js';
import { fromPointer, withValueAt } from '../../core/ops/fields.js';
import type { KubeObject as PlanObject, ObjectRef } from '../../core/ops/types.js';
import type { ClusterConnection } from '../connection.js';
import type { KubeObject } from '../paths.js';
import type { Progress } from './engine.js';
import { listJournals, saveJournal, type StoredJournal } from './journalStore.js';
import { createObject, deleteObject, FIELD_MANAGER, patchObject, readObject } from './writes.js';

type Conn = Pick<ClusterConnection, 'request' | 'resource' | 'namespace' | 'list' | 'get'>;

export interface UndoOptions {
  force: boolean;
  signal?: AbortSignal;
  progress?: (p: Progress) => void;
  /** Server time the journal was stored (its ConfigMap's creationTimestamp). */
  createdAt?: string;
  /** Runs after this one that are not undone (their objects belong to them first). */
  later?: readonly Journal[];
  /** How long to wait for a deleted object to be gone before saying it is still terminating (default 5 s). */
  goneWaitMs?: number;
}

export type UndoResult = { ok: true; journal: Journal; undone: string[]; skipped: string[] } | { ok: false; message: string; conflicts?: UndoConflict[]; journal?: Journal };

/** Reads every object the journal names. */
async function liveObjects(conn: Conn, j: Journal, known?: ReadonlyMap<string, KubeObject | undefined>): Promise<{ ok: true; value: Map<string, KubeObject | undefined> } | { ok: false; message: string }> {
  const out = new Map<string, KubeObject | undefined>();
  for (const e of j.entries) {
    const key = refKey(e.ref);
    if (out.has(key)) continue;
    if (known?.has(key)) {
      out.set(key, known.get(key));
      continue;
    }
    const r = await readObject(conn, e.ref);
    if (!r.ok) return { ok: false, message: `Reading ${refLabel(e.ref)} failed: ${r.error.message}` };
    out.set(refKey(e.ref), r.value);
  }
  return { ok: true, value: out };
}

/**
 * Entries whose outcome the run never learnt: a created object is the run's when it was created after the
 * journal and the tools' field manager wrote it; a run that never finished has its pending entries checked too.
 */
export function resolveLost(j: Journal, live: Map<string, KubeObject | undefined>, createdAt: string | undefined): Journal {
  const crashed = j.state === 'applying';
  let out = j;
  j.entries.forEach((e, i) => {
    const lost = e.state === 'uncertain' || (crashed && e.state === 'pending');
    if (!lost) return;
    const obj = live.get(refKey(e.ref));
    if (e.change !== 'created') {
      if (crashed && e.state === 'pending') out = markEntry(out, i, 'uncertain');
      return;
    }
    const meta = obj?.metadata;
    const ours = (meta?.['managedFields'] as { manager?: string }[] | undefined)?.some((m) => m.manager === FIELD_MANAGER) ?? false;
    const after = createdAt !== undefined && typeof meta?.creationTimestamp === 'string' && meta.creationTimestamp >= createdAt;
    if (obj && ours && after && meta?.uid) out = markEntry(out, i, 'uncertain', { uid: meta.uid });
    else if (!obj) out = markEntry(out, i, 'failed');
    else if (crashed && e.state === 'pending') out = markEntry(out, i, 'uncertain');
  });
  return out;
}

/** What undo of this run would do now (no change), after resolving lost answers. */
export async function decide(
  conn: Conn,
  j: Journal,
  opts: Pick<UndoOptions, 'force' | 'createdAt' | 'later'>,
  known?: ReadonlyMap<string, KubeObject | undefined>,
): Promise<{ ok: true; journal: Journal; steps: UndoStep[]; conflicts: UndoConflict[]; live: Map<string, KubeObject | undefined> } | { ok: false; message: string }> {
  const live = await liveObjects(conn, j, known);
  if (!live.ok) return live;
  const journal = resolveLost(j, live.value, opts.createdAt);
  const d = decideUndo(journal, (ref) => live.value.get(refKey(ref)) as Record<string, unknown> | undefined, opts.later ?? [], opts.force);
  return { ok: true, journal, ...d, live: live.value };
}

/** Undoes one run: decide, stop on conflicts, then each step in order; the journal records what was undone. */
export async function undoJournal(conn: Conn, namespace: string, j: Journal, opts: UndoOptions): Promise<UndoResult> {
  const d = await decide(conn, j, opts);
  if (!d.ok) return d;
  if (d.conflicts.length > 0) return { ok: false, message: `Undo of run ${j.runId} stopped before changing anything: ${d.conflicts.map((c) => c.message).join('; ')}`, conflicts: d.conflicts, journal: d.journal };
  let journal = d.journal;
  const undone: string[] = [];
  const skipped: string[] = [];
  for (const step of d.steps) {
    if (opts.signal?.aborted) return stop(conn, namespace, journal, `Undo of run ${j.runId} cancelled. Undone: ${undone.join(', ') || 'nothing'}.`);
    if (step.kind === 'skip') {
      skipped.push(step.why);
      continue;
    }
    opts.progress?.({ stage: 'undo', message: step.why });
    const r = await runStep(conn, step);
    if (!r.ok) return stop(conn, namespace, journal, `Undo of run ${j.runId} failed at ${refLabel(step.ref)}: ${r.message}. Undone before it: ${undone.join(', ') || 'nothing'}.`);
    undone.push(step.kind === 'delete' ? await deletion(conn, step.ref, opts) : refLabel(step.ref));
    journal = markUndone(journal, step.ref);
    const saved = await saveJournal(conn, namespace, journal);
    if (!saved.ok) opts.progress?.({ stage: 'journal', message: `Recording the undo of ${refLabel(step.ref)} failed: ${saved.error.message}` });
  }
  const now = new Date().toISOString();
  journal = { ...journal, state: 'undone', log: [...journal.log, `${now} undone: ${undone.join(', ') || 'nothing to undo'}`] };
  const saved = await saveJournal(conn, namespace, journal);
  if (!saved.ok) return { ok: false, message: `Everything was undone, but the journal could not be marked undone: ${saved.error.message}.`, journal };
  return { ok: true, journal, undone, skipped };
}

/**
 * What a deletion came to: gone, or still terminating once `goneWaitMs` has passed (a PVC a pod still mounts keeps
 * its kubernetes.io/pvc-protection finalizer; the undo does not wait for the pod), said next to the object's name.
 */
async function deletion(conn: Conn, ref: ObjectRef, opts: UndoOptions): Promise<string> {
  const deadline = Date.now() + (opts.goneWaitMs ?? 5000);
  for (;;) {
    const r = await readObject(conn, ref);
    // Unreadable now: the delete was accepted, which is what undo promised.
    if (!r.ok || !r.value) return refLabel(ref);
    if (Date.now() >= deadline || opts.signal?.aborted) {
      const listed = r.value.metadata?.['finalizers'];
      const finalizers = Array.isArray(listed) ? listed.filter((f): f is string => typeof f === 'string') : [];
      return `${refLabel(ref)} (deletion requested; still terminating${finalizers.length ? ` while finalizers ${finalizers.join(', ')} remain` : ''})`;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stop(conn: Conn, namespace: string, journal: Journal, message: string): Promise<UndoResult> {
  const j: Journal = { ...journal, state: 'undo-partial', log: [...journal.log, `${new Date().toISOString()} ${message.slice(0, 300)}`] };
  await saveJournal(conn, namespace, j);
  return { ok: false, message, journal: j };
}

function markUndone(j: Journal, ref: ObjectRef): Journal {
  return { ...j, entries: j.entries.map((e) => (refKey(e.ref) === refKey(ref) && (e.state === 'done' || e.state === 'uncertain') ? { ...e, state: 'undone' as const } : e)) };
}

async function runStep(conn: Conn, step: Exclude<UndoStep, { kind: 'skip' }>): Promise<{ ok: true } | { ok: false; message: string }> {
  if (step.kind === 'delete') {
    const r = await deleteObject(conn, step.ref, { dryRun: false, ...(step.uid ? { uid: step.uid } : {}) });
    return r.ok ? { ok: true } : { ok: false, message: r.error.message };
  }
  if (step.kind === 'restore') {
    // The resourceVersion read is a precondition: a change made since fails with 409, and nothing is overwritten.
    const guard = step.resourceVersion ? [{ op: 'test', path: '/metadata/resourceVersion', value: step.resourceVersion }] : [];
    const r = await patchObject(conn, step.ref, 'json', [...guard, ...step.patch], false);
    return r.ok ? { ok: true } : { ok: false, message: r.error.kind === 'invalid' || r.error.kind === 'conflict' ? `it changed while undoing (${r.error.message}); undo again to re-check` : r.error.message };
  }
  const r = await createObject(conn, step.object as unknown as PlanObject, false);
  return r.ok ? { ok: true } : { ok: false, message: r.error.message };
}

/** Which runs to undo: one by id, or every standing run of these operations (all when absent). */
export interface UndoSelection {
  operations?: readonly string[];
  runId?: string;
}

/** The undo of every run still standing (of one operation, or one run), latest first, as it would go now. */
export interface UndoPreview {
  runs: { stored: StoredJournal; steps: UndoStep[]; conflicts: UndoConflict[] }[];
}

/** Runs that are not undone, oldest first. */
export function standing(all: readonly StoredJournal[]): StoredJournal[] {
  const stands = (j: Journal): boolean =>
    j.state !== 'undone' && j.entries.some((e) => e.state === 'done' || e.state === 'uncertain' || (j.state === 'applying' && e.state === 'pending'));
  return all.filter((s) => stands(s.journal));
}

export async function previewUndo(conn: Conn, namespace: string, sel: UndoSelection & { force: boolean }): Promise<{ ok: true; preview: UndoPreview } | { ok: false; message: string }> {
  const all = await listJournals(conn, namespace);
  if (!all.ok) return { ok: false, message: `Reading the undo journals in namespace ${namespace} failed: ${all.error.message}` };
  const open = standing(all.value);
  const chosen = open.filter((s) => (sel.runId ? s.journal.runId === sel.runId : !sel.operations || sel.operations.includes(s.journal.operation))).reverse();
  if (sel.runId && chosen.length === 0) {
    const known = all.value.find((s) => s.journal.runId === sel.runId);
    return { ok: false, message: known ? `Run ${sel.runId} has nothing left to undo (${known.journal.state}).` : `No run ${sel.runId} in the undo journals of namespace ${namespace}.` };
  }
  // Simulated: each run is decided against the cluster as the undo of the runs after it leaves it.
  const sim = new Map<string, KubeObject | undefined>();
  const runs: UndoPreview['runs'] = [];
  for (const s of chosen) {
    const later = open.filter((o) => o.journal.startedAt > s.journal.startedAt && !chosen.includes(o)).map((o) => o.journal);
    const d = await decide(conn, s.journal, { force: sel.force, later, ...(s.createdAt ? { createdAt: s.createdAt } : {}) }, sim);
    if (!d.ok) return d;
    for (const [k, v] of d.live) if (!sim.has(k)) sim.set(k, v);
    for (const step of d.steps) simulate(sim, step);
    runs.push({ stored: { ...s, journal: d.journal }, steps: d.steps, conflicts: d.conflicts });
  }
  return { ok: true, preview: { runs } };
}

function simulate(sim: Map<string, KubeObject | undefined>, step: UndoStep): void {
  const key = refKey(step.ref);
  if (step.kind === 'delete') sim.set(key, undefined);
  else if (step.kind === 'recreate') sim.set(key, step.object as KubeObject);
  else if (step.kind === 'restore') {
    let o = sim.get(key) as Record<string, unknown> | undefined;
    if (!o) return;
    for (const op of step.patch) o = withValueAt(o, fromPointer(op.path), op.op === 'remove' ? undefined : op.value);
    sim.set(key, o as KubeObject);
  }
}

export interface UndoRunsResult {
  ok: boolean;
  /** A paragraph for the user. */
  message: string;
  runs: { runId: string; title: string; result: UndoResult }[];
  conflicts: UndoConflict[];
}

/**
 * Undoes the standing runs selected (all of an operation, or one run), latest first, each decided again
 * against the cluster just before it; the first conflict or failure stops, and says what was undone.
 */
export async function undoRuns(conn: Conn, namespace: string, sel: UndoSelection, opts: Omit<UndoOptions, 'createdAt' | 'later'>): Promise<UndoRunsResult> {
  const p = await previewUndo(conn, namespace, { ...sel, force: opts.force });
  if (!p.ok) return { ok: false, message: p.message, runs: [], conflicts: [] };
  const runs = p.preview.runs;
  if (runs.length === 0) return { ok: true, message: `Nothing to undo${sel.operations ? ` for ${sel.operations.join(', ')}` : ''}: no run in namespace ${namespace} has changes standing.`, runs: [], conflicts: [] };
  const conflicts = runs.flatMap((r) => r.conflicts);
  if (conflicts.length > 0 && !opts.force) {
    return { ok: false, message: `Undo stopped before changing anything: ${conflicts.map((c) => c.message).join('; ')}.`, runs: [], conflicts };
  }
  const all = await listJournals(conn, namespace);
  const open = all.ok ? standing(all.value) : [];
  const done: UndoRunsResult['runs'] = [];
  for (const r of runs) {
    const j = r.stored.journal;
    const later = open.filter((o) => o.journal.startedAt > j.startedAt && !runs.some((x) => x.stored.journal.runId === o.journal.runId)).map((o) => o.journal);
    const result = await undoJournal(conn, namespace, j, { ...opts, later, ...(r.stored.createdAt ? { createdAt: r.stored.createdAt } : {}) });
    done.push({ runId: j.runId, title: j.title, result });
    if (!result.ok) {
      const before = done.slice(0, -1).map((d) => d.runId);
      return { ok: false, message: `${result.message}${before.length > 0 ? ` Runs undone before it: ${before.join(', ')}.` : ''}`, runs: done, conflicts: result.conflicts ?? [] };
    }
  }
  const undone = done.flatMap((d) => (d.result.ok ? d.result.undone : []));
  return { ok: true, message: `Undone ${done.length} run${done.length === 1 ? '' : 's'} (${done.map((d) => d.runId).join(', ')}): ${undone.join(', ') || 'nothing was left to change'}.`, runs: done, conflicts: [] };
}
