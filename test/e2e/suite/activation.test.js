'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { extensionId, openExample, poll } = require('./helpers');

/** Every file under `dir`, relative, with forward slashes. */
function files(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

suite('activation', () => {
  test('the extension under test is the packaged one', () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is installed`);
    console.log(`VS Code ${vscode.version} (${vscode.env.appName}), extension host Node ${process.version}, extension at ${ext.extensionPath}`);
    const expected = process.env.KVS_E2E_EXTENSION_PATH;
    if (expected) assert.equal(fs.realpathSync(ext.extensionPath), fs.realpathSync(expected));
    const shipped = files(ext.extensionPath);
    assert.ok(shipped.includes('dist/client.js') && shipped.includes('dist/server.js'), `bundles shipped: ${shipped.join(', ')}`);
    const unwanted = shipped.filter((f) => /\.(ts|map)$|^(node_modules|client|server|core|cluster|test|bench|examples)\//.test(f));
    assert.deepEqual(unwanted, [], 'only the bundles and docs ship');
  });

  test('activates at startup in a workspace holding a datamover prefix, else when a YAML file opens', async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext);
    const events = ext.packageJSON.activationEvents;
    assert.ok(events.includes('onLanguage:yaml'), `activation events: ${events.join(', ')}`);
    // The workspace is a copy of examples/, whose datamover/ folder holds …-kubevirt-datamover/checkpoints/<ns>/<vm>/index.json:
    // workspaceContains activates the extension before any file is opened.
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const datamover = folder !== undefined && fs.existsSync(path.join(folder, 'datamover', 'velero-kubevirt-datamover', 'checkpoints'));
    if (datamover) await poll(() => ext.isActive, `${extensionId} to activate for the datamover prefix (workspaceContains)`);
    else assert.equal(ext.isActive, false, 'not active before a YAML file is open');
    const doc = await openExample('restore-sizes.yaml');
    assert.equal(doc.languageId, 'yaml');
    await poll(() => ext.isActive, `${extensionId} to activate`);
    await ext.activate(); // resolves once activate() has finished (the language server is started)
  });
});
