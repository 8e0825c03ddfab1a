// The examples of issue 9, tried as a user would (manifests in, findings out): each gives the upstream answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docs, lint, one, only, pvc, snapshot, storageClass } from './helpers.js';

const cdi = (version: string, gates?: string) => `apiVersion: cdi.kubevirt.io/v1beta1
kind: CDI
metadata:
  name: cdi
${gates === undefined ? '' : `spec:\n  config:\n    featureGates: [${gates}]\n`}status:
  observedVersion: ${version}
`;
const nas = storageClass('nas', 'csi.trident.netapp.io');
const labelledRestore = (o: { size?: string; storageClass?: string } = {}) =>
  pvc({ labelled: true, via: 'both', accessModes: '[ReadWriteOnce]', volumeMode: 'Filesystem', size: o.size ?? '20Mi', ...(o.storageClass === undefined ? {} : { storageClass: o.storageClass }) });

test('1. CDI v1.63.1 with no CDIConfig in the files: a 20Mi TPM restore renders to 22,229,812 bytes (v1.63 already defaults to 0.06)', () => {
  const f = one(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.1'), labelledRestore({ storageClass: 'nas' }))), 'cdi-restore-inflation');
  assert.equal(f.data?.predictedBytes, '22229812');
  assert.equal(f.data?.overhead, '0.06');
  assert.match(f.message, /overhead 0\.06 from CDI v1\.63\.1 default 0\.06 \(no CDIConfig status found\)/);
});

test('2. no storageClassName, a Kubernetes default and a virt-default class: the API server fills the Kubernetes default before CDI, so its class and overhead apply', () => {
  const k8sDefault = storageClass('ceph', 'csi.trident.netapp.io', '    storageclass.kubernetes.io/is-default-class: "true"\n');
  const virtDefault = storageClass('virt', 'csi.trident.netapp.io', '    storageclass.kubevirt.io/is-default-virt-class: "true"\n');
  const config = `apiVersion: cdi.kubevirt.io/v1beta1
kind: CDIConfig
metadata:
  name: config
status:
  filesystemOverhead:
    global: "0.06"
    storageClass: {ceph: "0.1", virt: "0.2"}
`;
  const f = one(lint(docs(k8sDefault, virtDefault, config, snapshot('snap', '20Mi'), cdi('v1.63.1'), labelledRestore())), 'cdi-restore-inflation');
  assert.deepEqual([f.data?.storageClass, f.data?.overhead, f.data?.predictedBytes], ['ceph', '0.1', String(Math.ceil(20 * 1024 * 1024 * 1.1))]);
  assert.match(f.message, /storage class ceph: the Kubernetes default class, which the API server's DefaultStorageClass admission fills in before CDI's webhook runs, test\.yaml/);
});

test('3. CDI v1.62 with a StorageProfile minimum of 4Gi: a 10Mi PVC is not raised (v1.62 has no minimum)', () => {
  const profile = `apiVersion: cdi.kubevirt.io/v1beta1
kind: StorageProfile
metadata:
  name: nas
  annotations:
    cdi.kubevirt.io/minimumSupportedPvcSize: 4Gi
status:
  claimPropertySets: [{accessModes: [ReadWriteOnce], volumeMode: Filesystem}]
`;
  const f = one(lint(docs(nas, profile, snapshot('snap', '10Mi'), cdi('v1.62.0'), labelledRestore({ size: '10Mi', storageClass: 'nas' }))), 'cdi-restore-inflation');
  assert.equal(f.data?.predictedBytes, '11096043', 'ceil(10Mi / 0.945), not 4Gi');
  assert.match(f.message, /minimumSupportedPvcSize 4Gi \(test\.yaml\), which CDI v1\.62\.0 ignores/);
  const v163 = one(lint(docs(nas, profile, snapshot('snap', '10Mi'), cdi('v1.63.0'), labelledRestore({ size: '10Mi', storageClass: 'nas' }))), 'cdi-restore-inflation');
  assert.equal(v163.data?.predictedBytes, String(4n * 1024n ** 3n), 'from v1.63.0 the minimum applies');
});

test('4. CDI <= v1.65 without the WebhookPvcRendering gate: no PVC webhook, so no inflation finding', () => {
  for (const version of ['v1.62.0', 'v1.63.1', 'v1.65.0']) {
    assert.deepEqual(only(lint(docs(nas, snapshot('snap', '20Mi'), cdi(version, 'HonorWaitForFirstConsumer'), labelledRestore({ storageClass: 'nas' }))), 'cdi-restore-inflation'), [], version);
  }
});

test("5. VirtualMachineRestore with volumeRestorePolicy PrefixTargetName and a long target: KubeVirt's name (63 characters with a hash)", () => {
  const target = 'a-very-long-virtual-machine-name-for-the-production-database-cluster';
  const vmSnapshot = `apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineSnapshot
metadata: {name: snap, namespace: default}
spec: {source: {apiGroup: kubevirt.io, kind: VirtualMachine, name: vm}}
status: {readyToUse: true, virtualMachineSnapshotContentName: content}
`;
  const content = `apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineSnapshotContent
metadata: {name: content, namespace: default}
spec:
  virtualMachineSnapshotName: snap
  volumeBackups:
    - volumeName: rootdisk
      volumeSnapshotName: vs-root
      persistentVolumeClaim:
        metadata:
          name: vm-rootdisk
          labels: {cdi.kubevirt.io/applyStorageProfile: "true"}
        spec: {accessModes: [ReadWriteOnce], volumeMode: Filesystem, storageClassName: nas, resources: {requests: {storage: 10Mi}}}
`;
  const restore = `apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineRestore
metadata: {name: r, namespace: default}
spec:
  target: {apiGroup: kubevirt.io, kind: VirtualMachine, name: ${target}}
  virtualMachineSnapshotName: snap
  volumeRestorePolicy: PrefixTargetName
`;
  const f = one(lint(docs(nas, cdi('v1.63.1'), vmSnapshot, content, snapshot('vs-root', '10Mi'), restore)), 'vm-restore-inflation');
  assert.equal(f.data?.restorePvc, 'a-very-long-virtual-machine-name-for-the-prod-5898890f-rootdisk');
  assert.equal(f.data?.restorePvc?.length, 63);
});

test('6. a labelled restore PVC asking less than restoreSize: CDI inflates it first, so not restore-size-too-small (v1.63); from v1.64 it is', () => {
  const small = labelledRestore({ size: '19Mi', storageClass: 'nas' });
  const v163 = lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.1'), small));
  assert.deepEqual(only(v163, 'restore-size-too-small'), []);
  // ceil(19Mi × 1.06) = 21,118,321 bytes: above restoreSize, which is the inflation finding.
  assert.equal(one(v163, 'cdi-restore-inflation').data?.predictedBytes, '21118321');
  const v164 = one(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.64.0'), small)), 'restore-size-too-small');
  assert.equal(v164.data?.storedBytes, String(19 * 1024 * 1024));
  // A request CDI inflates but still leaves below restoreSize is judged on the stored figure.
  const tiny = one(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.1'), labelledRestore({ size: '10Mi', storageClass: 'nas' }))), 'restore-size-too-small');
  assert.equal(tiny.data?.storedBytes, '11114906');
  assert.match(tiny.message, /which the API server will store as 11,114,906 bytes, less than/);
});
