/**
 * The cluster benchmark's server, run as a child process of bench/cluster.ts so that its memory is not
 * counted: the API emulator seeded with PVCs and VolumeSnapshots shaped like `kubectl get -o json` output
 * of a busy cluster (managedFields, controller annotations, a last-applied-configuration on objects created
 * with `kubectl apply`). Sends `{ kubeconfig, pvcJsonBytes }` over IPC once seeded, answers `'cpu'` with its
 * CPU time in ms (so the benchmark can tell server time from client time), and stops on disconnect.
 * Arguments: PVC count, snapshot count, namespace count.
 */
import { startEmulator } from '../test/emulator/index.js';

/** Storage classes of a mixed cluster (its own list: the benchmark must not move when another one does). */
const classes = [
  { name: 'trident-nas', provisioner: 'csi.trident.netapp.io', params: { backendType: 'ontap-nas' }, isDefaultVirt: true, mode: 'Filesystem', access: 'ReadWriteMany' },
  { name: 'trident-san', provisioner: 'csi.trident.netapp.io', params: { backendType: 'ontap-san' }, mode: 'Block', access: 'ReadWriteMany' },
  { name: 'ocs-rbd', provisioner: 'openshift-storage.rbd.csi.ceph.com', params: { clusterID: 'openshift-storage', pool: 'ocs-storagecluster-cephblockpool' }, isDefault: true, mode: 'Block', access: 'ReadWriteMany' },
  { name: 'ocs-cephfs', provisioner: 'openshift-storage.cephfs.csi.ceph.com', params: { clusterID: 'openshift-storage' }, mode: 'Filesystem', access: 'ReadWriteMany' },
  { name: 'gp3-csi', provisioner: 'ebs.csi.aws.com', params: { type: 'gp3', encrypted: 'true' }, mode: 'Filesystem', access: 'ReadWriteOnce' },
  { name: 'standard-rwo', provisioner: 'pd.csi.storage.gke.io', params: { type: 'pd-balanced' }, mode: 'Filesystem', access: 'ReadWriteOnce' },
  { name: 'hostpath-csi', provisioner: 'kubevirt.io.hostpath-provisioner', params: { storagePool: 'local' }, mode: 'Filesystem', access: 'ReadWriteOnce' },
  { name: 'lvms-vg1', provisioner: 'topolvm.io', params: { 'csi.storage.k8s.io/fstype': 'xfs' }, mode: 'Block', access: 'ReadWriteOnce' },
];

const [pvcCount = 10_000, snapCount = 10_000, nsCount = 100] = process.argv.slice(2).map(Number);

function time(i: number): string {
  return new Date(Date.UTC(2025, 0, 1) + i * 61_000).toISOString().replace(/\.\d+Z$/, 'Z');
}

function managed(manager: string, operation: 'Update' | 'Apply', apiVersion: string, fields: Record<string, unknown>, at: string, subresource?: string) {
  return { manager, operation, apiVersion, time: at, fieldsType: 'FieldsV1', fieldsV1: fields, ...(subresource ? { subresource } : {}) };
}

function pvc(i: number) {
  const ns = `tenant-${i % nsCount}`;
  const name = i % 7 === 0 ? `persistent-state-for-vm-${i}-x7k2p` : `vm-${i}-rootdisk`;
  const sc = classes[i % classes.length]!;
  const size = i % 7 === 0 ? '10Mi' : `${10 + (i % 90)}Gi`;
  const at = time(i);
  const spec = {
    accessModes: [sc.access],
    resources: { requests: { storage: size } },
    storageClassName: sc.name,
    volumeMode: i % 7 === 0 ? 'Filesystem' : sc.mode,
    volumeName: `pvc-${i.toString(16).padStart(8, '0')}-4b1c-9d6e-1f2a3b4c5d6e`,
  };
  const labels: Record<string, string> = { app: `vm-${i}`, 'app.kubernetes.io/managed-by': 'kubevirt', 'kubevirt.io/created-by': `7f3c${i}` };
  if (i % 7 === 0) Object.assign(labels, { 'persistent-state-for': `vm-${i}`, 'cdi.kubevirt.io/applyStorageProfile': 'true' });
  const annotations: Record<string, string> = {
    'pv.kubernetes.io/bind-completed': 'yes',
    'pv.kubernetes.io/bound-by-controller': 'yes',
    'volume.beta.kubernetes.io/storage-provisioner': sc.provisioner,
    'volume.kubernetes.io/storage-provisioner': sc.provisioner,
  };
  const applied = i % 3 === 0;
  if (applied) {
    annotations['kubectl.kubernetes.io/last-applied-configuration'] =
      JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { annotations: {}, labels, name, namespace: ns }, spec: { accessModes: spec.accessModes, resources: spec.resources, storageClassName: spec.storageClassName, volumeMode: spec.volumeMode } }) + '\n';
  }
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name, namespace: ns, labels, annotations, finalizers: ['kubernetes.io/pvc-protection'],
      managedFields: [
        managed(applied ? 'kubectl-client-side-apply' : 'virt-controller', 'Update', 'v1', {
          'f:metadata': { 'f:annotations': { '.': {}, ...(applied ? { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } : {}) }, 'f:labels': Object.fromEntries(Object.keys(labels).map((k) => [`f:${k}`, {}])) },
          'f:spec': { 'f:accessModes': {}, 'f:resources': { 'f:requests': { '.': {}, 'f:storage': {} } }, 'f:storageClassName': {}, 'f:volumeMode': {} },
        }, at),
        managed('kube-controller-manager', 'Update', 'v1', {
          'f:metadata': { 'f:annotations': { 'f:pv.kubernetes.io/bind-completed': {}, 'f:pv.kubernetes.io/bound-by-controller': {}, 'f:volume.beta.kubernetes.io/storage-provisioner': {}, 'f:volume.kubernetes.io/storage-provisioner': {} } },
          'f:spec': { 'f:volumeName': {} },
        }, at),
        managed('kube-controller-manager', 'Update', 'v1', { 'f:status': { 'f:accessModes': {}, 'f:capacity': { '.': {}, 'f:storage': {} }, 'f:phase': {} } }, at, 'status'),
      ],
    },
    spec,
    status: { phase: 'Bound', accessModes: spec.accessModes, capacity: { storage: size } },
  };
}

