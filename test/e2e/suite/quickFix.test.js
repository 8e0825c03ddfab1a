'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { openExample, positionOf, ruleOf, waitForDiagnostics } = require('./helpers');

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
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));

    assert.equal(doc.lineAt(target.line).text.trim(), 'storage: 50Gi');
    const after = await waitForDiagnostics(doc.uri, (ds) => !ds.some((d) => ruleOf(d) === 'restore-size-exceeded' && d.range.start.line === target.line), 'the fixed diagnostic to disappear');
    assert.equal(after.filter((d) => ruleOf(d) === 'restore-size-exceeded').length, 1, 'the 60Gi finding stays');

    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(doc.isDirty, false);
  });
});
