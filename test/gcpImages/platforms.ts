/**
 * Three seeded platforms for the GCP golden-image workaround, written for these tests (not copied from a
 * cluster): what the API serves and the objects that exist.
 *
 * - `gke`: upstream KubeVirt on GKE. HCO's v1 API (HCO v1.18) with CDI v1.64.0 (a CDI before #3991, so the
 *   whole manual workaround applies, through the v1 paths; a real HCO v1.18 ships CDI v1.65, so this pair
 *   stands for a CDI pinned below it). No default VolumeSnapshotClass, a regional class, a custom golden image.
 * - `openshift421`: OpenShift Virtualization 4.21.0: HCO serves v1beta1 only, CDI v1.64.0 (the StorageProfile
 *   annotations came with 4.21.1), the default `csi-gce-pd-vsc`, no images class.
 * - `openshift422`: OpenShift Virtualization 4.22: HCO v1, CDI v1.65.0, `csi-gce-pd-vsc-images` shipped, CDI's
 *   StorageProfile annotations set; one golden image still on the old class (imported before the upgrade).
 *
 * Every platform also has a VolumeSnapshot in the golden-image namespace without the cron label and a
 * labelled one in another namespace: step 6 must delete neither.
 */
import type { ApiResourceSpec, EmulatorOptions } from '../emulator/index.js';

export type PlatformName = 'gke' | 'openshift421' | 'openshift422';

export interface Platform {
  name: PlatformName;
  emulator: EmulatorOptions;
  objects: Record<string, unknown>[];
  goldenNamespace: string;
  /** What detection must say, step 1 … 7. */
  expected: ('needed' | 'done' | 'not-needed')[];
}

export const PD = 'pd.csi.storage.gke.io';
const SC = 'storage.k8s.io/v1';
const VSC = 'snapshot.storage.k8s.io/v1';
const CDI = 'cdi.kubevirt.io/v1beta1';
const DEFAULT = 'storageclass.kubernetes.io/is-default-class';
const VIRT_DEFAULT = 'storageclass.kubevirt.io/is-default-virt-class';
const DEFAULT_VSC = 'snapshot.storage.kubernetes.io/is-default-class';
export const CRON_LABEL = 'cdi.kubevirt.io/dataImportCron';

/** Resources the default emulator lacks: DataImportCron, DataSource, CSIDriver; OpenShift's config group. */
export const extraResources: ApiResourceSpec[] = [
  { group: 'cdi.kubevirt.io', version: 'v1beta1', kind: 'DataImportCron', plural: 'dataimportcrons', namespaced: true, subresources: ['status'] },
  { group: 'cdi.kubevirt.io', version: 'v1beta1', kind: 'DataSource', plural: 'datasources', namespaced: true, subresources: ['status'] },
  { group: 'storage.k8s.io', version: 'v1', kind: 'CSIDriver', plural: 'csidrivers', namespaced: false },
];
const openshiftResources: ApiResourceSpec[] = [{ group: 'config.openshift.io', version: 'v1', kind: 'ClusterVersion', plural: 'clusterversions', namespaced: false, subresources: ['status'] }];

function storageClass(name: string, parameters: Record<string, string>, annotations: Record<string, string> = {}, created = '2026-01-01T00:00:00Z') {
  return { apiVersion: SC, kind: 'StorageClass', metadata: { name, annotations, creationTimestamp: created }, provisioner: PD, parameters, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true };
}

function snapshotClass(name: string, parameters?: Record<string, string>, isDefault?: boolean) {
  return { apiVersion: VSC, kind: 'VolumeSnapshotClass', metadata: { name, ...(isDefault !== undefined ? { annotations: { [DEFAULT_VSC]: String(isDefault) } } : {}) }, driver: PD, deletionPolicy: 'Delete', ...(parameters ? { parameters } : {}) };
}

