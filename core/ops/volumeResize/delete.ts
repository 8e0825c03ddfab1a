/**
 * Deleting a VolumeResize as an operation, saying first what it sets off: migcontroller's finalizer deletes every
 * PVC and pod labelled with the migration's name (the temporary copies, the migrator pods), and nothing else. It
 * does not bring back a StatefulSet it deleted, nor touch the PVs: the old ones stay (Retain), as does the backup
 * ConfigMap. Deleting a running migration, or a failed one whose StatefulSet is gone, is advised against.
 */
import { backupConfigMapName, VOLUME_RESIZE_API_VERSION, VOLUME_RESIZE_KIND, type VolumeResizeView } from '../../volumeResize/model.js';
import type { Plan, PlanResult, PlanTarget } from '../types.js';

export const VOLUME_RESIZE_DELETE_OPERATION = 'volumeresize-delete';

export interface DeleteInput {
  target: PlanTarget;
  vr: VolumeResizeView;
  /** What the finalizer will delete: the PVCs and pods labelled with the migration's name, by name. */
  labelledPvcs: readonly string[];
  labelledPods: readonly string[];
  /** The old PVs the statuses name, and whether each still exists. */
  oldPvs: readonly { name: string; exists: boolean; reclaimPolicy?: string }[];
  /** The replicas' PVCs (original names) that exist, with the PV each is bound to: the finalizer leaves them. */
  originalPvcs: readonly { name: string; pv?: string; reclaimPolicy?: string }[];
  statefulSetExists: boolean;
  backupExists: boolean;
}

export function planVolumeResizeDelete(input: DeleteInput): PlanResult {
  const { vr } = input;
  const ns = vr.namespace;
  const where = `${ns}/${vr.name}`;
  const phase = vr.status.phase || 'Pending';
  const finalizer = vr.finalizers.length > 0;
  const removes = [...input.labelledPvcs.map((n) => `PVC ${n}`), ...input.labelledPods.map((n) => `pod ${n}`)];
  const bound = new Set(input.originalPvcs.flatMap((p) => (p.pv ? [p.pv] : [])));
  const stays = [
    ...input.originalPvcs.map((p) => `PVC ${p.name}${p.pv ? ` on PV ${p.pv}${p.reclaimPolicy ? ` (reclaimPolicy ${p.reclaimPolicy})` : ''}` : ''}`),
    ...input.oldPvs.filter((p) => p.exists && !bound.has(p.name)).map((p) => `PV ${p.name} (old volume${p.reclaimPolicy ? `, reclaimPolicy ${p.reclaimPolicy}` : ''})`),
    ...(input.backupExists ? [`ConfigMap ${backupConfigMapName(vr.name)} (the StatefulSet's backup)`] : []),
    input.statefulSetExists ? `StatefulSet ${vr.statefulSetName} as it is now` : `nothing of StatefulSet ${vr.statefulSetName}: it is deleted, and stays deleted`,
  ];
  const confirm = [
    finalizer
      ? `The operator's finalizer then deletes every PVC and pod labelled with this migration's name: ${removes.length > 0 ? removes.join(', ') : 'none exists now'}.`
      : 'The VolumeResize has no finalizer (the operator never picked it up): it goes at once, and nothing else is deleted.',
    `Stays: ${stays.join('; ')}.`,
    ...(input.oldPvs.some((p) => !p.exists) ? [`Already gone: ${input.oldPvs.filter((p) => !p.exists).map((p) => `PV ${p.name}`).join(', ')}.`] : []),
  ];
  const running = phase === 'Pending' || phase === 'Validating' || phase === 'Syncing' || phase === 'Replacing';
  const advice = running
    ? `The migration is ${phase}${vr.status.currentReplica !== undefined ? ` (replica ${vr.status.currentReplica}${vr.status.currentVolume ? `, volume ${vr.status.currentVolume}` : ''})` : ''}: deleting it now stops it half-way${input.statefulSetExists ? '' : ', with StatefulSet ' + vr.statefulSetName + ' deleted (its remaining pods run on, orphaned)'}, and the finalizer deletes the copy in progress. Let it finish, or wait for Failed and roll back.`
    : phase === 'Failed' && !input.statefulSetExists
      ? `StatefulSet ${vr.statefulSetName} is deleted (the migration failed after deleting it), and deleting the VolumeResize does not bring it back. Roll back first (kvstorage resize rollback ${vr.name}).`
      : undefined;
  const plan: Plan = {
    operation: VOLUME_RESIZE_DELETE_OPERATION,
    title: `Delete VolumeResize ${where} (${phase})`,
    target: { ...input.target, namespace: ns },
    phases: [
      {
        id: 'delete',
        title: 'Delete',
        why: finalizer ? "The VolumeResize; its operator's finalizer cleans up what carries its name, then lets it go." : 'The VolumeResize.',
        writes: [{ action: 'delete', target: { apiVersion: VOLUME_RESIZE_API_VERSION, kind: VOLUME_RESIZE_KIND, namespace: ns, name: vr.name }, undo: { kind: 'irreversible', reason: 'creating it again would start the migration again' } }],
        waits: [{ kind: 'gone', target: { apiVersion: VOLUME_RESIZE_API_VERSION, kind: VOLUME_RESIZE_KIND, namespace: ns, name: vr.name }, timeoutSeconds: 120 }],
      },
    ],
    checks:
      removes.length > 0
        ? [{ kind: 'absent', targets: [...input.labelledPvcs.map((n) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: n })), ...input.labelledPods.map((n) => ({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: n }))], retrySeconds: 30, describe: 'the finalizer deleted what carries the migration\'s name' }]
        : [],
    notes: [`VolumeResize ${where}: ${phase}${vr.status.message ? ` (${vr.status.message})` : ''}.`],
    confirm,
    undo: 'Undo cannot bring the VolumeResize back: creating it again would start the migration again.',
    ...(advice ? { advice } : {}),
  };
  return { ok: true, plan };
}
