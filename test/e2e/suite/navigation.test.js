'use strict';
// Navigation, code lenses, rule pages and suppressions in the real editor, over the workspace copy of examples/.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { extensionId, openExample, positionOf, ruleOf, waitForDiagnostics, workspaceFolder } = require('./helpers');

/** Polls a provider command until it answers something (the server may still be starting), with a deadline. */
async function until(run, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await run();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const relative = (uri) => path.relative(workspaceFolder().uri.fsPath, uri.fsPath).split(path.sep).join('/');

suite('navigation, lenses, rule pages and suppressions', () => {
  test('the outline: one symbol per object, a VM\'s template and volumes nested', async () => {
    const doc = await openExample('datavolume-restores.yaml');
    const symbols = await until(async () => {
      const s = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
      return s && s.length > 0 ? s : undefined;
    }, 'document symbols');
    const ours = symbols.filter((s) => /^[A-Z]\w+ /.test(s.name));
    assert.deepEqual(ours.map((s) => s.name), [
      'VolumeSnapshot vms/rhel9-root-golden',
      'DataVolume vms/rhel9-web-root',
      'VirtualMachine vms/rhel9-app',
      'StorageClass hostpath-csi',
      'DataSource vms/rhel9',
      'DataVolume vms/rhel9-batch-root',
    ]);
    const vm = ours.find((s) => s.name === 'VirtualMachine vms/rhel9-app');
    assert.deepEqual(vm.children.map((c) => c.name), ['dataVolumeTemplate rhel9-app-root', 'volume root']);
  });

  test('go to definition: a PVC\'s snapshot in the same file, its StorageClass in another', async () => {
    const doc = await openExample('restore-sizes.yaml');
    const at = positionOf(doc, 'name: pgdata-nightly', 'name: '.length + 1);
    const second = doc.positionAt(doc.getText().indexOf('name: pgdata-nightly', doc.offsetAt(at) + 1) + 'name: '.length + 1);
    const snap = await until(async () => {
      const found = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, second);
      return found && found.length > 0 ? found : undefined;
    }, 'the snapshot\'s definition');
    const target = (l) => ({ file: relative(l.uri ?? l.targetUri), line: (l.range ?? l.targetSelectionRange ?? l.targetRange).start.line });
    assert.deepEqual(snap.map(target), [{ file: 'restore-sizes.yaml', line: at.line }]);
    const cls = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'storageClassName: trident-nas', 'storageClassName: '.length + 1));
    assert.deepEqual(cls.map(target).map((t) => t.file), ['cluster-storage.yaml']);
    // VS Code asks with includeDeclaration: the snapshot's own name, and the four PVCs that restore it.
    const refs = await vscode.commands.executeCommand('vscode.executeReferenceProvider', doc.uri, at);
    const lines = refs.filter((l) => relative(l.uri) === 'restore-sizes.yaml').map((l) => l.range.start.line);
    assert.equal(lines.length, 5, `the declaration and four restores: ${lines.join(', ')}`);
    assert.ok(lines.includes(at.line) && lines.includes(second.line));
  });

  test('code lenses: the snapshot\'s restoreSize and its restorers; the bytes CDI renders for the TPM restore', async () => {
    const doc = await openExample('restore-sizes.yaml');
    const lenses = await until(async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 100);
      return l && l.some((x) => x.command) ? l : undefined;
    }, 'code lenses');
    const snap = lenses.find((l) => l.command?.title.startsWith('restoreSize'));
    assert.equal(snap?.command.title, 'restoreSize 50Gi · restored by 4 PVCs');
    assert.equal(snap.command.command, 'kubevirtStorage.showReferences', 'clicking lists them (the client\'s command)');
    const tpm = await openExample('vm-restore-tpm.yaml');
    const cdi = await until(async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', tpm.uri, 100);
      return l?.find((x) => x.command?.title.startsWith('CDI renders'));
    }, 'the CDI lens');
    assert.match(cdi.command.title, /^CDI renders 22,229,812 bytes \(overhead 0\.06; CDI v1\.63\.1/);
  });

  test('each diagnostic links its rule page, shipped in the package', async () => {
    const doc = await openExample('restore-sizes.yaml');
    const [d] = await waitForDiagnostics(doc.uri, (ds) => ds.some((x) => ruleOf(x) === 'restore-size-too-small'), 'restore-size-too-small');
    const code = (await waitForDiagnostics(doc.uri, () => true, 'diagnostics')).find((x) => ruleOf(x) === 'restore-size-too-small').code;
    assert.ok(d);
    assert.equal(typeof code, 'object');
    assert.equal(code.value, 'restore-size-too-small');
    const ext = vscode.extensions.getExtension(extensionId);
    assert.equal(fs.realpathSync(code.target.fsPath), fs.realpathSync(path.join(ext.extensionPath, 'media', 'rules', 'restore-size-too-small.md')));
    assert.match(fs.readFileSync(code.target.fsPath, 'utf8'), /^# `restore-size-too-small`/);
  });

  test('the kubevirt-storage.io/ignore annotation hides its rules on its object; removing it brings them back', async () => {
    const pvc = (name, annotation) => [
      'apiVersion: v1',
      'kind: PersistentVolumeClaim',
      'metadata:',
      `  name: ${name}`,
      ...(annotation ? ['  annotations:', `    kubevirt-storage.io/ignore: ${annotation}`] : []),
      'spec:',
      '  resources:',
      '    requests:',
      '      storage: 20MB',
      '',
    ].join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: `${pvc('quiet', 'invalid-quantity')}---\n${pvc('loud')}` });
    await vscode.window.showTextDocument(doc);
    const quantities = (ds) => ds.filter((d) => ruleOf(d) === 'invalid-quantity');
    const one = await waitForDiagnostics(doc.uri, (ds) => quantities(ds).length === 1, 'one invalid-quantity (the annotated PVC is quiet)');
    assert.ok(doc.getText().split('\n').findIndex((l) => l.includes('name: loud')) < quantities(one)[0].range.start.line, 'the finding left is the loud PVC\'s');
    const edit = new vscode.WorkspaceEdit();
    const line = doc.getText().split('\n').findIndex((l) => l.includes('kubevirt-storage.io/ignore'));
    edit.delete(doc.uri, new vscode.Range(line - 1, 0, line + 1, 0));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(doc.uri, (ds) => quantities(ds).length === 2, 'both invalid-quantity once the annotation is gone');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
