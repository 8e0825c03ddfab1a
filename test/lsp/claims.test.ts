/**
 * Claim code actions and requests over stdio (dist/server.js): Fill from StorageProfile and the expansion as
 * refactors with versioned edits (the new-file variant with a CreateFile), Show CDI render as the client's
 * command, `kubevirtStorage/claims/render` (written vs rendered) and `kubevirtStorage/claims/createPvcChoices`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, CodeActionKind, CodeActionRequest, CreateFile, DidOpenTextDocumentNotification, TextDocumentEdit, type Command } from 'vscode-languageserver-protocol/node';
import { claimRenderRequest, createPvcChoicesRequest } from '../../protocol/claims.js';
import { storage, vm } from '../unit/completion/fixtures.js';
import { LspClient } from './lspClient.js';

const serverPath = resolve('dist/server.js');
const text = vm(`  volumeClaimTemplates:
  - metadata:
      name: disk
    spec:
      resources:
        requests:
          storage: 20Mi
  template:
    spec:
      volumes:
      - name: root
        persistentVolumeClaim:
          claimName: disk
`);

describe('claim actions and requests over stdio (dist/server.js)', () => {
  let lsp: LspClient;
  let folder: string;
  const uri = () => pathToFileURL(join(folder, 'vm.yaml')).href;

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-claims-'));
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => ({}) });
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: pathToFileURL(join(folder, 'storage.yaml')).href, languageId: 'yaml', version: 1, text: storage } });
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(), languageId: 'yaml', version: 1, text } });
  });
  after(() => {
    lsp?.dispose();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const actionsAt = async (line: number, only?: string[]) =>
    (await lsp.within(lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri() }, range: { start: { line, character: 4 }, end: { line, character: 4 } }, context: { diagnostics: [], ...(only ? { only } : {}) } }), 'code actions')) as (CodeAction | Command)[];

  test('Fill from StorageProfile: a refactor.rewrite with a versioned edit that writes the class and modes', async () => {
    const actions = (await actionsAt(9)).filter(CodeAction.is);
    const fill = actions.find((a) => a.title.startsWith('Fill from StorageProfile'));
    assert.ok(fill, actions.map((a) => a.title).join('\n'));
    assert.equal(fill.kind, CodeActionKind.RefactorRewrite);
    const change = fill.edit!.documentChanges![0]!;
    assert.ok(TextDocumentEdit.is(change));
    assert.deepEqual(change.textDocument, { uri: uri(), version: 1 });
    const out = TextDocument.applyEdits(TextDocument.create(uri(), 'yaml', 1, text), change.edits);
    assert.match(out, /storage: 20Mi\n      storageClassName: trident-nas\n      accessModes: \[ReadWriteMany\]\n      volumeMode: Filesystem\n/);
  });

  test('Expand: in this file (refactor.extract), and into a new file with a CreateFile; `only` filters by kind', async () => {
    const actions = (await actionsAt(7)).filter(CodeAction.is);
    const here = actions.find((a) => a.title.endsWith('in this file'))!;
    assert.equal(here.kind, CodeActionKind.RefactorExtract);
    const created = actions.find((a) => a.title.includes('in a new file cirros-pvcs.yaml'))!;
    const [create, fill] = created.edit!.documentChanges!;
    assert.ok(CreateFile.is(create));
    assert.equal(create.uri, pathToFileURL(join(folder, 'cirros-pvcs.yaml')).href);
    assert.ok(TextDocumentEdit.is(fill!) && /name: cirros-disk/.test(fill.edits[0]!.newText));
    assert.match((fill as TextDocumentEdit).edits[0]!.newText, /storage: "22229812"/, '20Mi + 6 %');
    const rewrites = (await actionsAt(7, [CodeActionKind.RefactorRewrite])).filter(CodeAction.is);
    assert.ok(rewrites.length > 0 && rewrites.every((a) => a.kind === CodeActionKind.RefactorRewrite));
    const quickfixOnly = await actionsAt(7, [CodeActionKind.QuickFix]);
    assert.ok(!quickfixOnly.some((a) => CodeAction.is(a) && a.kind?.startsWith('refactor')), 'no refactors when only quick fixes are asked for');
  });

  test('Show CDI render is the client command with the document', async () => {
    const show = (await actionsAt(9)).filter(CodeAction.is).find((a) => a.title.startsWith('Show CDI render'))!;
    assert.deepEqual(show.command, { title: show.title, command: 'kubevirtStorage.showCdiRender', arguments: [uri()] });
  });

  test('claims/render: every claim written vs rendered, byte for byte; an unknown file is a value', async () => {
    const r = await lsp.within(lsp.connection.sendRequest(claimRenderRequest, { uri: uri() }), 'claims/render');
    assert.ok(r.ok);
    assert.equal(r.claims.length, 1);
    const [c] = r.claims;
    assert.equal(c!.describe, 'VirtualMachine cirros, volumeClaimTemplate disk');
    assert.deepEqual(c!.fields.map((f) => [f.field, f.written ?? null, f.rendered ?? null, f.changed]), [
      ['storageClassName', null, 'trident-nas', true],
      ['accessModes', null, 'ReadWriteMany', true],
      ['volumeMode', null, 'Filesystem', true],
      ['storage', '20Mi', '22229812', true],
    ]);
    const none = await lsp.connection.sendRequest(claimRenderRequest, { uri: pathToFileURL(join(folder, 'nope.yaml')).href });
    assert.equal(none.ok, false);
  });

  test('claims/createPvcChoices: the classes (CDI\'s default named) and the sources of the namespace', async () => {
    const c = await lsp.within(lsp.connection.sendRequest(createPvcChoicesRequest, { namespace: 'vms' }), 'createPvcChoices');
    assert.equal(c.defaultClass, 'trident-nas');
    assert.deepEqual(c.classes.map((k) => k.name).sort(), ['hostpath', 'ocs-rbd', 'trident-nas']);
    assert.deepEqual(c.sources.find((s) => s.kind === 'VolumeCloneSource')!.names.map((n) => n.name), ['golden-fedora']);
    assert.deepEqual(c.sources.find((s) => s.kind === 'VolumeSnapshot')!.names.map((n) => n.name), ['db-snap']);
    assert.deepEqual(lsp.errorLogs, []);
  });
});
