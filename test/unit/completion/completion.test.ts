/** Completion providers on fixture YAML: what each context offers, in which order, and nothing elsewhere. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete, type CompletionProvider } from '../../../core/completion/index.js';
import { completionProviders } from '../../../core/completion/providers/index.js';
import { defaultSettings } from '../../../core/types.js';
import { Workspace } from '../../../core/workspace.js';
import { parseYamlFile } from '../../../core/yaml/documents.js';
import { clones, completeIn, labels, marked, vm } from './fixtures.js';

const template = (spec: string) => vm(`  volumeClaimTemplates:\n  - metadata:\n      name: disk\n    spec:\n${spec}`);

test('storageClassName in a VolumeClaimTemplate: the virt default first (in-process rendering), marked and documented', () => {
  const r = completeIn(template('      storageClassName: §\n'));
  assert.deepEqual(labels(r), ['trident-nas', 'ocs-rbd', 'hostpath']);
  const first = r.items[0]!;
  assert.equal(first.preselect, true);
  assert.match(first.detail!, /virt default · csi\.trident\.netapp\.io · RWX Filesystem/);
  assert.match(first.documentation, /CDI picks this class when `storageClassName` is left out here/);
  assert.match(r.items[1]!.documentation, /minimumSupportedPvcSize: 4Gi = 4,294,967,296 bytes/);
  assert.match(r.items[1]!.documentation, /volumeBindingMode: WaitForFirstConsumer/);
});

test('storageClassName in a PVC: the Kubernetes default first (the API server fills it before CDI sees the PVC)', () => {
  const r = completeIn('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\nspec:\n  storageClassName: §\n');
  assert.deepEqual(labels(r), ['ocs-rbd', 'trident-nas', 'hostpath']);
  assert.equal(r.items[0]!.preselect, true);
});

test('accessModes: ranked by the StorageProfile of the written class, claimPropertySets[0] first', () => {
  const r = completeIn(template('      storageClassName: ocs-rbd\n      accessModes:\n      - §\n'));
  assert.deepEqual(labels(r), ['ReadWriteMany', 'ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteOncePod']);
  assert.match(r.items[0]!.detail!, /CDI's pick · ocs-rbd/);
  assert.match(r.items[1]!.documentation, /claimPropertySets\[1\] \(Filesystem\)/);
});

test('accessModes: a written volumeMode narrows the sets (getDefaultAccessModes), modes already listed are left out', () => {
  const r = completeIn(template('      storageClassName: ocs-rbd\n      volumeMode: Filesystem\n      accessModes:\n      - ReadWriteMany\n      - §\n'));
  assert.deepEqual(labels(r), ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteOncePod']);
});

test('accessModes with no class named: the class CDI picks for the place (virt default for a template)', () => {
  const r = completeIn(template('      accessModes:\n      - §\n'));
  assert.equal(r.items[0]!.label, 'ReadWriteMany');
  assert.match(r.items[0]!.documentation, /StorageProfile trident-nas claimPropertySets\[0\]/);
});

test('volumeMode: the profile first; FromStorageProfile where CDI accepts it', () => {
  const t = completeIn(template('      storageClassName: ocs-rbd\n      volumeMode: §\n'));
  assert.deepEqual(labels(t), ['Block', 'Filesystem', 'FromStorageProfile']);
  assert.equal(t.items[0]!.preselect, true);
  const withModes = completeIn(template('      storageClassName: ocs-rbd\n      accessModes: [ReadWriteOnce]\n      volumeMode: §\n'));
  assert.deepEqual(labels(withModes), ['Filesystem', 'Block', 'FromStorageProfile'], 'getDefaultVolumeMode: the set sharing an access mode');
  const pvc = completeIn('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\nspec:\n  storageClassName: ocs-rbd\n  volumeMode: §\n');
  assert.deepEqual(labels(pvc), ['Block', 'Filesystem'], 'an unlabelled PVC may not say FromStorageProfile');
  const labelled = completeIn('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\n  labels:\n    cdi.kubevirt.io/applyStorageProfile: "true"\nspec:\n  volumeMode: §\n');
  assert.ok(labels(labelled).includes('FromStorageProfile'));
});

test('dataSourceRef kind: the five kinds, and the apiGroup line added when the map has none', () => {
  const r = completeIn(template('      dataSourceRef:\n        kind: §\n'));
  assert.deepEqual(labels(r), ['VolumeImportSource', 'VolumeCloneSource', 'VolumeUploadSource', 'VolumeSnapshot', 'PersistentVolumeClaim']);
  const edit = r.items[0]!.additionalEdits![0]!;
  assert.equal(edit.newText, 'apiGroup: cdi.kubevirt.io\n        ');
  assert.deepEqual(edit.range.start, { line: 11, character: 8 });
  assert.deepEqual(r.items[4]!.additionalEdits, [], 'the core group needs no apiGroup');
  const grouped = completeIn(template('      dataSourceRef:\n        apiGroup: snapshot.storage.k8s.io\n        kind: §\n'));
  assert.deepEqual(labels(grouped), ['VolumeSnapshot']);
  assert.deepEqual(labels(completeIn(template('      dataSource:\n        kind: §\n'))), ['VolumeSnapshot', 'PersistentVolumeClaim']);
});

test('dataSourceRef name: the objects of the written kind that exist in the namespace', () => {
  const vcs = completeIn(template('      dataSourceRef:\n        apiGroup: cdi.kubevirt.io\n        kind: VolumeCloneSource\n        name: §\n'));
  assert.deepEqual(labels(vcs), ['golden-fedora']);
  assert.match(vcs.items[0]!.detail!, /PersistentVolumeClaim fedora-42/);
  const vis = completeIn(template('      dataSourceRef:\n        apiGroup: cdi.kubevirt.io\n        kind: VolumeImportSource\n        name: §\n'));
  assert.deepEqual(labels(vis), ['cirros-import']);
  const snap = completeIn(template('      dataSourceRef:\n        apiGroup: snapshot.storage.k8s.io\n        kind: VolumeSnapshot\n        name: §\n'));
  assert.deepEqual(labels(snap), ['db-snap']);
  assert.match(snap.items[0]!.documentation, /restoreSize 20Mi = 20,971,520 bytes/);
  const elsewhere = completeIn(template('      dataSourceRef:\n        kind: VolumeSnapshot\n        namespace: other\n        name: §\n'));
  assert.deepEqual(labels(elsewhere), [], 'another namespace has none');
});

test('sizes: a clone source\'s size first, typed digits with units, common sizes, each with CDI\'s render', () => {
  const r = completeIn(template('      storageClassName: trident-nas\n      dataSourceRef:\n        apiGroup: cdi.kubevirt.io\n        kind: VolumeCloneSource\n        name: golden-fedora\n      resources:\n        requests:\n          storage: §\n'));
  assert.equal(r.items[0]!.label, '30Gi');
  assert.equal(r.items[0]!.preselect, true);
  assert.match(r.items[0]!.documentation, /VolumeCloneSource vms\/golden-fedora → PVC vms\/fedora-42/);
  const typed = completeIn(template('      storageClassName: trident-nas\n      resources:\n        requests:\n          storage: 20§\n'));
  assert.deepEqual(labels(typed).slice(0, 3), ['20Mi', '20Gi', '20Ti']);
  // 20Mi on Filesystem with overhead 0.06, CDI v1.64 (multiply): CDI's own example, 22,229,812 bytes.
  assert.match(typed.items[0]!.documentation, /CDI requests \*\*22,229,812 bytes\*\*/);
  const rbd = completeIn(template('      storageClassName: ocs-rbd\n      resources:\n        requests:\n          storage: §\n'));
  assert.equal(rbd.items[0]!.label, '4Gi', 'the StorageProfile minimum is offered');
  assert.match(rbd.items.find((i) => i.label === '1Gi')!.documentation, /raised to the StorageProfile minimum 4,294,967,296 bytes/);
});

