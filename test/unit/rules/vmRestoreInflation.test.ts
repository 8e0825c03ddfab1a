import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictRestorePvc } from '../../../core/kubevirt/restorePvc.js';
import { docs, lint, one, only, snapshot, storageClass, textAt } from './helpers.js';
import { content, vmRestore, vmSnapshot } from './vmRestoreFixtures.js';

const restore = vmRestore();
const cdi = 'apiVersion: cdi.kubevirt.io/v1beta1\nkind: CDI\nmetadata:\n  name: cdi\nstatus:\n  observedVersion: v1.63.0\n';
const nas = storageClass('nas', 'csi.trident.netapp.io');

test('vm-restore-inflation: the labelled TPM volume of a VM snapshot is flagged at the snapshot name, with exact bytes', () => {
  const text = docs(nas, cdi, vmSnapshot(), content(true), snapshot('vs-tpm', '10Mi'), restore);
  const f = one(lint(text), 'vm-restore-inflation');
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), 'snap');
  assert.equal(f.data?.predictedBytes, '11114906', 'v1.63.0 multiplies by its default 1.06');
  assert.equal(f.data?.restoreSizeBytes, '10485760');
  assert.equal(f.data?.volume, 'tpm');
});

test('vm-restore-inflation: nothing without the label, in Block mode, on CDI v1.64, or when the chain is incomplete', () => {
  assert.deepEqual(only(lint(docs(nas, cdi, vmSnapshot(), content(false), snapshot('vs-tpm', '10Mi'), restore)), 'vm-restore-inflation'), []);
  assert.deepEqual(only(lint(docs(nas, cdi, vmSnapshot(), content(true, '10Mi', 'Block'), snapshot('vs-tpm', '10Mi'), restore)), 'vm-restore-inflation'), []);
  const v164 = cdi.replace('v1.63.0', 'v1.64.0');
  assert.deepEqual(only(lint(docs(nas, v164, vmSnapshot(), content(true), snapshot('vs-tpm', '10Mi'), restore)), 'vm-restore-inflation'), []);
  assert.deepEqual(only(lint(docs(nas, cdi, vmSnapshot('other'), content(true), snapshot('vs-tpm', '10Mi'), restore)), 'vm-restore-inflation'), []);
});

test('vm-restore-inflation: a source PVC larger than restoreSize is flagged even without CDI', () => {
  const f = one(lint(docs(nas, cdi, vmSnapshot(), content(false, '12Mi'), snapshot('vs-tpm', '10Mi'), restore)), 'vm-restore-inflation');
  assert.equal(f.data?.predictedBytes, String(12 * 1024 * 1024));
  assert.match(f.message, /snapshotted PVC's request/);
});

test('predictRestorePvc: labels copied but persistent-state-for, controller annotations dropped, size raised to restoreSize', () => {
  const pvc = predictRestorePvc(
    {
      volumeName: 'tpm',
      pvcName: 'persistent-state-for-vm-abcde',
      labels: { 'persistent-state-for': 'vm', 'cdi.kubevirt.io/applyStorageProfile': 'true', app: 'x' },
      annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'cdi.kubevirt.io/storage.contentType': 'kubevirt', 'cdi.kubevirt.io/other': 'x', keep: 'me' },
      requestBytes: 1000n,
      requestText: '1000',
      volumeSnapshotName: 'vs',
    },
    { namespace: 'ns', name: 'vs', restoreSizeBytes: 10485760n, restoreSizeText: '10Mi', source: { kind: 'default', reason: 'test' } },
    { restoreName: 'r', namespace: 'ns', sourceVmName: 'vm', overrides: [] },
  );
  assert.deepEqual(pvc.input.labels, {
    'cdi.kubevirt.io/applyStorageProfile': 'true',
    app: 'x',
    'restore.kubevirt.io/source-vm-name': 'vm',
    'restore.kubevirt.io/source-vm-namespace': 'ns',
  });
  assert.deepEqual(pvc.input.annotations, { 'cdi.kubevirt.io/storage.contentType': 'kubevirt', keep: 'me', 'restore.kubevirt.io/name': 'r', 'restore.kubevirt.io/lastRestoreUID': 'r-<uid>' });
  assert.equal(pvc.name, 'restore-<uid>-tpm', 'RandomizeNames (the default) before the restore has a uid');
  assert.equal(pvc.requestBytes, 10485760n);
  assert.equal(pvc.raisedToRestoreSize, true);
  assert.equal(pvc.input.dataSource?.name, 'vs');
  assert.equal(pvc.input.dataSourceRef?.kind, 'VolumeSnapshot');
});
