'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { openExample, ours, positionOf, ruleOf, waitForDiagnostics } = require('./helpers');

suite('quick fix', () => {
  test('the preferred fix for restore-size-exceeded applies and the diagnostic disappears', async () => {
    const doc = await openExample('restore-sizes.yaml');
    const target = positionOf(doc, 'storage: 55Gi', 'storage: '.length + 1);
    const isTarget = (d) => ruleOf(d) === 'restore-size-exceeded' && d.range.contains(target);
    const [diagnostic] = (await waitForDiagnostics(doc.uri, (ds) => ds.some(isTarget), 'restore-size-exceeded at 55Gi')).filter(isTarget);

    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, `one preferred quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    const [fix] = preferred;
    assert.match(fix.title, /restoreSize \(50Gi\)/);
    assert.ok(fix.edit, 'the fix carries an edit');
    // What the editor shows on the way: the suite before this one disconnects from the cluster as it ends, and once
    // (under load) a state without the 60Gi finding was accepted here as the end. Wait for the end itself; report
    // anything in between that lost the 60Gi finding.
    const exceeded = (ds) => ds.filter((d) => ruleOf(d) === 'restore-size-exceeded');
    const seen = [];
    const watch = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === doc.uri.toString())) seen.push(exceeded(ours(doc.uri)).map((d) => d.range.start.line + 1));
    });
    try {
      assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
      if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));

      assert.equal(doc.lineAt(target.line).text.trim(), 'storage: 50Gi');
      const after = await waitForDiagnostics(doc.uri, (ds) => exceeded(ds).length === 1 && !exceeded(ds).some((d) => d.range.start.line === target.line), 'the fixed diagnostic gone and the 60Gi one left');
      assert.equal(exceeded(after).length, 1, 'the 60Gi finding stays');
    } finally {
      watch.dispose();
    }
    const lost = seen.filter((lines) => lines.length === 0);
    if (lost.length > 0) console.log(`    (on the way the editor showed no restore-size-exceeded ${lost.length} time(s); lines seen: ${JSON.stringify(seen)})`);

    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(doc.isDirty, false);
  });
});
