'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { extensionId } = require('./helpers');

suite('commands', () => {
  test('every contributed command is registered, and every registered one is contributed', async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext);
    await ext.activate();
    const contributed = (ext.packageJSON.contributes?.commands ?? []).map((c) => c.command).sort();
    assert.ok(contributed.length > 0, 'the package contributes commands');
    // For each contributed view the workbench registers `<view id>.focus` and friends itself: not ours.
    const viewIds = Object.values(ext.packageJSON.contributes?.views ?? {}).flat().map((v) => v.id);
    const generated = new Set(viewIds.flatMap((id) => ['focus', 'open', 'removeView', 'resetViewLocation', 'toggleVisibility'].map((s) => `${id}.${s}`)));
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('kubevirtStorage.') && !generated.has(id)).sort();
    assert.deepEqual(contributed.filter((id) => !registered.includes(id)), [], 'contributed but not registered');
    assert.deepEqual(registered.filter((id) => !contributed.includes(id)), [], 'registered but not contributed');
  });
});
