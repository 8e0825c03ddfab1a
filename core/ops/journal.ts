/**
 * The undo journal of one run of an operation: for every write, what the object was before (absent, or the
 * prior value of every field the write touches, or the whole object a delete removes) and what the write
 * set. It is written to the cluster before the first change and updated as writes complete, so an undo works
 * from any machine and after a restart. Pure: cluster/ops reads and stores it, this module decides.
 *
 * Undo of a run restores exactly the fields it recorded, and only where the live object still holds what the
 * run wrote: a field someone else changed since is a conflict, shown, and nothing of that object is touched.
 */
import { covers, getAt, hasAt, leafValues, patchPaths, pointer, priorValues, stripServerFields, type FieldValue, type Path } from './fields.js';
import type { DeleteUndo, KubeObject, ObjectRef, PlanTarget, Write } from './types.js';

export const JOURNAL_FORMAT = 1;

export type EntryState =
  /** Recorded, not yet written. */
  | 'pending'
  | 'done'
  /** The API server refused it: nothing changed. */
  | 'failed'
  /** The request's outcome is unknown (a timeout, a dropped connection): undo checks the live object. */
  | 'uncertain'
  | 'undone';

export interface JournalEntry {
  ref: ObjectRef;
  /** What undo has to reverse: an object the run created, fields it changed, or an object it deleted. */
  change: 'created' | 'changed' | 'deleted';
  state: EntryState;
  /** Of a created object, once known: undo deletes only that object, never a namesake made since. */
  uid?: string;
  /** The fields the write set (created: every field of the applied object). */
  set: FieldValue[];
  /** `changed`: what those fields held before. */
  prior?: FieldValue[];
  /** `deleted` with recreate: the object as it was (server fields stripped). */
  priorObject?: Record<string, unknown>;
  /** `deleted` without recreate: why undo cannot bring it back; `created`: why undo leaves it. */
  irreversible?: string;
}

export type JournalState = 'applying' | 'applied' | 'failed' | 'cancelled' | 'undone' | 'undo-partial';

export interface Journal {
  format: typeof JOURNAL_FORMAT;
  operation: string;
  runId: string;
  title: string;
  target: PlanTarget;
  startedAt: string;
  finishedAt?: string;
  state: JournalState;
  /** In write order; undo walks them backwards. */
  entries: JournalEntry[];
  /** One line per event (applied, failed at …, undone), for `status`. */
  log: string[];
}

export function refKey(r: ObjectRef): string {
  return `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}|${r.name}`;
}

export function refLabel(r: { kind: string; namespace?: string; name: string }): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

export function refOf(o: KubeObject): ObjectRef {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata.name ?? o.metadata.generateName ?? '',
  };
}

/** The object a write names (a `deleteSelected` names many: one entry each, made by `deletedEntry`). */
export function writeRef(w: Exclude<Write, { action: 'deleteSelected' }>): ObjectRef {
  return w.action === 'apply' || w.action === 'create' ? refOf(w.object) : w.target;
}

/**
 * The entry of one write, from the live object as read just before it (undefined: absent). An `apply` to an
 * absent object and every `create` are `created`; an `apply` or `patch` of a present object is `changed`.
 */
export function entryFor(w: Exclude<Write, { action: 'deleteSelected' | 'delete' }>, live: Record<string, unknown> | undefined): JournalEntry {
  const ref = writeRef(w);
  if (w.action === 'create' || (w.action === 'apply' && live === undefined)) {
    const kept = w.action === 'create' && w.undo ? { irreversible: w.undo.reason } : {};
    return { ref, change: 'created', state: 'pending', set: leafValues(w.object), ...kept };
  }
  if (w.action === 'apply') {
    const set = leafValues(w.object);
    return { ref, change: 'changed', state: 'pending', set, prior: priorValues(live, set.map((s) => s.path)) };
  }
  const { paths, set } = patchPaths(w.patchType, w.patch);
  return { ref, change: 'changed', state: 'pending', set, prior: priorValues(live, paths) };
}

export function deletedEntry(ref: ObjectRef, live: Record<string, unknown>, undo: DeleteUndo): JournalEntry {
  return undo.kind === 'recreate'
    ? { ref, change: 'deleted', state: 'pending', set: [], priorObject: stripServerFields(live) }
    : { ref, change: 'deleted', state: 'pending', set: [], irreversible: undo.reason };
}

/** One step of an undo, decided from the journal and the live objects. */
export type UndoStep =
  | { kind: 'delete'; ref: ObjectRef; uid?: string; why: string }
  /** A JSON patch restoring the recorded fields, guarded by the resourceVersion read. */
  | { kind: 'restore'; ref: ObjectRef; patch: { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown }[]; resourceVersion?: string; why: string }
  | { kind: 'recreate'; ref: ObjectRef; object: Record<string, unknown>; why: string }
  /** Nothing to do for this entry, and why (already gone, never applied, irreversible). */
  | { kind: 'skip'; ref: ObjectRef; why: string };

export interface UndoConflict {
  ref: ObjectRef;
  /** What changed since the run, in a sentence. */
  message: string;
}

export interface UndoDecision {
  steps: UndoStep[];
  conflicts: UndoConflict[];
}

/** What undo needs to know of one object now: its JSON (undefined: absent). */
export type LiveLookup = (ref: ObjectRef) => Record<string, unknown> | undefined;

/**
 * Decides the undo of `journal` against the live objects. `laterRuns` are runs started after it that are not
 * undone: an object one of them touched belongs to that run first (undo it first), unless `force`.
 */
