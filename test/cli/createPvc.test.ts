// `kvstorage create-pvc` in-process: -o yaml renders offline from manifest paths; usage errors; --dry-run and
// --yes through the operations engine against the API emulator.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { CommandEnv } from '../../cli/command.js';
import { dispatch } from '../../cli/commands.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { clones, storage } from '../unit/completion/fixtures.js';

describe('kvstorage create-pvc', () => {
  let emu: Emulator;
  let dir: string;
  let kubeconfig: string;
  const env = (o: Partial<CommandEnv> = {}): CommandEnv => ({ cwd: dir, stdin: Readable.from([]), color: false, version: '0.0.0', env: {}, ...o });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kvs-create-pvc-'));
    writeFileSync(join(dir, 'storage.yaml'), storage);
    writeFileSync(join(dir, 'clones.yaml'), clones);
    emu = await startEmulator();
    kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, emu.kubeconfig({ contextName: 'lab', namespace: 'vms' }));
    for (const d of parseAllDocuments(storage)) emu.store.upsert(d.toJS());
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('-o yaml renders from manifest paths, offline: the virt default class, its modes, 20Mi + 6 % = 22229812', async () => {
    const r = await dispatch(['create-pvc', '--name', 'tpm', '--size', '20Mi', '-n', 'vms', '-o', 'yaml', 'storage.yaml'], env());
    assert.equal(r.exitCode, 0, r.stderr);
    const pvc = parseAllDocuments(r.stdout)[0]!.toJS() as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    assert.deepEqual(pvc.spec, { storageClassName: 'trident-nas', accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem', resources: { requests: { storage: '22229812' } } });
    assert.equal(pvc.metadata['name'], 'tpm');
    assert.match(r.stdout, /^# Rendered as CDI's RenderPvc would:\n# class trident-nas \(the virt default\)\n/);
    const clone = await dispatch(['create-pvc', '--generate-name', 'c-', '-n', 'vms', '--data-source-ref-kind', 'VolumeCloneSource', '--data-source-ref-name', 'golden-fedora', '-o', 'yaml', '.'], env());
    assert.equal(clone.exitCode, 0, clone.stderr);
    assert.match(clone.stdout, /generateName: c-/);
    assert.match(clone.stdout, /storage: 30Gi/);
    assert.equal(emu.requests.length, 0, 'nothing was asked of a cluster');
  });

  test('-o yaml: a VolumeCloneSource clone with no --size is sized as CDI\'s webhook sizes it (cloneSizeFromSource), against the class rendered here', async () => {
    const yaml = async (...flags: string[]) => {
      const r = await dispatch(['create-pvc', '--generate-name', 'c-', '-n', 'vms', '--data-source-ref-kind', 'VolumeCloneSource', ...flags, '-o', 'yaml', 'storage.yaml', 'clones.yaml'], env());
      assert.equal(r.exitCode, 0, r.stderr);
      return { out: r.stdout, spec: (parseAllDocuments(r.stdout)[0]!.toJS() as { spec: { storageClassName?: string; resources: { requests: { storage: string } } } }).spec };
    };
    // Changed: 30Gi (the request) before, when the model compared the class as written (none); the PVC renders to
    // the virt default trident-nas (Filesystem), not the source's ocs-rbd (Block), so CDI takes the capacity, 32Gi.
    const other = await yaml('--data-source-ref-name', 'golden-rhel');
    assert.equal(other.spec.storageClassName, 'trident-nas');
    assert.equal(other.spec.resources.requests.storage, '32Gi');
    assert.match(other.out, /^# size 32Gi from VolumeCloneSource vms\/golden-rhel → PVC vms\/rhel-9 \(status\.capacity\.storage: volume mode Block → Filesystem, class ocs-rbd → trident-nas\)$/m);
    const same = await yaml('--data-source-ref-name', 'golden-rhel', '--storage-class', 'ocs-rbd');
    assert.equal(same.spec.resources.requests.storage, '30Gi', 'ocs-rbd and its profile\'s Block, as the source: the request');
    // A source PVC with no status in the manifests (CDI v1.64.0 wants it Bound): sized from its request, and said.
    const unbound = await yaml('--data-source-ref-name', 'golden-fedora');
    assert.equal(unbound.spec.resources.requests.storage, '30Gi');
    assert.match(unbound.out, /^# not known: PVC vms\/fedora-42 shows no status\.phase: CDI v1\.64\.0 denies the clone unless its source is Bound/m);
  });

  test('usage errors', async () => {
    const both = await dispatch(['create-pvc', '--name', 'a', '--generate-name', 'b-', '--size', '1Gi', '-o', 'yaml', 'storage.yaml'], env());
    assert.equal(both.exitCode, 2);
    assert.match(both.stderr, /give exactly one of --name and --generate-name/);
    const kind = await dispatch(['create-pvc', '--name', 'a', '--data-source-ref-kind', 'Pod', '--data-source-ref-name', 'x'], env());
    assert.equal(kind.exitCode, 2);
    assert.match(kind.stderr, /invalid --data-source-ref-kind 'Pod'/);
    const paths = await dispatch(['create-pvc', '--name', 'a', '--size', '1Gi', 'storage.yaml'], env());
    assert.match(paths.stderr, /manifest paths are read with -o yaml only/);
    const missing = await dispatch(['create-pvc', '--name', 'a', '-n', 'vms', '--data-source-ref-kind', 'VolumeImportSource', '--data-source-ref-name', 'nope', '-o', 'yaml', 'storage.yaml'], env());
    assert.equal(missing.exitCode, 2);
    assert.match(missing.stderr, /VolumeImportSource vms\/nope does not exist/);
  });

  test('--dry-run against a cluster changes nothing; --yes creates it (WaitForFirstConsumer: explained, not waited for)', async () => {
    const dry = await dispatch(['create-pvc', '--name', 'wffc', '--size', '1Gi', '--storage-class', 'ocs-rbd', '--dry-run', '--kubeconfig', kubeconfig], env());
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.match(dry.stdout, /create\s+PersistentVolumeClaim vms\/wffc/);
    assert.equal(emu.store.get('v1', 'PersistentVolumeClaim', 'vms', 'wffc'), undefined);
    const r = await dispatch(['create-pvc', '--name', 'wffc', '--size', '1Gi', '--storage-class', 'ocs-rbd', '--yes', '--kubeconfig', kubeconfig, '--journal-namespace', 'kvs-journal'], env());
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /WaitForFirstConsumer\): the PVC stays Pending until a pod/);
    const pvc = emu.store.get('v1', 'PersistentVolumeClaim', 'vms', 'wffc') as { spec: Record<string, unknown> };
    assert.deepEqual(pvc.spec['accessModes'], ['ReadWriteMany']);
    assert.equal(pvc.spec['volumeMode'], 'Block');
    assert.deepEqual(pvc.spec['resources'], { requests: { storage: '4294967296' } }, 'raised to the 4Gi StorageProfile minimum');
    const again = await dispatch(['create-pvc', '--name', 'wffc', '--size', '1Gi', '--storage-class', 'ocs-rbd', '--yes', '--kubeconfig', kubeconfig, '--journal-namespace', 'kvs-journal'], env());
    assert.equal(again.exitCode, 0);
    assert.match(again.stdout, /Nothing to change/);
  });
});
