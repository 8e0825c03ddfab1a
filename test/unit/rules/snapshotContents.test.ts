/**
 * VolumeSnapshotContents as facts: the restoreSize the CSI snapshot controller copies from a content to its
 * snapshot (external-snapshotter v8.6.0 `updateSnapshotStatus`, reached from `syncUnreadySnapshot`), and the source
 * volume mode CDI's snapshot clone reads (`GetSnapshotSourceVolumeMode`, CDI v1.66.0: the bound content's
 * spec.sourceVolumeMode, then the snapshot's annotation, then the target's mode). Tables after the upstream cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factFromObject } from '../../../core/kinds/index.js';
import { parseYamlFile } from '../../../core/yaml/documents.js';
import { resourcesOf } from '../../../core/resources.js';
import { contentRestoreSize, snapshotSourceVolumeMode } from '../../../core/snapshotContents.js';
import { defaultSettings } from '../../../core/types.js';
import { Workspace } from '../../../core/workspace.js';
import { workspaceFacts } from '../../../core/workspaceFacts.js';
import { docs, lint, one, only, pvc, storageClass } from './helpers.js';

interface SnapOpts {
  name?: string;
  ns?: string;
  /** A pre-provisioned snapshot's content, else a dynamic one from PVC src. */
  content?: string;
  bound?: string;
  uid?: string;
  ready?: boolean;
  restoreSize?: string;
  annotation?: string;
}

const snap = (o: SnapOpts = {}) => {
  const status = [
    o.bound !== undefined ? `  boundVolumeSnapshotContentName: ${o.bound}\n` : '',
    o.ready !== undefined ? `  readyToUse: ${o.ready}\n` : '',
    o.restoreSize !== undefined ? `  restoreSize: ${o.restoreSize}\n` : '',
  ].join('');
  return `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: ${o.name ?? 'snap'}
  namespace: ${o.ns ?? 'default'}
${o.uid ? `  uid: ${o.uid}\n` : ''}${o.annotation ? `  annotations:\n    cdi.kubevirt.io/storage.import.sourceVolumeMode: ${o.annotation}\n` : ''}spec:
  source:
${o.content ? `    volumeSnapshotContentName: ${o.content}\n` : '    persistentVolumeClaimName: src\n'}${status ? `status:\n${status}` : ''}`;
};

interface ContentOpts {
  name?: string;
  refName?: string;
  refNs?: string;
  refUid?: string;
  handle?: 'snapshotHandle' | 'volumeHandle';
  mode?: string;
  restoreSize?: string;
}

const content = (o: ContentOpts = {}) => `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotContent
metadata:
  name: ${o.name ?? 'snap-content'}
spec:
  deletionPolicy: Retain
  driver: csi.example.com
${o.mode ? `  sourceVolumeMode: ${o.mode}\n` : ''}  source:
    ${o.handle ?? 'snapshotHandle'}: handle-1
  volumeSnapshotRef:
    name: ${o.refName ?? 'snap'}
    namespace: ${o.refNs ?? 'default'}
${o.refUid ? `    uid: ${o.refUid}\n` : ''}${o.restoreSize !== undefined ? `status:\n  restoreSize: ${o.restoreSize}\n` : ''}`;

function facts(text: string) {
  const resources = parseYamlFile('t.yaml', text).docs.flatMap((d) => resourcesOf('t.yaml', d));
  return workspaceFacts(resources, 'default');
}

/** The restoreSize `snap` will have, by the content's, as the controller copies it (undefined: none copied). */
function copied(snapText: string, contentText: string): string | undefined {
  const f = facts(docs(snapText, contentText));
  const s = f.volumeSnapshot('default', 'snap')!;
  const c = contentRestoreSize(s, f);
  return c && `${c.text}=${c.bytes}@${c.content}`;
}