/** A StorageProfile as CDI leaves it: no spec, the effective settings in status. */
function profile(name: string, hyperdisk: boolean, snapshotClass: string, annotations?: Record<string, string>) {
  const sets = hyperdisk
    ? [{ accessModes: ['ReadWriteMany'], volumeMode: 'Block' }, { accessModes: ['ReadWriteOnce'], volumeMode: 'Block' }, { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }]
    : [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Block' }, { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }];
  return { apiVersion: CDI, kind: 'StorageProfile', metadata: { name, ...(annotations ? { annotations } : {}) }, spec: {}, status: { storageClass: name, provisioner: PD, claimPropertySets: sets, snapshotClass, cloneStrategy: 'snapshot', dataImportCronSourceFormat: 'snapshot' } };
}

/** A pre-defined golden image as HCO lists it in status. */
function commonTemplate(name: string, source: string, namespace?: string) {
  return {
    metadata: { name: `${source}-image-cron`, ...(namespace ? { namespace } : {}), annotations: { 'cdi.kubevirt.io/storage.bind.immediate.requested': 'true' } },
    spec: {
      schedule: '0 */12 * * *',
      managedDataSource: source,
      garbageCollect: 'Outdated',
      template: { spec: { source: { registry: { url: `docker://quay.io/containerdisks/${name}:latest` } }, storage: { resources: { requests: { storage: '30Gi' } } } } },
    },
    status: { commonTemplate: true },
  };
}

function cron(namespace: string, name: string, source: string) {
  return { apiVersion: CDI, kind: 'DataImportCron', metadata: { name, namespace }, spec: { managedDataSource: source, schedule: '0 */12 * * *', template: { spec: { source: { registry: { url: `docker://quay.io/containerdisks/${source}` } }, storage: {} } } } };
}

export function cronSnapshot(namespace: string, cronName: string, name: string, vsc: string, ready = true) {
  return {
    apiVersion: VSC,
    kind: 'VolumeSnapshot',
    metadata: { name, namespace, labels: { [CRON_LABEL]: cronName, 'app.kubernetes.io/managed-by': 'cdi-controller' } },
    spec: { source: { persistentVolumeClaimName: name }, volumeSnapshotClassName: vsc },
    status: { readyToUse: ready, restoreSize: '30Gi' },
  };
}

function namespace(name: string) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** A VM disk cloned from a golden image (a DataVolume and its PVC). */
function vmDisk(ns: string, name: string, goldenNs: string, source: string, storageClassName: string) {
  return [
    { apiVersion: CDI, kind: 'DataVolume', metadata: { name, namespace: ns }, spec: { sourceRef: { kind: 'DataSource', name: source, namespace: goldenNs }, storage: { resources: { requests: { storage: '30Gi' } } } } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: ns }, spec: { storageClassName, accessModes: ['ReadWriteMany'], volumeMode: 'Block', resources: { requests: { storage: '30Gi' } } } },
  ];
}

/** Decoys step 6 must leave alone. */
function decoys(goldenNs: string) {
  return [
    namespace('vms'),
    { apiVersion: VSC, kind: 'VolumeSnapshot', metadata: { name: 'manual-backup', namespace: goldenNs }, spec: { source: { persistentVolumeClaimName: 'x' } }, status: { readyToUse: true } },
    cronSnapshot('vms', 'my-own-cron', 'vm-cron-copy', 'whatever'),
  ];
}

