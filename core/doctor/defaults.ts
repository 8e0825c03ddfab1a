/**
 * `multiple-default-storage-classes` and `multiple-default-snapshot-classes`.
 * Several default StorageClasses: Kubernetes and CDI pick the newest, silently. Several default
 * VolumeSnapshotClasses for one driver: the snapshot controller refuses to choose and snapshotting fails
 * ("%d default snapshot classes were found", external-snapshotter snapshot_controller.go).
 */
import { ANNOTATION, apiVersionOf, kinds } from '../kinds/index.js';
import type { ClusterFinding, ClusterInventory, DoctorCheck } from './types.js';

export function defaultStorageClassFindings(inv: ClusterInventory): ClusterFinding[] {
  const out: ClusterFinding[] = [];
  const classes = inv.storageClasses();
  for (const [which, annotation, picks] of [
    ['default', ANNOTATION.defaultStorageClass, 'Kubernetes and CDI use the newest for PVCs that name no class'],
    ['virt-default', ANNOTATION.defaultVirtStorageClass, 'CDI and KubeVirt use the newest for VM disks that name no class'],
  ] as const) {
    const marked = classes.filter((c) => (which === 'default' ? c.isDefault : c.isDefaultVirt));
    if (marked.length < 2) continue;
    const names = marked.map((c) => c.name).sort();
    for (const c of marked) {
      out.push({
        rule: 'multiple-default-storage-classes',
        severity: 'warning',
        message: `${marked.length} StorageClasses are marked ${which} (${annotation}: "true"): ${names.join(', ')}; ${picks}. Keep one.`,
        resource: { apiVersion: apiVersionOf(kinds.StorageClass), kind: 'StorageClass', name: c.name },
        data: { annotation, classes: names.join(',') },
      });
    }
  }
  return out;
}

export function defaultSnapshotClassFindings(inv: ClusterInventory): ClusterFinding[] {
  const byDriver = new Map<string, string[]>();
  for (const c of inv.snapshotClasses()) {
    if (!c.isDefault) continue;
    const driver = c.driver ?? '';
    byDriver.set(driver, [...(byDriver.get(driver) ?? []), c.name]);
  }
  const out: ClusterFinding[] = [];
  for (const [driver, names] of byDriver) {
    if (names.length < 2) continue;
    names.sort();
    for (const name of names) {
      out.push({
        rule: 'multiple-default-snapshot-classes',
        severity: 'error',
        message:
          `${names.length} VolumeSnapshotClasses are the default for driver ${driver}: ${names.join(', ')}. ` +
          `Snapshots that name no class fail ("${names.length} default snapshot classes were found"), VM snapshots included. Keep one default per driver.`,
        resource: { apiVersion: apiVersionOf(kinds.VolumeSnapshotClass), kind: 'VolumeSnapshotClass', name },
        data: { driver, classes: names.join(',') },
      });
    }
  }
  return out;
}

export const multipleDefaultSnapshotClasses: DoctorCheck = {
  id: 'multiple-default-snapshot-classes',
  defaultSeverity: 'error',
  title: 'Several default VolumeSnapshotClasses for one driver',
  description: 'Snapshots that name no class fail: the snapshot controller refuses to choose between defaults (kvstorage doctor).',
  reads: 'cluster',
  kinds: ['VolumeSnapshotClass'],
  alsoReads: [],
  run: (inv) => defaultSnapshotClassFindings(inv),
};

export const multipleDefaultStorageClasses: DoctorCheck = {
  id: 'multiple-default-storage-classes',
  defaultSeverity: 'warning',
  title: 'Several default (or virt-default) StorageClasses',
  description: 'Kubernetes and CDI silently use the newest; PVCs and VM disks may land on an unexpected class (kvstorage doctor).',
  reads: 'cluster',
  kinds: ['StorageClass'],
  alsoReads: [],
  run: (inv) => defaultStorageClassFindings(inv),
};
