/**
 * snapshot-invalid: what external-snapshotter's v1 VolumeSnapshot CRD refuses, with the API server's idea of a set
 * field (null is not set, "" is) and kubectl's YAML 1.1 reading of plain scalars. The same cases run against a real
 * API server in test/cluster/snapshotValidation.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lint, only, textAt } from './helpers.js';

const head = 'apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata:\n  name: s\n  namespace: vms\n';
const found = (text: string) => only(lint(text), 'snapshot-invalid');
const fields = (text: string) => found(text).map((f) => f.data?.field);

test('snapshot-invalid: exactly one of the claim and the content, by the API server\'s presence (null is unset, "" is set)', () => {
  assert.deepEqual(fields(`${head}spec:\n  source:\n    persistentVolumeClaimName: disk\n`), []);
  assert.deepEqual(fields(`${head}spec:\n  source:\n    volumeSnapshotContentName: c\n`), []);
  assert.deepEqual(fields(`${head}spec:\n  source:\n    persistentVolumeClaimName: null\n    volumeSnapshotContentName: c\n`), []);
  assert.deepEqual(fields(`${head}spec:\n  source:\n    persistentVolumeClaimName: ""\n`), []);
  const both = `${head}spec:\n  source:\n    persistentVolumeClaimName: ""\n    volumeSnapshotContentName: c\n`;
  const f = found(both);
  assert.deepEqual([f.length, f[0]?.severity, textAt(both, f[0]!)], [1, 'error', 'source']);
  assert.match(f[0]!.message, /^VolumeSnapshot s sets both spec\.source\.persistentVolumeClaimName and spec\.source\.volumeSnapshotContentName: exactly one must be set .*; the API server refuses it\.$/);
  assert.match(found(`${head}spec:\n  source:\n    persistentVolumeClaimName:\n`)[0]?.message ?? '', /sets neither .* \(a null value is not set\)/);
  assert.deepEqual(fields(`${head}spec:\n  source: {}\n`), ['spec.source']);
});

test('snapshot-invalid: spec and spec.source required, maps; an empty class name; names that are not strings', () => {
  assert.deepEqual(fields(head), ['spec']);
  assert.deepEqual(fields(`${head}spec:\n`), ['spec']);
  assert.deepEqual(fields(`${head}spec: [a]\n`), ['spec']);
  assert.deepEqual(fields(`${head}spec:\n  volumeSnapshotClassName: x\n`), ['spec.source']);
  assert.deepEqual(fields(`${head}spec:\n  source:\n`), ['spec.source']);
  assert.deepEqual(fields(`${head}spec:\n  source: disk\n`), ['spec.source']);
  const src = '  source:\n    persistentVolumeClaimName: disk\n';
  assert.deepEqual(fields(`${head}spec:\n  volumeSnapshotClassName: ""\n${src}`), ['spec.volumeSnapshotClassName']);
  assert.deepEqual(fields(`${head}spec:\n  volumeSnapshotClassName:\n${src}`), []);
  const off = `${head}spec:\n  source:\n    persistentVolumeClaimName: off\n`;
  assert.deepEqual(fields(off), ['spec.source.persistentVolumeClaimName']);
  assert.match(found(off)[0]!.message, /written off unquoted, which kubectl reads as a boolean \(YAML 1\.1\), not a string: quote it \("off"\)/);
  assert.equal(textAt(off, found(off)[0]!), 'persistentVolumeClaimName');
  assert.deepEqual(fields(`${head}spec:\n  source:\n    persistentVolumeClaimName: "off"\n`), []);
  assert.deepEqual(fields(`${head}spec:\n  source:\n    persistentVolumeClaimName: !!str off\n`), []);
  // 123 is a number in YAML 1.2 too: no YAML 1.1 remark then.
  assert.match(found(`${head}spec:\n  source:\n    persistentVolumeClaimName: 123\n`)[0]?.message ?? '', /has spec\.source\.persistentVolumeClaimName that is a number, not a string; the API server refuses it\.$/);
  assert.deepEqual(fields(`${head}spec:\n  volumeSnapshotClassName: yes\n${src}`), ['spec.volumeSnapshotClassName']);
});

test('snapshot-invalid: v1beta1 is snapshot-api-unserved\'s; a List\'s items are checked', () => {
  const old = lint(head.replace('/v1', '/v1beta1'));
  assert.deepEqual([only(old, 'snapshot-invalid').length, only(old, 'snapshot-api-unserved').length], [0, 1]);
  const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: snapshot.storage.k8s.io/v1\n  kind: VolumeSnapshot\n  metadata:\n    name: a\n  spec:\n    source: {}\n';
  assert.deepEqual(fields(list), ['spec.source']);
});

test('snapshot-invalid: the fixture, one finding per refused snapshot, none on the valid one', () => {
  const text = readFileSync('test/fixtures/snapshots/invalid.yaml', 'utf8');
  const f = found(text);
  assert.deepEqual(f.map((x) => [x.data?.field, textAt(text, x)]), [
    ['spec.source', 'source'],
    ['spec.source', 'source'],
    ['spec.volumeSnapshotClassName', 'volumeSnapshotClassName'],
    ['spec.source.persistentVolumeClaimName', 'persistentVolumeClaimName'],
  ]);
});
