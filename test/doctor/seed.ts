/**
 * A cluster with each problem `kvstorage doctor` looks for, seeded into the API emulator:
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
import { cdiPvcMutate } from '../emulator/admissionFixtures.js';
import type { Emulator } from '../emulator/index.js';

export const trident = 'csi.trident.netapp.io';

export function seedProblems(emu: Emulator): void {
  const s = emu.store;
  const snapshotClass = (name: string, driver: string, isDefault: boolean): object => ({
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', driver, deletionPolicy: 'Delete',
    metadata: { name, annotations: isDefault ? { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } : {} },
  });
  s.create(snapshotClass('trident-snap-a', trident, true));
  s.create(snapshotClass('trident-snap-b', trident, true));
  s.create(snapshotClass('ceph-snap', 'rbd.csi.ceph.com', true));
  s.create(snapshotClass('trident-extra', trident, false));

  const defaultClass = { 'storageclass.kubernetes.io/is-default-class': 'true' };
  s.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard', annotations: defaultClass }, provisioner: 'rbd.csi.ceph.com' });
  s.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'trident-nas', annotations: defaultClass }, provisioner: trident });

  s.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'standard' }, spec: {} });
  s.create({
    apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'trident-nas' }, spec: {},
    status: { storageClass: 'trident-nas', provisioner: trident, claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }] },
  });
  s.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDI', metadata: { name: 'cdi' }, spec: {}, status: { phase: 'Deployed', observedVersion: 'v1.63.1' } });
  s.create(cdiPvcMutate(''));

  s.create({
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'pending', namespace: 'vms' },
    spec: { volumeSnapshotClassName: 'trident-snap-a', source: { persistentVolumeClaimName: 'disk' } },
  });
  s.create({
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'stuck', namespace: 'other' },
    spec: { source: { persistentVolumeClaimName: 'data' } }, status: { readyToUse: false },
  });
  s.create({
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'vmsnapshot-tpm', namespace: 'vms' },
    spec: { source: { persistentVolumeClaimName: 'persistent-state-for-vm1-abcde' } }, status: { readyToUse: true, restoreSize: '10Mi' },
  });
  s.create({
    apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineSnapshot', metadata: { name: 'vm-snap', namespace: 'vms' },
    spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vm1' } },
    status: { readyToUse: true, phase: 'Succeeded', virtualMachineSnapshotContentName: 'vmsc-1' },
  });
  s.create({
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
}

/** A cluster with nothing wrong and no snapshot CRDs at all (start the emulator without those groups). */
export function seedClean(emu: Emulator): void {
  emu.store.create({
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', provisioner: trident,
    metadata: { name: 'nas', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  });
  emu.store.create({
    apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'nas' }, spec: {},
    status: { claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }] },
  });
}
