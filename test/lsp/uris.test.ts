/**
 * Issue 16 item 3: spellings of one file (`?query`, `#fragment`, `//`, `./`) are one file to the workspace index, but
 * two open documents stay two documents. Before the fix, opening a second spelling cleared the first one's
 * diagnostics and closing it left them cleared. The server pushes another open document's diagnostics only when its
 * findings change, so each test gives the watched document a witness: a restore of a snapshot that only the other
 * document defines, whose snapshot-not-found finding comes and goes with it and makes the follow-up publish certain.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lspClient.js';
import { rangeOf, restorePvc, volumeSnapshot, yamlFile } from './manifests.js';

const serverPath = resolve('dist/server.js');

describe('language server: several URIs of one file', () => {
  let lsp: LspClient;
  let folder: string;

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-lsp-uris-'));
    writeFileSync(join(folder, 'snapshots.yaml'), volumeSnapshot('uri-snap', '20Gi'));
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => ({ trace: { server: 'off' } }) });
    await lsp.waitFor(() => (lsp.statuses.some((s) => s.indexedFiles !== undefined) ? true : undefined), 'the end of the scan');
  });
  after(() => {
    lsp?.dispose();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const open = async (uri: string, text: string, version = 1) => {
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version, text } });
    return lsp.waitForDiagnostics(uri, (p) => p.version === version, `diagnostics of ${uri}`);
  };
  /** The next publish for `uri` (the follow-up analysis of an open document whose findings another one changed). */
  const republished = async (uri: string, after: number) =>
    lsp.waitFor(() => ((lsp.publishCount.get(uri) ?? 0) > after ? lsp.diagnostics.get(uri) : undefined), `a new publish for ${uri}`);
  const codes = (uri: string) => lsp.diagnostics.get(uri)?.diagnostics.map((d) => String(d.code)) ?? [];

  for (const spelling of ['?query=1', '#fragment', '//', './']) {
    test(`a second document spelled with ${spelling} neither clears nor keeps the first one's diagnostics`, async () => {
      const name = `pvc-${spelling.replace(/\W/g, '') || 'x'}.yaml`;
      const plain = pathToFileURL(join(folder, 'open', name)).href;
      const other =
        spelling.startsWith('?') || spelling.startsWith('#') ? `${plain}${spelling}`
        : plain.replace(/\/open\//, spelling === '//' ? '/open//' : '/open/./');
      assert.notEqual(other, plain);
      const witness = `witness-${name.slice(0, -5)}`;
      const text = yamlFile(restorePvc('restore', 'uri-snap', '21Gi'), restorePvc(witness, witness, '1Gi'));
      const first = await open(plain, text);
      assert.deepEqual(first.diagnostics.map((d) => d.code), ['restore-size-exceeded', 'snapshot-not-found']);

      // The second document holds other text: it gets its own findings, and the first keeps its own.
      const before = lsp.publishCount.get(plain) ?? 0;
      const second = await open(other, yamlFile('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', volumeSnapshot(witness, '1Gi')));
      assert.deepEqual(second.diagnostics, []);
      await republished(plain, before);
      assert.deepEqual(codes(plain), ['restore-size-exceeded'], 'the first document was not cleared (its witness found)');
      const hover = await lsp.within(lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri: plain }, position: rangeOf(text, '21Gi').start }), 'hover');
      assert.ok(hover, 'the first document still has its hovers');

      // Closing the second clears its diagnostics only.
      const beforeClose = lsp.publishCount.get(plain) ?? 0;
      await lsp.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: other } });
      await lsp.waitForDiagnostics(other, (p) => p.diagnostics.length === 0 && p.version === undefined, 'the closed document cleared');
      await republished(plain, beforeClose);
      assert.deepEqual(codes(plain), ['restore-size-exceeded', 'snapshot-not-found'], 'closing the second left the first intact');
      await lsp.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: plain } });
      await lsp.waitForDiagnostics(plain, (p) => p.diagnostics.length === 0, 'the first document cleared on close');
    });
  }

  test('a second spelling of a file on disk stands for it while open; closing the first keeps the second analysed', async () => {
    const onDisk = join(folder, 'both.yaml');
    writeFileSync(onDisk, yamlFile(volumeSnapshot('both-snap', '20Gi'), restorePvc('both', 'both-snap', '21Gi')));
    const plain = pathToFileURL(onDisk).href;
    const queried = `${plain}?view=2`;
    // The first document names the snapshot 21Gi: the request is no longer too large.
    // It also defines the snapshot of the second's witness restore.
    const edited = yamlFile(volumeSnapshot('both-snap', '21Gi'), restorePvc('both', 'both-snap', '21Gi'), volumeSnapshot('both-witness', '1Gi'));
    assert.deepEqual((await open(plain, edited)).diagnostics, []);
    const second = await open(queried, yamlFile(volumeSnapshot('both-snap', '21Gi'), restorePvc('both', 'both-snap', '21Gi'), restorePvc('both-witness', 'both-witness', '1Gi')));
    assert.deepEqual(second.diagnostics, []);
    // The first closes: the disk copy (20Gi) must not come back while the second is open.
    const before = lsp.publishCount.get(queried) ?? 0;
    await lsp.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: plain } });
    await republished(queried, before);
    assert.deepEqual(codes(queried), ['snapshot-not-found'], 'only the witness lost its snapshot');
    // The last one closes: the file on disk is indexed again, and a restore elsewhere sees its 20Gi snapshot.
    await lsp.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: queried } });
    await lsp.waitForDiagnostics(queried, (p) => p.diagnostics.length === 0 && p.version === undefined, 'the second cleared');
    const probe = pathToFileURL(join(folder, 'open', 'probe.yaml')).href;
    await open(probe, restorePvc('probe', 'both-snap', '21Gi'));
    // The disk copy is read asynchronously after the close: the probe is re-analysed once it is in.
    const probed = await lsp.waitForDiagnostics(probe, (p) => p.diagnostics.some((d) => d.code === 'restore-size-exceeded'), 'the disk copy of both.yaml in the index');
    assert.deepEqual(probed.diagnostics.map((d) => d.code), ['restore-size-exceeded']);
  });
});
