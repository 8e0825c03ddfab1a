/**
 * The rollback migcontroller does not have (facts §2.3, gotcha 16): from a Failed VolumeResize's
 * `volumeStatuses[].oldPVName` and its `<vr>-sts-backup` ConfigMap, put every replica × volume the failure left
 * unfinished back on its old volume, under its original PVC name, and bring the StatefulSet back. Cells the
 * operator finished (Completed) stay on their new volume: their replica has run there since, and its writes live
 * there. Four steps, each a phase: stop the copies, release the copies' claims, give the old volumes their names
 * back, restore the StatefulSet; verified by each rolled-back replica's pod running with its PVC on the old PV.
 * It refuses, saying why, wherever data would be at risk: an old PV gone or claimed by another PVC, a PVC the plan
 * must delete still used by a pod, no backup to restore a deleted StatefulSet from.
 */
import { jsonField, LABEL } from '../../kinds/index.js';
import { backupConfigMapName, BACKUP_KEY, originalPvcName, replicaPodName, tempPvcName, type CellStatus, type VolumeResizeView } from '../../volumeResize/model.js';
import type { Check, KubeObject, ObjectRef, Phase, Plan, PlanResult, PlanTarget, Wait, Write } from '../types.js';

export const VOLUME_RESIZE_ROLLBACK_OPERATION = 'volumeresize-rollback';

type Json = Record<string, unknown>;

export interface RollbackInput {
  target: PlanTarget;
  vr: VolumeResizeView;
  /** The StatefulSet as it is now; undefined when it is deleted. */
  statefulSet?: Json;
  /** The backup ConfigMap's `statefulset.json`; undefined when the ConfigMap is gone. */
  backupJson?: string;
  /** PVCs of the namespace by name (the original and temporary names are looked up). */
  pvcs: ReadonlyMap<string, Json>;
  /** PVs by name: the old PVs the statuses name, and those the PVCs above are bound to. */
  pvs: ReadonlyMap<string, Json>;
  /** Pods of the namespace (migrator pods, and what mounts the PVCs). */
  pods: readonly Json[];
  /** Only the first step that has work (guided, one confirmation per step). */
  oneStep?: boolean;
}

const text = (o: unknown, ...path: string[]): string | undefined => {
  const v = jsonField(o, ...path);
  return typeof v === 'string' && v !== '' ? v : undefined;
};
const ref = (kind: string, apiVersion: string, name: string, namespace?: string): ObjectRef => ({ apiVersion, kind, name, ...(namespace ? { namespace } : {}) });
const pvcRef = (ns: string, name: string) => ref('PersistentVolumeClaim', 'v1', name, ns);
const pvRef = (name: string) => ref('PersistentVolume', 'v1', name);
const podRef = (ns: string, name: string) => ref('Pod', 'v1', name, ns);

/** Pods (not finished) that mount the PVC. */
function users(pods: readonly Json[], pvc: string): Json[] {
  return pods.filter((p) => {
    const phase = text(p, 'status', 'phase');
    if (phase === 'Succeeded' || phase === 'Failed') return false;
    const volumes = jsonField(p, 'spec', 'volumes');
    return Array.isArray(volumes) && volumes.some((v) => text(v, 'persistentVolumeClaim', 'claimName') === pvc);
  });
}

interface CellPlan {
  cell: CellStatus;
  original: string;
  temp: string;
  oldPv: string;
  /** What to do: nothing (the old PVC is intact), or give the old PV its claim back. */
  rebind: boolean;
  /** PVCs to delete first: the temporary one, and an original-named one bound to the new volume. */
  remove: string[];
}

/** The StatefulSet the backup holds, fit to create again: server fields and status dropped. */
export function statefulSetFromBackup(json: string, namespace: string): { ok: true; object: KubeObject } | { ok: false; message: string } {
  let sts: unknown;
  try {
    sts = JSON.parse(json);
  } catch {
    return { ok: false, message: `its ${BACKUP_KEY} is not JSON` };
  }
  const name = text(sts, 'metadata', 'name');
  const spec = jsonField(sts, 'spec');
  if (!name || typeof spec !== 'object' || spec === null) return { ok: false, message: `its ${BACKUP_KEY} holds no StatefulSet (no metadata.name or spec)` };
  const labels = jsonField(sts, 'metadata', 'labels');
  const annotations = jsonField(sts, 'metadata', 'annotations');
  return {
    ok: true,
    object: {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace, ...(labels && typeof labels === 'object' ? { labels: labels as Record<string, string> } : {}), ...(annotations && typeof annotations === 'object' ? { annotations: annotations as Record<string, string> } : {}) },
      spec: spec as Json,
    },
  };
}

