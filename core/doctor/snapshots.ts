/**
 * `snapshot-not-ready` (VolumeSnapshots without a restoreSize) and `vm-restore-inflation` (VM snapshots whose
 * restore will fail) over the whole cluster.
 */
import { predictVmRestore } from '../kubevirt/vmRestore.js';
import type { Settings } from '../types.js';
import { apiVersionOf, kinds } from '../kinds/index.js';
import { renderKinds } from '../rules/restoreCommon.js';
import { snapshotNotReady } from '../rules/snapshotNotReady.js';
import { volumeFinding, vmRestoreInflation } from '../rules/vmRestoreInflation.js';
import type { RestoreTarget } from '../kubevirt/restorePvc.js';
import type { VmSnapshotFact } from '../facts.js';
import { sameAs, type ClusterFinding, type ClusterInventory, type DoctorCheck } from './types.js';

export function snapshotReadyFindings(inv: ClusterInventory, namespace: string | undefined): ClusterFinding[] {
  return inv
    .volumeSnapshots(namespace)
    .filter((s) => s.restoreSizeBytes === undefined || s.restoreSizeBytes === 0n || s.readyToUse === false)
    .map((s) => ({
      rule: 'snapshot-not-ready',
      severity: 'info' as const,
      message:
        s.restoreSizeBytes === undefined || s.restoreSizeBytes === 0n
          ? `VolumeSnapshot ${s.namespace}/${s.name} has no restoreSize yet (readyToUse: ${s.readyToUse ?? 'unknown'}); restores from it cannot be sized.`
          : `VolumeSnapshot ${s.namespace}/${s.name} is not ready to use (restoreSize ${s.restoreSizeText}).`,
      resource: { apiVersion: apiVersionOf(kinds.VolumeSnapshot), kind: 'VolumeSnapshot', namespace: s.namespace, name: s.name },
      data: { readyToUse: String(s.readyToUse ?? ''), restoreSize: s.restoreSizeText ?? '' },
    }));
}

export function vmSnapshotFindings(inv: ClusterInventory, namespace: string | undefined, settings: Settings): ClusterFinding[] {
  const out: ClusterFinding[] = [];
  for (const vs of inv.vmSnapshots(namespace)) {
    const prediction = predictVmRestore(vs.name, doctorRestoreTarget(vs), inv.facts, settings);
    if (!prediction.ok) continue;
    for (const v of prediction.volumes) {
      const f = volumeFinding(v, vs.namespace, vs.name, inv.facts, settings);
      if (!f) continue;
      out.push({
        rule: 'vm-restore-inflation',
        ...f,
        resource: { apiVersion: apiVersionOf(kinds.VirtualMachineSnapshot), kind: 'VirtualMachineSnapshot', namespace: vs.namespace, name: vs.name },
      });
    }
  }
  return out;
}

/** The restore the doctor imagines for a VM snapshot: back onto its own VM, KubeVirt's default naming. */
export function doctorRestoreTarget(vs: VmSnapshotFact): RestoreTarget {
  return { restoreName: `${vs.name}-restore`, namespace: vs.namespace, targetVmName: vs.vmName, overrides: [] };
}

/** `vm-restore-inflation` over the cluster's VM snapshots (the lint rule's id and metadata). */
export const vmRestoreInflationCheck: DoctorCheck = {
  ...sameAs(vmRestoreInflation),
  reads: 'cluster',
  kinds: ['VirtualMachineSnapshot', 'VirtualMachineSnapshotContent', 'VolumeSnapshot'],
  alsoReads: renderKinds,
  run: (inv, scope, settings) => vmSnapshotFindings(inv, scope.namespace, settings),
};

/** `snapshot-not-ready` over the cluster's VolumeSnapshots (the lint rule's id and metadata). */
export const snapshotNotReadyCheck: DoctorCheck = {
  ...sameAs(snapshotNotReady),
  reads: 'cluster',
  kinds: ['VolumeSnapshot'],
  alsoReads: [],
  run: (inv, scope) => snapshotReadyFindings(inv, scope.namespace),
};
