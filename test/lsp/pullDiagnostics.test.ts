/**
 * Pull diagnostics (LSP 3.17 `textDocument/diagnostic`): a client that can pull is offered them and pulls; a report
 * it already has comes back `unchanged` (its result id); an edit that changes findings gives a new full report; an
 * edit elsewhere that changes another open document's findings makes the server ask for a refresh; nothing is
 * pushed to such a client. Over random edits, every full report equals what a pushing client is sent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { fullCapabilities, LspClient } from './lspClient.js';
import { rangeOf, restorePvc, storageClass, volumeSnapshot, yamlFile } from './manifests.js';

const serverPath = resolve('dist/server.js');
const configuration = { cdi: { version: '', defaultFilesystemOverhead: '' }, restore: { strictProvisioners: [] as string[] }, trace: { server: 'off' } };
const pulling = {
  ...fullCapabilities,
  workspace: { ...fullCapabilities.workspace, diagnostics: { refreshSupport: true } },
  textDocument: { ...fullCapabilities.textDocument, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
};

describe('pull diagnostics (dist/server.js)', () => {
  let pull: LspClient;
  let push: LspClient;
  let folder: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-pull-'));
    const start = (capabilities?: typeof pulling) =>
      LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => configuration, ...(capabilities ? { capabilities } : {}) });
    pull = await start(pulling);
    push = await start();
  });

  after(() => {
    pull?.dispose();
    push?.dispose();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const uri = (name: string) => pathToFileURL(join(folder, name)).href;
  const report = (lsp: LspClient, u: string, previousResultId?: string): Promise<DocumentDiagnosticReport> =>
    lsp.within(lsp.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u }, ...(previousResultId ? { previousResultId } : {}) }), `diagnostics of ${u}`);
  const full = (r: DocumentDiagnosticReport): { resultId: string; items: Diagnostic[] } => {
    assert.equal(r.kind, 'full', `a full report, got ${JSON.stringify(r)}`);
    return r as { resultId: string; items: Diagnostic[] };
  };

  test('the server offers pull diagnostics to a client that can pull, and only to it', () => {
    assert.deepEqual(pull.initializeResult?.capabilities.diagnosticProvider, { identifier: 'kubevirt-storage', interFileDependencies: true, workspaceDiagnostics: false });
    assert.equal(push.initializeResult?.capabilities.diagnosticProvider, undefined);
  });

  test('result ids: unchanged while the findings are, a new full report when they change, a refresh for the other document', async () => {
    const snaps = uri('snaps.yaml');
    const pvcs = uri('pvcs.yaml');
    const snapsText = yamlFile(volumeSnapshot('s1', '20Mi'), storageClass('nas', 'csi.trident.netapp.io'));
    const pvcsText = yamlFile(restorePvc('r1', 's1', '21Mi', 'nas'));
    for (const [u, t] of [[snaps, snapsText], [pvcs, pvcsText]] as const) {
      await pull.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text: t } });
    }
    const first = full(await report(pull, pvcs));
    assert.deepEqual(first.items.map((d) => d.code), ['restore-size-exceeded']);
    assert.equal((await report(pull, pvcs, first.resultId)).kind, 'unchanged');

    // A comment in the PVC's document: findings the same, report unchanged.
    await pull.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: pvcs, version: 2 },
      contentChanges: [{ range: rangeOf(pvcsText, 'spec:'), text: 'spec:  # sized by hand' }],
    });
    assert.deepEqual(await report(pull, pvcs, first.resultId), { kind: 'unchanged', resultId: first.resultId });

    // The snapshot grows to the request: the other document's finding goes, and the client is asked to pull again.
    const before = pull.refreshes;
    await pull.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: snaps, version: 2 },
      contentChanges: [{ range: rangeOf(snapsText, '20Mi'), text: '21Mi' }],
    });
    await pull.waitFor(() => (pull.refreshes > before ? true : undefined), 'a workspace/diagnostic/refresh');
    const second = full(await report(pull, pvcs, first.resultId));
    assert.notEqual(second.resultId, first.resultId);
    assert.deepEqual(second.items, []);
    assert.equal(pull.diagnostics.size, 0, 'nothing pushed to a pulling client');
  });

  test('over 40 random edits, each pulled report equals the diagnostics pushed for the same version', async () => {
    const u = uri('random.yaml');
    let text = yamlFile(volumeSnapshot('s2', '20Mi'), restorePvc('r2', 's2', '21Mi'), restorePvc('r3', 'missing', '1Gi'), volumeSnapshot('s3', '1Gi'));
    for (const lsp of [pull, push]) await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text } });
    let seed = 11;
    const r = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    let resultId: string | undefined;
    let items: Diagnostic[] = [];
    for (let v = 2; v < 42; v++) {
      const lines = text.split('\n');
      const line = Math.floor(r() * lines.length);
      const size = ['21Mi', '20Mi', '22Mi', '19Mi'].find((n) => text.includes(n) && r() < 0.7);
      const at = { start: { line, character: 0 }, end: { line, character: 0 } };
      const edit =
        r() < 0.4 ? { range: at, text: '# note\n' }
        : size && r() < 0.7 ? { range: rangeOf(text, size), text: r() < 0.5 ? '22Mi' : '19Mi' }
        : { range: at, text: r() < 0.5 ? '---\n' : 'bad: [\n' };
      text = applyEdit(text, edit.range, edit.text);
      for (const lsp of [pull, push]) await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: v }, contentChanges: [edit] });
      const got = await report(pull, u, resultId);
      if (got.kind === 'full') items = got.items;
      resultId = got.resultId;
      const pushed = await push.waitForDiagnostics(u, (p) => p.version === v, `version ${v}`);
      assert.deepEqual(items, pushed.diagnostics, `version ${v}`);
    }
  });
});

function applyEdit(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, insert: string): string {
  const offset = (p: { line: number; character: number }) => text.split('\n').slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(range.start)) + insert + text.slice(offset(range.end));
}