/** The labels a StatefulSet gives a replica's claim: the template's and the selector's matchLabels. */
function claimLabels(sts: Json | undefined, volume: string): Record<string, string> {
  const templates = jsonField(sts, 'spec', 'volumeClaimTemplates');
  const t = Array.isArray(templates) ? templates.find((x) => text(x, 'metadata', 'name') === volume) : undefined;
  const own = (jsonField(t, 'metadata', 'labels') ?? {}) as Record<string, string>;
  const selector = (jsonField(sts, 'spec', 'selector', 'matchLabels') ?? {}) as Record<string, string>;
  return { ...own, ...selector };
}

export function planVolumeResizeRollback(input: RollbackInput): PlanResult {
  const { vr, pvcs, pvs, pods } = input;
  const ns = vr.namespace;
  const where = `${ns}/${vr.name}`;
  const phase = vr.status.phase || 'Pending';
  if (phase !== 'Failed') {
    return {
      ok: false,
      message:
        phase === 'Completed'
          ? `VolumeResize ${where} is Completed: every replica runs on its new volume; there is nothing to roll back (the old PVs are kept, Retain).`
          : `VolumeResize ${where} is ${phase}, not Failed: rollback is for a migration that failed and stopped. Wait for it to finish or fail (kvstorage resize watch ${vr.name}).`,
    };
  }
  const stsName = vr.statefulSetName;
  let backup: KubeObject | undefined;
  if (input.backupJson !== undefined) {
    const b = statefulSetFromBackup(input.backupJson, ns);
    if (!b.ok && !input.statefulSet) return { ok: false, message: `Cannot restore StatefulSet ${ns}/${stsName}: the backup ConfigMap ${backupConfigMapName(vr.name)} is unusable (${b.message}).` };
    if (b.ok) backup = b.object;
  }
  const template = (input.statefulSet ?? backup) as Json | undefined;

  const refusals: string[] = [];
  const kept: string[] = [];
  const cells: CellPlan[] = [];
  for (const cell of vr.status.volumeStatuses) {
    const original = originalPvcName(cell.volumeName, stsName, cell.replica);
    const temp = tempPvcName(cell.volumeName, stsName, cell.replica);
    if (cell.phase === 'Completed') {
      kept.push(`replica ${cell.replica} × ${cell.volumeName} finished moving (PVC ${original}${text(pvcs.get(original), 'spec', 'volumeName') ? ` on PV ${text(pvcs.get(original), 'spec', 'volumeName')}` : ''}) and stays there; its old PV ${cell.oldPVName ?? '(unknown)'} is kept, Retain`);
      continue;
    }
    const orig = pvcs.get(original);
    const origPv = text(orig, 'spec', 'volumeName');
    // The operator may not have written oldPVName (its r.Update overwrites what it held in memory): then the
    // original PVC, still there, is taken to be on its old volume.
    const oldPv = cell.oldPVName ?? (orig ? origPv : undefined);
    const remove = pvcs.has(temp) ? [temp] : [];
    if (orig && origPv !== undefined && origPv === oldPv) {
      cells.push({ cell, original, temp, oldPv, rebind: false, remove });
      continue;
    }
    if (!oldPv) {
      refusals.push(`replica ${cell.replica} × ${cell.volumeName}: PVC ${original} is gone and the VolumeResize does not name its old PV, so there is no volume known to hold its data. Find the Released PV whose claimRef names ${original} and bind it by hand.`);
      continue;
    }
    const pv = pvs.get(oldPv);
    if (!pv) {
      refusals.push(`replica ${cell.replica} × ${cell.volumeName}: its old PV ${oldPv} is gone: the data it held cannot be brought back${pvcs.has(temp) ? ` (the temporary PVC ${temp} may hold a copy)` : ''}.`);
      continue;
    }
    const claim = jsonField(pv, 'spec', 'claimRef') as Json | undefined;
    const claimName = text(claim, 'name');
    const claimNs = text(claim, 'namespace');
    if (claimName && !(claimName === original && claimNs === ns)) {
      const holder = claimNs === ns ? pvcs.get(claimName) : undefined;
      if (holder || claimNs !== ns) refusals.push(`replica ${cell.replica} × ${cell.volumeName}: old PV ${oldPv} is claimed by PVC ${claimNs ?? '?'}/${claimName} now: it is not free to give back.`);
    }
    if (orig) remove.push(original);
    cells.push({ cell, original, temp, oldPv, rebind: true, remove });
  }
  for (const c of cells) {
    for (const pvc of c.remove) {
      const using = users(pods, pvc).filter((p) => text(p, 'metadata', 'labels', LABEL.volumeResizeMigrationName) !== vr.name);
      for (const p of using) refusals.push(`PVC ${ns}/${pvc} is in use by pod ${text(p, 'metadata', 'name')} (${text(p, 'status', 'phase') ?? 'no phase'}): deleting it now would cut a running workload off its data. Stop that pod first.`);
    }
  }
  if (input.statefulSet && cells.some((c) => c.rebind)) {
    refusals.push(
      `StatefulSet ${ns}/${stsName} exists, and its controller would create an empty PVC of the original name (${cells.filter((c) => c.rebind).map((c) => c.original).join(', ')}) ` +
        `before the old volume is given back: delete it without its pods first (kubectl delete statefulset ${stsName} -n ${ns} --cascade=orphan), then roll back; the rollback restores it from the backup.`,
    );
  }
  if (!input.statefulSet && !backup) refusals.push(`StatefulSet ${ns}/${stsName} is deleted and its backup ConfigMap ${backupConfigMapName(vr.name)} is gone: there is nothing to restore it from.`);
  if (refusals.length > 0) return { ok: false, message: `Rollback of VolumeResize ${where} refused, data would be at risk:\n${refusals.map((r) => `- ${r}`).join('\n')}` };

  const migrators = pods.filter((p) => text(p, 'metadata', 'labels', LABEL.volumeResizeMigrationName) === vr.name);
  const copy = { kind: 'irreversible' as const, reason: 'a copy made by the failed migration; the original data is on the old PV' };
  const phases: Phase[] = [];
  const gone = (r: ObjectRef): Wait => ({ kind: 'gone', target: r, timeoutSeconds: 120 });
  if (migrators.length > 0) {
    const refs = migrators.map((p) => podRef(ns, text(p, 'metadata', 'name') ?? ''));
    phases.push({ id: 'stop-copies', title: 'Stop the copies', why: `The operator's migrator pods hold the old and new PVCs; they go first.`, writes: refs.map((r): Write => ({ action: 'delete', target: r, undo: copy })), waits: refs.map(gone) });
  }
  const removals = cells.flatMap((c) => c.remove.map((n) => pvcRef(ns, n)));
  if (removals.length > 0) {
    phases.push({
      id: 'release-copies',
      title: "Release the copies' claims",
      why: `The temporary PVCs${cells.some((c) => c.remove.includes(c.original)) ? ' and the original-named PVCs already swapped to the new volume' : ''} go, so the original names are free; the new PVs the operator set to Retain are kept (Released).`,
      writes: removals.map((r): Write => ({ action: 'delete', target: r, undo: copy })),
      waits: removals.map(gone),
    });
  }
  const rebinds = cells.filter((c) => c.rebind);
  if (rebinds.length > 0) {
    const writes: Write[] = [];
    for (const c of rebinds) {
      const pv = pvs.get(c.oldPv)!;
      writes.push({ action: 'patch', target: pvRef(c.oldPv), patchType: 'merge', patch: { spec: { claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: c.original, uid: null, resourceVersion: null } } } });
      const volumeMode = text(pv, 'spec', 'volumeMode');
      writes.push({
        action: 'create',
        object: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: c.original, namespace: ns, labels: claimLabels(template, c.cell.volumeName) },
          spec: {
            accessModes: (jsonField(pv, 'spec', 'accessModes') as string[] | undefined) ?? ['ReadWriteOnce'],
            storageClassName: text(pv, 'spec', 'storageClassName') ?? '',
            volumeName: c.oldPv,
            ...(volumeMode ? { volumeMode } : {}),
            resources: { requests: { storage: text(pv, 'spec', 'capacity', 'storage') ?? '1Gi' } },
          },
        },
        undo: { kind: 'irreversible', reason: `it holds replica ${c.cell.replica}'s data on its old PV` },
      });
    }
    phases.push({
      id: 'rebind',
      title: 'Give the old volumes their names back',
      why: `Each old PV's claimRef is pointed at a new PVC of the original name (without the deleted PVC's uid, which would keep it Released), and that PVC is created on it: ${rebinds.map((c) => `${c.original} → PV ${c.oldPv}`).join(', ')}.`,
      writes,
      waits: rebinds.map((c): Wait => ({ kind: 'phase', target: pvcRef(ns, c.original), phases: ['Bound'], failPhases: ['Lost'], timeoutSeconds: 120 })),
    });
  }
  // Every replica runs again once the StatefulSet is back: the restored one starts them all.
  const restoredReplicas = !input.statefulSet && backup ? Array.from({ length: Number(jsonField(backup, 'spec', 'replicas') ?? 1) || 1 }, (_, i) => i) : [];
  const replicas = [...new Set([...cells.map((c) => c.cell.replica), ...restoredReplicas])].sort((a, b) => a - b);
  if (!input.statefulSet && backup) {
    phases.push({
      id: 'restore-statefulset',
      title: 'Restore the StatefulSet',
      why: `StatefulSet ${stsName} as the backup ConfigMap ${backupConfigMapName(vr.name)} holds it (before the migration); it adopts the pods still running and starts the others on their PVCs.`,
      writes: [{ action: 'create', object: backup, undo: { kind: 'irreversible', reason: 'deleting it again would stop its pods' } }],
      waits: replicas.map((r): Wait => ({ kind: 'phase', target: podRef(ns, replicaPodName(stsName, r)), phases: ['Running'], failPhases: ['Failed'], appears: true, timeoutSeconds: 300 })),
    });
  }
  const checks: Check[] = [
    ...cells.map((c): Check => ({
      kind: 'field',
      target: pvcRef(ns, c.original),
      expect: [{ path: ['spec', 'volumeName'], equals: c.oldPv, says: `on its old PV ${c.oldPv}` }, { path: ['status', 'phase'], equals: 'Bound', says: 'Bound' }],
      retrySeconds: 30,
      describe: `PVC ${c.original} is bound to its old PV ${c.oldPv}`,
    })),
    ...replicas.map((r): Check => {
      const on = cells.filter((c) => c.cell.replica === r).map((c) => c.original);
      return { kind: 'field', target: podRef(ns, replicaPodName(stsName, r)), expect: [{ path: ['status', 'phase'], equals: 'Running', says: 'Running' }], retrySeconds: 60, describe: `pod ${replicaPodName(stsName, r)} runs${on.length ? ` (on ${on.map((n) => `PVC ${n}`).join(', ')})` : ''}` };
    }),
  ];
  const total = phases.length;
  const deleted = (input.oneStep ? phases.slice(0, 1) : phases).flatMap((ph) => ph.writes.flatMap((w) => (w.action === 'delete' ? [`${w.target.kind === 'Pod' ? 'pod' : 'PVC'} ${w.target.name}`] : [])));
  const chosen = input.oneStep ? phases.slice(0, 1) : phases;
  const step = input.oneStep && total > 0 ? `: ${chosen[0]!.title} (${total} step${total === 1 ? '' : 's'} to go)` : '';
  const notes = [
    `VolumeResize ${where} failed: ${vr.status.message ?? '(no message)'}.`,
    ...(cells.length > 0 ? [`Back on their old volumes: ${cells.map((c) => `replica ${c.cell.replica} × ${c.cell.volumeName} (PVC ${c.original} → PV ${c.oldPv}${c.rebind ? '' : ', still bound'})`).join('; ')}.`] : []),
    ...kept.map((k) => `Kept: ${k}.`),
    `Old PVs keep reclaimPolicy Retain (the operator set it; it did not record what it was before): set it back once you no longer want them kept.`,
    `The VolumeResize stays Failed, as a record; delete it afterwards (kvstorage resize delete ${vr.name}): its finalizer deletes only what carries its name, and the rollback left none of that.`,
  ];
  const plan: Plan = {
    operation: VOLUME_RESIZE_ROLLBACK_OPERATION,
    title: total === 0 ? `Roll back VolumeResize ${where}: nothing left to roll back` : `Roll back VolumeResize ${where}${step}`,
    target: { ...input.target, namespace: ns },
    phases: chosen,
    checks: input.oneStep && total > 1 ? [] : checks,
    notes,
    undo: 'Undo leaves the StatefulSet and the PVCs the rollback creates in place (deleting them would cut the replicas off their data again); it does not recreate the copies it deletes.',
    ...(deleted.length > 0 ? { confirm: [`Deleted for good: ${deleted.join(', ')} (copies; the new PVs stay, Released, Retain).`] } : {}),
  };
  return { ok: true, plan };
}
