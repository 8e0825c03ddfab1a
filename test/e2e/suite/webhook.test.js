'use strict';
// The restore-size webhook's commands in the real editor, against the API emulator the runner started
// ($KVS_E2E_CLUSTER, lib/cluster.ts). Deploy asks its confirmation in a modal dialog, which only the UI tests
// (uiWebhook.mjs, Playwright) can answer; here: Undo with an empty journal, which asks nothing.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const { emulatorRequests, restorePvcYaml, ruleOf, waitForDiagnostics } = require('./helpers');

const isWrite = (r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method.toUpperCase());

suite('restore-size webhook', function () {
  let cluster;
  const settings = () => vscode.workspace.getConfiguration('kubevirtStorage');

  suiteSetup(async function () {
    const file = process.env.KVS_E2E_CLUSTER;
    if (!file) this.skip(); // a runner without the API emulator
    cluster = JSON.parse(fs.readFileSync(file, 'utf8'));
    // Connected once a PVC restoring the emulator-only snapshot gets its diagnostic from the cluster (the server
    // sends the `connected` status, which the command reads, before it re-publishes diagnostics).
    await settings().update('cluster.kubeconfig', cluster.kubeconfig, vscode.ConfigurationTarget.Global);
    // A namespace that exists, so that every object (not only the cluster-scoped ones) goes through the dry run.
    await settings().update('webhook.namespace', cluster.namespace, vscode.ConfigurationTarget.Global);
    const content = restorePvcYaml('e2e-webhook-probe', cluster.namespace, cluster.snapshot, '100Gi');
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content });
    await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => ruleOf(d) === 'restore-size-exceeded'), 'restore-size-exceeded from the emulator (the cluster is connected)');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  suiteTeardown(async () => {
    if (!cluster) return;
    await settings().update('webhook.namespace', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('cluster.kubeconfig', undefined, vscode.ConfigurationTarget.Global);
  });

  test('Undo Restore-Size Webhook Changes with nothing in the journal: says so, asks nothing, writes nothing', async () => {
    const seen = (await emulatorRequests(cluster)).length;
    // No modal: the command returns by itself once the journal (absent here) was read.
    await vscode.commands.executeCommand('kubevirtStorage.undoWebhook');
    const requests = (await emulatorRequests(cluster)).slice(seen);
    assert.ok(requests.some((r) => r.method === 'GET' && /\/configmaps$/.test(r.path)), `the undo journal was read: ${requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    assert.deepEqual(requests.filter(isWrite), [], 'nothing was written');
  });
});
