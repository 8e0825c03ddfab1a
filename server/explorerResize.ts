/**
 * The explorer's migrations: each VolumeResize under "VolumeResize Migrations" with a phase icon and the replica
 * and volume it is at, and under it each replica × volume with its phase and the PVCs and PVs involved. Fed by
 * the VolumeResize cache's watch (the tree is told when it changes), never by polling.
 */
import type { ApiResource, KubeObject } from '../cluster/paths.js';
import { isTerminal, readVolumeResize, shownPhase, type VolumeResizeView } from '../core/volumeResize/model.js';
import type { ProgressCell } from '../core/volumeResize/progress.js';
import type { ExplorerNode, ExplorerNodeId } from '../protocol/explorer.js';
import { apiVersionOf, childId } from './explorerNodes.js';

export const volumeResizesFolderId = 'volumeResizes';

/** Codicon and severity per phase (the operator's and a cell's). */
export function phaseLook(phase: string): { icon: string; severity?: ExplorerNode['severity'] } {
  switch (phase) {
    case 'Completed':
      return { icon: 'pass', severity: 'ok' };
    case 'Failed':
      return { icon: 'error', severity: 'error' };
    case 'Syncing':
    case 'Replacing':
      return { icon: 'sync~spin', severity: 'info' };
    case 'Synced':
      return { icon: 'check' };
    case 'Validating':
      return { icon: 'search' };
    default:
      return { icon: 'clock' };
  }
}

/** "3 running · 1 failed · 2 completed" */
export function folderDescription(vrs: readonly VolumeResizeView[]): string {
  if (vrs.length === 0) return 'none';
  const running = vrs.filter((v) => !isTerminal(v.status.phase)).length;
  const failed = vrs.filter((v) => v.status.phase === 'Failed').length;
  const done = vrs.length - running - failed;
  return [running ? `${running} running` : '', failed ? `${failed} failed` : '', done ? `${done} completed` : ''].filter((x) => x).join(' · ');
}

export function volumeResizeNode(o: KubeObject, resource: ApiResource): ExplorerNode | undefined {
  const vr = readVolumeResize(o);
  if (!vr) return undefined;
  const phase = shownPhase(vr);
  const s = vr.status;
  const at = s.currentReplica !== undefined ? `replica ${s.currentReplica}${s.currentVolume ? ` × ${s.currentVolume}` : ''}` : undefined;
  const cells = s.volumeStatuses.length;
  const done = s.volumeStatuses.filter((c) => c.phase === 'Completed').length;
  const look = phaseLook(phase);
  return {
    id: childId(volumeResizesFolderId, vr.namespace, vr.name),
    kind: 'volumeResize',
    label: vr.name,
    description: [phase, at, cells ? `${done}/${cells} moved` : undefined, `${vr.namespace}/${vr.statefulSetName}`].filter((x) => x).join(' · '),
    tooltip: [
      `VolumeResize ${vr.namespace}/${vr.name} of StatefulSet ${vr.statefulSetName}`,
      `volumes: ${vr.volumes.map((v) => `${v.name} → ${v.newSize}${v.storageClass ? ` (${v.storageClass})` : ''}`).join(', ')}`,
      `phase: ${phase}${s.message ? ` — ${s.message}` : ''}`,
      ...(s.startTime ? [`started ${s.startTime}`] : []),
      ...(s.completionTime ? [`completed ${s.completionTime}`] : []),
      ...(s.backupConfigMapName ? [`backup: ConfigMap ${s.backupConfigMapName}`] : []),
      ...(phase === 'Failed' ? ['The operator has no rollback: "Roll Back VolumeResize…" in the context menu brings the StatefulSet back.'] : []),
    ].join('\n'),
    icon: look.icon,
    ...(look.severity ? { severity: look.severity } : {}),
    collapsible: cells ? 'collapsed' : 'none',
    object: { apiVersion: apiVersionOf(resource), kind: 'VolumeResize', namespace: vr.namespace, name: vr.name },
    tags: [phase === 'Failed' ? 'failed' : isTerminal(phase) ? 'finished' : 'running'],
  };
}

export function cellNode(parent: ExplorerNodeId, c: ProgressCell): ExplorerNode {
  const look = phaseLook(c.phase);
  return {
    id: childId(parent, `!${c.replica}`, c.volume),
    kind: 'volumeResizeCell',
    label: `replica ${c.replica} × ${c.volume}`,
    description: `${c.phase}${c.current ? ' (now)' : ''}${c.message ? ` · ${c.message}` : ''}`,
    tooltip: [
      `replica ${c.replica}, volume ${c.volume}: ${c.phase}${c.message ? ` — ${c.message}` : ''}`,
      `old PVC ${c.oldPvc}${c.oldPv ? ` on PV ${c.oldPv}` : ''}`,
      `new PVC ${c.newPvc}${c.newPv ? ` on PV ${c.newPv}` : ''}`,
    ].join('\n'),
    icon: c.current && look.icon === 'clock' ? 'sync~spin' : look.icon,
    ...(look.severity ? { severity: look.severity } : {}),
    collapsible: 'none',
  };
}
