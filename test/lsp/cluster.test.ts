/**
 * The language server with a live cluster: the built server (dist/server.js) over stdio, its kubeconfig
 * setting pointing at the API emulator. A snapshot that exists only in the cluster resolves; a change in the
 * cluster refreshes diagnostics; an outage is one degraded status, recovery clears it, and workspace-only
 * analysis goes on meanwhile.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { listContextsRequest, useContextRequest } from '../../protocol/contexts.js';
import type { StatusParams } from '../../protocol/status.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { LspClient } from './lspClient.js';
import { rangeOf, restorePvc, storageClass, volumeSnapshot, yamlFile } from './manifests.js';

const serverPath = resolve('dist/server.js');
const rules = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => String(d.code));
const degraded = (statuses: StatusParams[]): StatusParams[] => statuses.filter((s) => s.state === 'degraded');

describe('language server with a live cluster (API emulator)', () => {
  let emu: Emulator;
  let lsp: LspClient;
  let folder: string;
  let kubeconfig: string;
  const configuration = { cluster: { kubeconfig: '', context: '' }, restore: { strictProvisioners: ['csi.trident.netapp.io'] } };
  const uriOf = (name: string): string => pathToFileURL(join(folder, name)).href;
  const open = (uri: string, text: string): Promise<void> =>
    lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-lsp-cluster-'));
    emu = await startEmulator();
    emu.store.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'trident-nas' }, provisioner: 'csi.trident.netapp.io' });
    emu.store.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDI', metadata: { name: 'cdi' }, spec: {}, status: { observedVersion: 'v1.63.1' } });
    emu.store.create({
      apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'cluster-snap', namespace: 'vms' },
      spec: { source: { persistentVolumeClaimName: 'tpm' } }, status: { readyToUse: true, restoreSize: '20Mi' },
    });
    kubeconfig = join(folder, 'kubeconfig.yaml');
    writeFileSync(kubeconfig, emu.kubeconfig({ namespace: 'vms', contextName: 'lab' }));
    configuration.cluster.kubeconfig = kubeconfig;
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => configuration });
  });

  after(async () => {
    lsp?.dispose();
    await emu?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('connects with the kubeconfig setting; the status names the context', async () => {
    const status = await lsp.waitFor(() => lsp.statuses.find((s) => s.cluster?.state === 'connected'), 'a connected cluster status');
    assert.equal(status.state, 'ok');
    assert.deepEqual({ context: status.cluster?.context, namespace: status.cluster?.namespace }, { context: 'lab', namespace: 'vms' });
    const contexts = await lsp.within(lsp.connection.sendRequest(listContextsRequest), 'listContexts');
    assert.ok(contexts.ok);
    assert.deepEqual(contexts.contexts.map((c) => [c.name, c.namespace]), [['lab', 'vms']]);
    assert.equal(contexts.active, 'lab');
    // Clients that predate the typed protocol (and generic LSP clients) send `{}`: the same answer.
    const untyped: unknown = await lsp.within(lsp.connection.sendRequest(listContextsRequest.method, {}), 'listContexts with {}');
    assert.deepEqual(untyped, contexts);
  });

  test('a PVC restoring a snapshot that exists only in the cluster; diagnostics follow the cluster', async () => {
    const uri = uriOf('restore.yaml');
    const text = restorePvc('tpm-restore', 'cluster-snap', '21Mi', 'trident-nas');
    await open(uri, text);
    const first = await lsp.waitForDiagnostics(uri, (p) => rules(p).includes('restore-size-exceeded'), 'restore-size-exceeded from the cluster snapshot');
    assert.deepEqual(rules(first), ['restore-size-exceeded']);
    assert.deepEqual(first.diagnostics[0]!.range, rangeOf(text, '21Mi'));
    assert.equal(first.diagnostics[0]!.severity, 1, 'an error on the strict Trident class, which is also only in the cluster');
    assert.match(first.diagnostics[0]!.message, /20Mi/);

    emu.store.patchStatus('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', 'vms', 'cluster-snap', { restoreSize: '21Mi' });
    await lsp.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'no diagnostics once the snapshot reports 21Mi');
  });

  test('a failing watch is one degraded status; recovery clears it', async () => {
    const before = degraded(lsp.statuses).length;
    emu.faults.failNext({ method: 'GET', path: /\/volumesnapshots$/ }, 503, 2);
    emu.faults.dropWatches();
    const bad = await lsp.waitFor(() => degraded(lsp.statuses)[before], 'a degraded status');
    assert.equal(bad.cluster?.state, 'unavailable');
    assert.match(bad.message, /^Cluster "lab" unavailable, analysing the workspace only: .*503/);
    const back = await lsp.waitFor(() => lsp.statuses.slice(lsp.statuses.indexOf(bad)).find((s) => s.state === 'ok'), 'the status back to ok');
    assert.equal(back.cluster?.state, 'connected');
    assert.equal(degraded(lsp.statuses).length, before + 1, 'one degraded status for the outage');
  });

  test('useContext switches now and answers with the outcome; a changed context setting wins again', async () => {
    const result = await lsp.within(lsp.connection.sendRequest(useContextRequest, { context: 'nope' }), 'useContext');
    assert.equal(result.state, 'unavailable');
    assert.match(result.message, /context "nope" is not in kubeconfig .*available: lab/);
    const seen = lsp.statuses.length;
    configuration.cluster.context = 'lab';
    await lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const back = await lsp.waitFor(() => lsp.statuses.slice(seen).find((s) => s.cluster?.state === 'connected'), 'connected again after the setting changed');
    assert.equal(back.cluster?.context, 'lab');
    assert.equal(back.state, 'ok');
  });

  test('cluster gone: one degraded status; workspace-only diagnostics still flow', async () => {
    const wsUri = uriOf('workspace-only.yaml');
    const wsText = yamlFile(volumeSnapshot('ws-snap', '10Gi'), storageClass('local-nas', 'csi.trident.netapp.io'), restorePvc('ws-restore', 'ws-snap', '11Gi', 'local-nas'));
    await open(wsUri, wsText);
    await lsp.waitForDiagnostics(wsUri, (p) => rules(p).includes('restore-size-exceeded'), 'the workspace-only finding');
    const clusterUri = uriOf('restore.yaml');
    const before = degraded(lsp.statuses).length;

    await emu.close();
    const bad = await lsp.waitFor(() => degraded(lsp.statuses)[before], 'a degraded status after the cluster went away');
    assert.equal(bad.cluster?.state, 'unavailable');
    assert.match(bad.message, /^Cluster "lab" unavailable, analysing the workspace only: .*cannot reach https:\/\/127\.0\.0\.1:\d+/);
    // Workspace-only: the cluster's snapshot is no longer known.
    await lsp.waitForDiagnostics(clusterUri, (p) => rules(p).includes('snapshot-not-found'), 'the cluster-backed PVC falls back to workspace facts');

    const edit = rangeOf(wsText, '11Gi');
    await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: wsUri, version: 2 },
      contentChanges: [{ range: edit, text: '12Gi' }],
    });
    const after = await lsp.waitForDiagnostics(wsUri, (p) => p.version === 2, 'diagnostics of the edited workspace-only document');
    assert.deepEqual(rules(after), ['restore-size-exceeded']);
    assert.match(after.diagnostics[0]!.message, /12Gi/);
    assert.equal(degraded(lsp.statuses).length, before + 1, 'one degraded status, not one per file or per cache');
    assert.equal(lsp.errorLogs.length, 0, lsp.errorLogs.join('\n'));
  });

});
