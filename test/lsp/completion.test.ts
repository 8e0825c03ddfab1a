/**
 * Completion over stdio (dist/server.js): core's items as LSP items, in core's order, with markdown
 * documentation, snippets and extra edits; null outside the claim contexts so other YAML servers keep them.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InsertTextFormat,
  MarkupContent,
  type CompletionItem,
  type CompletionList,
} from 'vscode-languageserver-protocol/node';
import { marked, storage, vm } from '../unit/completion/fixtures.js';
import { LspClient } from './lspClient.js';

const serverPath = resolve('dist/server.js');

describe('completion over stdio (dist/server.js)', () => {
  let lsp: LspClient;
  let folder: string;
  let version = 1;
  const uri = () => pathToFileURL(join(folder, 'vm.yaml')).href;

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-completion-'));
    writeFileSync(join(folder, 'storage.yaml'), storage);
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => ({}) });
    // Opened, storage.yaml is indexed before any later request is handled (the server handles messages in order).
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: pathToFileURL(join(folder, 'storage.yaml')).href, languageId: 'yaml', version: 1, text: storage } });
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(), languageId: 'yaml', version, text: '' } });
  });

  after(() => {
    lsp?.dispose();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** Replaces the document's text (cursor marked with §) and asks for completion there. */
  async function completeAt(text: string): Promise<CompletionList | null> {
    const m = marked(text);
    version++;
    await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(), version }, contentChanges: [{ text: m.text }] });
    const r = await lsp.within(lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: uri() }, position: m.pos }), 'the completion response');
    assert.ok(r === null || (typeof r === 'object' && !Array.isArray(r)), 'a CompletionList or null');
    return r as CompletionList | null;
  }

  const sorted = (l: CompletionList) => [...l.items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
  const doc = (i: CompletionItem) => (MarkupContent.is(i.documentation) ? i.documentation.value : String(i.documentation));

  test('initialize advertises completion with a space as trigger', () => {
    assert.deepEqual(lsp.initializeResult?.capabilities.completionProvider?.triggerCharacters, [' ']);
  });

  test('storage classes in a VolumeClaimTemplate: the virt default first, preselected, markdown documented', async () => {
    const text = vm('  volumeClaimTemplates:\n  - metadata:\n      name: disk\n    spec:\n      storageClassName: §\n');
    const list = await completeAt(text);
    assert.ok(list);
    const items = sorted(list);
    assert.deepEqual(items.map((i) => i.label), ['trident-nas', 'ocs-rbd', 'hostpath']);
    assert.equal(items[0]!.preselect, true);
    assert.equal((items[0]!.documentation as MarkupContent).kind, 'markdown');
    assert.match(doc(items[0]!), /CDI picks this class/);
    assert.deepEqual(items[0]!.textEdit && 'range' in items[0]!.textEdit ? items[0]!.textEdit.range : undefined, { start: { line: 10, character: 24 }, end: { line: 10, character: 24 } });
  });

  test('a key is a snippet that re-opens completion for its value; a kind brings its apiGroup line', async () => {
    const keys = await completeAt(vm('  volumeClaimTemplates:\n  - metadata:\n      name: disk\n    spec:\n      storageClassName: ocs-rbd\n      volu§\n'));
    const volumeMode = keys!.items.find((i) => i.label === 'volumeMode')!;
    assert.equal(volumeMode.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(volumeMode.command?.command, 'editor.action.triggerSuggest');
    assert.ok(!keys!.items.some((i) => i.label === 'storageClassName'), 'a key already written is not offered');
    const kinds = await completeAt(vm('  volumeClaimTemplates:\n  - metadata:\n      name: disk\n    spec:\n      dataSourceRef:\n        kind: Vol§\n'));
    const vis = kinds!.items.find((i) => i.label === 'VolumeImportSource')!;
    assert.deepEqual(vis.additionalTextEdits, [{ range: { start: { line: 11, character: 8 }, end: { line: 11, character: 8 } }, newText: 'apiGroup: cdi.kubevirt.io\n        ' }]);
  });

  test('names that exist: a clone source named by dataSourceRef', async () => {
    const list = await completeAt(vm('  volumeClaimTemplates:\n  - metadata:\n      name: disk\n    spec:\n      dataSourceRef:\n        apiGroup: cdi.kubevirt.io\n        kind: VolumeCloneSource\n        name: §\n'));
    assert.deepEqual(list!.items.map((i) => i.label), ['golden-fedora']);
  });

  test('null outside the claim contexts: metadata, a ConfigMap, a comment', async () => {
    assert.equal(await completeAt('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  §\n'), null);
    assert.equal(await completeAt('apiVersion: v1\nkind: ConfigMap\ndata:\n  storageClassName: §\n'), null);
    assert.equal(await completeAt('apiVersion: v1\nkind: PersistentVolumeClaim\nspec:\n  # §\n'), null);
    assert.deepEqual(lsp.errorLogs, []);
  });
});
