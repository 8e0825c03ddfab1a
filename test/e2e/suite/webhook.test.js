'use strict';
// "Deploy Restore-Size Webhook" in the real editor, against the API emulator the runner started
// ($KVS_E2E_CLUSTER, lib/cluster.ts; no cert-manager there, so self-signed is the only TLS mode and nothing is
// asked before the preview). The command plans through the language server, opens the exact manifests in a
// read-only kubevirt-storage-webhook: document, runs the server-side dry run, and asks before applying; the
// test dismisses that question and checks, in the emulator's own request log, that nothing was written.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const vscode = require('vscode');
const { parseAllDocuments } = require('yaml');
const { poll, restorePvcYaml, ruleOf, waitForDiagnostics } = require('./helpers');

const cdiConfiguration = 'cdi-api-pvc-mutate';

/** The API requests the emulator has seen so far: `[{method, path, query, user}]`. */
function emulatorRequests(cluster) {
  return new Promise((resolve, reject) => {
    http.get(cluster.requestsUrl, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`GET ${cluster.requestsUrl}: HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
}

const isDryRun = (r) => new URLSearchParams(r.query).get('dryRun') === 'All';
const isWrite = (r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method.toUpperCase());

function previewDocument() {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'kubevirt-storage-webhook' && d.uri.path.endsWith('.yaml'));
}

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

  test('Deploy previews the exact manifests (a configuration after CDI\'s, the Deployment), dry-runs them, and a cancel at the confirmation writes nothing', async () => {
    const seen = (await emulatorRequests(cluster)).length;
    let settled = false;
    const running = Promise.resolve(vscode.commands.executeCommand('kubevirtStorage.deployWebhook')).finally(() => (settled = true));

    const active = () => vscode.window.activeTextEditor?.document;
    await poll(() => active()?.uri.scheme === 'kubevirt-storage-webhook' || settled, 'the kubevirt-storage-webhook: preview in the active editor', 30_000);
    const doc = previewDocument();
    assert.ok(doc, 'the command opened no preview (see the log of the ext run)');
    assert.equal(active()?.uri.toString(), doc.uri.toString(), 'the preview is the active editor');
    assert.equal(doc.languageId, 'yaml');
    assert.match(doc.uri.path, /^\/plan-[\w-]+\.yaml$/, 'the preview is titled with the plan id');

    const objects = parseAllDocuments(doc.getText()).map((d) => d.toJS()).filter((o) => o && typeof o === 'object');
    const configurations = objects.filter((o) => o.kind === 'MutatingWebhookConfiguration');
    assert.equal(configurations.length, 1, `one MutatingWebhookConfiguration among ${objects.map((o) => o.kind).join(', ')}`);
    const mwc = configurations[0];
    assert.ok(mwc.metadata.name > cdiConfiguration, `${mwc.metadata.name} must sort after ${cdiConfiguration}`);
    const hook = mwc.webhooks[0];
    assert.deepEqual(hook.rules[0].operations, ['CREATE']);
    assert.deepEqual(hook.rules[0].resources, ['persistentvolumeclaims']);
    assert.equal(hook.failurePolicy, 'Ignore');
    assert.equal(hook.reinvocationPolicy, 'IfNeeded');
    assert.ok(hook.clientConfig.caBundle, 'self-signed mode sets the caBundle');
    const deployment = objects.find((o) => o.kind === 'Deployment');
    assert.ok(deployment, 'the preview holds the Deployment');
    assert.equal(deployment.metadata.namespace, cluster.namespace, 'in the namespace of kubevirtStorage.webhook.namespace');
    assert.equal(deployment.spec.template.spec.containers[0].image, settings().get('webhook.image'));
    assert.equal(settings().get('webhook.image'), 'ghcr.io/grandeit/pvc-shrink-ray:latest');

    // The dry run's outcome replaces the "running" line of the preview's header, one line per object.
    await poll(() => doc.getText().includes('# Server-side dry run (dryRun=All):') || settled, 'the dry run\'s outcome in the preview', 30_000);
    assert.match(doc.getText(), /^# +create +MutatingWebhookConfiguration \S+$/m);
    assert.match(doc.getText(), /^# +create +Deployment \S+\/\S+$/m);
    assert.equal(settled, false, 'the command waits for the confirmation');

    // Dismissing the confirmation cancels. It appears right after the dry run; until the command returns,
    // dismiss what is shown.
    const deadline = Date.now() + 30_000;
    while (!settled) {
      if (Date.now() > deadline) throw new Error('the deploy command did not return after its confirmation was dismissed');
      await vscode.commands.executeCommand('notifications.clearAll');
      await new Promise((r) => setTimeout(r, 50));
    }
    await running;

    const requests = (await emulatorRequests(cluster)).slice(seen);
    const dryRuns = requests.filter((r) => isWrite(r) && isDryRun(r));
    assert.equal(dryRuns.length, objects.length, 'a server-side dry run per object');
    assert.deepEqual(requests.filter((r) => isWrite(r) && !isDryRun(r)), [], 'no write without dryRun=All');
    assert.ok(!requests.some((r) => r.path.endsWith(`/mutatingwebhookconfigurations/${mwc.metadata.name}`) && r.method === 'PATCH' && !isDryRun(r)));

    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
