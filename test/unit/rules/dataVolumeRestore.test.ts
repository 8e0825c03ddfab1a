/**
 * DataVolume and VM dataVolumeTemplate restores of a VolumeSnapshot: CDI's snapshot clone (c07cdb6) refuses a
 * request below restoreSize (validateSnapshotClone) and falls back to a host-assisted copy when a larger target
 * cannot be expanded (ValidateSnapshotCloneSize). Cases after CDI's own table of sizes: equal, smaller, larger,
 * no size (detectCloneSize takes restoreSize), `spec.storage` (rendered, overhead added) and `spec.pvc` (verbatim).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, docs, lint, one, only, snapshot, storageClass, textAt } from './helpers.js';

const dv = (o: { field?: 'storage' | 'pvc'; size?: string; snap?: string; ns?: string; snapNs?: string; sc?: string; mode?: string } = {}) => `apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata:
  name: root
  namespace: ${o.ns ?? 'default'}
spec:
  source:
    snapshot:
      name: ${o.snap ?? 'snap'}
${o.snapNs ? `      namespace: ${o.snapNs}\n` : ''}  ${o.field ?? 'storage'}:
${o.sc ? `    storageClassName: ${o.sc}\n` : ''}${o.mode ? `    volumeMode: ${o.mode}\n` : ''}    accessModes: [ReadWriteOnce]
${o.size === undefined ? '' : `    resources:\n      requests:\n        storage: ${o.size}\n`}`;

const vm = (size: string) => `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: win11
  namespace: default
spec:
  dataVolumeTemplates:
    - metadata:
        name: win11-root
      spec:
        source:
          snapshot:
            name: snap
            namespace: default
        storage:
          resources:
            requests:
              storage: ${size}
  template:
    spec:
      volumes:
        - name: root
          dataVolume:
            name: win11-root
`;

const expanding = (name: string, allow: boolean) => `${storageClass(name, 'csi.example.com')}${allow ? 'allowVolumeExpansion: true\n' : ''}`;

test('datavolume-restore-too-small: source.snapshot asking 20Gi of a 30Gi snapshot, fixed to restoreSize or by removing the size', () => {
  const text = docs(snapshot('snap', '30Gi'), dv({ size: '20Gi' }));
  const f = one(lint(text), 'datavolume-restore-too-small');
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), '20Gi');
  assert.match(f.message, /DataVolume root asks for 20Gi \(21,474,836,480 bytes\), less than VolumeSnapshot default\/snap's restoreSize 30Gi/);
  assert.match(f.message, /Set the request to 30Gi, or remove the size/);
  const [set, remove] = f.fixes!;
  assert.ok(set?.preferred);
  assert.deepEqual(only(lint(applyFix(text, set)), 'datavolume-restore-too-small'), []);
  const removed = applyFix(text, remove!);
  assert.doesNotMatch(removed, /resources:/);
  assert.deepEqual(lint(removed).map((x) => x.rule), []);
});

test('datavolume-restore-too-small: a VM dataVolumeTemplate restoring the same snapshot, and spec.pvc', () => {
  const f = one(lint(docs(snapshot('snap', '30Gi'), vm('20Gi'))), 'datavolume-restore-too-small');
  assert.match(f.message, /^VirtualMachine win11, dataVolumeTemplate win11-root asks for 20Gi/);
  assert.equal(one(lint(docs(snapshot('snap', '30Gi'), dv({ field: 'pvc', size: '20Gi' }))), 'datavolume-restore-too-small').fixes!.length, 1, 'spec.pvc: no removal fix');
});

test('datavolume-restore-too-small: the StorageProfile minimum counts (GetEffectiveStorageResources)', () => {
  const profile = 'apiVersion: cdi.kubevirt.io/v1beta1\nkind: StorageProfile\nmetadata:\n  name: pd\n  annotations:\n    cdi.kubevirt.io/minimumSupportedPvcSize: 4Gi\n';
  const text = docs(storageClass('pd', 'pd.csi.storage.gke.io'), profile, snapshot('snap', '4Gi'), dv({ size: '1Gi', sc: 'pd', field: 'storage' }));
  assert.deepEqual(only(lint(text), 'datavolume-restore-too-small'), []);
  // validateSnapshotClone@v1.63.1 compares the request as written (the minimum came with #3852 in v1.64.0).
  assert.match(one(lint(text, { cdiVersion: 'v1.63.1' }), 'datavolume-restore-too-small').message, /asks for 1Gi \(1,073,741,824 bytes\), less than/);
  assert.deepEqual(only(lint(text, { cdiVersion: 'v1.64.0' }), 'datavolume-restore-too-small'), []);
});

test('sourceRef through a DataSource: the snapshot of the DataSource is checked; a PVC DataSource is not a restore', () => {
  const source = (kind: 'snapshot' | 'pvc') => `apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataSource\nmetadata:\n  name: fedora\n  namespace: golden\nspec:\n  source:\n    ${kind}:\n      name: fedora-snap\n`;
  const refDv = `apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: root\n  namespace: vms\nspec:\n  sourceRef:\n    kind: DataSource\n    name: fedora\n    namespace: golden\n  storage:\n    accessModes: [ReadWriteOnce]\n    resources:\n      requests:\n        storage: 10Gi\n`;
  const f = one(lint(docs(snapshot('fedora-snap', '30Gi', 'golden'), source('snapshot'), refDv)), 'datavolume-restore-too-small');
  assert.match(f.message, /VolumeSnapshot golden\/fedora-snap.s restoreSize 30Gi \(32,212,254,720 bytes\) \(through DataSource golden\/fedora\)/);
  assert.deepEqual(lint(docs(snapshot('fedora-snap', '30Gi', 'golden'), source('pvc'), refDv)).map((x) => x.rule), []);
  // An unknown DataSource says nothing (it may come from the cluster's golden images).
  assert.deepEqual(lint(refDv).map((x) => x.rule), []);
});

test('datavolume-restore-expansion: spec.storage equal to restoreSize grows by the overhead: a warning on a class that cannot expand, none where it can', () => {
  const text = docs(expanding('fixed', false), snapshot('snap', '20Gi'), dv({ size: '20Gi', sc: 'fixed' }));
  const f = one(lint(text), 'datavolume-restore-expansion');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /CDI renders to 22,\d{3},\d{3},\d{3} bytes \(filesystem overhead 0\.0\d+\)/);
  assert.match(f.message, /StorageClass fixed does not set allowVolumeExpansion: true/);
  const fixed = applyFix(text, f.fixes![0]!);
  assert.deepEqual(lint(fixed).map((x) => x.rule), []);
  assert.deepEqual(lint(docs(expanding('grows', true), snapshot('snap', '20Gi'), dv({ size: '20Gi', sc: 'grows' }))).map((x) => x.rule), []);
  // Block: no overhead, equal sizes are fine; spec.pvc is not rendered.
  assert.deepEqual(lint(docs(expanding('fixed', false), snapshot('snap', '20Gi'), dv({ size: '20Gi', sc: 'fixed', mode: 'Block' }))).map((x) => x.rule), []);
  // (spec.pvc is datavolume-pvc-bypasses-profile's concern, not a restore finding.)
  assert.deepEqual(lint(docs(expanding('fixed', false), snapshot('snap', '20Gi'), dv({ size: '20Gi', sc: 'fixed', field: 'pvc' }))).map((x) => x.rule), ['datavolume-pvc-bypasses-profile']);
  // spec.pvc larger than restoreSize: the fix sets it to restoreSize.
  const pvcText = docs(expanding('fixed', false), snapshot('snap', '20Gi'), dv({ size: '25Gi', sc: 'fixed', field: 'pvc' }));
  const p = one(lint(pvcText), 'datavolume-restore-expansion');
  assert.match(applyFix(pvcText, p.fixes![0]!), /storage: 20Gi\n/);
});

test('no size: CDI takes restoreSize (detectCloneSize); an unknown class or snapshot gives no size finding', () => {
  assert.deepEqual(lint(docs(expanding('fixed', false), snapshot('snap', '20Gi'), dv({ sc: 'fixed' }))).map((x) => x.rule), []);
  assert.deepEqual(only(lint(docs(snapshot('snap', '20Gi'), dv({ size: '25Gi' }))), 'datavolume-restore-expansion'), []);
  const f = one(lint(dv({ size: '20Gi', snapNs: 'golden' })), 'snapshot-not-found');
  assert.match(f.message, /VolumeSnapshot golden\/snap \(restored by DataVolume root\)/);
});

test('datavolume-restore-expansion: a Block-source snapshot to Filesystem — removing the size helps only before CDI v1.66 (detectCloneSize, #4107)', () => {
  // A DataImportCron golden-image snapshot taken from a Block PVC (CDI annotates its source volume mode).
  const blockSnap = snapshot('snap', '20Gi').replace('  namespace: default\n', '  namespace: default\n  annotations:\n    cdi.kubevirt.io/storage.import.sourceVolumeMode: Block\n');
  const text = docs(expanding('fixed', false), blockSnap, dv({ size: '20Gi', sc: 'fixed' }));
  const before = one(lint(text, { cdiVersion: 'v1.65.0' }), 'datavolume-restore-expansion');
  assert.match(before.message, /Remove the size \(CDI then restores at restoreSize, without overhead\)/);
  assert.equal(before.fixes?.[0]?.preferred, true);
  // detectCloneSize@v1.66.0: InflateSizeWithOverhead(restoreSize) for a Block source and a Filesystem target.
  const now = one(lint(text, { cdiVersion: 'v1.66.0' }), 'datavolume-restore-expansion');
  assert.match(now.message, /Removing the size does not avoid it: the snapshot's source was Block \(its cdi\.kubevirt\.io\/storage\.import\.sourceVolumeMode annotation says Block\), and CDI v1\.66\.0 sizes it at restoreSize plus the filesystem overhead/);
  assert.match(now.message, /Use volumeMode Block, or allow expansion on the class\./);
  assert.deepEqual(now.fixes, []);
  // A later v1.65 patch may carry the backport (#4131): said, and the removal is offered but not preferred.
  const later = one(lint(text, { cdiVersion: 'v1.65.1' }), 'datavolume-restore-expansion');
  assert.match(later.message, /may size it \(.*#4131, 2026-05-13/);
  assert.equal(later.fixes?.[0]?.preferred, false);
  // Without the annotation, the snapshot's source PVC (what VolumeSnapshotContent spec.sourceVolumeMode is set from).
  const srcPvc = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: src\n  namespace: default\nspec:\n  volumeMode: Block\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 20Gi\n';
  const viaPvc = one(lint(docs(expanding('fixed', false), snapshot('snap', '20Gi'), srcPvc, dv({ size: '20Gi', sc: 'fixed' })), { cdiVersion: 'v1.66.0' }), 'datavolume-restore-expansion');
  assert.match(viaPvc.message, /its source PVC default\/src is Block/);
  // A Filesystem-source snapshot keeps the removal fix on v1.66.0.
  const fsSnap = one(lint(docs(expanding('fixed', false), snapshot('snap', '20Gi'), dv({ size: '20Gi', sc: 'fixed' })), { cdiVersion: 'v1.66.0' }), 'datavolume-restore-expansion');
  assert.equal(fsSnap.fixes?.[0]?.preferred, true);
});
