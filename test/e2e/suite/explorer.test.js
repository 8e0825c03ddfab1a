'use strict';
// The live cluster in the real editor: the API emulator the runner started ($KVS_E2E_CLUSTER, lib/cluster.ts)
// is connected by setting kubevirtStorage.cluster.kubeconfig, as a user would. A snapshot that exists only there
// gets its diagnostics, which follow its restoreSize; the explorer's object YAML and restore PVC come from it.
// The tree itself is checked through the DOM by the UI tests (ui-explorer.mjs).
const assert = require('node:assert/strict');
const https = require('node:https');
const vscode = require('vscode');
const { clusterSuite, poll, restorePvcYaml, ruleOf, waitForDiagnostics } = require('./helpers');

/** JSON-merge-patches the VolumeSnapshot's status through the API, as the snapshot controller would. */
function patchSnapshotStatus(cluster, status) {
  const url = new URL(`/apis/snapshot.storage.k8s.io/v1/namespaces/${cluster.namespace}/volumesnapshots/${cluster.snapshot}/status`, cluster.url);
  const body = JSON.stringify({ status });
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method: 'PATCH',
      ca: cluster.caPem,
      headers: { Authorization: `Bearer ${cluster.token}`, 'Content-Type': 'application/merge-patch+json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`PATCH ${url.pathname}: HTTP ${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A node as the explorer's tree hands it to its commands. */
function snapshotNode(cluster) {
  const object = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', namespace: cluster.namespace, name: cluster.snapshot };
  return { id: `volumeSnapshots/${cluster.namespace}/${cluster.snapshot}`, kind: 'volumeSnapshot', label: cluster.snapshot, collapsible: 'none', object };
}

suite('explorer and the live cluster', function () {
  const suiteCluster = clusterSuite();
  let cluster;
  const settings = () => vscode.workspace.getConfiguration('kubevirtStorage');
  setup(() => (cluster = suiteCluster.get()));

  test('a snapshot that exists only in the cluster: diagnostics appear on connecting and follow its restoreSize', async () => {
    const content = restorePvcYaml('e2e-restore', cluster.namespace, cluster.snapshot, '10Gi');
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content });
    await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => ruleOf(d) === 'snapshot-not-found'), 'snapshot-not-found before a cluster is connected');

    await settings().update('cluster.kubeconfig', cluster.kubeconfig, vscode.ConfigurationTarget.Global);
    const exceeded = await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => ruleOf(d) === 'restore-size-exceeded'), 'restore-size-exceeded from the emulator\'s 8Gi snapshot');
    assert.ok(!exceeded.some((d) => ruleOf(d) === 'snapshot-not-found'), 'the snapshot is found in the cluster');
    assert.match(exceeded.find((d) => ruleOf(d) === 'restore-size-exceeded').message, /restoreSize 8Gi \(8,589,934,592 bytes\)/);

    await patchSnapshotStatus(cluster, { restoreSize: '12Gi' });
    const tooSmall = await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => ruleOf(d) === 'restore-size-too-small'), 'restore-size-too-small once restoreSize is 12Gi');
    assert.match(tooSmall.find((d) => ruleOf(d) === 'restore-size-too-small').message, /12Gi \(12,884,901,888 bytes\)/);
    assert.ok(!tooSmall.some((d) => ruleOf(d) === 'restore-size-exceeded'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the explorer opens the emulator\'s snapshot as YAML (a read-only kubevirt-storage: document), and the YAML follows the cluster', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.kubevirtStorage');
    await vscode.commands.executeCommand('kubevirtStorage.openObjectYaml', snapshotNode(cluster));
    await poll(() => vscode.window.activeTextEditor?.document.uri.scheme === 'kubevirt-storage', 'the kubevirt-storage: editor');
    const doc = vscode.window.activeTextEditor.document;
    assert.equal(doc.languageId, 'yaml');
    assert.match(doc.getText(), /^apiVersion: snapshot\.storage\.k8s\.io\/v1\nkind: VolumeSnapshot\n/);
    assert.match(doc.getText(), /restoreSize: 12Gi/);
    assert.doesNotMatch(doc.getText(), /managedFields/);

    await patchSnapshotStatus(cluster, { restoreSize: '16Gi' });
    await poll(() => doc.getText().includes('restoreSize: 16Gi'), 'the open YAML to show restoreSize 16Gi');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('"New Restore PVC from This Snapshot" opens a manifest sized to restoreSize, with the source PVC\'s class', async () => {
    await vscode.commands.executeCommand('kubevirtStorage.newRestorePvc', snapshotNode(cluster));
    await poll(() => vscode.window.activeTextEditor?.document.uri.scheme === 'untitled' && vscode.window.activeTextEditor.document.getText().includes('dataSourceRef'), 'the untitled restore PVC');
    const doc = vscode.window.activeTextEditor.document;
    assert.equal(doc.languageId, 'yaml');
    const text = doc.getText();
    for (const line of [`  name: ${cluster.snapshot}-restore`, `  namespace: ${cluster.namespace}`, '  storageClassName: e2e-nfs', '      storage: 16Gi', '  dataSourceRef:', '    apiGroup: snapshot.storage.k8s.io']) {
      assert.ok(text.split('\n').includes(line), `${JSON.stringify(line)} in:\n${text}`);
    }
    assert.doesNotMatch(text, /applyStorageProfile/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
