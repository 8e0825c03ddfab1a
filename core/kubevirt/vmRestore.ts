/**
 * What restoring a VirtualMachineSnapshot will do to each volume: follow VirtualMachineSnapshot →
 * VirtualMachineSnapshotContent → volumeBackups, predict each restore PVC as KubeVirt builds it, then what
 * CDI's PVC webhook renders it to, and compare with the VolumeSnapshot's restoreSize.
 */
import type { OlderRender } from '../cdi/olderReleases.js';
import { olderRenders } from '../cdi/olderReleases.js';
import { renderPvc } from '../cdi/render.js';
import type { RenderResult } from '../cdi/render.js';
import type { StoredRequest } from '../probe/stored.js';
import { storedRequest } from '../probe/stored.js';
import type { Facts, SnapshotFact, VmSnapshotContentFact, VmSnapshotFact } from '../facts.js';
import type { Settings } from '../types.js';
import type { PredictedRestorePvc, RestoreTarget } from './restorePvc.js';
import { predictRestorePvc } from './restorePvc.js';
import type { ResolvedKubevirtVersion } from './version.js';
import { resolveKubevirtVersion } from './version.js';

export interface VolumeRestorePrediction {
  pvc: PredictedRestorePvc;
  snapshotName?: string;
  snapshot?: SnapshotFact;
  render: RenderResult;
  /** What the API server will store: CDI's render (or the cluster's answer), else KubeVirt's request. */
  stored: StoredRequest;
  /** The size the PVC will ask for once admitted (`stored.bytes`). */
  finalBytes?: bigint;
  /** finalBytes above a known, non-zero restoreSize. */
  exceeds: boolean;
  /** No CDI version known (the newest assumed) and it does not exceed: what the releases that inflate would store, when above restoreSize. */
  olderExceed: OlderRender[];
}

export type VmRestorePrediction =
  | { ok: true; vmSnapshot: VmSnapshotFact; content: VmSnapshotContentFact; volumes: VolumeRestorePrediction[]; kubevirt: ResolvedKubevirtVersion }
  | { ok: false; reason: string };

/**
 * Follows the VM snapshot to its volumes and predicts each restore PVC (KubeVirt's CreateRestorePVCDefFromVMRestore,
 * named by restoreVolumeName) and what the API server will store for it.
 */
export function predictVmRestore(vmSnapshotName: string, target: RestoreTarget, facts: Facts, settings: Settings): VmRestorePrediction {
  const ns = target.namespace;
  const vmSnapshot = facts.virtualMachineSnapshot?.(ns, vmSnapshotName);
  if (!vmSnapshot) return { ok: false, reason: `VirtualMachineSnapshot ${ns}/${vmSnapshotName} is not in the analysed files or the connected cluster` };
  const contentName = vmSnapshot.contentName;
  if (!contentName) return { ok: false, reason: `VirtualMachineSnapshot ${ns}/${vmSnapshotName} has no status.virtualMachineSnapshotContentName yet` };
  const content = facts.virtualMachineSnapshotContent?.(ns, contentName);
  if (!content) return { ok: false, reason: `VirtualMachineSnapshotContent ${ns}/${contentName} is not in the analysed files or the connected cluster` };
  const withSource: RestoreTarget = { ...target, sourceVmName: target.sourceVmName ?? vmSnapshot.vmName };
  const kubevirt = resolveKubevirtVersion(settings, facts);
  const volumes = content.volumeBackups.map((backup): VolumeRestorePrediction => {
    const snapshot = backup.volumeSnapshotName ? facts.volumeSnapshot(ns, backup.volumeSnapshotName) : undefined;
    const pvc = predictRestorePvc(backup, snapshot, withSource, kubevirt.behaviour);
    const render = renderPvc(pvc.input, facts, settings);
    const stored = storedRequest(pvc.input, render, facts, settings);
    const finalBytes = stored.bytes;
    const restoreSize = snapshot?.restoreSizeBytes;
    const above = (b: bigint | undefined) => b !== undefined && restoreSize !== undefined && restoreSize > 0n && b > restoreSize;
    const exceeds = above(finalBytes);
    const live = stored.basis === 'live' || stored.basis === 'live-untouched';
    const olderExceed = !exceeds && !live && render.cdi.source === 'assumed' ? olderRenders(pvc.input, facts, settings).filter((o) => above(o.bytes)) : [];
    return { pvc, snapshotName: backup.volumeSnapshotName, snapshot, render, stored, finalBytes, exceeds, olderExceed };
  });
  return { ok: true, vmSnapshot, content, volumes, kubevirt };
}
