/**
 * A cluster with each problem `kvstorage doctor` looks for, seeded into a test target (emulator or API server):
 * - two default VolumeSnapshotClasses for csi.trident.netapp.io (a third, default for another driver, is fine);
 * - two default StorageClasses (`standard`, `trident-nas`);
 * - a StorageProfile without status.claimPropertySets (`standard`), next to a complete one (`trident-nas`);
 * - a VolumeSnapshot without status (`vms/pending`) and one in another namespace (`other/stuck`);
 * - a VM snapshot whose TPM volume will inflate: VirtualMachineSnapshot vms/vm-snap → content vms/vmsc-1 →
 *   volumeBackups (the persistent-state PVC, 10Mi, labelled applyStorageProfile, on trident-nas) →
 *   VolumeSnapshot vms/vmsnapshot-tpm (restoreSize 10Mi); CDI v1.63.1 inflates 10Mi by 6 % (its default), its PVC
 *   webhook configuration `cdi-api-pvc-mutate` being there (as CDI's operator creates it; no server behind it:
 *   tests that send PVCs through admission register their own, test/doctor/probe.test.ts).
 */
import type { KubeObject } from '../../cluster/paths.js';
import { cdiPvcMutate } from '../emulator/admissionFixtures.js';

export const trident = 'csi.trident.netapp.io';

export function problems(): KubeObject[] {
  const out: KubeObject[] = [];
  const snapshotClass = (name: string, driver: string, isDefault: boolean): KubeObject => ({
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', driver, deletionPolicy: 'Delete',
    metadata: { name, annotations: isDefault ? { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } : {} },
  });
  out.push(snapshotClass('trident-snap-a', trident, true));
  out.push(snapshotClass('trident-snap-b', trident, true));
  out.push(snapshotClass('ceph-snap', 'rbd.csi.ceph.com', true));
  out.push(snapshotClass('trident-extra', trident, false));

  const defaultClass = { 'storageclass.kubernetes.io/is-default-class': 'true' };
  out.push({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard', annotations: defaultClass }, provisioner: 'rbd.csi.ceph.com' });
  out.push({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'trident-nas', annotations: defaultClass }, provisioner: trident });

  out.push({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'standard' }, spec: {} });
  out.push({
    apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'trident-nas' }, spec: {},
    status: { storageClass: 'trident-nas', provisioner: trident, claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }] },
  });
  out.push({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDI', metadata: { name: 'cdi' }, spec: {}, status: { phase: 'Deployed', observedVersion: 'v1.63.1' } });
  out.push(cdiPvcMutate('') as KubeObject);

  out.push({
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'pending', namespace: 'vms' },
    spec: { volumeSnapshotClassName: 'trident-snap-a', source: { persistentVolumeClaimName: 'disk' } },
  });
  out.push({
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'stuck', namespace: 'other' },
    spec: { source: { persistentVolumeClaimName: 'data' } }, status: { readyToUse: false },
  });
  out.push({
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'vmsnapshot-tpm', namespace: 'vms' },
    spec: { source: { persistentVolumeClaimName: 'persistent-state-for-vm1-abcde' } }, status: { readyToUse: true, restoreSize: '10Mi' },
  });
  out.push({
    apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineSnapshot', metadata: { name: 'vm-snap', namespace: 'vms' },
    spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm1' } },
    status: { readyToUse: true, phase: 'Succeeded', virtualMachineSnapshotContentName: 'vmsc-1' },
  });
  out.push({
    apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineSnapshotContent', metadata: { name: 'vmsc-1', namespace: 'vms' },
    spec: {
      virtualMachineSnapshotName: 'vm-snap',
      volumeBackups: [
        {
          volumeName: 'persistent-state-for-vm1',
          volumeSnapshotName: 'vmsnapshot-tpm',
          persistentVolumeClaim: {
            metadata: { name: 'persistent-state-for-vm1-abcde', labels: { 'cdi.kubevirt.io/applyStorageProfile': 'true', 'persistent-state-for': 'vm1' } },
            spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', storageClassName: 'trident-nas', resources: { requests: { storage: '10Mi' } } },
          },
        },
      ],
    },
    status: { readyToUse: true },
  });
  return out;
}

/** A cluster with nothing wrong and no snapshot CRDs at all (start the target without those groups). */
export function clean(): KubeObject[] {
  return [{
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', provisioner: trident,
    metadata: { name: 'nas', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  }, {
    apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'nas' }, spec: {},
    status: { claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }] },
  }];
}
