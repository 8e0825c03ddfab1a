/**
 * The VolumeSnapshotContent rules over the fixtures in test/fixtures/snapshotContents: what the CRD refuses
 * (snapshot-content-invalid), pairs the snapshot controller never binds (snapshot-content-unbound), and contents
 * no CSI snapshotter sidecar takes (snapshot-content-driver-mismatch).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { docs, lint, only, textAt } from './helpers.js';

const invalid = readFileSync('test/fixtures/snapshotContents/invalid.yaml', 'utf8');
const prePro = readFileSync('test/fixtures/snapshotContents/pre-provisioned.yaml', 'utf8');

/** `name field` of each finding of `rule`: the object (by the document it is in) and the field it names. */
function where(text: string, rule: string): string[] {
  const names = text.split(/^---$/m).map((d) => /^ {2}name: (.+)$/m.exec(d)?.[1]);
  const starts: number[] = [];
  let line = 0;
  for (const d of text.split(/^---$/m)) {
    starts.push(line);
    line += d.split('\n').length - 1;
  }
  return only(lint(text), rule).map((f) => {
    let doc = 0;
    while (doc + 1 < starts.length && starts[doc + 1]! <= f.range.start.line) doc++;
    return `${names[doc]} ${f.data?.field ?? ''}`.trim();
  });
}

test('snapshot-content-invalid: each CRD rule once, on the field, and nothing on a valid content', () => {
  assert.deepEqual(where(invalid, 'snapshot-content-invalid'), [
    'no-policy spec.deletionPolicy',
    'bad-policy spec.deletionPolicy',
    'both-handles spec.source',
    'no-handle spec.source',
    'ref-without-namespace spec.volumeSnapshotRef',
    'quantity-restore-size status.restoreSize',
  ]);
  const findings = only(lint(invalid), 'snapshot-content-invalid');
  // A status the API server drops on create is a warning; the rest it refuses.
  assert.deepEqual(findings.map((f) => f.severity), ['error', 'error', 'error', 'error', 'error', 'warning']);
  assert.deepEqual(findings.map((f) => textAt(invalid, f)), ['spec', 'deletionPolicy', 'source', 'source', 'volumeSnapshotRef', 'restoreSize']);
  assert.match(findings[5]!.message, /status\.restoreSize "10Gi": on a VolumeSnapshotContent it is an integer count of bytes/);
});

test('snapshot-content-invalid: a missing spec, driver or ref; a quoted byte count; v1beta1 is left to snapshot-api-unserved', () => {
  const base = 'apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotContent\nmetadata:\n  name: c\n';
  const msgs = (text: string) => only(lint(text), 'snapshot-content-invalid').map((f) => f.message);
  assert.deepEqual(msgs(base), ['VolumeSnapshotContent c has no spec (required); the API server refuses it.']);
  assert.deepEqual(msgs(`${base}spec:\n  deletionPolicy: Delete\n`), [
    'VolumeSnapshotContent c has no spec.driver (required); the API server refuses it.',
    'VolumeSnapshotContent c has no spec.source (required); the API server refuses it.',
    'VolumeSnapshotContent c has no spec.volumeSnapshotRef (required); the API server refuses it.',
  ]);
  const ok = `${base}spec:\n  deletionPolicy: Delete\n  driver: d\n  source:\n    snapshotHandle: h\n  volumeSnapshotRef:\n    name: s\n    namespace: ns\n`;
  assert.deepEqual(msgs(ok), []);
  assert.deepEqual(msgs(`${ok}status:\n  restoreSize: 1073741824\n`), []);
  assert.equal(msgs(`${ok}status:\n  restoreSize: "1073741824"\n`).length, 1);
  assert.equal(msgs(`${ok}status:\n  restoreSize: -1\n`).length, 1);
  assert.deepEqual(msgs(ok.replace('  volumeSnapshotRef:\n    name: s\n', '  volumeSnapshotRef:\n')), [
    'VolumeSnapshotContent c has no spec.volumeSnapshotRef.name: both name and namespace of the VolumeSnapshot must be set; the API server refuses it.',
  ]);
  const old = lint(base.replace('/v1', '/v1beta1'));
  assert.deepEqual([only(old, 'snapshot-content-invalid').length, only(old, 'snapshot-api-unserved').length], [0, 1]);
});

test('snapshot-content-unbound: a snapshot naming a content for another snapshot, a content whose snapshot names another', () => {
  const found = only(lint(prePro), 'snapshot-content-unbound');
  assert.deepEqual(found.map((f) => [f.data?.snapshot, f.data?.content, textAt(prePro, f)]), [
    ['vms/misbound', 'misbound-content', 'misbound-content'],
    ['vms/imported', 'orphan-content', 'volumeSnapshotRef'],
  ]);
  assert.match(found[0]!.message, /its spec\.volumeSnapshotRef names VolumeSnapshot default\/misbound, not vms\/misbound/);
  assert.match(found[1]!.message, /but that snapshot does not name it: its spec\.source\.volumeSnapshotContentName is imported-content/);
});

