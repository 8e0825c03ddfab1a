/**
 * A migration's progress as the editor shows it (the explorer's migrations, the progress webview): the grid of
 * replicas × volumes with each cell's phase, message and the PVCs and PVs involved, and a timeline built from the
 * versions a watch delivered, with the time each step took. The operator reports no bytes or percent (facts §2.1):
 * the steps are all there is. Pure: the observations, the PVC lookups and the clock come in.
 */
import { gridOf, isTerminal, originalPvcName, shownPhase, tempPvcName, type CellStatus, type VolumeResizeView } from './model.js';

/** One version of the VolumeResize, when a watch delivered it (ms since the epoch). */
export interface Observation {
  at: number;
  vr: VolumeResizeView;
}

export interface TimelineEntry {
  /** ISO time the step began (as observed; the start and end from the status). */
  at: string;
  what: string;
  /** Until the next entry, or until now while the step still runs. */
  elapsedMs: number;
  /** The step still runs. */
  open: boolean;
}

export interface ProgressCell {
  replica: number;
  volume: string;
  phase: string;
  message?: string;
  /** The cell the operator works on now. */
  current: boolean;
  oldPvc: string;
  newPvc: string;
  oldPv?: string;
  newPv?: string;
}

/** What a PVC is bound to, from whatever the caller knows (the server's PVC cache). */
export type PvcLookup = (namespace: string, name: string) => { volumeName?: string } | undefined;

const key = (vr: VolumeResizeView) => JSON.stringify([vr.status.phase, vr.status.currentReplica ?? null, vr.status.currentVolume ?? '', vr.status.message ?? '']);

function stepText(vr: VolumeResizeView): string {
  const s = vr.status;
  const where = s.currentReplica !== undefined ? ` · replica ${s.currentReplica}${s.currentVolume ? ` × ${s.currentVolume}` : ''}` : '';
  return `${shownPhase(vr)}${where}${s.message ? `: ${s.message}` : ''}`;
}

function cellText(c: CellStatus): string {
  return `replica ${c.replica} × ${c.volumeName}: ${c.phase}${c.message ? ` (${c.message})` : ''}`;
}

/** The timeline of what the observations show changing, each step with its duration. */
export function timeline(observations: readonly Observation[], now: number): TimelineEntry[] {
  if (observations.length === 0) return [];
  const raw: { at: number; what: string }[] = [];
  const first = observations[0]!;
  const start = first.vr.status.startTime ? Date.parse(first.vr.status.startTime) : NaN;
  if (!Number.isNaN(start) && start < first.at) raw.push({ at: start, what: 'Started (status.startTime)' });
  let previous: VolumeResizeView | undefined;
  for (const o of observations) {
    if (!previous || key(previous) !== key(o.vr)) {
      const seenLate = !previous && o.vr.status.phase !== '' && o.vr.status.phase !== 'Pending';
      raw.push({ at: o.at, what: `${stepText(o.vr)}${seenLate ? ' (first seen here: the steps before happened before the watch began)' : ''}` });
    }
    const cells = new Map((previous?.status.volumeStatuses ?? []).map((c) => [`${c.replica}/${c.volumeName}`, c.phase]));
    for (const c of o.vr.status.volumeStatuses) {
      const before = cells.get(`${c.replica}/${c.volumeName}`);
      // A cell listed for the first time as Pending is the validation's list, not a step.
      if (previous && before !== c.phase && !(before === undefined && c.phase === 'Pending')) raw.push({ at: o.at, what: cellText(c) });
    }
    previous = o.vr;
  }
  const last = observations[observations.length - 1]!.vr;
  const done = isTerminal(last.status.phase);
  const end = last.status.completionTime ? Date.parse(last.status.completionTime) : NaN;
  return raw.map((r, i) => {
    const next = raw[i + 1];
    const open = !next && !done;
    const until = next ? next.at : done ? (Number.isNaN(end) ? r.at : Math.max(r.at, end)) : now;
    return { at: new Date(r.at).toISOString(), what: r.what, elapsedMs: Math.max(0, until - r.at), open };
  });
}

/** Every replica × volume with its PVCs and PVs: the old PV from the status, the new one from the PVCs. */
export function progressGrid(vr: VolumeResizeView, replicas: number | undefined, pvc: PvcLookup): ProgressCell[] {
  return gridOf(vr, replicas).map((c) => {
    const oldPvc = c.oldPVCName ?? originalPvcName(c.volumeName, vr.statefulSetName, c.replica);
    const newPvc = c.newPVCName ?? tempPvcName(c.volumeName, vr.statefulSetName, c.replica);
    const original = pvc(vr.namespace, oldPvc)?.volumeName;
    // Until the swap the copy is on the temporary PVC's volume; after it, the original name is bound to it.
    const newPv = c.phase === 'Completed' ? (original !== c.oldPVName ? original : undefined) : pvc(vr.namespace, newPvc)?.volumeName;
    const oldPv = c.oldPVName ?? (c.phase === 'Completed' ? undefined : original);
    return {
      replica: c.replica,
      volume: c.volumeName,
      phase: c.phase,
      ...(c.message ? { message: c.message } : {}),
      current: vr.status.currentReplica === c.replica && vr.status.currentVolume === c.volumeName && !isTerminal(vr.status.phase),
      oldPvc,
      newPvc,
      ...(oldPv ? { oldPv } : {}),
      ...(newPv ? { newPv } : {}),
    };
  });
}

/** A duration for people: `850 ms`, `12 s`, `3 min 4 s`, `2 h 5 min`. */
export function humanDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
}