test('sizes: a VolumeCloneSource\'s size is CDI\'s webhook model, the one hover and rules use (cloneSizeFromSource)', () => {
  const size = (spec: string) => completeIn(template(`${spec}      resources:\n        requests:\n          storage: §\n`), { 'clones.yaml': clones }).items[0]!;
  const ref = (name: string, more = '') => `      dataSourceRef:\n        apiGroup: cdi.kubevirt.io\n        kind: VolumeCloneSource\n        name: ${name}\n${more}`;
  // Changed: the source size used to come from the VolumeCloneSource in dataSourceRef.namespace (golden-images/big,
  // 50Gi); CDI looks it up in the claim's namespace (or the dataSourceNamespace annotation's), so vms/fedora-42's 30Gi.
  const elsewhere = size(`      storageClassName: trident-nas\n${ref('golden-fedora', '        namespace: golden-images\n')}`);
  assert.equal(elsewhere.label, '30Gi');
  assert.match(elsewhere.documentation, /VolumeCloneSource vms\/golden-fedora → PVC vms\/fedora-42/);
  // Changed: with no class written the old model compared nothing and offered the request (30Gi); the template
  // renders to the virt default trident-nas (Filesystem), not the source's ocs-rbd (Block), so CDI takes the capacity.
  const otherClass = size(ref('golden-rhel'));
  assert.equal(otherClass.label, '32Gi');
  assert.match(otherClass.documentation, /PVC vms\/rhel-9 \(status\.capacity\.storage: volume mode Block → Filesystem, class ocs-rbd → trident-nas\)/);
  // The same class, and its StorageProfile's Block: the request, as before.
  assert.equal(size(`      storageClassName: ocs-rbd\n${ref('golden-rhel')}`).label, '30Gi');
  // Not a VolumeCloneSource: the CSI driver clones or restores it, CDI does not size it; dataSourceRef.namespace counts.
  const csi = size('      dataSourceRef:\n        kind: PersistentVolumeClaim\n        namespace: golden-images\n        name: big\n');
  assert.equal(csi.label, '50Gi');
  assert.match(csi.documentation, /The size of the source: PVC golden-images\/big \(spec\.resources\.requests\.storage\)/);
  assert.equal(size('      dataSourceRef:\n        apiGroup: snapshot.storage.k8s.io\n        kind: VolumeSnapshot\n        name: db-snap\n').label, '20Mi');
});