const snapshotNaming = (content: string, extra = '') =>
  `apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata:\n  name: s\n  namespace: vms\n${extra}spec:\n  source:\n    volumeSnapshotContentName: ${content}\n`;
const contentFor = (o: { name?: string; snap?: string; ns?: string; handle?: string; uid?: string; cls?: string; driver?: string } = {}) =>
  `apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotContent\nmetadata:\n  name: ${o.name ?? 'c'}\nspec:\n  deletionPolicy: Retain\n  driver: ${o.driver ?? 'pd.csi.storage.gke.io'}\n` +
  `${o.cls ? `  volumeSnapshotClassName: ${o.cls}\n` : ''}  source:\n    ${o.handle ?? 'snapshotHandle'}: h\n  volumeSnapshotRef:\n    name: ${o.snap ?? 's'}\n    namespace: ${o.ns ?? 'vms'}\n${o.uid ? `    uid: ${o.uid}\n` : ''}`;

test('snapshot-content-unbound: what binds says nothing; a dynamic content, a uid of another snapshot, an unknown snapshot', () => {
  const unbound = (...parts: string[]) => only(lint(docs(...parts)), 'snapshot-content-unbound').map((f) => String(f.data?.snapshot) + ' ' + f.message.split(': ')[1]!.split('.')[0]);
  assert.deepEqual(unbound(snapshotNaming('c'), contentFor()), []);
  assert.deepEqual(unbound(snapshotNaming('c', '  uid: u-1\n'), contentFor({ uid: 'u-1' })), []);
  const uid = only(lint(docs(snapshotNaming('c', '  uid: u-1\n'), contentFor({ uid: 'u-2' }))), 'snapshot-content-unbound');
  assert.deepEqual(uid.map((f) => f.message.match(/its spec\.volumeSnapshotRef\.uid u-2 is not the snapshot's \(u-1\)/)?.[0]), ["its spec.volumeSnapshotRef.uid u-2 is not the snapshot's (u-1)"]);
  assert.deepEqual(unbound(snapshotNaming('c'), contentFor({ handle: 'volumeHandle' })), ['vms/s it has no spec']);
  // The snapshot or the content not among the facts: nothing to compare.
  assert.deepEqual(unbound(snapshotNaming('c')), []);
  assert.deepEqual(unbound(contentFor()), []);
  // A dynamic snapshot named by a pre-provisioned content: it binds only the content it creates.
  const dynamic = 'apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata:\n  name: s\n  namespace: vms\nspec:\n  source:\n    persistentVolumeClaimName: disk\n';
  const [f] = only(lint(docs(dynamic, contentFor())), 'snapshot-content-unbound');
  assert.match(f!.message, /it is taken from PVC disk \(spec\.source\.persistentVolumeClaimName\), and binds only the content it creates/);
  // A dynamically provisioned content is the controller's own: not judged from its side.
  assert.deepEqual(unbound(dynamic, contentFor({ handle: 'volumeHandle' })), []);
});

const classOf = (name: string, driver: string) => `apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata:\n  name: ${name}\ndriver: ${driver}\ndeletionPolicy: Delete\n`;

test("snapshot-content-driver-mismatch: the content's class, or the class binding takes from its snapshot", () => {
  const [f] = only(lint(prePro), 'snapshot-content-driver-mismatch');
  assert.equal(textAt(prePro, f!), 'rbd.csi.ceph.com');
  assert.match(f!.message, /its VolumeSnapshotClass pd-snapshots \(in test\.yaml\) \(the class of VolumeSnapshot vms\/ceph-import, which binding sets on the content\) has driver pd\.csi\.storage\.gke\.io/);
  const mismatch = (...parts: string[]) => only(lint(docs(...parts)), 'snapshot-content-driver-mismatch').map((x) => x.data?.snapshotClass);
  const rbd = classOf('rbd', 'rbd.csi.ceph.com');
  const pd = classOf('pd', 'pd.csi.storage.gke.io');
  assert.deepEqual(mismatch(rbd, contentFor({ cls: 'rbd' })), ['rbd']);
  assert.deepEqual(mismatch(pd, contentFor({ cls: 'pd' })), []);
  // Unknown class: nothing to compare.
  assert.deepEqual(mismatch(contentFor({ cls: 'rbd' })), []);
  // Not bound yet (no ref uid): the snapshot's class replaces the content's (checkandBindSnapshotContent).
  assert.deepEqual(mismatch(rbd, pd, snapshotNaming('c', '').replace('spec:\n', 'spec:\n  volumeSnapshotClassName: pd\n'), contentFor({ cls: 'rbd' })), []);
  // Bound (a uid) with a class of its own: the content keeps it.
  assert.deepEqual(mismatch(rbd, pd, snapshotNaming('c', '').replace('spec:\n', 'spec:\n  volumeSnapshotClassName: pd\n'), contentFor({ cls: 'rbd', uid: 'u-1' })), ['rbd']);
});
