/** Hovers on claims: what CDI will render a claim to, by place, or why it will reject it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSettings } from '../../../core/types.js';
import { Workspace } from '../../../core/workspace.js';
import { marked, storage, vm } from '../completion/fixtures.js';

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