test('VM volumes: claimName offers the templates first, then the PVCs of the namespace; dataVolume.name the dataVolumeTemplates', () => {
  const text = vm('  volumeClaimTemplates:\n  - metadata:\n      name: disk\n    spec: {}\n  template:\n    spec:\n      volumes:\n      - name: root\n        persistentVolumeClaim:\n          claimName: §\n');
  const r = completeIn(text);
  assert.deepEqual(labels(r), ['disk', 'fedora-42', 'scratch']);
  assert.match(r.items[0]!.documentation, /names the PVC `cirros-disk`/);
  const dv = completeIn(vm('  dataVolumeTemplates:\n  - metadata:\n      name: rootdisk\n    spec: {}\n  template:\n    spec:\n      volumes:\n      - name: root\n        dataVolume:\n          name: §\n'));
  assert.deepEqual(labels(dv), ['rootdisk']);
});

test('keys: a claim spec being typed (does not parse) offers the keys not yet written', () => {
  const r = completeIn(template('      storageClassName: ocs-rbd\n      acc§\n'));
  assert.ok(labels(r).includes('accessModes'));
  assert.ok(!labels(r).includes('storageClassName'), 'already written');
  assert.equal(r.items.find((i) => i.label === 'accessModes')!.insertText, 'accessModes:\n  - ${1}');
  assert.deepEqual(labels(completeIn(template('      resources:\n        §\n'))), ['requests', 'limits']);
  assert.deepEqual(labels(completeIn(vm('  volumeClaimTemplates:\n  - §\n'))), ['metadata', 'spec']);
  assert.ok(labels(completeIn(vm('  running: true\n  vol§\n'))).includes('volumeClaimTemplates'));
});

test('outside its contexts completion answers nothing (the YAML extension keeps the field)', () => {
  assert.deepEqual(labels(completeIn('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\n  §\n')), []);
  assert.deepEqual(labels(completeIn('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  storageClassName: §\n')), []);
  assert.deepEqual(labels(completeIn('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\nspec:\n  # storageClassName: §\n')), []);
  assert.deepEqual(labels(completeIn('kind: Deployment\nspec:\n  template:\n    spec:\n      §\n')), []);
});

test('a provider that throws is reported; the others still answer', () => {
  const broken: CompletionProvider = { id: 'broken', provide: () => { throw new Error('bug'); } };
  const { text, pos } = marked(template('      storageClassName: §\n'));
  const ws = new Workspace();
  ws.setFile('e.yaml', text);
  const failed: string[] = [];
  const r = complete(parseYamlFile('e.yaml', text), pos, ws.facts({ settings: defaultSettings }), defaultSettings, [broken, ...completionProviders], (id) => failed.push(id));
  assert.deepEqual(failed, ['broken']);
  assert.deepEqual(r.items.length, 0, 'no classes in this workspace, but no exception either');
});

test('every provider has a stable kebab-case id and every item documentation', () => {
  for (const p of completionProviders) assert.match(p.id, /^[a-z]+(-[a-z]+)*$/);
  const all = [
    completeIn(template('      storageClassName: §\n')),
    completeIn(template('      acc§\n')),
    completeIn(template('      resources:\n        requests:\n          storage: §\n')),
  ].flatMap((r) => r.items);
  assert.ok(all.length > 10);
  for (const i of all) assert.ok(i.documentation.length > 10, i.label);
});
