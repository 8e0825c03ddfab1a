/** `kvstorage doctor`: every cluster-wide check, over an inventory the cluster code provides. */
import type { Settings } from '../types.js';
import { multipleDefaultSnapshotClasses, multipleDefaultStorageClasses } from './defaults.js';
import { storageProfileIncomplete } from './profiles.js';
import { predictionMismatch } from './probe.js';
import { snapshotNotReadyCheck, vmRestoreInflationCheck } from './snapshots.js';
import type { ClusterFinding, ClusterInventory, DoctorCheck, DoctorScope } from './types.js';

export { mismatchFinding, probeCandidates, type ProbeCandidate, type ProbeResult } from './probe.js';
export type { ClusterFinding, ClusterInventory, DoctorCheck, DoctorScope, ResourceRef, SnapshotClassFact } from './types.js';

/** Every check, in the order it runs. */
export const doctorChecks: readonly DoctorCheck[] = [
  vmRestoreInflationCheck,
  storageProfileIncomplete,
  multipleDefaultSnapshotClasses,
  multipleDefaultStorageClasses,
  snapshotNotReadyCheck,
  predictionMismatch,
];

const severityOrder = { error: 0, warning: 1, info: 2, hint: 3 } as const;

export function doctor(inv: ClusterInventory, scope: DoctorScope, settings: Settings): ClusterFinding[] {
  const findings = doctorChecks.flatMap((c) => c.run(inv, scope, settings));
  return findings.sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      a.rule.localeCompare(b.rule) ||
      `${a.resource.namespace ?? ''}/${a.resource.name}`.localeCompare(`${b.resource.namespace ?? ''}/${b.resource.name}`),
  );
}