function gke(): Platform {
  const ns = 'kubevirt-os-images';
  return {
    name: 'gke',
    goldenNamespace: ns,
    emulator: { resources: extraResources },
    expected: ['needed', 'needed', 'needed', 'needed', 'needed', 'needed', 'needed'],
    objects: [
      { apiVersion: SC, kind: 'CSIDriver', metadata: { name: PD }, spec: { attachRequired: true } },
      storageClass('standard-rwo', { type: 'pd-balanced' }, { [DEFAULT]: 'true' }),
      storageClass('premium-rwo', { type: 'pd-ssd' }),
      storageClass('hyperdisk-balanced', { type: 'hyperdisk-balanced', 'provisioned-iops-on-create': '3000', 'provisioned-throughput-on-create': '250Mi', 'access-mode': 'READ_WRITE_MANY' }, { [VIRT_DEFAULT]: 'true' }),
      storageClass('hyperdisk-ha', { type: 'hyperdisk-balanced-high-availability', 'replication-type': 'regional-pd' }),
      snapshotClass('pd-snapshots'),
      profile('standard-rwo', false, 'pd-snapshots'),
      profile('premium-rwo', false, 'pd-snapshots'),
      profile('hyperdisk-balanced', true, 'pd-snapshots'),
      profile('hyperdisk-ha', true, 'pd-snapshots'),
      { apiVersion: CDI, kind: 'CDI', metadata: { name: 'cdi' }, spec: {}, status: { observedVersion: 'v1.64.0', phase: 'Deployed' } },
      namespace('kubevirt-hyperconverged'),
      {
        apiVersion: 'hco.kubevirt.io/v1',
        kind: 'HyperConverged',
        metadata: { name: 'kubevirt-hyperconverged', namespace: 'kubevirt-hyperconverged' },
        spec: {
          workloadSources: {
            dataImportCronTemplates: [
              { metadata: { name: 'ubuntu-image-cron' }, spec: { schedule: '0 5 * * *', managedDataSource: 'ubuntu', template: { spec: { source: { registry: { url: 'docker://example.org/ubuntu:24.04' } }, storage: { resources: { requests: { storage: '20Gi' } } } } } } },
            ],
          },
          storage: { vmStateStorageClass: 'hyperdisk-balanced' },
        },
        status: {
          versions: [{ name: 'operator', version: '1.18.0' }],
          dataImportCronTemplates: [
            commonTemplate('fedora', 'fedora', ns),
            commonTemplate('centos-stream', 'centos-stream9', ns),
            { metadata: { name: 'ubuntu-image-cron' }, spec: { schedule: '0 5 * * *', managedDataSource: 'ubuntu', template: { spec: { source: { registry: { url: 'docker://example.org/ubuntu:24.04' } }, storage: { resources: { requests: { storage: '20Gi' } } } } } }, status: { commonTemplate: false } },
          ],
        },
      },
      namespace(ns),
      cron(ns, 'fedora-image-cron', 'fedora'),
      cron(ns, 'centos-stream9-image-cron', 'centos-stream9'),
      cron(ns, 'ubuntu-image-cron', 'ubuntu'),
      cronSnapshot(ns, 'fedora-image-cron', 'fedora-1a2b3c4d5e6f', 'pd-snapshots'),
      cronSnapshot(ns, 'centos-stream9-image-cron', 'centos-stream9-0a1b2c3d4e5f', 'pd-snapshots'),
      cronSnapshot(ns, 'ubuntu-image-cron', 'ubuntu-9f8e7d6c5b4a', 'pd-snapshots'),
      ...decoys(ns),
      ...vmDisk('vms', 'vm1-rootdisk', ns, 'fedora', 'hyperdisk-balanced'),
    ],
  };
}

function openshift421(): Platform {
  const ns = 'openshift-virtualization-os-images';
  return {
    name: 'openshift421',
    goldenNamespace: ns,
    emulator: { resources: [...extraResources, ...openshiftResources], withoutVersions: ['hco.kubevirt.io/v1'] },
    expected: ['needed', 'done', 'needed', 'needed', 'needed', 'needed', 'needed'],
    objects: [
      { apiVersion: SC, kind: 'CSIDriver', metadata: { name: PD }, spec: {} },
      storageClass('standard-csi', { type: 'pd-standard' }),
      storageClass('ssd-csi', { type: 'pd-ssd' }),
      storageClass('sp-balanced-storage', { type: 'hyperdisk-balanced', 'storage-pools': 'projects/p1/zones/us-central1-a/storagePools/pool1' }, { [DEFAULT]: 'true', [VIRT_DEFAULT]: 'true' }),
      snapshotClass('csi-gce-pd-vsc', undefined, true),
      profile('standard-csi', false, 'csi-gce-pd-vsc'),
      profile('ssd-csi', false, 'csi-gce-pd-vsc'),
      profile('sp-balanced-storage', true, 'csi-gce-pd-vsc'),
      { apiVersion: CDI, kind: 'CDI', metadata: { name: 'cdi-kubevirt-hyperconverged' }, spec: {}, status: { observedVersion: 'v1.64.0' } },
      { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: { name: 'version' }, spec: {}, status: { desired: { version: '4.21.0' } } },
      namespace('openshift-cnv'),
      {
        apiVersion: 'hco.kubevirt.io/v1beta1',
        kind: 'HyperConverged',
        metadata: { name: 'kubevirt-hyperconverged', namespace: 'openshift-cnv' },
        spec: {
          dataImportCronTemplates: [{ metadata: { name: 'centos-stream9-image-cron', annotations: { 'dataimportcrontemplate.kubevirt.io/enable': 'false' } } }],
          filesystemOverhead: { global: '0.08' },
        },
        status: {
          versions: [{ name: 'operator', version: '4.21.0' }],
          dataImportCronTemplates: [commonTemplate('rhel', 'rhel9', ns), commonTemplate('fedora', 'fedora', ns)],
        },
      },
      namespace(ns),
      cron(ns, 'rhel9-image-cron', 'rhel9'),
      cron(ns, 'fedora-image-cron', 'fedora'),
      cronSnapshot(ns, 'rhel9-image-cron', 'rhel9-ab12cd34ef56', 'csi-gce-pd-vsc'),
      cronSnapshot(ns, 'fedora-image-cron', 'fedora-12ab34cd56ef', 'csi-gce-pd-vsc'),
      ...decoys(ns),
    ],
  };
}

