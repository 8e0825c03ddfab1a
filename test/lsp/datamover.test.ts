/**
 * The language server on OADP kubevirt datamover index files: an index.json opened as JSON gets the chain
 * diagnostics at the right ranges; the workspace scan supplies the other files of the prefix (the VM index, the
 * qcow2 files' sizes), so a qcow2 file deleted from disk shows up in the open index; other JSON gets nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, FileChangeType, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { missingIncremental } from '../datamover/tree.js';
import { writeTree } from '../datamover/write.js';
import { LspClient } from './lspClient.js';
import { rangeOf } from './manifests.js';

const serverPath = resolve('dist/server.js');
const rules = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code)).sort();

describe('language server: datamover index files', () => {
  let lsp: LspClient;
  let folder: string;
  let prefix: string;
  const configuration = { cdi: { version: '', defaultFilesystemOverhead: '' }, restore: { strictProvisioners: [] as string[] }, trace: { server: 'off' } };

  async function open(path: string, languageId = 'json'): Promise<{ uri: string; text: string }> {
    const uri = pathToFileURL(path).href;
    const text = readFileSync(path, 'utf8');
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return { uri, text };
  }

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-lsp-datamover-'));
    prefix = writeTree(folder, missingIncremental());
    writeFileSync(join(folder, 'package.json'), '{"name": "not-an-index", "checkpointz": []}\n');
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => configuration });
  });

  after(() => {
    lsp?.dispose();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('a chain naming a checkpoint the (unopened) VM index lacks: the diagnostic covers the entry', async () => {
    const { uri, text } = await open(join(prefix, 'manifests/day3/vms-vm1.json'));
    const published = await lsp.waitForDiagnostics(uri, (p) => rules(p).includes('datamover-chain-missing-checkpoint'), 'datamover-chain-missing-checkpoint from the workspace index');
    assert.deepEqual(rules(published), ['datamover-chain-missing-checkpoint']);
    const d = published.diagnostics[0]!;
    assert.equal(d.source, 'kubevirt-storage');
    assert.deepEqual(d.range, rangeOf(text, '"cp-002"'));
    assert.match(d.message, /checkpoint cp-002 is not in vms\/vm1\/index\.json/);
  });

  test('the VM index: its own problem, and a qcow2 file removed from disk', async () => {
    const path = join(prefix, 'checkpoints/vms/vm1/index.json');
    const { uri, text } = await open(path);
    const first = await lsp.waitForDiagnostics(uri, (p) => rules(p).includes('datamover-chain-missing-checkpoint'), "the index's missing parent");
    assert.deepEqual(rules(first), ['datamover-chain-missing-checkpoint']);
    assert.deepEqual(first.diagnostics[0]!.range, rangeOf(text, '"cp-002"'));

    const qcow2 = join(prefix, 'checkpoints/vms/vm1/cp-003/vmb-day3-datadisk.qcow2');
    unlinkSync(qcow2);
    await lsp.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(qcow2).href, type: FileChangeType.Deleted }] });
    const second = await lsp.waitForDiagnostics(uri, (p) => rules(p).includes('datamover-file-missing'), 'datamover-file-missing once the file is gone');
    const missing = second.diagnostics.find((x) => x.code === 'datamover-file-missing')!;
    assert.deepEqual(missing.range, rangeOf(text, '"vmb-day3-datadisk.qcow2"'));
    await lsp.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  });

  test('an index outside the layout is recognised by its content; other JSON is left alone', async () => {
    const copy = join(folder, 'copied-index.json');
    writeFileSync(copy, '{\n  "vmName": "vm9",\n  "namespace": "vms",\n  "checkpoints": [\n    {"id": "cp-1", "type": "incremental", "parent": "cp-0", "files": [], "pvcs": [], "referencedBy": []}\n  ]\n}\n');
    const { uri, text } = await open(copy);
    const p = await lsp.waitForDiagnostics(uri, (x) => x.diagnostics.length > 0, 'diagnostics for the copied index');
    assert.deepEqual(rules(p), ['datamover-chain-missing-checkpoint']);
    assert.deepEqual(p.diagnostics[0]!.range, rangeOf(text, '"cp-0"'));
    const pkg = await open(join(folder, 'package.json'));
    // The copied index is re-published after every change elsewhere; package.json never is.
    await open(join(prefix, 'manifests/day2/vms-vm1.json'));
    await lsp.waitForDiagnostics(pathToFileURL(join(prefix, 'manifests/day2/vms-vm1.json')).href, (x) => x.diagnostics.length > 0, 'day2 diagnostics');
    assert.equal(lsp.diagnostics.get(pkg.uri), undefined, 'no diagnostics published for package.json');
  });
});