export function decideUndo(journal: Journal, live: LiveLookup, laterRuns: readonly Journal[] = [], force = false): UndoDecision {
  const steps: UndoStep[] = [];
  const conflicts: UndoConflict[] = [];
  const later = new Map<string, Journal>();
  for (const run of laterRuns) for (const e of run.entries) if (e.state === 'done' || e.state === 'uncertain') later.set(refKey(e.ref), run);
  for (const e of [...journal.entries].reverse()) {
    const label = refLabel(e.ref);
    if (e.state === 'pending' || e.state === 'failed' || e.state === 'undone') {
      steps.push({ kind: 'skip', ref: e.ref, why: e.state === 'undone' ? `${label}: already undone` : `${label}: never applied by this run` });
      continue;
    }
    const newer = later.get(refKey(e.ref));
    if (newer && !force) {
      conflicts.push({ ref: e.ref, message: `${label} was changed again by run ${newer.runId} (${newer.title}, ${newer.startedAt}); undo that run first` });
      continue;
    }
    const obj = live(e.ref);
    const decided = e.change === 'created' ? undoCreated(e, obj, force) : e.change === 'changed' ? undoChanged(e, obj, force) : undoDeleted(e, obj);
    if ('conflict' in decided) conflicts.push({ ref: e.ref, message: decided.conflict });
    else steps.push(decided);
  }
  return { steps, conflicts };
}

type Decided = UndoStep | { conflict: string };

/** Fields the run set that no longer hold what it wrote. */
function drifted(e: JournalEntry, obj: Record<string, unknown>): string[] {
  return e.set.filter((f) => (f.absent ? hasAt(obj, f.path) : !covers(getAt(obj, f.path), f.value))).map((f) => f.path.join('.'));
}

function undoCreated(e: JournalEntry, obj: Record<string, unknown> | undefined, force: boolean): Decided {
  const label = refLabel(e.ref);
  if (!obj) return { kind: 'skip', ref: e.ref, why: `${label}: already gone` };
  if (e.irreversible) return { kind: 'skip', ref: e.ref, why: `${label}: created by this run and left in place (${e.irreversible})` };
  const uid = (obj['metadata'] as { uid?: string } | undefined)?.uid;
  if (e.uid && uid && uid !== e.uid) return { conflict: `${label} is not the object this run created (it was deleted and created again since, uid ${uid})` };
  if (e.state === 'uncertain' && !e.uid && !force) {
    return { conflict: `${label} exists, but the run lost the answer to its create: it may predate the run. Delete it yourself if it is the run's, or undo with force` };
  }
  const changed = force ? [] : drifted(e, obj);
  if (changed.length > 0) return { conflict: `${label} was changed since this run created it (${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''})` };
  return { kind: 'delete', ref: e.ref, ...(e.uid ?? uid ? { uid: e.uid ?? uid } : {}), why: `${label}: created by this run` };
}

function undoChanged(e: JournalEntry, obj: Record<string, unknown> | undefined, force: boolean): Decided {
  const label = refLabel(e.ref);
  if (!obj) return { conflict: `${label} is gone: the fields this run changed cannot be restored` };
  // Still as before the run (its write never happened, or wrote what was there): nothing to restore.
  const asBefore = (e.prior ?? []).every((p) => (p.absent ? !hasAt(obj, p.path) : covers(getAt(obj, p.path), p.value) && covers(p.value, getAt(obj, p.path))));
  if (asBefore) return { kind: 'skip', ref: e.ref, why: `${label}: already as it was` };
  const changed = force ? [] : drifted(e, obj);
  if (changed.length > 0) return { conflict: `${label} was changed since this run (${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''})` };
  const patch: { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown }[] = [];
  for (const p of e.prior ?? []) {
    const present = hasAt(obj, p.path);
    if (p.absent) {
      if (present) patch.push({ op: 'remove', path: pointer(p.path) });
    } else patch.push({ op: present ? 'replace' : 'add', path: pointer(p.path), value: p.value });
  }
  if (patch.length === 0) return { kind: 'skip', ref: e.ref, why: `${label}: already as it was` };
  const rv = (obj['metadata'] as { resourceVersion?: string } | undefined)?.resourceVersion;
  return { kind: 'restore', ref: e.ref, patch, ...(rv ? { resourceVersion: rv } : {}), why: `${label}: restore ${patch.length} field${patch.length === 1 ? '' : 's'} this run changed` };
}

function undoDeleted(e: JournalEntry, obj: Record<string, unknown> | undefined): Decided {
  const label = refLabel(e.ref);
  if (e.irreversible) return { kind: 'skip', ref: e.ref, why: `${label}: deleted by this run and not brought back (${e.irreversible})` };
  if (obj) return { kind: 'skip', ref: e.ref, why: `${label}: exists again` };
  if (!e.priorObject) return { kind: 'skip', ref: e.ref, why: `${label}: deleted by this run; its prior state was not recorded` };
  return { kind: 'recreate', ref: e.ref, object: e.priorObject, why: `${label}: deleted by this run, created again as it was` };
}

/** Marks `ref`'s entry (the first not yet settled); returns a new journal. */
export function markEntry(j: Journal, index: number, state: EntryState, extra: Partial<Pick<JournalEntry, 'uid' | 'ref' | 'set'>> = {}): Journal {
  return { ...j, entries: j.entries.map((e, i) => (i === index ? { ...e, state, ...extra } : e)) };
}

/** Paths of a path list for messages: "spec.claimPropertySets, metadata.annotations.x". */
export function describePaths(paths: readonly Path[]): string {
  return paths.map((p) => p.join('.')).join(', ');
}
