/**
 * The cluster-level part of the benchmark bundle: StorageClasses, their StorageProfiles, the CDIConfig and the
 * CDI CR, shaped like `kubectl get -o yaml` output of an OpenShift Virtualization cluster.
 */
import type { Prng } from './prng.js';

export interface ClassSpec {
  name: string;
  provisioner: string;
  params: Record<string, string>;
  isDefault?: boolean;
  isDefaultVirt?: boolean;
  mode: 'Filesystem' | 'Block';
  access: string;
}

export const classes: ClassSpec[] = [
  { name: 'trident-nas', provisioner: 'csi.trident.netapp.io', params: { backendType: 'ontap-nas' }, isDefaultVirt: true, mode: 'Filesystem', access: 'ReadWriteMany' },
  { name: 'trident-san', provisioner: 'csi.trident.netapp.io', params: { backendType: 'ontap-san' }, mode: 'Block', access: 'ReadWriteMany' },
  { name: 'ocs-rbd', provisioner: 'openshift-storage.rbd.csi.ceph.com', params: { clusterID: 'openshift-storage', pool: 'ocs-storagecluster-cephblockpool' }, isDefault: true, mode: 'Block', access: 'ReadWriteMany' },
  { name: 'ocs-cephfs', provisioner: 'openshift-storage.cephfs.csi.ceph.com', params: { clusterID: 'openshift-storage', fsName: 'ocs-storagecluster-cephfilesystem' }, mode: 'Filesystem', access: 'ReadWriteMany' },
  { name: 'gp3-csi', provisioner: 'ebs.csi.aws.com', params: { type: 'gp3', encrypted: 'true' }, mode: 'Filesystem', access: 'ReadWriteOnce' },
  { name: 'io2-csi', provisioner: 'ebs.csi.aws.com', params: { type: 'io2', iopsPerGB: '50' }, mode: 'Block', access: 'ReadWriteOnce' },
  { name: 'standard-rwo', provisioner: 'pd.csi.storage.gke.io', params: { type: 'pd-balanced' }, mode: 'Filesystem', access: 'ReadWriteOnce' },
  { name: 'premium-rwo', provisioner: 'pd.csi.storage.gke.io', params: { type: 'pd-ssd' }, mode: 'Filesystem', access: 'ReadWriteOnce' },
  { name: 'hostpath-csi', provisioner: 'kubevirt.io.hostpath-provisioner', params: { storagePool: 'local' }, mode: 'Filesystem', access: 'ReadWriteOnce' },
  { name: 'lvms-vg1', provisioner: 'topolvm.io', params: { 'csi.storage.k8s.io/fstype': 'xfs' }, mode: 'Block', access: 'ReadWriteOnce' },
  { name: 'portworx-db', provisioner: 'pxd.portworx.com', params: { repl: '3', io_profile: 'db_remote' }, mode: 'Filesystem', access: 'ReadWriteOnce' },
  { name: 'longhorn', provisioner: 'driver.longhorn.io', params: { numberOfReplicas: '3', staleReplicaTimeout: '30' }, mode: 'Filesystem', access: 'ReadWriteOnce' },
];


export const quote = (v: string): string => JSON.stringify(v);
const indentMap = (m: Record<string, string>, pad: string): string =>
  Object.entries(m).map(([k, v]) => `${pad}${k}: ${quote(v)}\n`).join('');

export function storageClass(c: ClassSpec, r: Prng): string {
  const ann: Record<string, string> = {};
  if (c.isDefault) ann['storageclass.kubernetes.io/is-default-class'] = 'true';
  if (c.isDefaultVirt) ann['storageclass.kubevirt.io/is-default-virt-class'] = 'true';
  ann['kubectl.kubernetes.io/last-applied-by'] = `gitops-${r.hex(6)}`;
  return `# StorageClass ${c.name}: provisioned by ${c.provisioner}
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${c.name}
  annotations:
${indentMap(ann, '    ')}  creationTimestamp: "2025-0${r.int(1, 9)}-1${r.int(0, 9)}T0${r.int(0, 9)}:14:00Z"
provisioner: ${c.provisioner}
parameters:
${indentMap(c.params, '  ')}reclaimPolicy: Delete
volumeBindingMode: ${r.chance(0.3) ? 'WaitForFirstConsumer' : 'Immediate'}
allowVolumeExpansion: true
`;
}

export function storageProfile(c: ClassSpec): string {
  return `apiVersion: cdi.kubevirt.io/v1beta1
kind: StorageProfile
metadata:
  name: ${c.name}
  labels:
    app: containerized-data-importer
    cdi.kubevirt.io: ""
spec: {}
status:
  provisioner: ${c.provisioner}
  storageClass: ${c.name}
  cloneStrategy: ${c.provisioner.includes('hostpath') ? 'copy' : 'csi-clone'}
  dataImportCronSourceFormat: ${c.mode === 'Block' ? 'snapshot' : 'pvc'}
  claimPropertySets:
    - accessModes: [${c.access}]
      volumeMode: ${c.mode}
`;
}

export function cdiConfig(): string {
  const perClass = classes.map((c) => `      ${c.name}: "${c.provisioner.includes('ceph') ? '0.1' : '0.06'}"\n`).join('');
  return `# Filesystem overhead CDI applies per class (status is what the controller computed).
apiVersion: cdi.kubevirt.io/v1beta1
kind: CDIConfig
metadata:
  name: config
spec:
  filesystemOverhead:
    global: "0.06"
status:
  filesystemOverhead:
    global: "0.06"
    storageClass:
${perClass}`;
}

export const cdi = `apiVersion: cdi.kubevirt.io/v1beta1
kind: CDI
metadata:
  name: cdi
spec:
  config:
    featureGates: [HonorWaitForFirstConsumer, DataVolumeClaimAdoption, WebhookPvcRendering]
  imagePullPolicy: IfNotPresent
  infra:
    nodeSelector:
      kubernetes.io/os: linux
status:
  phase: Deployed
  observedVersion: v1.63.1
  operatorVersion: v1.63.1
  targetVersion: v1.63.1
`;
