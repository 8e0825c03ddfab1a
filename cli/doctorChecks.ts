/** `kvstorage doctor`'s checks: each rule and the cluster caches it cannot do without. */
import type { StorageCacheName } from '../cluster/storageCaches.js';

export const checks: readonly { rule: string; needs: readonly StorageCacheName[] }[] = [
  { rule: 'vm-restore-inflation', needs: ['virtualMachineSnapshots', 'virtualMachineSnapshotContents', 'volumeSnapshots'] },
  { rule: 'storageprofile-incomplete', needs: ['storageProfiles'] },
  { rule: 'multiple-default-snapshot-classes', needs: ['volumeSnapshotClasses'] },
  { rule: 'multiple-default-storage-classes', needs: ['storageClasses'] },
  { rule: 'snapshot-not-ready', needs: ['volumeSnapshots'] },
];

export function skippedBy(missing: readonly StorageCacheName[], among: typeof checks = checks): string[] {
  return among.filter((c) => c.needs.some((n) => missing.includes(n))).map((c) => c.rule);
}