test('reader: a VolumeSnapshotContent from YAML and from JSON; restoreSize is int64 bytes, a quantity is left out', () => {
  const f = facts(content({ restoreSize: '21474836480', mode: 'Block' }));
  assert.deepEqual(f.volumeSnapshotContent?.('snap-content'), {
    name: 'snap-content',
    driver: 'csi.example.com',
    deletionPolicy: 'Retain',
    snapshotHandle: 'handle-1',
    sourceVolumeMode: 'Block',
    snapshotRef: { name: 'snap', namespace: 'default' },
    restoreSizeBytes: 21474836480n,
    source: { kind: 'workspace', file: 't.yaml' },
  });
  const live = factFromObject(
    'VolumeSnapshotContent',
    { metadata: { name: 'c' }, spec: { driver: 'd', source: { volumeHandle: 'v' }, volumeSnapshotRef: { name: 's', namespace: 'n', uid: 'u-1' } }, status: { readyToUse: false, restoreSize: 1073741824 } },
    { kind: 'cluster' },
  );
  assert.deepEqual(live, { name: 'c', driver: 'd', volumeHandle: 'v', snapshotRef: { name: 's', namespace: 'n', uid: 'u-1' }, restoreSizeBytes: 1073741824n, readyToUse: false, source: { kind: 'cluster' } });
  assert.equal(facts(content({ restoreSize: '10Gi' })).volumeSnapshotContent?.('snap-content')?.restoreSizeBytes, undefined);
  // The snapshot's side of the binding.
  const s = facts(snap({ content: 'c1', bound: 'c1', uid: 'u-9' })).volumeSnapshot('default', 'snap');
  assert.deepEqual([s?.contentName, s?.boundContentName, s?.uid], ['c1', 'c1', 'u-9']);
});

test('restoreSize copied from the content (updateSnapshotStatus): only while the snapshot is not ready and bound, only from a content that binds', () => {
  const pre = { content: 'snap-content' };
  const rows: [string, string, string, string | undefined][] = [
    // [case, snapshot, content, copied]
    ['pre-provisioned, no status', snap(pre), content({ restoreSize: '21474836480' }), '20Gi=21474836480@snap-content'],
    ['BinarySI text of an odd size', snap(pre), content({ restoreSize: '10737418241' }), '10737418241=10737418241@snap-content'],
    ['snapshot 0, content more', snap({ ...pre, restoreSize: '0', ready: false }), content({ restoreSize: '1073741824' }), '1Gi=1073741824@snap-content'],
    ['snapshot 0, content 0', snap({ ...pre, restoreSize: '0', ready: false }), content({ restoreSize: '0' }), undefined],
    ['no status, content 0: the snapshot gets 0, no size', snap(pre), content({ restoreSize: '0' }), undefined],
    ['the snapshot has its own', snap({ ...pre, restoreSize: '5Gi', ready: false }), content({ restoreSize: '21474836480' }), undefined],
    ['ready and bound: syncReadySnapshot copies nothing', snap({ ...pre, bound: 'snap-content', ready: true }), content({ restoreSize: '21474836480' }), undefined],
    ['ready, not bound yet', snap({ ...pre, ready: true }), content({ restoreSize: '21474836480' }), '20Gi=21474836480@snap-content'],
    ['content reports none', snap(pre), content(), undefined],
    ['content for another snapshot', snap(pre), content({ refName: 'other', restoreSize: '21474836480' }), undefined],
    ['content in another namespace', snap(pre), content({ refNs: 'vms', restoreSize: '21474836480' }), undefined],
    ['content bound to another uid', snap({ ...pre, uid: 'u-1' }), content({ refUid: 'u-2', restoreSize: '21474836480' }), undefined],
    ['content with the same uid', snap({ ...pre, uid: 'u-1' }), content({ refUid: 'u-1', restoreSize: '21474836480' }), '20Gi=21474836480@snap-content'],
    ['pre-provisioned snapshot, dynamic content', snap(pre), content({ handle: 'volumeHandle', restoreSize: '21474836480' }), undefined],
    ['dynamic snapshot, bound name', snap({ bound: 'snap-content', ready: false }), content({ handle: 'volumeHandle', restoreSize: '21474836480' }), '20Gi=21474836480@snap-content'],
    ['dynamic snapshot, by uid', snap({ uid: 'u-1' }), content({ name: 'snapcontent-u-1', handle: 'volumeHandle', refUid: 'u-1', restoreSize: '21474836480' }), '20Gi=21474836480@snapcontent-u-1'],
    ['dynamic snapshot, a pre-provisioned content', snap({ bound: 'snap-content', ready: false }), content({ restoreSize: '21474836480' }), undefined],
    ['dynamic snapshot, no name known', snap(), content({ handle: 'volumeHandle', restoreSize: '21474836480' }), undefined],
  ];
  for (const [name, s, c, want] of rows) assert.equal(copied(s, c), want, name);
});

