'use strict';
// "Check with the cluster" in the real editor, against the API emulator the runner started ($KVS_E2E_CLUSTER,
// lib/cluster.ts): the code action and the hover link on a restore-size diagnostic, the command asking the server,
// the server's dry run on the emulator (nothing stored), and the answer shown beside the prediction.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { clusterSuite, emulatorRequests, poll, positionOf, restorePvcYaml, ruleOf, waitForDiagnostics } = require('./helpers');

suite('check with the cluster', function () {
  const suiteCluster = clusterSuite();
  let cluster;
  const settings = () => vscode.workspace.getConfiguration('kubevirtStorage');
  setup(() => (cluster = suiteCluster.get()));

  test('the code action and the hover offer it; the command shows the API server\'s answer beside the prediction', async () => {
    await settings().update('cluster.kubeconfig', cluster.kubeconfig, vscode.ConfigurationTarget.Global);
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: restorePvcYaml('e2e-probe', cluster.namespace, cluster.snapshot, '100Gi') });
    await vscode.window.showTextDocument(doc);
    const diagnostics = await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => ruleOf(d) === 'restore-size-exceeded'), 'restore-size-exceeded from the emulator (connected)');
    const diagnostic = diagnostics.find((d) => ruleOf(d) === 'restore-size-exceeded');

    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const check = actions.find((a) => a.title === 'Check with the cluster');
    assert.ok(check, `offered among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(check.command.command, 'kubevirtStorage.checkWithCluster');

    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, positionOf(doc, '100Gi', 1));
    const links = hovers.flatMap((h) => h.contents).filter((c) => typeof c !== 'string' && c.value.includes('(command:kubevirtStorage.checkWithCluster?'));
    assert.equal(links.length, 1, 'the hover links the check');
    assert.deepEqual(links[0].isTrusted, { enabledCommands: ['kubevirtStorage.checkWithCluster'] }, 'trusted for that command alone');

    const seen = (await emulatorRequests(cluster)).length;
    await vscode.commands.executeCommand(check.command.command, ...check.command.arguments);
    await poll(() => vscode.window.activeTextEditor?.document.uri.scheme === 'kubevirt-storage-plan', 'the answer document');
    const answer = vscode.window.activeTextEditor.document;
    assert.equal(answer.languageId, 'markdown');
    assert.match(answer.getText(), /^# Checked with the cluster: context kvs-e2e-emulator\n/);
    assert.match(answer.getText(), /\| request \| 107,374,182,400 bytes \| 107,374,182,400 bytes \|/);
    // The workspace (examples/cluster-storage.yaml) names ocs-rbd the Kubernetes default class, which the API server
    // would fill in; the emulator has no such class (and no DefaultStorageClass admission): the answer says so.
    assert.match(answer.getText(), /\| storageClassName \| ocs-rbd \| — \|/);
    assert.match(answer.getText(), /\*\*Differs:\*\* storageClassName\./);
    const requests = (await emulatorRequests(cluster)).slice(seen);
    const creates = requests.filter((r) => r.method === 'POST' && /\/persistentvolumeclaims$/.test(r.path));
    assert.equal(creates.length, 1, requests.map((r) => `${r.method} ${r.path}`).join(', '));
    assert.match(creates[0].query, /(^|[?&])dryRun=All(&|$)/, 'a dry run: nothing is stored');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
