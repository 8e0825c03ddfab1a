/**
 * The restore-size webhook through the built language server (dist/server.js over stdio) with the API emulator
 * as its cluster: "Deploy the restore-size webhook" is offered on a cdi-restore-inflation diagnostic while the
 * webhook is not deployed; the operations requests (list, plan, dry run, apply with progress notifications and
 * the rollout played by the test, status, rotation and its undo, uninstall) work end to end; the action goes
 * once deployed and comes back after uninstall.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CodeActionRequest, DidOpenTextDocumentNotification, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import {
  operationApplyRequest,
  operationDryRunRequest,
  operationPlanRequest,
  operationProgressNotification,
  operationsListRequest,
  operationStatusRequest,
  operationUndoPreviewRequest,
  operationUndoRequest,
  type OperationProgressParams,
} from '../../protocol/operations.js';
import { webhookStatusRequest } from '../../protocol/webhook.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { playDeploymentController } from '../webhook/helpers.js';
import { cdiPvcMutate } from '../emulator/admissionFixtures.js';
import { LspClient } from './lspClient.js';
import { storageClass, volumeSnapshot, yamlFile } from './manifests.js';

const serverPath = resolve('dist/server.js');
const NAMESPACE = 'kvs-lsp';
const NAME = 'kubevirt-storage-restore-size';

const seed = yamlFile(
  storageClass('nas', 'csi.trident.netapp.io'),
  volumeSnapshot('tpm-snap', '20Mi'),
  `apiVersion: cdi.kubevirt.io/v1beta1
kind: CDI
metadata:
  name: cdi
status:
  observedVersion: v1.63.1
`,
  `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: restore-tpm
  labels:
    cdi.kubevirt.io/applyStorageProfile: "true"
spec:
  storageClassName: nas
  accessModes: [ReadWriteMany]
  volumeMode: Filesystem
  dataSource:
    apiGroup: snapshot.storage.k8s.io
    kind: VolumeSnapshot
    name: tpm-snap
  dataSourceRef:
    apiGroup: snapshot.storage.k8s.io
    kind: VolumeSnapshot
    name: tpm-snap
  resources:
    requests:
      storage: 20Mi
`,
);

describe('language server: the restore-size webhook', () => {
  let emu: Emulator;
  let lsp: LspClient;
  let folder: string;
  let diagnostic: Diagnostic;
  const progress: OperationProgressParams[] = [];
  const uri = (): string => pathToFileURL(join(folder, 'restore.yaml')).href;

  const deployActions = async (): Promise<CodeAction[]> => {
    const actions = await lsp.within(
      lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri() }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }),
      'code actions',
    );
    return ((actions ?? []) as CodeAction[]).filter((a) => a.command?.command === 'kubevirtStorage.deployWebhook');
  };

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-lsp-webhook-'));
    emu = await startEmulator({ withoutGroups: ['cert-manager.io'] });
    emu.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    // CDI's PVC webhook configuration (the server reads whether it exists); nothing here sends a PVC through it.
    emu.store.create(cdiPvcMutate(''));
    const kubeconfig = join(folder, 'kubeconfig.yaml');
    writeFileSync(kubeconfig, emu.kubeconfig({ namespace: 'default', contextName: 'lab' }));
    const configuration = { cluster: { kubeconfig } };
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => configuration });
    lsp.connection.onNotification(operationProgressNotification, (p: OperationProgressParams) => progress.push(p));
    await lsp.waitFor(() => lsp.statuses.find((s) => s.cluster?.state === 'connected'), 'a connected cluster');
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(), languageId: 'yaml', version: 1, text: seed } });
    const published = await lsp.waitForDiagnostics(uri(), (p) => p.diagnostics.some((d) => d.code === 'cdi-restore-inflation'), 'cdi-restore-inflation');
    diagnostic = published.diagnostics.find((d) => d.code === 'cdi-restore-inflation')!;
  });

  after(async () => {
    lsp?.dispose();
    await emu?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('connected and not deployed: the deploy action is offered, not preferred', async () => {
    const actions = await deployActions();
    assert.deepEqual(actions, [
      {
        title: 'Deploy the restore-size webhook',
        kind: 'quickfix',
        diagnostics: [diagnostic],
        command: { command: 'kubevirtStorage.deployWebhook', title: 'Deploy the restore-size webhook' },
      },
    ]);
  });

  test('plan, dry run and apply over the protocol; status, rotation and its undo; uninstall; the action follows', async () => {
    const list = await lsp.within(lsp.connection.sendRequest(operationsListRequest), 'the operations');
    assert.deepEqual(list.map((o) => o.id), ['webhook', 'webhook-uninstall', 'webhook-rotate', 'gcp-images', 'create-pvc', 'volumeresize-start', 'volumeresize-rollback', 'volumeresize-delete']);
    assert.deepEqual(list[0]!.options.map((o) => [o.name, o.setting ?? '']), [['tls', ''], ['namespace', 'kubevirtStorage.webhook.namespace'], ['image', 'kubevirtStorage.webhook.image'], ['replicas', 'kubevirtStorage.webhook.replicas'], ['network-policy', ''], ['ca-key', ''], ['api-server-cidr', '']]);
    const unknown = await lsp.within(lsp.connection.sendRequest(operationPlanRequest, { operation: 'nope' }), 'an unknown operation');
    assert.deepEqual(unknown, { ok: false, message: 'Unknown operation "nope" (known: webhook, webhook-uninstall, webhook-rotate, gcp-images, create-pvc, volumeresize-start, volumeresize-rollback, volumeresize-delete).' });
    const badOption = await lsp.within(lsp.connection.sendRequest(operationPlanRequest, { operation: 'webhook', options: { replicas: 'two' } }), 'a bad option');
    assert.deepEqual(badOption, { ok: false, message: '--replicas takes a whole number, not "two"' });

    const planned = await lsp.within(lsp.connection.sendRequest(operationPlanRequest, { operation: 'webhook', options: { namespace: NAMESPACE } }), 'the plan');
    assert.ok(planned.ok, planned.ok ? '' : planned.message);
    const plan = planned.plan;
    assert.equal(plan.namespace, NAMESPACE);
    assert.equal(plan.context, 'lab');
    assert.match(plan.title, /self-signed TLS/);
    assert.deepEqual(plan.phases.map((p) => p.id), ['access', 'tls', 'workload', 'configuration'], 'the namespace exists: no phase creates it');
    assert.doesNotMatch(plan.preview, /PRIVATE KEY|LS0tLS1CRUdJTiBQUklWQVRF/, 'no private key in the preview');
    assert.match(plan.preview, /tls\.key: "?<redacted/);

    const dry = await lsp.within(lsp.connection.sendRequest(operationDryRunRequest, { planId: plan.planId }), 'the dry run');
    assert.ok(dry.ok, dry.ok ? '' : dry.message);
    assert.match(dry.dryRun.summary, /^The server-side dry run passed for 8 of 8 writes \(8 to create\)\.$/);
    assert.equal(dry.dryRun.changes, true);
    assert.match(dry.dryRun.preview, /# dry run: create/);

    const controller = playDeploymentController(emu, NAMESPACE, NAME);
    after(() => controller.stop());
    const applied = await lsp.within(lsp.connection.sendRequest(operationApplyRequest, { planId: plan.planId, journalNamespace: 'kvs-journal' }), 'the apply', 30_000);
    assert.ok(applied.ok, applied.ok ? '' : applied.message);
    assert.equal(applied.run.outcome, 'applied', applied.run.message);
    assert.equal(applied.run.verification?.state, 'skipped');
    assert.match(applied.run.verification!.message, /^Verification skipped: no ready VolumeSnapshot/);
    assert.equal(applied.run.undoable, true);
    assert.equal(applied.run.journal?.namespace, 'kvs-journal');
    await lsp.waitFor(() => (progress.some((p) => p.stage === 'verify') ? true : undefined), 'the verify progress');
    assert.deepEqual([...new Set(progress.map((p) => p.stage))], ['dry-run', 'journal', 'apply', 'wait', 'verify']);
    assert.ok(progress.every((p) => p.planId === plan.planId));
    assert.deepEqual(await deployActions(), [], 'deployed: no action');

    const status = await lsp.within(lsp.connection.sendRequest(webhookStatusRequest), 'the status');
    assert.ok(status.ok && status.status.deployed, JSON.stringify(status));
    // Clients that predate the typed protocol send `{}` to the parameterless requests: the same answer.
    assert.deepEqual(await lsp.within(lsp.connection.sendRequest(webhookStatusRequest.method, {}), 'the status with {}'), status);
    const opStatus = await lsp.within(lsp.connection.sendRequest(operationStatusRequest, { operation: 'webhook', journalNamespace: 'kvs-journal' }), 'the operation status');
    assert.ok(opStatus.ok, opStatus.ok ? '' : opStatus.message);
    assert.deepEqual(opStatus.runs.map((r) => [r.operation, r.state]), [['webhook', 'applied']]);

    const rotatePlan = await lsp.within(lsp.connection.sendRequest(operationPlanRequest, { operation: 'webhook-rotate' }), 'the rotation plan');
    assert.ok(rotatePlan.ok, rotatePlan.ok ? '' : rotatePlan.message);
    const rotated = await lsp.within(lsp.connection.sendRequest(operationApplyRequest, { planId: rotatePlan.plan.planId, journalNamespace: 'kvs-journal' }), 'the rotation', 30_000);
    assert.ok(rotated.ok && rotated.run.outcome === 'applied', JSON.stringify(rotated));
    const undoPreview = await lsp.within(lsp.connection.sendRequest(operationUndoPreviewRequest, { operation: 'webhook-rotate', journalNamespace: 'kvs-journal' }), 'the undo preview');
    assert.ok(undoPreview.ok, undoPreview.ok ? '' : undoPreview.message);
    assert.deepEqual(undoPreview.preview.runs.map((r) => r.conflicts), [[]]);
    assert.ok(undoPreview.preview.changes);
    const undone = await lsp.within(lsp.connection.sendRequest(operationUndoRequest, { operation: 'webhook-rotate', journalNamespace: 'kvs-journal' }), 'the undo');
    assert.ok(undone.ok, undone.message);

    const uninstallPlan = await lsp.within(lsp.connection.sendRequest(operationPlanRequest, { operation: 'webhook-uninstall' }), 'the uninstall plan');
    assert.ok(uninstallPlan.ok, uninstallPlan.ok ? '' : uninstallPlan.message);
    assert.equal(uninstallPlan.plan.deletes[0], `MutatingWebhookConfiguration ${NAME}`, 'the configuration goes first, and is named before anything is deleted');
    const removed = await lsp.within(lsp.connection.sendRequest(operationApplyRequest, { planId: uninstallPlan.plan.planId, journalNamespace: 'kvs-journal' }), 'the uninstall');
    assert.ok(removed.ok && removed.run.outcome === 'applied', JSON.stringify(removed));
    assert.equal(removed.run.verification?.state, 'verified');
    assert.ok(emu.store.get('v1', 'Namespace', undefined, NAMESPACE), 'a namespace the deploy did not create stays');
    assert.equal((await deployActions()).length, 1, 'uninstalled: offered again');
    assert.equal(lsp.errorLogs.length, 0, lsp.errorLogs.join('\n'));
  });
});