test("restore-size rules use the content's restoreSize where the snapshot reports none, and say so", () => {
  const pre = snap({ content: 'snap-content' });
  const c = content({ restoreSize: '21474836480' });
  const small = one(lint(docs(pre, c, pvc({ size: '10Gi' }))), 'restore-size-too-small');
  assert.match(small.message, /less than VolumeSnapshot default\/snap's restoreSize 20Gi \(21,474,836,480 bytes\) \(from VolumeSnapshotContent snap-content's status\.restoreSize, which the snapshot controller copies to the snapshot, as it reports none yet\)/);
  assert.equal(small.data?.restoreSizeFrom, 'VolumeSnapshotContent/snap-content');
  assert.match(small.fixes![0]!.title, /\(20Gi\)/);
  const big = one(lint(docs(pre, c, pvc({ size: '30Gi' }))), 'restore-size-exceeded');
  assert.match(big.message, /more than VolumeSnapshot default\/snap's restoreSize 20Gi .*from VolumeSnapshotContent snap-content's status\.restoreSize/);
  // snapshot-not-ready still says the snapshot has none, and that the check uses the content's.
  const waiting = one(lint(docs(pre, c, pvc({ size: '20Gi' }))), 'snapshot-not-ready');
  assert.match(waiting.message, /has no status\.restoreSize yet; its VolumeSnapshotContent snap-content reports restoreSize 21,474,836,480 bytes \(20Gi\), which the snapshot controller copies/);
  assert.deepEqual(only(lint(docs(pre, c, pvc({ size: '20Gi' }))), 'restore-size-too-small'), []);
  // The content in another file, and on its own the snapshot still "cannot be checked".
  assert.equal(one(lint(docs(pre, pvc({ size: '10Gi' })), {}, { 'content.yaml': c }), 'restore-size-too-small').data?.restoreSizeFrom, 'VolumeSnapshotContent/snap-content');
  assert.match(one(lint(docs(pre, pvc({ size: '10Gi' }))), 'snapshot-not-ready').message, /cannot be checked until it does/);
  assert.deepEqual(only(lint(docs(pre, pvc({ size: '10Gi' }))), 'restore-size-too-small'), []);
});

const dv = (o: { size?: string; mode?: string } = {}) => `apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata:
  name: root
  namespace: default
spec:
  source:
    snapshot:
      name: snap
  storage:
    storageClassName: fixed
${o.mode ? `    volumeMode: ${o.mode}\n` : ''}    accessModes: [ReadWriteOnce]
${o.size === undefined ? '' : `    resources:\n      requests:\n        storage: ${o.size}\n`}`;

test("datavolume-restore-too-small sizes from the content's restoreSize too", () => {
  const f = one(lint(docs(snap({ content: 'snap-content' }), content({ restoreSize: '32212254720' }), dv({ size: '20Gi' }))), 'datavolume-restore-too-small');
  assert.match(f.message, /less than VolumeSnapshot default\/snap's restoreSize 30Gi \(32,212,254,720 bytes\) \(from VolumeSnapshotContent snap-content's status\.restoreSize/);
  assert.equal(f.data?.restoreSizeFrom, 'VolumeSnapshotContent/snap-content');
});

const srcPvc = (mode?: string) =>
  `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: src\n  namespace: default\nspec:\n${mode ? `  volumeMode: ${mode}\n` : ''}  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 20Gi\n`;

