/**
 * The GCP golden-image workaround through the built language server, with the API emulator seeded as OpenShift
 * 4.21 (CDI played by the test): the checklist's request (the seven steps, what each writes, verification),
 * the `gcp-images` operation over the operations protocol (the dry run's per-write outcomes carry the step
 * and, for updates, the diff), the diagnostics of examples/gcp-golden-images.yaml in an open document, and the
 * completion of the PD driver's parameters.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CompletionRequest, DidOpenTextDocumentNotification, type CompletionItem, type CompletionList } from 'vscode-languageserver-protocol/node';
import { gcpImagesDetectRequest } from '../../protocol/gcpImages.js';
import { operationDryRunRequest, operationPlanRequest } from '../../protocol/operations.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { emulatorStore, playCdi, type CdiPlayer } from '../gcpImages/cdiPlayer.js';
import { platforms } from '../gcpImages/platforms.js';
import { LspClient } from './lspClient.js';

const serverPath = resolve('dist/server.js');

describe('language server: the GCP golden-image workaround', () => {
  let emu: Emulator;
  let cdi: CdiPlayer;
  let lsp: LspClient;
  let folder: string;

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-lsp-gcp-'));
    const p = platforms.openshift421();
    emu = await startEmulator(p.emulator);
    for (const o of p.objects) emu.store.upsert(o);
    cdi = playCdi(emulatorStore(emu), { automatic: false });
    const kubeconfig = join(folder, 'kubeconfig.yaml');
    writeFileSync(kubeconfig, emu.kubeconfig({ namespace: 'default', contextName: 'ocp421' }));
    const configuration = { cluster: { kubeconfig } };
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => configuration });
    await lsp.waitFor(() => lsp.statuses.find((s) => s.cluster?.state === 'connected'), 'a connected cluster');
  });

  after(async () => {
    await cdi?.stop();
    lsp?.dispose();
    await emu?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('the checklist: the seven steps with their state and reason, the writes of the needed ones, verification pending', async () => {
    const r = await lsp.within(lsp.connection.sendRequest(gcpImagesDetectRequest, {}), 'the checklist', 20_000);
    assert.ok(r.ok, r.ok ? '' : r.message);
    const v = r.view;
    assert.equal(v.context, 'ocp421');
    assert.deepEqual(v.steps.map((s) => s.state), platforms.openshift421().expected);
    assert.deepEqual(v.steps.map((s) => s.writes.length), [1, 0, 1, 1, 1, 1, 0]);
    assert.match(v.steps[0]!.writes[0]!.text, /^# apply \(server-side\): StorageClass cnv-images\napiVersion: storage\.k8s\.io\/v1\n/);
    assert.match(v.steps[4]!.writes[0]!.text, /^# merge patch of HyperConverged openshift-cnv\/kubevirt-hyperconverged\nspec:\n {2}dataImportCronTemplates:\n/);
    assert.equal(v.steps[5]!.writes[0]!.label, 'every VolumeSnapshot in namespace openshift-virtualization-os-images selected by cdi.kubevirt.io/dataImportCron in (fedora-image-cron,rhel9-image-cron)');
    assert.equal(v.verification.state, 'pending');
    assert.ok(v.plan.ok && /steps 1, 3, 4, 5, 6/.test(v.plan.title));
    const bad = await lsp.within(lsp.connection.sendRequest(gcpImagesDetectRequest, { options: { steps: 'nine' } }), 'a bad option');
    assert.ok(bad.ok && !bad.view.plan.ok && /not "nine"/.test(bad.view.plan.message));
  });

  test('the operation over the operations protocol: the dry run names each write\'s step, and the HyperConverged update has its diff', async () => {
    const planned = await lsp.within(lsp.connection.sendRequest(operationPlanRequest, { operation: 'gcp-images' }), 'the plan', 20_000);
    assert.ok(planned.ok, planned.ok ? '' : planned.message);
    assert.deepEqual(planned.plan.deletes, ['every VolumeSnapshot selected by cdi.kubevirt.io/dataImportCron in (fedora-image-cron,rhel9-image-cron) in openshift-virtualization-os-images']);
    const dry = await lsp.within(lsp.connection.sendRequest(operationDryRunRequest, { planId: planned.plan.planId }), 'the dry run', 20_000);
    assert.ok(dry.ok, dry.ok ? '' : dry.message);
    assert.deepEqual(dry.dryRun.outcomes.map((o) => [o.phase, o.action, o.label]), [
      ['images-storage-class', 'create', 'StorageClass cnv-images'],
      ['images-snapshot-class', 'create', 'VolumeSnapshotClass cnv-images'],
      ['storage-profile', 'create', 'StorageProfile cnv-images'],
      ['golden-image-templates', 'update', 'HyperConverged openshift-cnv/kubevirt-hyperconverged'],
      ['golden-image-snapshots', 'delete', 'VolumeSnapshot openshift-virtualization-os-images/fedora-12ab34cd56ef'],
      ['golden-image-snapshots', 'delete', 'VolumeSnapshot openshift-virtualization-os-images/rhel9-ab12cd34ef56'],
    ]);
    const hco = dry.dryRun.outcomes.find((o) => o.phase === 'golden-image-templates')!;
    assert.match(hco.diff ?? '', /^diff against the live object:\n[\s\S]*\+ {4}- metadata:\n\+ {8}name: rhel9-image-cron/);
    assert.deepEqual(dry.dryRun.deletes, ['VolumeSnapshot openshift-virtualization-os-images/fedora-12ab34cd56ef', 'VolumeSnapshot openshift-virtualization-os-images/rhel9-ab12cd34ef56']);
  });

  test("an open examples/gcp-golden-images.yaml gets the workaround's diagnostics, source kubevirt-storage", async () => {
    const text = readFileSync('examples/gcp-golden-images.yaml', 'utf8');
    const uri = pathToFileURL(join(folder, 'gcp-golden-images.yaml')).href;
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const published = await lsp.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'hco-field-path'), 'hco-field-path');
    const codes = [...new Set(published.diagnostics.map((d) => String(d.code)))].sort();
    assert.deepEqual(codes, ['gcp-images-class-default', 'gcp-pd-invalid-value', 'hco-field-path', 'multiple-default-snapshot-classes', 'snapshot-api-unserved', 'snapshotclass-spec-field', 'storageprofile-snapshotclass-missing']);
    assert.ok(published.diagnostics.every((d) => d.source === 'kubevirt-storage'));
    // The cluster knows VolumeSnapshotClasses (csi-gce-pd-vsc): a class missing from both is an error now.
    assert.equal(published.diagnostics.find((d) => d.code === 'storageprofile-snapshotclass-missing')?.severity, 1);
  });

  test('completion of the PD parameters: keys under a PD StorageClass\'s parameters, the snapshot types after snapshot-type:', async () => {
    const uri = pathToFileURL(join(folder, 'pd-classes.yaml')).href;
    const text = 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: hd\nprovisioner: pd.csi.storage.gke.io\nparameters:\n  type: hyperdisk-balanced\n  prov\n---\napiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata:\n  name: images\ndriver: pd.csi.storage.gke.io\ndeletionPolicy: Delete\nparameters:\n  snapshot-type: \n';
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const items = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? []));
    const keys = items(await lsp.within(lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 7, character: 6 } }), 'key completion'));
    assert.ok(keys.some((i) => i.label === 'provisioned-throughput-on-create'));
    assert.ok(!keys.some((i) => i.label === 'type'), 'type is already written');
    const key = keys.find((i) => i.label === 'replication-type')!;
    assert.deepEqual(key.textEdit, { range: { start: { line: 7, character: 2 }, end: { line: 7, character: 6 } }, newText: 'replication-type: ' });
    const values = items(await lsp.within(lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 16, character: 17 }, context: { triggerKind: 2, triggerCharacter: ' ' } }), 'value completion'));
    assert.deepEqual(values.map((i) => [i.label, i.textEdit && 'newText' in i.textEdit ? i.textEdit.newText : undefined]), [['snapshots', 'snapshots'], ['images', 'images']]);
    const none = items(await lsp.within(lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 3, character: 4 } }), 'no completion'));
    assert.deepEqual(none, [], 'nothing outside parameters: other YAML tools keep the field');
  });
});