function snapshot(i: number) {
  const ns = `tenant-${i % nsCount}`;
  const name = `vmsnapshot-${i}-volume-${i % 7 === 0 ? 'tpm' : 'rootdisk'}`;
  const at = time(i + 1);
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: {
      name, namespace: ns, finalizers: ['snapshot.storage.kubernetes.io/volumesnapshot-as-source-protection', 'snapshot.storage.kubernetes.io/volumesnapshot-bound-protection'],
      labels: { 'snapshot.kubevirt.io/source-vm-name': `vm-${i}`, 'snapshot.kubevirt.io/source-vm-namespace': ns },
      ownerReferences: [{ apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineSnapshotContent', name: `vmsnapshot-content-${i}`, uid: `c0ffee00-${i}`, controller: true, blockOwnerDeletion: true }],
      managedFields: [
        managed('virt-controller', 'Update', 'snapshot.storage.k8s.io/v1', {
          'f:metadata': { 'f:labels': { '.': {}, 'f:snapshot.kubevirt.io/source-vm-name': {}, 'f:snapshot.kubevirt.io/source-vm-namespace': {} }, 'f:ownerReferences': { '.': {}, [`k:{"uid":"c0ffee00-${i}"}`]: {} } },
          'f:spec': { '.': {}, 'f:source': { '.': {}, 'f:persistentVolumeClaimName': {} }, 'f:volumeSnapshotClassName': {} },
        }, at),
        managed('snapshot-controller', 'Update', 'snapshot.storage.k8s.io/v1', {
          'f:metadata': { 'f:finalizers': { '.': {}, 'v:"snapshot.storage.kubernetes.io/volumesnapshot-as-source-protection"': {}, 'v:"snapshot.storage.kubernetes.io/volumesnapshot-bound-protection"': {} } },
        }, at),
        managed('snapshot-controller', 'Update', 'snapshot.storage.k8s.io/v1', {
          'f:status': { '.': {}, 'f:boundVolumeSnapshotContentName': {}, 'f:creationTime': {}, 'f:readyToUse': {}, 'f:restoreSize': {} },
        }, at, 'status'),
      ],
    },
    spec: { source: { persistentVolumeClaimName: i % 7 === 0 ? `persistent-state-for-vm-${i}-x7k2p` : `vm-${i}-rootdisk` }, volumeSnapshotClassName: 'csi-snapclass' },
    status: { boundVolumeSnapshotContentName: `snapcontent-${i.toString(16).padStart(8, '0')}-77aa-4c1d-8e2f-0a1b2c3d4e5f`, creationTime: at, readyToUse: true, restoreSize: i % 7 === 0 ? '10Mi' : `${10 + (i % 90)}Gi` },
  };
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ bookmarkIntervalMs: 60_000 });
  let bytes = 0;
  for (const c of classes) {
    emulator.store.create({
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
      metadata: { name: c.name, annotations: { ...(c.isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {}), ...(c.isDefaultVirt ? { 'storageclass.kubevirt.io/is-default-virt-class': 'true' } : {}) } },
      provisioner: c.provisioner, parameters: c.params, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
    });
    emulator.store.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: c.name }, status: { storageClass: c.name, provisioner: c.provisioner, claimPropertySets: [{ accessModes: [c.access], volumeMode: c.mode }] } });
  }
  emulator.store.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDIConfig', metadata: { name: 'config' }, status: { filesystemOverhead: { global: '0.06', storageClass: Object.fromEntries(classes.map((c) => [c.name, '0.06'])) } } });
  emulator.store.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDI', metadata: { name: 'cdi' }, status: { observedVersion: 'v1.63.1', phase: 'Deployed' } });
  for (let i = 0; i < pvcCount; i++) {
    const o = pvc(i);
    if (i < 100) bytes += JSON.stringify(o).length;
    emulator.store.create(o);
  }
  for (let i = 0; i < snapCount; i++) emulator.store.create(snapshot(i));
  process.send!({ kubeconfig: emulator.kubeconfig({ contextName: 'bench' }), pvcJsonBytes: Math.round(bytes / Math.min(100, pvcCount)) });
  process.on('message', (m) => {
    if (m === 'cpu') {
      const c = process.cpuUsage();
      process.send!({ cpuMs: (c.user + c.system) / 1000 });
    }
  });
  process.on('disconnect', () => void emulator.close().then(() => process.exit(0)));
}

void main();
