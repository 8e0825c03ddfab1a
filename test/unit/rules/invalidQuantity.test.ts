import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, docs, lint, one, only, pvc, snapshot, textAt } from './helpers.js';

test('invalid-quantity: a PVC request in MB', () => {
  const text = pvc({ size: '20MB' });
  const f = one(lint(text), 'invalid-quantity');
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), '20MB');
  assert.match(f.message, /spec\.resources\.requests\.storage/);
});

test('invalid-quantity: restoreSize, VolumeResize newSize, StorageProfile minimum size, VM dataVolumeTemplates', () => {
  const vr = `apiVersion: storage.maurice.fr/v1alpha1
kind: VolumeResize
metadata:
  name: shrink
spec:
  statefulSetName: db
  volumes:
    - name: data
      newSize: 10 Gi
`;
  const sp = `apiVersion: cdi.kubevirt.io/v1beta1
kind: StorageProfile
metadata:
  name: hd
  annotations:
    cdi.kubevirt.io/minimumSupportedPvcSize: 4GB
`;
  const vm = `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: vm
spec:
  dataVolumeTemplates:
    - metadata:
        name: root
      spec:
        storage:
          resources:
            requests:
              storage: 30gi
`;
  const text = docs(snapshot('snap', '20 Mi'), vr, sp, vm);
  const found = lint(text).filter((f) => f.rule === 'invalid-quantity').map((f) => textAt(text, f));
  assert.deepEqual(found, ['20 Mi', '10 Gi', '4GB', '30gi']);
});

test('valid quantities of every form give nothing', () => {
  for (const size of ['1Gi', '1G', '1073741824', '1.5Gi', '1e9', '500M']) {
    assert.deepEqual(lint(pvc({ size }).replace(/  dataSource:[\s\S]*$/, '')), [], size);
  }
});

test('invalid-quantity: a quick fix for each value the message proposes; the fixed file is clean', () => {
  const text = pvc({ size: '20MB', snap: 'none' });
  const f = one(lint(text), 'invalid-quantity');
  assert.match(f.message, /\(use Mi or M\)/);
  assert.deepEqual(f.fixes?.map((x) => [x.title, x.preferred]), [['Write 20Mi (20,971,520 bytes)', false], ['Write 20M (20,000,000 bytes)', false]]);
  for (const fix of f.fixes!) assert.deepEqual(only(lint(applyFix(text, fix)), 'invalid-quantity'), []);
  // One reading only: preferred.
  const spaced = one(lint(pvc({ size: '"1 Gi"', snap: 'none' })), 'invalid-quantity');
  assert.deepEqual(spaced.fixes?.map((x) => [x.title, x.preferred]), [['Write 1Gi (1,073,741,824 bytes)', true]]);
  assert.deepEqual(one(lint(pvc({ size: '20B', snap: 'none' })), 'invalid-quantity').fixes?.map((x) => x.title), ['Write 20 (20 bytes)']);
  // No obvious reading, no fix.
  assert.deepEqual(one(lint(pvc({ size: 'lots', snap: 'none' })), 'invalid-quantity').fixes, []);
});
