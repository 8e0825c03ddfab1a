/** `kvstorage doctor`: every cluster-wide check, over an inventory the cluster code provides. */
import type { Settings } from '../types.js';
import { defaultSnapshotClassFindings, defaultStorageClassFindings } from './defaults.js';
import { storageProfileFindings } from './profiles.js';
import { snapshotReadyFindings, vmSnapshotFindings } from './snapshots.js';
import type { ClusterFinding, ClusterInventory } from './types.js';

export type { ClusterFinding, ClusterInventory, ResourceRef, SnapshotClassFact } from './types.js';

export interface DoctorScope {
  /** undefined: all namespaces (cluster-scoped checks always run). */
  namespace?: string;
}

const severityOrder = { error: 0, warning: 1, info: 2, hint: 3 } as const;

export function doctor(inv: ClusterInventory, scope: DoctorScope, settings: Settings): ClusterFinding[] {
  const findings = [
    ...vmSnapshotFindings(inv, scope.namespace, settings),
    ...storageProfileFindings(inv),
    ...defaultSnapshotClassFindings(inv),
    ...defaultStorageClassFindings(inv),
    ...snapshotReadyFindings(inv, scope.namespace),
  ];
  return findings.sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      a.rule.localeCompare(b.rule) ||
      `${a.resource.namespace ?? ''}/${a.resource.name}`.localeCompare(`${b.resource.namespace ?? ''}/${b.resource.name}`),
  );
}
