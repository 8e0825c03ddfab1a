/**
 * What restoring a VirtualMachineSnapshot will do to each volume: follow VirtualMachineSnapshot →
 * VirtualMachineSnapshotContent → volumeBackups, predict each restore PVC as KubeVirt builds it, then what
 * CDI's PVC webhook renders it to, and compare with the VolumeSnapshot's restoreSize.
 */
import { renderPvc } from '../cdi/render.js';
import type { RenderResult } from '../cdi/render.js';
import type { Facts, SnapshotFact, VmSnapshotContentFact, VmSnapshotFact } from '../facts.js';
import type { Settings } from '../types.js';
import type { PredictedRestorePvc, RestoreTarget } from './restorePvc.js';
import { predictRestorePvc } from './restorePvc.js';

export interface VolumeRestorePrediction {
  pvc: PredictedRestorePvc;
  snapshotName?: string;
  snapshot?: SnapshotFact;
  render: RenderResult;
  /** The size the PVC will ask for once admitted: CDI's render, else KubeVirt's request. */
  finalBytes?: bigint;
  /** finalBytes above a known, non-zero restoreSize. */
  exceeds: boolean;
}

export type VmRestorePrediction =
  | { ok: true; vmSnapshot: VmSnapshotFact; content: VmSnapshotContentFact; volumes: VolumeRestorePrediction[] }
  | { ok: false; reason: string };

export function predictVmRestore(vmSnapshotName: string, target: RestoreTarget, facts: Facts, settings: Settings): VmRestorePrediction {
  const ns = target.namespace;
  const vmSnapshot = facts.virtualMachineSnapshot?.(ns, vmSnapshotName);
  if (!vmSnapshot) return { ok: false, reason: `VirtualMachineSnapshot ${ns}/${vmSnapshotName} is not in the analysed files or the connected cluster` };
  const contentName = vmSnapshot.contentName;
  if (!contentName) return { ok: false, reason: `VirtualMachineSnapshot ${ns}/${vmSnapshotName} has no status.virtualMachineSnapshotContentName yet` };
  const content = facts.virtualMachineSnapshotContent?.(ns, contentName);
  if (!content) return { ok: false, reason: `VirtualMachineSnapshotContent ${ns}/${contentName} is not in the analysed files or the connected cluster` };
  const withSource: RestoreTarget = { ...target, sourceVmName: target.sourceVmName ?? vmSnapshot.vmName };
  const volumes = content.volumeBackups.map((backup): VolumeRestorePrediction => {
    const snapshot = backup.volumeSnapshotName ? facts.volumeSnapshot(ns, backup.volumeSnapshotName) : undefined;
    const pvc = predictRestorePvc(backup, snapshot, withSource);
    const render = renderPvc(pvc.input, facts, settings);
    const finalBytes = render.webhookApplies && render.renderedBytes !== undefined ? render.renderedBytes : pvc.requestBytes;
    const restoreSize = snapshot?.restoreSizeBytes;
    const exceeds = finalBytes !== undefined && restoreSize !== undefined && restoreSize > 0n && finalBytes > restoreSize;
    return { pvc, snapshotName: backup.volumeSnapshotName, snapshot, render, finalBytes, exceeds };
  });
  return { ok: true, vmSnapshot, content, volumes };
}