test('source volume mode (GetSnapshotSourceVolumeMode@v1.66.0): the bound content first, then the annotation, then the target; the source PVC only predicts an unknown content', () => {
  const bound = { bound: 'snap-content', ready: true, restoreSize: '20Gi' };
  const dyn = (o: ContentOpts = {}) => content({ handle: 'volumeHandle', ...o });
  const rows: [string, string[], string][] = [
    ['content Block beats annotation Filesystem', [snap({ ...bound, annotation: 'Filesystem' }), dyn({ mode: 'Block' })], 'content:Block'],
    ['content Filesystem beats annotation Block', [snap({ ...bound, annotation: 'Block' }), dyn({ mode: 'Filesystem' })], 'content:Filesystem'],
    ['content without a mode: the annotation', [snap({ ...bound, annotation: 'Block' }), dyn()], 'annotation:Block'],
    ['content without a mode, no annotation: the target (the source PVC is not read)', [snap(bound), dyn(), srcPvc('Block')], 'target'],
    ['no content known: the source PVC (what the controller copies to the content)', [snap(bound), srcPvc('Block')], 'source-pvc:Block'],
    ['no content known, a PVC without volumeMode is Filesystem', [snap({ ...bound, annotation: 'Block' }), srcPvc()], 'source-pvc:Filesystem'],
    ['no content, no PVC: the annotation', [snap({ ...bound, annotation: 'Block' })], 'annotation:Block'],
    ['nothing known: the target', [snap(bound)], 'target'],
    ['a content for another snapshot is not the bound one', [snap({ ...bound, annotation: 'Filesystem' }), dyn({ mode: 'Block', refName: 'other' })], 'annotation:Filesystem'],
    ['pre-provisioned: the content it will be bound to', [snap({ content: 'snap-content', annotation: 'Filesystem' }), content({ mode: 'Block' })], 'content:Block'],
  ];
  for (const [name, parts, want] of rows) {
    const f = facts(docs(...parts));
    const m = snapshotSourceVolumeMode(f.volumeSnapshot('default', 'snap')!, f, 'default');
    assert.equal(m.from === 'target' ? 'target' : `${m.from}:${m.mode}`, want, name);
  }
});

test('datavolume-restore-expansion on CDI v1.66.0: removing the size still inflates only when the bound content (first) says Block', () => {
  const fixed = storageClass('fixed', 'csi.example.com');
  const bound = { bound: 'snap-content', ready: true, restoreSize: '20Gi' };
  const dyn = (mode?: string) => content({ handle: 'volumeHandle', ...(mode ? { mode } : {}) });
  const run = (...parts: string[]) => one(lint(docs(fixed, ...parts, dv({ size: '20Gi' })), { cdiVersion: 'v1.66.0' }), 'datavolume-restore-expansion');
  const block = run(snap({ ...bound, annotation: 'Filesystem' }), dyn('Block'));
  assert.match(block.message, /Removing the size does not avoid it: the snapshot's source was Block \(its VolumeSnapshotContent snap-content has spec\.sourceVolumeMode: Block\)/);
  assert.deepEqual(block.fixes, []);
  // The content says Filesystem: the annotation's Block does not count, and removing the size is the fix.
  const fs = run(snap({ ...bound, annotation: 'Block' }), dyn('Filesystem'));
  assert.match(fs.message, /Remove the size \(CDI then restores at restoreSize, without overhead\)/);
  assert.equal(fs.fixes?.[0]?.preferred, true);
  // A content without sourceVolumeMode falls back to the annotation.
  assert.match(run(snap({ ...bound, annotation: 'Block' }), dyn()).message, /its cdi\.kubevirt\.io\/storage\.import\.sourceVolumeMode annotation says Block/);
  // Known content without a mode and a Block source PVC: CDI never reads the PVC, it assumes the target's mode.
  assert.equal(run(snap(bound), dyn(), srcPvc('Block')).fixes?.[0]?.preferred, true);
  // A Block target is never inflated.
  assert.deepEqual(only(lint(docs(fixed, snap({ ...bound }), dyn('Block'), dv({ size: '20Gi', mode: 'Block' })), { cdiVersion: 'v1.66.0' }), 'datavolume-restore-expansion'), []);
});

test('an edit of the content re-runs the restore that read it (the content is a fact by name, in its own file)', () => {
  const ws = new Workspace();
  const options = { settings: defaultSettings };
  const rulesOf = () => ws.analyzeFile('pvc.yaml', options).map((f) => f.rule).sort();
  ws.setFile('pvc.yaml', docs(snap({ content: 'snap-content' }), pvc({ size: '10Gi' })));
  assert.deepEqual(rulesOf(), ['snapshot-not-ready']);
  ws.setFile('content.yaml', content({ restoreSize: '21474836480' }));
  assert.deepEqual(rulesOf(), ['restore-size-too-small', 'snapshot-not-ready']);
  ws.setFile('content.yaml', content({ restoreSize: '10737418240' }));
  assert.deepEqual(rulesOf(), ['snapshot-not-ready']);
  ws.setFile('content.yaml', content({ restoreSize: '21474836480', refNs: 'vms' }));
  assert.deepEqual(rulesOf(), ['snapshot-content-unbound', 'snapshot-not-ready']);
});
