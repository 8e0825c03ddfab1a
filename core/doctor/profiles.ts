/**
 * `storageprofile-incomplete`: a StorageProfile whose status has no claimPropertySets. CDI cannot choose access
 * and volume modes for its class, so DataVolumes (and labelled PVCs) that leave them out stall pending.
 */
import { apiVersionOf, kinds } from '../kinds/index.js';
import type { ClusterFinding, ClusterInventory, DoctorCheck } from './types.js';

export function storageProfileFindings(inv: ClusterInventory): ClusterFinding[] {
  return inv
    .storageProfiles()
    .filter((p) => p.claimPropertySetsFrom !== 'status')
    .map((p) => ({
      rule: 'storageprofile-incomplete',
      severity: 'warning' as const,
      message:
        `StorageProfile ${p.name} has no status.claimPropertySets: CDI does not know the access and volume modes of ` +
        `StorageClass ${p.name} (its provisioner is not in CDI's capabilities table), so DataVolumes that leave them out stay Pending. ` +
        `Set spec.claimPropertySets (e.g. [{accessModes: [ReadWriteOnce], volumeMode: Filesystem}]).`,
      resource: { apiVersion: apiVersionOf(kinds.StorageProfile), kind: 'StorageProfile', name: p.name },
      data: { storageClass: p.name },
    }));
}

export const storageProfileIncomplete: DoctorCheck = {
  id: 'storageprofile-incomplete',
  defaultSeverity: 'warning',
  title: 'StorageProfile without claimPropertySets',
  description: "CDI knows no access and volume modes for the class: DataVolumes that leave them out stay Pending (kvstorage doctor).",
  reads: 'cluster',
  kinds: ['StorageProfile'],
  alsoReads: [],
  run: (inv) => storageProfileFindings(inv),
};
