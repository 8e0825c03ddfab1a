/**
 * The restore-size webhook through the built language server (dist/server.js over stdio) with the API emulator
 * as its cluster: "Deploy the restore-size webhook" is offered on a cdi-restore-inflation diagnostic while the
 * webhook is not deployed; the plan, apply (progress notifications, rollout played by the test), status and
 * uninstall requests work end to end; the action goes once deployed and comes back after uninstall.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CodeActionRequest, DidOpenTextDocumentNotification, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import {
  webhookApplyRequest,
  webhookPlanRequest,
  webhookProgressNotification,
  webhookRotateRequest,
  webhookStatusRequest,
  webhookUninstallRequest,
  type WebhookProgressParams,
  type WebhookRotateResult,
} from '../../protocol/webhook.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { until } from '../webhook/helpers.js';
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
  const progress: WebhookProgressParams[] = [];
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
    const kubeconfig = join(folder, 'kubeconfig.yaml');
    writeFileSync(kubeconfig, emu.kubeconfig({ namespace: 'default', contextName: 'lab' }));
    const configuration = { cluster: { kubeconfig }, webhook: { namespace: NAMESPACE } };
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => configuration });
    lsp.connection.onNotification(webhookProgressNotification, (p: WebhookProgressParams) => progress.push(p));
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

  test('plan and apply over the protocol; once deployed the action is gone, after uninstall it is back', async () => {
    const planned = await lsp.within(lsp.connection.sendRequest(webhookPlanRequest, {}), 'the plan');
    assert.ok(planned.ok, planned.ok ? '' : planned.message);
    assert.equal(planned.plan.namespace, NAMESPACE, 'from the kubevirtStorage.webhook.namespace setting');
    assert.equal(planned.plan.tlsMode, 'self-signed');

    const [applied] = await Promise.all([
      lsp.within(lsp.connection.sendRequest(webhookApplyRequest, { planId: planned.plan.planId }), 'the apply', 30_000),
      (async () => {
        await until(() => emu.store.get('apps/v1', 'Deployment', NAMESPACE, NAME) !== undefined, 'the Deployment', 20_000);
        const d = emu.store.get('apps/v1', 'Deployment', NAMESPACE, NAME) as { metadata: { generation: number } };
        emu.store.patchStatus('apps/v1', 'Deployment', NAMESPACE, NAME, { observedGeneration: d.metadata.generation, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
      })(),
    ]);
    assert.ok(applied.ok, applied.ok ? '' : applied.message);
    assert.equal(applied.verified, false);
    assert.match(applied.verification, /^Verification skipped: no ready VolumeSnapshot/);
    await lsp.waitFor(() => (progress.some((p) => p.step === 'verify') ? true : undefined), 'the verify progress');
    assert.deepEqual([...new Set(progress.map((p) => p.step))], ['dry-run', 'apply', 'rollout', 'verify']);
    assert.ok(progress.every((p) => p.planId === planned.plan.planId));
    assert.deepEqual(await deployActions(), [], 'deployed: no action');

    const status = await lsp.within(lsp.connection.sendRequest(webhookStatusRequest), 'the status');
    assert.ok(status.ok && status.status.deployed, JSON.stringify(status));
    // Clients that predate the typed protocol send `{}` to the parameterless requests: the same answer.
    assert.deepEqual(await lsp.within(lsp.connection.sendRequest(webhookStatusRequest.method, {}), 'the status with {}'), status);
    // Rotation is parameterless and cancellable: its handler finds the token with and without `{}`.
    const rotated = await lsp.within(lsp.connection.sendRequest(webhookRotateRequest), 'the rotation', 30_000);
    assert.ok(rotated.ok, JSON.stringify(rotated));
    const again = (await lsp.within(lsp.connection.sendRequest(webhookRotateRequest.method, {}), 'the rotation with {}', 30_000)) as WebhookRotateResult;
    assert.ok(again.ok, JSON.stringify(again));

    const removed = await lsp.within(lsp.connection.sendRequest(webhookUninstallRequest, {}), 'the uninstall');
    assert.ok(removed.ok, removed.ok ? '' : removed.message);
    assert.equal(removed.outcomes[0]?.kind, 'MutatingWebhookConfiguration');
    assert.ok(emu.store.get('v1', 'Namespace', undefined, NAMESPACE), 'a namespace the deploy did not create stays');
    assert.equal((await deployActions()).length, 1, 'uninstalled: offered again');
    assert.equal(lsp.errorLogs.length, 0, lsp.errorLogs.join('\n'));
  });
});
