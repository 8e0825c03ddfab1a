import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, docs, lint, one, only, pvc, snapshot, storageClass, textAt } from './helpers.js';

test('restore-size-exceeded: a request above restoreSize is a warning at the request, fixed to restoreSize', () => {
  const text = docs(snapshot('snap', '20Mi'), pvc({ size: '21Mi' }));
  const f = one(lint(text), 'restore-size-exceeded');
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), '21Mi');
  assert.equal(f.data?.requestedBytes, '22020096');
  assert.equal(f.data?.restoreSizeBytes, '20971520');
  assert.match(f.message, /21Mi \(22,020,096 bytes\).*20Mi \(20,971,520 bytes\)/);
  const fix = f.fixes?.[0];
  assert.ok(fix?.preferred);
  const fixed = applyFix(text, fix);
  assert.match(fixed, /storage: 20Mi\n/);
  assert.deepEqual(only(lint(fixed), 'restore-size-exceeded'), []);
});

test('restore-size-exceeded: an error on a strict provisioner (named class and default class)', () => {
  const trident = storageClass('nas', 'csi.trident.netapp.io');
  const named = docs(trident, snapshot('snap', '1Gi'), pvc({ size: '2Gi', storageClass: 'nas' }));
  assert.equal(one(lint(named), 'restore-size-exceeded').severity, 'error');
  const viaDefault = docs(
    storageClass('nas', 'csi.trident.netapp.io', '    storageclass.kubernetes.io/is-default-class: "true"\n'),
    snapshot('snap', '1Gi'),
    pvc({ size: '2Gi' }),
  );
  assert.equal(one(lint(viaDefault), 'restore-size-exceeded').severity, 'error');
  // Not in the strict list: a warning again.
  assert.equal(one(lint(named, { strictProvisioners: [] }), 'restore-size-exceeded').severity, 'warning');
});

test('restore-size-exceeded: the fix writes the canonical quantity of restoreSize', () => {
  const text = docs(snapshot('snap', '1024Mi'), pvc({ size: '2Gi' }));
  const fixed = applyFix(text, one(lint(text), 'restore-size-exceeded').fixes![0]!);
  assert.match(fixed, /storage: 1Gi\n/);
});

test('restore-size-too-small: an error with the same fix', () => {
  const text = docs(snapshot('snap', '50Gi'), pvc({ size: '40Gi' }));
  const f = one(lint(text), 'restore-size-too-small');
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), '40Gi');
  const fixed = applyFix(text, f.fixes![0]!);
  assert.deepEqual(lint(fixed).map((x) => x.rule), []);
});

test('equal sizes, and sizes written differently but equal in bytes, give nothing', () => {
  assert.deepEqual(lint(docs(snapshot('snap', '1Gi'), pvc({ size: '1Gi' }))), []);
  assert.deepEqual(lint(docs(snapshot('snap', '1Gi'), pvc({ size: '1073741824' }))), []);
  assert.deepEqual(lint(docs(snapshot('snap', '1Gi'), pvc({ size: '1024Mi' }))), []);
});

test('dataSourceRef counts, with its namespace; dataSource is read first', () => {
  const cross = docs(snapshot('snap', '1Gi', 'other'), pvc({ size: '2Gi', via: 'dataSourceRef', refNamespace: 'other' }));
  assert.equal(one(lint(cross), 'restore-size-exceeded').data?.snapshot, 'other/snap');
  // Without the namespace the ref stays in the PVC's namespace: the snapshot in 'other' is not it.
  const sameNs = docs(snapshot('snap', '1Gi', 'other'), pvc({ size: '2Gi', via: 'dataSourceRef' }));
  assert.equal(one(lint(sameNs), 'snapshot-not-found').data?.snapshot, 'default/snap');
});

test('a snapshot in another file resolves', () => {
  const findings = lint(pvc({ size: '21Mi' }), {}, { 'other.yaml': snapshot('snap', '20Mi') });
  one(findings, 'restore-size-exceeded');
});

test('missing namespaces use the default namespace on both sides', () => {
  const snap = snapshot('snap', '20Mi').replace('  namespace: default\n', '');
  const claim = pvc({ size: '21Mi' }).replace('  namespace: default\n', '');
  one(lint(docs(snap, claim)), 'restore-size-exceeded');
});

test('a dataSource that is not a VolumeSnapshot of snapshot.storage.k8s.io is not a restore', () => {
  const text = docs(snapshot('snap', '1Gi'), pvc({ size: '2Gi' }).replace('apiGroup: snapshot.storage.k8s.io', 'apiGroup: example.com'));
  assert.deepEqual(lint(text), []);
  const clone = pvc({ size: '2Gi' }).replace(/dataSource:\n.*\n.*\n.*\n/, 'dataSource:\n    kind: PersistentVolumeClaim\n    name: src\n');
  assert.deepEqual(lint(clone), []);
});

test('StatefulSet volumeClaimTemplates restoring a snapshot are checked too', () => {
  const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: default
spec:
  serviceName: db
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 30Gi
        dataSource:
          apiGroup: snapshot.storage.k8s.io
          kind: VolumeSnapshot
          name: snap
`;
  const f = one(lint(docs(snapshot('snap', '20Gi'), sts)), 'restore-size-exceeded');
  assert.match(f.message, /StatefulSet db, volumeClaimTemplate data/);
});