function openshift422(): Platform {
  const ns = 'openshift-virtualization-os-images';
  const ann = { 'cdi.kubevirt.io/snapshotClassForDataImportCron': 'csi-gce-pd-vsc-images', 'cdi.kubevirt.io/useReadWriteOnceForDataImportCron': 'true' };
  return {
    name: 'openshift422',
    goldenNamespace: ns,
    emulator: { resources: [...extraResources, ...openshiftResources] },
    expected: ['not-needed', 'done', 'done', 'not-needed', 'not-needed', 'not-needed', 'needed'],
    objects: [
      { apiVersion: SC, kind: 'CSIDriver', metadata: { name: PD }, spec: {} },
      storageClass('standard-csi', { type: 'pd-standard' }),
      storageClass('sp-balanced-storage', { type: 'hyperdisk-balanced' }, { [DEFAULT]: 'true', [VIRT_DEFAULT]: 'true' }),
      snapshotClass('csi-gce-pd-vsc', undefined, true),
      snapshotClass('csi-gce-pd-vsc-images', { 'snapshot-type': 'images' }, false),
      profile('standard-csi', false, 'csi-gce-pd-vsc', ann),
      profile('sp-balanced-storage', true, 'csi-gce-pd-vsc', ann),
      { apiVersion: CDI, kind: 'CDI', metadata: { name: 'cdi-kubevirt-hyperconverged' }, spec: {}, status: { observedVersion: 'v1.65.0' } },
      { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: { name: 'version' }, spec: {}, status: { desired: { version: '4.22.0' } } },
      namespace('openshift-cnv'),
      {
        apiVersion: 'hco.kubevirt.io/v1',
        kind: 'HyperConverged',
        metadata: { name: 'kubevirt-hyperconverged', namespace: 'openshift-cnv' },
        spec: { workloadSources: { enableCommonBootImageImport: true } },
        status: { versions: [{ name: 'operator', version: '4.22.0' }], dataImportCronTemplates: [commonTemplate('rhel', 'rhel9', ns), commonTemplate('fedora', 'fedora', ns)] },
      },
      namespace(ns),
      cron(ns, 'rhel9-image-cron', 'rhel9'),
      cron(ns, 'fedora-image-cron', 'fedora'),
      cronSnapshot(ns, 'rhel9-image-cron', 'rhel9-ab12cd34ef56', 'csi-gce-pd-vsc-images'),
      cronSnapshot(ns, 'fedora-image-cron', 'fedora-12ab34cd56ef', 'csi-gce-pd-vsc'),
      ...decoys(ns),
      ...vmDisk('vms', 'vm1-rootdisk', ns, 'rhel9', 'sp-balanced-storage'),
    ],
  };
}

export const platforms: Record<PlatformName, () => Platform> = { gke, openshift421, openshift422 };
