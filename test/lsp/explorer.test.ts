/**
 * The storage explorer over LSP: the built server (dist/server.js) connected to each test target (the API
 * emulator and the real API server of test/apiserver) through `kubevirtStorage.cluster.kubeconfig`; every level of
 * the tree, paging past 500 children, an object as YAML, a restore PVC manifest, `changed` after the target's
 * objects change, and the states without a usable cluster.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidChangeConfigurationNotification } from 'vscode-languageserver-protocol/node';
import { parse } from 'yaml';
import {
  explorerChangedNotification,
  explorerChildrenRequest,
  explorerObjectRequest,
  explorerPageSize,
  explorerRestorePvcRequest,
  type ExplorerChangedParams,
  type ExplorerChildrenParams,
  type ExplorerChildrenResult,
  type ExplorerNode,
  type ExplorerObjectParams,
} from '../../protocol/explorer.js';
import type { KubeObject } from '../../cluster/paths.js';
import { describeTargets, type TestTarget } from '../cluster/target.js';
import { cdiPvcMutate } from '../emulator/admissionFixtures.js';
import { startEmulator } from '../emulator/index.js';
import { LspClient } from './lspClient.js';

const serverPath = resolve('dist/server.js');
const bulk = 1_200;
const snap = 'snapshot.storage.k8s.io/v1';
const ref = { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'disk-snap' };
const cdiLabel = { 'cdi.kubevirt.io/applyStorageProfile': 'true' };

function objects(): KubeObject[] {
  const out: KubeObject[] = [];
  out.push({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'trident-nas', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'csi.trident.netapp.io' });
  out.push({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'ceph-rbd', annotations: { 'storageclass.kubevirt.io/is-default-virt-class': 'true' } }, provisioner: 'rbd.csi.ceph.com' });
  out.push({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'trident-nas' }, spec: {}, status: { claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }] } });
  out.push({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'ceph-rbd' }, spec: {}, status: {} });
  // CDI v1.63 with its PVC webhook configuration (no PVC here carries its label): it inflates the VM's labelled TPM restore.
  out.push({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDI', metadata: { name: 'cdi' }, spec: {}, status: { observedVersion: 'v1.63.1' } });
  out.push(cdiPvcMutate('') as KubeObject);
  const snapshot = (namespace: string, name: string, status: object, source = 'disk') =>
    out.push({ apiVersion: snap, kind: 'VolumeSnapshot', metadata: { name, namespace, managedFields: [{ manager: 'kubectl', operation: 'Update' }] }, spec: { source: { persistentVolumeClaimName: source } }, status });
  snapshot('vms', 'disk-snap', { readyToUse: true, restoreSize: '20Mi' });
  snapshot('vms', 'pending-snap', {});
  snapshot('vms', 'tpm-snap', { readyToUse: true, restoreSize: '20Mi' }, 'persistent-state-for-vm1');
  for (let i = 0; i < bulk; i++) snapshot('bulk', `snap-${String(i).padStart(4, '0')}`, { readyToUse: true, restoreSize: '1Gi' });
  const pvc = (name: string, request: string, spec: object = {}, status: object = {}) =>
    out.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'vms' }, spec: { storageClassName: 'trident-nas', accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem', resources: { requests: { storage: request } }, ...spec }, status });
  pvc('disk', '20Mi', {}, { phase: 'Bound', capacity: { storage: '20Mi' } });
  pvc('restored-big', '21Mi', { dataSource: ref, dataSourceRef: ref }, { phase: 'Pending' });
  pvc('restored-ok', '20Mi', { dataSource: ref, dataSourceRef: ref }, { phase: 'Bound', capacity: { storage: '20Mi' } });
  out.push({ apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineSnapshot', metadata: { name: 'vm1-snap', namespace: 'vms' }, spec: { source: { kind: 'VirtualMachine', name: 'vm1' } }, status: { readyToUse: true, virtualMachineSnapshotContentName: 'vm1-content' } });
  out.push({
    apiVersion: 'snapshot.kubevirt.io/v1beta1',
    kind: 'VirtualMachineSnapshotContent',
    metadata: { name: 'vm1-content', namespace: 'vms' },
    spec: {
      virtualMachineSnapshotName: 'vm1-snap',
      volumeBackups: [{ volumeName: 'tpm', volumeSnapshotName: 'tpm-snap', persistentVolumeClaim: { metadata: { name: 'persistent-state-for-vm1', labels: cdiLabel }, spec: { storageClassName: 'trident-nas', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Mi' } } } } }],
    },
  });
  out.push({
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: 'vm1', namespace: 'vms' },
    spec: {
      runStrategy: 'Halted',
      dataVolumeTemplates: [{ metadata: { name: 'vm1-root' }, spec: { source: { snapshot: { name: 'disk-snap', namespace: 'vms' } }, storage: { resources: { requests: { storage: '30Gi' } } } } }],
      template: { spec: { domain: { devices: {} }, volumes: [{ name: 'root', dataVolume: { name: 'vm1-root' } }, { name: 'data', persistentVolumeClaim: { claimName: 'disk' } }] } },
    },
  });
  out.push({
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name: 'vm1-root', namespace: 'vms' },
    spec: { source: { snapshot: { name: 'disk-snap', namespace: 'vms' } }, storage: { resources: { requests: { storage: '30Gi' } } } },
    status: { phase: 'CloneInProgress', progress: '45.0%' },
  });
  return out;
}

describeTargets('the storage explorer over LSP', (spec) => {
  let lsp: LspClient;
  let emu: TestTarget;
  let folder: string;
  const changes: ExplorerChangedParams[] = [];
  const configuration = { restore: { strictProvisioners: ['csi.trident.netapp.io'] }, cluster: { kubeconfig: '' } };

  const children = (parent?: string, offset?: number): Promise<ExplorerChildrenResult> => {
    const params: ExplorerChildrenParams = { ...(parent === undefined ? {} : { parent }), ...(offset === undefined ? {} : { offset }) };
    return lsp.within(lsp.connection.sendRequest(explorerChildrenRequest, params), `children of ${parent ?? 'the root'}`);
  };
  const node = async (parent: string, id: string): Promise<ExplorerNode> => {
    const found = (await children(parent)).nodes.find((n) => n.id === id);
    assert.ok(found, `${id} under ${parent}`);
    return found;
  };
  /** Polls `check` until it returns a value (a condition with a deadline, no fixed sleep). */
  const until = async <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server stderr: ${lsp.stderr || '(empty)'}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const useKubeconfig = async (path: string): Promise<void> => {
    configuration.cluster.kubeconfig = path;
    await lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { kubevirtStorage: configuration } });
  };
  const kubeconfigFile = (name: string, text: string): string => {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first (\`npm test\` builds before testing)`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-explorer-'));
    emu = await spec.start();
    await emu.seed(...objects());
    configuration.cluster.kubeconfig = emu.kubeconfigFile({ contextName: 'emulator', namespace: 'vms' });
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => configuration });
    lsp.connection.onNotification(explorerChangedNotification, (p: ExplorerChangedParams) => changes.push(p));
    await until('the explorer to show the connected context', async () => ((await children()).state?.kind === 'connected' ? true : undefined));
  });

  after(async () => {
    lsp?.dispose();
    await emu?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('the root is the context, expanded, with the folders and the webhook under it', async () => {
    const root = await children();
    assert.deepEqual(root.state, { kind: 'connected', message: 'Connected to context emulator', context: 'emulator' });
    assert.deepEqual(root.nodes.map((n) => [n.id, n.kind, n.label, n.collapsible]), [['context', 'context', 'emulator', 'expanded']]);
    assert.equal(root.nodes[0]!.description, emu.url);
    const folders = await children('context');
    assert.deepEqual(folders.nodes.map((n) => n.id), ['storageClasses', 'volumeSnapshots', 'persistentVolumeClaims', 'virtualMachines', 'dataVolumes', 'vmSnapshotsAtRisk', 'volumeResizes', 'restoreSizeWebhook']);
    assert.equal(folders.nodes[1]!.description, `${(bulk + 3).toLocaleString('en-US')} in 2 namespaces`);
    // The webhook's node shows its status once read in the background (`changed` for the context tells).
    const webhook = await until('the webhook node to leave "checking…"', async () => {
      const n = await node('context', 'restoreSizeWebhook');
      return n.description === 'checking…' ? undefined : n;
    });
    assert.deepEqual([webhook.kind, webhook.label, webhook.description], ['restoreSizeWebhook', 'Restore-size webhook', 'not deployed']);
    await until('changed for the context once the status was read', async () => (changes.some((c) => c.parent === 'context' || c.parent === undefined) ? true : undefined));
  });

  test('storage classes: default and virt-default marked, provisioner, the StorageProfile claim property sets', async () => {
    const classes = (await children('storageClasses')).nodes;
    assert.deepEqual(classes.map((n) => [n.label, n.description]), [
      ['ceph-rbd', 'virt-default · rbd.csi.ceph.com'],
      ['trident-nas', 'default · csi.trident.netapp.io'],
    ]);
    assert.equal(classes[0]!.severity, 'warning', 'a StorageProfile without claimPropertySets is flagged');
    assert.deepEqual(classes[1]!.object, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name: 'trident-nas' });
    const sets = (await children('storageClasses/trident-nas')).nodes;
    assert.deepEqual(sets.map((n) => [n.kind, n.label, n.description]), [['claimPropertySet', 'ReadWriteMany', 'Filesystem · from status']]);
    const none = (await children('storageClasses/ceph-rbd')).nodes;
    assert.deepEqual(none.map((n) => [n.kind, n.label, n.severity]), [['state', 'No claim property sets', 'warning']]);
  });

  test('volume snapshots per namespace: restoreSize and readiness', async () => {
    const namespaces = (await children('volumeSnapshots')).nodes;
    assert.deepEqual(namespaces.map((n) => [n.id, n.description]), [['volumeSnapshots/bulk', '1,200 snapshots'], ['volumeSnapshots/vms', '3 snapshots · 1 not ready']]);
    const snaps = (await children('volumeSnapshots/vms')).nodes;
    assert.deepEqual(snaps.map((n) => [n.id, n.description, n.restoreSize]), [
      ['volumeSnapshots/vms/disk-snap', '20Mi · ready', '20Mi'],
      ['volumeSnapshots/vms/pending-snap', 'no restoreSize yet · not ready', undefined],
      ['volumeSnapshots/vms/tpm-snap', '20Mi · ready', '20Mi'],
    ]);
    assert.deepEqual(snaps[0]!.object, { apiVersion: snap, kind: 'VolumeSnapshot', namespace: 'vms', name: 'disk-snap' });
  });

  test(`a level of ${bulk} snapshots comes in pages of ${explorerPageSize} with a "more" node; ids are stable`, async () => {
    const ids: string[] = [];
    let offset: number | undefined;
    let pages = 0;
    do {
      const page = (await children('volumeSnapshots/bulk', offset)).nodes;
      const more = page.find((n) => n.kind === 'more');
      const objects = page.filter((n) => n !== more);
      assert.ok(objects.length <= explorerPageSize);
      ids.push(...objects.map((n) => n.id));
      offset = more?.more?.offset;
      if (more) assert.deepEqual(more.more, { parent: 'volumeSnapshots/bulk', offset: ids.length });
      pages++;
    } while (offset !== undefined);
    assert.equal(pages, 3);
    assert.equal(ids.length, bulk);
    assert.equal(new Set(ids).size, bulk);
    assert.deepEqual(ids, [...ids].sort());
    const again = (await children('volumeSnapshots/bulk', explorerPageSize)).nodes.map((n) => n.id);
    assert.deepEqual(again.slice(0, explorerPageSize), ids.slice(explorerPageSize, 2 * explorerPageSize));
  });

  test('PVCs per namespace: requested versus capacity, the restore above restoreSize at risk (an error on Trident)', async () => {
    assert.deepEqual((await children('persistentVolumeClaims')).nodes.map((n) => [n.label, n.description, n.severity]), [['vms', '3 PVCs · 1 at risk', 'error']]);
    const pvcs = (await children('persistentVolumeClaims/vms')).nodes;
    assert.deepEqual(pvcs.map((n) => [n.label, n.description, n.severity]), [
      ['disk', '20Mi requested · 20Mi capacity · Bound', undefined],
      ['restored-big', '21Mi requested · no capacity yet · Pending · at risk', 'error'],
      ['restored-ok', '20Mi requested · 20Mi capacity · Bound', undefined],
    ]);
    assert.match(pvcs[1]!.tooltip ?? '', /restore-size-exceeded.*22,020,096 bytes, more than VolumeSnapshot vms\/disk-snap's restoreSize 20Mi/);
  });

  test('virtual machines and data volumes per namespace: disks with the size they ask for, figures first', async () => {
    const folders = (await children('context')).nodes;
    assert.equal(folders.find((n) => n.id === 'virtualMachines')?.description, '1 in 1 namespace');
    assert.deepEqual((await children('virtualMachines')).nodes.map((n) => [n.id, n.description]), [['virtualMachines/vms', '1 VM']]);
    const vms = (await children('virtualMachines/vms')).nodes;
    assert.deepEqual(vms.map((n) => [n.kind, n.label, n.description, n.collapsible]), [['virtualMachine', 'vm1', '2 disks · Halted', 'collapsed']]);
    assert.deepEqual(vms[0]!.object, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', namespace: 'vms', name: 'vm1' });
    const disks = (await children('virtualMachines/vms/vm1')).nodes;
    assert.deepEqual(disks.map((n) => [n.label, n.description, n.object?.kind]), [
      ['root', '30Gi · DataVolume vm1-root (template) · from snapshot vms/disk-snap', 'DataVolume'],
      ['data', '20Mi · PVC disk', 'PersistentVolumeClaim'],
    ]);
    const dvs = (await children('dataVolumes/vms')).nodes;
    assert.deepEqual(dvs.map((n) => [n.kind, n.label, n.description]), [['dataVolume', 'vm1-root', '30Gi · CloneInProgress 45.0% · from snapshot vms/disk-snap']]);
  });

  test('VM snapshots at risk: the TPM volume CDI inflates above its snapshot', async () => {
    const atRisk = (await children('vmSnapshotsAtRisk')).nodes;
    assert.deepEqual(atRisk.map((n) => [n.id, n.severity]), [['vmSnapshotsAtRisk/vms/vm1-snap', 'warning']]);
    const volumes = (await children('vmSnapshotsAtRisk/vms/vm1-snap')).nodes;
    assert.deepEqual(volumes.map((n) => n.label), ['tpm']);
    assert.match(volumes[0]!.tooltip ?? '', /CDI's PVC webhook will inflate it from 20,971,520 to [\d,]+ bytes/);
  });

  test('an object as YAML from the cache, without managedFields; a missing one is a value, not an error', async () => {
    const get = (p: ExplorerObjectParams) => lsp.within(lsp.connection.sendRequest(explorerObjectRequest, p), 'object');
    const r = await get({ apiVersion: snap, kind: 'VolumeSnapshot', namespace: 'vms', name: 'disk-snap' });
    assert.ok(r.ok, JSON.stringify(r));
    const o = parse(r.yaml) as { apiVersion: string; kind: string; metadata: Record<string, unknown>; status: unknown };
    assert.deepEqual([o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace], [snap, 'VolumeSnapshot', 'disk-snap', 'vms']);
    assert.deepEqual(o.status, { readyToUse: true, restoreSize: '20Mi' });
    assert.ok(!('managedFields' in o.metadata));
    const pvc = await get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'vms', name: 'disk' });
    assert.ok(pvc.ok && pvc.yaml.startsWith('apiVersion: v1\nkind: PersistentVolumeClaim\n'), JSON.stringify(pvc));
    assert.deepEqual(await get({ apiVersion: snap, kind: 'VolumeSnapshot', namespace: 'vms', name: 'gone' }), { ok: false, message: 'VolumeSnapshot vms/gone is not in the cluster (any more)' });
  });

  test('a new restore PVC for a snapshot copies its source PVC', async () => {
    const r = await lsp.within(lsp.connection.sendRequest(explorerRestorePvcRequest, { namespace: 'vms', name: 'disk-snap' }), 'restorePvc');
    assert.ok(r.ok, JSON.stringify(r));
    const spec = (parse(r.yaml) as { spec: Record<string, unknown> }).spec;
    assert.deepEqual(spec, { storageClassName: 'trident-nas', accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem', resources: { requests: { storage: '20Mi' } }, dataSource: ref, dataSourceRef: ref });
    const pending = await lsp.connection.sendRequest(explorerRestorePvcRequest, { namespace: 'vms', name: 'pending-snap' });
    assert.equal(pending.ok, false);
  });

  test('`changed` follows the target: a snapshot becoming ready, a PVC binding', async () => {
    changes.length = 0;
    await emu.patchStatus(snap, 'VolumeSnapshot', 'vms', 'pending-snap', { readyToUse: true, restoreSize: '1Gi' });
    await until('a changed notification for the snapshot', async () => (changes.some((c) => c.parent === undefined) ? true : undefined));
    const pending = await node('volumeSnapshots/vms', 'volumeSnapshots/vms/pending-snap');
    assert.equal(pending.description, '1Gi · ready');
    changes.length = 0;
    await emu.patchStatus('v1', 'PersistentVolumeClaim', 'vms', 'restored-big', { phase: 'Bound', capacity: { storage: '21Mi' } });
    // Only the PVC folder: a PVC changes no fact, so the rest of the tree need not be read again.
    await until('a changed notification for the PVC folder', async () => (changes.some((c) => c.parent === 'persistentVolumeClaims') ? true : undefined));
    const bound = await node('persistentVolumeClaims/vms', 'persistentVolumeClaims/vms/restored-big');
    assert.equal(bound.description, '21Mi requested · 21Mi capacity · Bound · at risk');
  });

  test('states: groups not served, an unreachable cluster, no kubeconfig', async () => {
    const bare = await spec.start({ withoutGroups: ['snapshot.storage.k8s.io', 'snapshot.kubevirt.io', 'cdi.kubevirt.io'] });
    try {
      await useKubeconfig(bare.kubeconfigFile({ contextName: 'bare' }));
      await until('the bare context', async () => ((await children()).state?.kind === 'connected' && (await children()).nodes[0]?.label === 'bare' ? true : undefined));
      assert.deepEqual((await children('volumeSnapshots')).nodes.map((n) => [n.kind, n.label]), [['state', 'snapshot.storage.k8s.io is not served']]);
      assert.deepEqual((await children('vmSnapshotsAtRisk')).nodes.map((n) => [n.kind, n.label]), [['state', 'snapshot.kubevirt.io is not served']]);
      assert.deepEqual((await children('storageClasses')).nodes, []);
    } finally {
      await bare.close();
    }
    const closed = await startEmulator();
    const unreachable = kubeconfigFile('unreachable.kubeconfig', closed.kubeconfig({ contextName: 'gone' }));
    await closed.close();
    await useKubeconfig(unreachable);
    const down = await until('the unreachable state', async () => {
      const r = await children();
      // Of the new context: the old one may be reported unavailable first while its server stops.
      return r.state?.kind === 'unavailable' && r.state.context !== 'bare' ? r : undefined;
    });
    assert.equal(down.nodes.length, 1);
    assert.deepEqual([down.nodes[0]!.kind, down.nodes[0]!.label, down.nodes[0]!.severity], ['state', 'Cluster unreachable', 'error']);
    assert.match(down.nodes[0]!.tooltip ?? '', /cannot reach|connection refused/);
    await useKubeconfig(join(folder, 'missing.kubeconfig'));
    const none = await until('no cluster', async () => {
      const r = await children();
      return r.state?.kind === 'no-cluster' ? r : undefined;
    });
    assert.deepEqual(none.nodes, [], 'an empty root: the client shows its welcome view');
  });
}, { kinds: ['cluster'], why: 'the tree is compared whole, so the cluster must hold nothing but what the suite seeds' });
