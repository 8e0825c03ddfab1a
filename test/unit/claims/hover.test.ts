/** Hovers on claims: what CDI will render a claim to, by place, or why it will reject it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSettings } from '../../../core/types.js';
import { Workspace } from '../../../core/workspace.js';
import { clones, marked, storage, vm } from '../completion/fixtures.js';

function hoverAt(text: string): string | undefined {
  const { text: t, pos } = marked(text);
  const ws = new Workspace();
  ws.setFile('storage.yaml', storage);
  ws.setFile('h.yaml', t);
  return ws.hover('h.yaml', pos, { settings: defaultSettings })?.contents;
}

test('hover on a VolumeClaimTemplate: class and why, modes from the profile, the size in bytes with the overhead and the version', () => {
  const h = hoverAt(vm('  volumeClaimTemplates:\n  - metadata:\n      name: disk\n    spec:\n      resources:\n        requests:\n          stor§age: 20Mi\n'))!;
  assert.match(h, /\*\*VirtualMachine cirros, volumeClaimTemplate disk\*\* — rendered by the VM controller's in-process RenderPvc/);
  assert.match(h, /- class: \*\*trident-nas\*\* \(the virt default class \(storageclass\.kubevirt\.io\/is-default-virt-class\)\)/);
  assert.match(h, /- access modes: ReadWriteMany \(from StorageProfile trident-nas\)/);
  assert.match(h, /- volume mode: Filesystem \(from StorageProfile trident-nas\)/);
  assert.match(h, /- size: \*\*22,229,812 bytes\*\* \(20,971,520 bytes \+ filesystem overhead 0\.06 .*CDI v1\.64\.0 from storage\.yaml\)/);
});

test('hover on a claim CDI rejects says why; an unlabelled PVC is left as written; spec.pvc is copied verbatim', () => {
  const rejected = hoverAt('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p\n  labels:\n    cdi.kubevirt.io/applyStorageProfile: "true"\nspec:\n  storageClass§Name: ocs-rbd\n')!;
  assert.match(rejected, /\*\*CDI will reject it\*\*: `PVC Spec is not valid - missing storage size`/);
  const plain = hoverAt('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p\nspec:\n  storageClass§Name: ocs-rbd\n')!;
  assert.match(plain, /rendered by nobody: no `applyStorageProfile` label/);
  assert.doesNotMatch(plain, /CDI will render/);
  const dv = hoverAt('apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: d\nspec:\n  pvc:\n    storageClass§Name: ocs-rbd\n')!;
  assert.match(dv, /`spec\.pvc` is copied verbatim, StorageProfiles bypassed/);
  assert.equal(hoverAt('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  na§me: p\nspec: {}\n'), undefined, 'not on the metadata');
});

test('hover, size completion and Fill from StorageProfile give a VolumeCloneSource clone the same size (one model: cloneSizeFromSource)', () => {
  const spec = (more: string, key = 'dataSourceRef') => vm(`  volumeClaimTemplates:\n  - metadata:\n      name: disk\n    spec:\n      ${key}:\n        apiGroup: cdi.kubevirt.io\n        kind: VolumeCloneSource\n        name: golden-rhel\n${more}`);
  const ws = new Workspace();
  ws.setFile('storage.yaml', storage);
  ws.setFile('clones.yaml', clones);
  const at = (text: string) => {
    const { text: t, pos } = marked(text);
    ws.setFile('h.yaml', t);
    return pos;
  };
  const hover = ws.hover('h.yaml', at(spec('', 'dataSource§Ref')), { settings: defaultSettings })?.contents ?? '';
  assert.match(hover, /- size: \*\*34,359,738,368 bytes\*\* \(from the clone source: VolumeCloneSource vms\/golden-rhel → PVC vms\/rhel-9 \(status\.capacity\.storage: volume mode Block → Filesystem, class ocs-rbd → trident-nas\)\)/);
  const completion = ws.complete('h.yaml', at(spec('      resources:\n        requests:\n          storage: §\n')), { settings: defaultSettings });
  assert.equal(completion.items[0]?.label, '32Gi');
  ws.setFile('h.yaml', spec(''));
  const fill = ws.claimActions('h.yaml', { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } }, { settings: defaultSettings }).find((a) => a.title.startsWith('Fill from StorageProfile'));
  assert.match(fill?.title ?? '', /storage: 32Gi$/);
});
