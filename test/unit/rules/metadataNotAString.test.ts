/**
 * metadata-not-a-string: names, namespaces, label and annotation values that kubectl sends as booleans or numbers
 * (YAML 1.1), on any recognised kind; the fix quotes the value. test/cluster/snapshotValidation.test.ts runs such
 * cases against a real API server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lint, only, textAt } from './helpers.js';

const claim = (meta: string) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: restore-1\n${meta}spec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n`;
const found = (text: string) => only(lint(text), 'metadata-not-a-string');

test('metadata-not-a-string: booleans and numbers by YAML 1.1, at the value; strings, quoted values and nulls pass', () => {
  const text = claim('  namespace: off\n  labels:\n    cdi.kubevirt.io/applyStorageProfile: true\n    tier: yes\n    ok: "true"\n    empty:\n  annotations:\n    replicas: 3\n    note: plain words\n');
  const f = found(text);
  assert.deepEqual(f.map((x) => [x.data?.field, textAt(text, x), x.severity]), [
    ['metadata.namespace', 'namespace', 'error'],
    ['metadata.labels.cdi.kubevirt.io/applyStorageProfile', 'true', 'error'],
    ['metadata.labels.tier', 'yes', 'error'],
    ['metadata.annotations.replicas', '3', 'error'],
  ]);
  assert.match(f[1]!.message, /^PersistentVolumeClaim restore-1 has metadata\.labels\.cdi\.kubevirt\.io\/applyStorageProfile that is a boolean, not a string; kubectl cannot decode the object/);
  assert.match(f[2]!.message, /written yes unquoted, which kubectl reads as a boolean \(YAML 1\.1\)/);
  assert.deepEqual(found(claim('  labels:\n    a: "yes"\n    b: !!str on\n    c: null\n    d: \'1\'\n')), []);
});

test('metadata-not-a-string: the fix quotes the value as written, and the fixed manifest has no finding', () => {
  const text = claim('  labels:\n    cdi.kubevirt.io/applyStorageProfile: true\n    tier: yes # comment\n');
  let fixed = text;
  for (;;) {
    const next = found(fixed)[0];
    if (!next) break;
    assert.equal(next.fixes?.[0]?.title.startsWith('Quote the value: '), true);
    fixed = applyFix(fixed, next.fixes![0]!);
  }
  assert.equal(fixed, claim('  labels:\n    cdi.kubevirt.io/applyStorageProfile: "true"\n    tier: "yes" # comment\n'));
});

test('metadata-not-a-string: any recognised kind, and a List\'s items; unrecognised kinds are not read', () => {
  const snap = 'apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata:\n  name: 2024\n  namespace: vms\nspec:\n  source:\n    persistentVolumeClaimName: p\n';
  assert.deepEqual(found(snap).map((f) => f.data?.field), ['metadata.name']);
  const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: storage.k8s.io/v1\n  kind: StorageClass\n  metadata:\n    name: fast\n    annotations: {storageclass.kubernetes.io/is-default-class: true}\n  provisioner: x\n';
  assert.deepEqual(found(list).map((f) => f.data?.field), ['metadata.annotations.storageclass.kubernetes.io/is-default-class']);
  assert.deepEqual(found('apiVersion: example.com/v1\nkind: Frobnicator\nmetadata:\n  name: 1\n'), []);
});
