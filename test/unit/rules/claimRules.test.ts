/**
 * The VolumeClaimTemplates and rendering rules: volumeclaimtemplates-unserved, vm-volume-claim-missing,
 * cdi-render-rejected, datavolume-pvc-bypasses-profile — each positive and negative, fixes re-analysed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Workspace } from '../../../core/workspace.js';
import { defaultSettings } from '../../../core/types.js';
import { storage, vm } from '../completion/fixtures.js';
import { applyFix, lint, one, only, textAt } from './helpers.js';

const withStorage = { 'storage.yaml': storage };
const template = (spec: string) => `  volumeClaimTemplates:\n  - metadata:\n      name: disk\n    spec:\n${spec}`;
const volumes = (...claims: string[]) => `  template:\n    spec:\n      volumes:\n${claims.map((c, i) => `      - name: v${i}\n        persistentVolumeClaim:\n          claimName: ${c}\n`).join('')}`;

test('volumeclaimtemplates-unserved: on a VM with templates, with the expansion as the preferred fix; the fix leaves none', () => {
  const text = vm(template('      resources:\n        requests:\n          storage: 1Gi\n') + volumes('disk'));
  const f = one(lint(text, {}, withStorage), 'volumeclaimtemplates-unserved');
  assert.equal(f.severity, 'warning');
  assert.equal(textAt(text, f), 'volumeClaimTemplates');
  assert.equal(f.fixes?.[0]?.preferred, true);
  assert.match(f.fixes![0]!.title, /Expand into PVCs cirros-disk/);
  const fixed = applyFix(text, f.fixes![0]!);
  const after = lint(fixed, {}, withStorage);
  assert.deepEqual(only(after, 'volumeclaimtemplates-unserved'), []);
  assert.deepEqual(only(after, 'vm-volume-claim-missing'), [], 'the VM names the PVC written beside it');
  assert.deepEqual(only(lint(vm(volumes('x')), {}, { ...withStorage, 'x.yaml': 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: x\n  namespace: vms\n' }), 'volumeclaimtemplates-unserved'), []);
});

test('volumeclaimtemplates-unserved: a template CDI rejects is named, with no fix', () => {
  const f = one(lint(vm(template('      volumeMode: Block\n')), {}, {}), 'volumeclaimtemplates-unserved');
  assert.match(f.message, /cannot be expanded as written: .*volumeClaimTemplate disk: CDI would reject it/);
  assert.equal(f.fixes, undefined);
});

test('vm-volume-claim-missing: a claim that is no template and no PVC; templates, dataVolumeTemplates and PVCs are found', () => {
  const text = vm(template('      storageClassName: ocs-rbd\n') + volumes('disk', 'fedora-42', 'nowhere'));
  const f = one(lint(text, {}, withStorage), 'vm-volume-claim-missing');
  assert.equal(textAt(text, f), 'nowhere');
  assert.equal(f.data?.name, 'nowhere');
  assert.match(f.message, /names PersistentVolumeClaim vms\/nowhere/);
  assert.equal(f.fixes?.[0]?.title, "Name the VM's template disk");
  assert.deepEqual(only(lint(applyFix(text, f.fixes![0]!), {}, withStorage), 'vm-volume-claim-missing'), []);
  const dv = vm('  dataVolumeTemplates:\n  - metadata:\n      name: root\n    spec:\n      storage: {}\n  template:\n    spec:\n      volumes:\n      - name: a\n        dataVolume:\n          name: root\n      - name: b\n        persistentVolumeClaim:\n          claimName: root\n      - name: c\n        dataVolume:\n          name: gone\n');
  const g = one(lint(dv, {}, withStorage), 'vm-volume-claim-missing');
  assert.match(g.message, /names DataVolume vms\/gone/);
});

test('vm-volume-claim-missing: a PVC in the connected cluster counts; one in another namespace does not', () => {
  const text = vm(volumes('live'));
  const ws = new Workspace();
  ws.setFile('vm.yaml', text);
  const live = (ns: string) => ({
    ...(ws.facts({ settings: defaultSettings }) as object),
    state: { kind: 'connected', context: 'c' } as const,
    claimObject: (kind: string, n: string, name: string) => (kind === 'PersistentVolumeClaim' && n === ns && name === 'live' ? { kind: 'PersistentVolumeClaim' as const, namespace: ns, name, source: { kind: 'cluster' as const } } : undefined),
  });
  const rules = (ns: string) => ws.analyzeFile('vm.yaml', { settings: defaultSettings, cluster: live(ns) as never }).map((f) => f.rule);
  assert.ok(!rules('vms').includes('vm-volume-claim-missing'));
  assert.ok(rules('other').includes('vm-volume-claim-missing'));
});

test('vm-volume-claim-missing: a PVC added to the workspace later clears the finding (lookups tracked per document)', () => {
  const ws = new Workspace();
  ws.setFile('vm.yaml', vm(volumes('later')));
  const rules = () => ws.analyzeFile('vm.yaml', { settings: defaultSettings }).map((f) => f.rule);
  assert.ok(rules().includes('vm-volume-claim-missing'));
  ws.setFile('pvc.yaml', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: later\n  namespace: vms\n');
  assert.ok(!rules().includes('vm-volume-claim-missing'));
  ws.removeFile('pvc.yaml');
  assert.ok(rules().includes('vm-volume-claim-missing'));
});

test('cdi-render-rejected: a labelled PVC without size, a template with no class and no modes; unlabelled PVCs and fine claims not', () => {
  const labelled = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p\n  labels:\n    cdi.kubevirt.io/applyStorageProfile: "true"\nspec:\n  storageClassName: trident-nas\n';
  const f = one(lint(labelled, {}, withStorage), 'cdi-render-rejected');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /CDI will reject PersistentVolumeClaim p \(CDI's PVC webhook\): PVC Spec is not valid - missing storage size/);
  assert.equal(textAt(labelled, f), 'spec');
  assert.deepEqual(only(lint(labelled.replace(/  labels:\n.*\n/, ''), {}, withStorage), 'cdi-render-rejected'), [], 'no label: the webhook never sees it');
  const tiny = one(lint(vm(template('      storageClassName: trident-nas\n      resources:\n        requests:\n          storage: 1000Ki\n')), {}, withStorage), 'cdi-render-rejected');
  assert.match(tiny.message, /storage size should be at least 1MiB/);
  const noClass = one(lint(vm(template('      resources:\n        requests:\n          storage: 1Gi\n')), {}, {}), 'cdi-render-rejected');
  assert.match(noClass.message, /PVC spec is missing accessMode and no storageClass to choose profile/);
  assert.deepEqual(only(lint(vm(template('      resources:\n        requests:\n          storage: 1Gi\n')), {}, withStorage), 'cdi-render-rejected'), [], 'the virt default class and its profile render it');
});

test('datavolume-pvc-bypasses-profile: spec.pvc of a DataVolume and of a dataVolumeTemplate; the fix renames it to storage', () => {
  const dv = 'apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: d\nspec:\n  source:\n    blank: {}\n  pvc:\n    accessModes: [ReadWriteOnce]\n    resources:\n      requests:\n        storage: 1Gi\n';
  const f = one(lint(dv), 'datavolume-pvc-bypasses-profile');
  assert.equal(f.severity, 'info');
  assert.equal(textAt(dv, f), 'pvc');
  const fixed = applyFix(dv, f.fixes![0]!);
  assert.match(fixed, /\n  storage:\n    accessModes/);
  assert.deepEqual(only(lint(fixed), 'datavolume-pvc-bypasses-profile'), []);
  const t = one(lint(vm('  dataVolumeTemplates:\n  - metadata:\n      name: r\n    spec:\n      pvc:\n        resources:\n          requests:\n            storage: 1Gi\n')), 'datavolume-pvc-bypasses-profile');
  assert.match(t.message, /dataVolumeTemplate spec\.pvc r is copied verbatim/);
  assert.deepEqual(only(lint(dv.replace('  pvc:', '  storage:')), 'datavolume-pvc-bypasses-profile'), []);
});
