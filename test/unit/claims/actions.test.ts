/**
 * Claim actions on fixture YAML: Fill from StorageProfile writes only what is missing (and is offered no more
 * afterwards), Expand VolumeClaimTemplates writes `<vm>-<template>` PVCs rendered as CDI would and a VM that
 * names them, generateName and rejected templates are explained, and the template conversions go both ways.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClaimAction } from '../../../core/claimSpecs/actions.js';
import { expandVolumeClaimTemplates } from '../../../core/volumeClaimTemplates/expand.js';
import { defaultSettings, type Range } from '../../../core/types.js';
import { Workspace } from '../../../core/workspace.js';
import { clones, storage, vm } from '../completion/fixtures.js';

const everything: Range = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };

function actions(text: string, range: Range = everything, extra: Record<string, string> = {}): { ws: Workspace; list: ClaimAction[] } {
  const ws = new Workspace();
  ws.setFile('storage.yaml', storage);
  for (const [f, t] of Object.entries(extra)) ws.setFile(f, t);
  ws.setFile('edit.yaml', text);
  return { ws, list: ws.claimActions('edit.yaml', range, { settings: defaultSettings }) };
}

const apply = (text: string, a: ClaimAction) => TextDocument.applyEdits(TextDocument.create('file:///edit.yaml', 'yaml', 1, text), a.edits);
const titled = (list: ClaimAction[], start: string) => list.find((a) => a.title.startsWith(start));

const template = (spec: string, name = 'disk') => `  volumeClaimTemplates:\n  - metadata:\n      name: ${name}\n    spec:\n${spec}`;
const volumes = '  template:\n    spec:\n      domain:\n        devices: {}\n      volumes:\n      - name: root\n        persistentVolumeClaim:\n          claimName: disk\n';

test('fill: the class (virt default), both modes from its StorageProfile; nothing is offered once filled', () => {
  const text = vm(template('      resources:\n        requests:\n          storage: 10Gi\n') + volumes);
  const { list } = actions(text);
  const fill = titled(list, 'Fill from StorageProfile')!;
  assert.match(fill.title, /: storageClassName: trident-nas, accessModes: ReadWriteMany, volumeMode: Filesystem$/);
  const filled = apply(text, fill);
  const spec = (parse(filled) as { spec: { volumeClaimTemplates: { spec: Record<string, unknown> }[] } }).spec.volumeClaimTemplates[0]!.spec;
  assert.deepEqual(spec, { resources: { requests: { storage: '10Gi' } }, storageClassName: 'trident-nas', accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' });
  assert.equal(titled(actions(filled).list, 'Fill from StorageProfile'), undefined, 'a filled claim has nothing missing');
});

test('fill: writes only the missing fields; FromStorageProfile is replaced; a clone gets its source size', () => {
  const text = vm(template('      storageClassName: ocs-rbd\n      volumeMode: FromStorageProfile\n      dataSourceRef:\n        apiGroup: cdi.kubevirt.io\n        kind: VolumeCloneSource\n        name: golden-fedora\n'));
  const fill = titled(actions(text).list, 'Fill from StorageProfile')!;
  const spec = (parse(apply(text, fill)) as { spec: { volumeClaimTemplates: { spec: Record<string, unknown> }[] } }).spec.volumeClaimTemplates[0]!.spec;
  assert.equal(spec['storageClassName'], 'ocs-rbd', 'kept');
  assert.equal(spec['volumeMode'], 'Block', 'claimPropertySets[0] of ocs-rbd');
  assert.deepEqual(spec['accessModes'], ['ReadWriteMany']);
  assert.deepEqual(spec['resources'], { requests: { storage: '30Gi' } }, 'the source PVC fedora-42 asks 30Gi');
});

test('fill: a VolumeCloneSource\'s size is what CDI\'s webhook model gives the claim as filled (cloneSizeFromSource)', () => {
  const filled = (spec: string) => {
    const text = vm(template(spec));
    const fill = titled(actions(text, everything, { 'clones.yaml': clones }).list, 'Fill from StorageProfile')!;
    return { title: fill.title, spec: (parse(apply(text, fill)) as { spec: { volumeClaimTemplates: { spec: Record<string, unknown> }[] } }).spec.volumeClaimTemplates[0]!.spec };
  };
  const ref = (name: string, more = '') => `      dataSourceRef:\n        apiGroup: cdi.kubevirt.io\n        kind: VolumeCloneSource\n        name: ${name}\n${more}`;
  // Changed: the fill wrote 30Gi, the request, comparing no class; it fills the virt default trident-nas and its
  // Filesystem, which differ from the source's ocs-rbd and Block, so CDI takes the source's capacity, 32Gi.
  const otherClass = filled(ref('golden-rhel'));
  assert.equal(otherClass.spec['storageClassName'], 'trident-nas');
  assert.equal(otherClass.spec['volumeMode'], 'Filesystem');
  assert.deepEqual(otherClass.spec['resources'], { requests: { storage: '32Gi' } });
  assert.match(otherClass.title, /volumeMode: Filesystem, storage: 32Gi$/);
  assert.deepEqual(filled(`      storageClassName: ocs-rbd\n${ref('golden-rhel')}`).spec['resources'], { requests: { storage: '30Gi' } }, 'same class and mode: the request');
  // Changed: it wrote 50Gi, from the VolumeCloneSource in dataSourceRef.namespace golden-images; CDI looks in vms.
  assert.deepEqual(filled(`      storageClassName: ocs-rbd\n${ref('golden-fedora', '        namespace: golden-images\n')}`).spec['resources'], { requests: { storage: '30Gi' } });
  // Not a VolumeCloneSource (the CSI driver's clone): its request, in dataSourceRef.namespace, as before.
  assert.deepEqual(filled('      dataSourceRef:\n        kind: PersistentVolumeClaim\n        namespace: golden-images\n        name: big\n').spec['resources'], { requests: { storage: '50Gi' } });
});

test('fill: no size when CDI cannot size the clone (v1.64+ denies a host-assisted Filesystem → Block clone)', () => {
  const source = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: fs-disk, namespace: vms }\nspec: { storageClassName: trident-nas, volumeMode: Filesystem, resources: { requests: { storage: 8Gi } } }\nstatus: { phase: Bound, capacity: { storage: 9Gi } }\n---\napiVersion: cdi.kubevirt.io/v1beta1\nkind: VolumeCloneSource\nmetadata: { name: fs-golden, namespace: vms }\nspec: { source: { kind: PersistentVolumeClaim, name: fs-disk } }\n';
  const pvc = (annotation: string) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: raw\n  namespace: vms\n  annotations:\n    cdi.kubevirt.io/cloneType: copy\n${annotation}spec:\n  storageClassName: ocs-rbd\n  volumeMode: Block\n  accessModes: [ReadWriteMany]\n  dataSourceRef:\n    apiGroup: cdi.kubevirt.io\n    kind: VolumeCloneSource\n    name: fs-golden\n`;
  assert.equal(titled(actions(pvc(''), everything, { 'source.yaml': source }).list, 'Fill from StorageProfile'), undefined, 'the source holds kubevirt images (no content type annotation): nothing to fill');
  const archive = source.replace('name: fs-disk, namespace: vms }', 'name: fs-disk, namespace: vms, annotations: { cdi.kubevirt.io/storage.contentType: archive } }');
  const fill = titled(actions(pvc(''), everything, { 'source.yaml': archive }).list, 'Fill from StorageProfile');
  assert.match(fill?.title ?? '', /\(PersistentVolumeClaim raw\): storage: 9Gi$/, 'archive content: CDI sizes it, from the capacity (the mode differs)');
});

test('fill on a PVC spec written as {} and on a DataVolume spec.pvc', () => {
  const pvc = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\n  namespace: vms\nspec: {}\n';
  const filled = apply(pvc, titled(actions(pvc).list, 'Fill from StorageProfile')!);
  assert.deepEqual((parse(filled) as { spec: unknown }).spec, { storageClassName: 'trident-nas', accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' });
  const dv = 'apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: d\nspec:\n  source:\n    blank: {}\n  pvc:\n    storageClassName: ocs-rbd\n    resources:\n      requests:\n        storage: 1Gi\n';
  const dvFilled = parse(apply(dv, titled(actions(dv).list, 'Fill from StorageProfile')!)) as { spec: { pvc: Record<string, unknown> } };
  assert.deepEqual(dvFilled.spec.pvc['accessModes'], ['ReadWriteMany']);
  assert.equal(dvFilled.spec.pvc['volumeMode'], 'Block');
});

test('fill is offered only for the claim under the range', () => {
  const text = vm(template('      storageClassName: ocs-rbd\n      accessModes: [ReadWriteOnce]\n      volumeMode: Filesystem\n      resources:\n        requests:\n          storage: 1Gi\n') + '  dataVolumeTemplates:\n  - metadata:\n      name: data\n    spec:\n      storage:\n        resources:\n          requests:\n            storage: 1Gi\n      source:\n        blank: {}\n');
  const line = text.split('\n').findIndex((l) => l.includes('name: data'));
  const { list } = actions(text, { start: { line, character: 0 }, end: { line, character: 0 } });
  const fills = list.filter((a) => a.title.startsWith('Fill'));
  assert.equal(fills.length, 1);
  assert.match(fills[0]!.title, /dataVolumeTemplate spec\.storage data/);
});

test('expand: PVCs named <vm>-<template>, rendered in-process (20Mi Filesystem → 22229812 bytes), the VM rewritten', () => {
  const text = `# the VM\n${vm(template('      dataSourceRef:\n        apiGroup: cdi.kubevirt.io\n        kind: VolumeImportSource\n        name: cirros-import\n      resources:\n        requests:\n          storage: 20Mi\n') + volumes)}`;
  const { list } = actions(text);
  const expand = titled(list, 'Expand VolumeClaimTemplates into PVCs (cirros-disk) in this file')!;
  const out = apply(text, expand);
  const docs = parseAllDocuments(out).map((d) => d.toJS() as Record<string, any>);
  assert.deepEqual(docs.map((d) => d['kind']), ['PersistentVolumeClaim', 'VirtualMachine']);
  const [pvc, vmDoc] = docs as [any, any];
  assert.equal(pvc.metadata.name, 'cirros-disk');
  assert.equal(pvc.metadata.namespace, 'vms');
  assert.deepEqual(pvc.spec, {
    storageClassName: 'trident-nas',
    accessModes: ['ReadWriteMany'],
    volumeMode: 'Filesystem',
    resources: { requests: { storage: '22229812' } },
    dataSourceRef: { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeImportSource', name: 'cirros-import' },
  });
  assert.equal(vmDoc.spec.volumeClaimTemplates, undefined);
  assert.equal(vmDoc.spec.template.spec.volumes[0].persistentVolumeClaim.claimName, 'cirros-disk');
  assert.match(out, /# volumeClaimTemplate disk of VirtualMachine cirros, rendered as CDI's RenderPvc does \(CDI v1\.64\.0 from storage\.yaml\)/);
  const newFile = titled(list, 'Expand VolumeClaimTemplates into PVCs in a new file cirros-pvcs.yaml')!;
  assert.equal(newFile.newFile?.name, 'cirros-pvcs.yaml');
  assert.equal((parse(newFile.newFile!.text) as any).metadata.name, 'cirros-disk');
  assert.equal((parse(apply(text, newFile)) as any).kind, 'VirtualMachine');
});

test('expand: the design\'s `persistentVolumeClaim.name` becomes claimName; a second document keeps its separator', () => {
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n${vm(template('      storageClassName: ocs-rbd\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n') + '  template:\n    spec:\n      volumes:\n      - persistentVolumeClaim:\n          name: disk\n        name: d\n')}`;
  const out = apply(text, titled(actions(text).list, 'Expand VolumeClaimTemplates into PVCs (cirros-disk) in this file')!);
  const docs = parseAllDocuments(out).map((d) => d.toJS() as any);
  assert.deepEqual(docs.map((d) => d.kind), ['ConfigMap', 'PersistentVolumeClaim', 'VirtualMachine']);
  assert.deepEqual(docs[2].spec.template.spec.volumes[0].persistentVolumeClaim, { claimName: 'cirros-disk' });
  assert.equal(docs[1].spec.resources.requests.storage, '4294967296', '1Gi Filesystem + 6 % is below the 4Gi minimum of ocs-rbd');
});

test('expand: generateName is explained, a template CDI rejects is named', () => {
  const ws = new Workspace();
  ws.setFile('g.yaml', 'apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  generateName: testvm-\nspec:\n' + template('      storageClassName: x\n'));
  const r = ws.resources('g.yaml')[0]!;
  const x = expandVolumeClaimTemplates(r, ws.facts({ settings: defaultSettings }), defaultSettings);
  assert.equal(x.ok, false);
  assert.match(!x.ok ? x.message : '', /generateName "testvm-": the design names each PVC "<generated VM name>-<template>"/);
  const bad = new Workspace();
  bad.setFile('b.yaml', vm(template('      resources:\n        requests:\n          storage: 1Gi\n')));
  const y = expandVolumeClaimTemplates(bad.resources('b.yaml')[0]!, bad.facts({ settings: defaultSettings }), defaultSettings);
  assert.match(!y.ok ? y.message : '', /volumeClaimTemplate disk: CDI would reject it \(PVC spec is missing accessMode and no storageClass to choose profile\)/);
});

test('convert: a dataVolumeTemplate with an http source becomes a volumeClaimTemplate and a VolumeImportSource', () => {
  const text = vm('  dataVolumeTemplates:\n  - metadata:\n      name: root\n    spec:\n      storage:\n        resources:\n          requests:\n            storage: 10Gi\n      source:\n        http:\n          url: https://example.invalid/disk.img\n  template:\n    spec:\n      volumes:\n      - name: root\n        dataVolume:\n          name: root\n');
  const convert = titled(actions(text).list, 'Convert dataVolumeTemplate root to a volumeClaimTemplate')!;
  const docs = parseAllDocuments(apply(text, convert)).map((d) => d.toJS() as any);
  assert.deepEqual(docs.map((d) => d.kind), ['VirtualMachine', 'VolumeImportSource']);
  assert.equal(docs[0].spec.dataVolumeTemplates, undefined);
  assert.deepEqual(docs[0].spec.volumeClaimTemplates, [{ metadata: { name: 'root' }, spec: { resources: { requests: { storage: '10Gi' } }, dataSourceRef: { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeImportSource', name: 'root-import' } } }]);
  assert.deepEqual(docs[0].spec.template.spec.volumes[0], { name: 'root', persistentVolumeClaim: { claimName: 'root' } });
  assert.deepEqual(docs[1].spec, { source: { http: { url: 'https://example.invalid/disk.img' } } });
  assert.equal(docs[1].metadata.namespace, 'vms');
});

test('convert: a volumeClaimTemplate cloning a VolumeCloneSource becomes a dataVolumeTemplate with a pvc source', () => {
  const text = vm(template('      dataSourceRef:\n        apiGroup: cdi.kubevirt.io\n        kind: VolumeCloneSource\n        name: golden-fedora\n') + volumes);
  const convert = titled(actions(text).list, 'Convert volumeClaimTemplate disk to a dataVolumeTemplate')!;
  const out = parse(apply(text, convert)) as any;
  assert.deepEqual(out.spec.dataVolumeTemplates, [{ metadata: { name: 'disk' }, spec: { storage: {}, source: { pvc: { name: 'fedora-42' } } } }]);
  assert.equal(out.spec.volumeClaimTemplates, undefined);
  assert.deepEqual(out.spec.template.spec.volumes[0], { name: 'root', dataVolume: { name: 'disk' } });
});

test('show CDI render is offered wherever a claim is, and only there', () => {
  assert.ok(titled(actions(vm(template('      storageClassName: x\n'))).list, 'Show CDI render'));
  assert.deepEqual(actions('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n').list, []);
});

test('fill: a field written with no value yet gets its value in place, not a second key', () => {
  const text = vm(template('      storageClassName:\n      volumeMode:\n      resources:\n        requests:\n          storage: 1Gi\n'));
  const filled = apply(text, titled(actions(text).list, 'Fill from StorageProfile')!);
  const spec = (parse(filled) as { spec: { volumeClaimTemplates: { spec: Record<string, unknown> }[] } }).spec.volumeClaimTemplates[0]!.spec;
  assert.deepEqual(spec, { storageClassName: 'trident-nas', volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } }, accessModes: ['ReadWriteMany'] });
});
