/**
 * "Check with the cluster" over the protocol: the built server against the API emulator, with a CDI-like PVC
 * webhook behind `cdi-api-pvc-mutate` that inflates by 10 % (the model predicts CDI v1.63.1's 6 %). The hover and
 * the code action offer the check; `kubevirtStorage/checkWithCluster` answers with the prediction and the API
 * server's dry-run render side by side; the diagnostic then uses the cluster's figure and says so.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CodeActionKind, CodeActionRequest, DidOpenTextDocumentNotification, HoverRequest, type CodeAction, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { checkWithClusterRequest } from '../../protocol/probe.js';
import { requiredSpace } from '../../core/cdi/size.js';
import { parseQuantity } from '../../core/quantity.js';
import { cdiPvcMutate, storageOf } from '../emulator/admissionFixtures.js';
import { startWebhook, type TestWebhook } from '../emulator/helpers.js';
import { createCa, startEmulator, type Emulator } from '../emulator/index.js';
import { LspClient } from './lspClient.js';
import { rangeOf } from './manifests.js';

const serverPath = resolve('dist/server.js');
const inflation = (p: PublishDiagnosticsParams) => p.diagnostics.find((d) => d.code === 'cdi-restore-inflation');

const manifest = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: tpm-restore
  labels:
    cdi.kubevirt.io/applyStorageProfile: "true"
spec:
  storageClassName: trident-nas
  accessModes: [ReadWriteOnce]
  volumeMode: Filesystem
  dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: tpm-snap}
  dataSourceRef: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: tpm-snap}
  resources:
    requests:
      storage: 20Mi
`;

describe('language server: Check with the cluster', () => {
  let emu: Emulator;
  let cdi: TestWebhook;
  let lsp: LspClient;
  let folder: string;
  const configuration = { cluster: { kubeconfig: '' }, restore: { strictProvisioners: ['csi.trident.netapp.io'] } };

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-lsp-probe-'));
    emu = await startEmulator();
    emu.store.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'trident-nas' }, provisioner: 'csi.trident.netapp.io' });
    emu.store.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDI', metadata: { name: 'cdi' }, spec: {}, status: { observedVersion: 'v1.63.1' } });
    emu.store.create({
      apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'tpm-snap', namespace: 'vms' },
      spec: { source: { persistentVolumeClaimName: 'tpm' } }, status: { readyToUse: true, restoreSize: '20Mi' },
    });
    cdi = await startWebhook(await createCa('lsp-probe-ca'), ['cdi-api.cdi.svc'], (r) => {
      const q = parseQuantity(storageOf(r.object) ?? '');
      const inflated = q.ok ? requiredSpace(q.quantity.bytes, '0.1', 'multiply') : undefined;
      return inflated?.ok ? { patch: [{ op: 'replace', path: '/spec/resources/requests/storage', value: String(inflated.bytes) }] } : {};
    });
    emu.services.register('cdi', 'cdi-api', 443, cdi.url);
    emu.store.create(cdiPvcMutate(cdi.caBundle));
    const kubeconfig = join(folder, 'kubeconfig.yaml');
    writeFileSync(kubeconfig, emu.kubeconfig({ namespace: 'vms', contextName: 'lab' }));
    configuration.cluster.kubeconfig = kubeconfig;
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => configuration });
  });

  after(async () => {
    lsp?.dispose();
    await cdi?.close();
    await emu?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test("the hover links it, the code action offers it, and the answer replaces the prediction in the diagnostic", async () => {
    await lsp.waitFor(() => lsp.statuses.find((s) => s.cluster?.state === 'connected'), 'a connected cluster');
    const uri = pathToFileURL(join(folder, 'restore.yaml')).href;
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: manifest } });
    // The server reads cdi-api-pvc-mutate once connected: the diagnostic is re-published when it knows.
    const selects = 'cdi-api-pvc-mutate (pvc-mutate.cdi.kubevirt.io) on the cluster lab selects it';
    const predicted = await lsp.waitForDiagnostics(uri, (p) => inflation(p)?.message.includes('22,229,812') === true && inflation(p)!.message.includes(selects), 'the model: 20Mi × 1.06');
    const diagnostic = inflation(predicted)!;

    const position = rangeOf(manifest, '20Mi').start;
    const hover = await lsp.within(lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), 'hover');
    const hoverText = (hover?.contents as { value: string }).value;
    assert.match(hoverText, /\[Check with the cluster\]\(command:kubevirtStorage\.checkWithCluster\?/);
    const args = JSON.parse(decodeURIComponent(/command:kubevirtStorage\.checkWithCluster\?([^ )]+)/.exec(hoverText)![1]!)) as [{ uri: string; position: unknown }];
    assert.deepEqual(args, [{ uri, position }]);

    const actions = (await lsp.within(
      lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: [CodeActionKind.QuickFix] } }),
      'code actions',
    )) as CodeAction[];
    const check = actions.find((a) => a.title === 'Check with the cluster');
    assert.ok(check, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(check.command?.command, 'kubevirtStorage.checkWithCluster');

    const answer = await lsp.within(lsp.connection.sendRequest(checkWithClusterRequest, check.command!.arguments![0] as { uri: string; position: { line: number; character: number } }), 'checkWithCluster');
    assert.ok(answer.ok, JSON.stringify(answer));
    assert.equal(answer.context, 'lab');
    assert.deepEqual(answer.checks.map((c) => [c.agrees, c.differences]), [[false, ['request']]]);
    assert.match(answer.markdown, /\| request \| 22,229,812 bytes \| 23,068,672 bytes \|/, 'the prediction and the cluster side by side');
    assert.ok(emu.webhookCalls.some((c) => c.dryRun), 'the webhook saw a dry run');

    const live = await lsp.waitForDiagnostics(uri, (p) => inflation(p)?.message.includes('23,068,672') === true, "the diagnostic on the cluster's figure");
    assert.match(inflation(live)!.message, /The API server's dry run on the cluster lab of PersistentVolumeClaim tpm-restore in namespace vms stored 23,068,672 bytes for this request\./);
  });

  test('nothing to check on a document without a PVC', async () => {
    const uri = pathToFileURL(join(folder, 'other.yaml')).href;
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' } });
    const r = await lsp.within(lsp.connection.sendRequest(checkWithClusterRequest, { uri, position: { line: 1, character: 2 } }), 'checkWithCluster');
    assert.deepEqual(r.ok, false);
    assert.match((r as { message: string }).message, /^Nothing to check with the cluster here: no PersistentVolumeClaim or VirtualMachineRestore here \(a ConfigMap x\)\.$/);
  });
});
