/**
 * Issue 16 item 2 in the language server: the workspace scan meets files it cannot read (binary, not UTF-8, over
 * the index's size limit, unreadable). It indexes the others (a PVC in an open document still resolves a
 * VolumeSnapshot on disk), says the unreadable ones once, in one log line, and is never degraded by them.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, DidOpenTextDocumentNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lspClient.js';
import { restorePvc, volumeSnapshot } from './manifests.js';

const serverPath = resolve('dist/server.js');
const asRoot = process.getuid?.() === 0;

describe('language server: unreadable files in the workspace scan', () => {
  let lsp: LspClient;
  let folder: string;

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-lsp-unreadable-'));
    writeFileSync(join(folder, 'snapshot.yaml'), volumeSnapshot('disk-snap', '20Gi'));
    writeFileSync(join(folder, 'binary.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x00]));
    writeFileSync(join(folder, 'latin1.yaml'), Buffer.from('kind: ConfigMap\nmetadata: {name: caf\xe9}\n', 'latin1'));
    writeFileSync(join(folder, 'huge.yaml'), '');
    truncateSync(join(folder, 'huge.yaml'), 6 * 1024 * 1024);
    writeFileSync(join(folder, 'locked.yaml'), 'kind: ConfigMap\n');
    chmodSync(join(folder, 'locked.yaml'), 0o000);
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => ({ trace: { server: 'off' } }) });
  });
  after(() => {
    lsp?.dispose();
    if (folder) {
      chmodSync(join(folder, 'locked.yaml'), 0o600);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('the other files are indexed, the unreadable ones said once in one line, the status never degraded', async () => {
    await lsp.waitFor(() => (lsp.statuses.some((s) => s.indexedFiles !== undefined) ? true : undefined), 'the end of the scan');
    const uri = pathToFileURL(join(folder, 'open', 'restore.yaml')).href;
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text: restorePvc('restore', 'disk-snap', '21Gi') },
    });
    const published = await lsp.waitForDiagnostics(uri, (p) => p.version === 1, 'diagnostics of the restore');
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['restore-size-exceeded'], 'the snapshot on disk was indexed');

    const lines = lsp.warnLogs.filter((l) => l.includes('cannot be read'));
    assert.equal(lines.length, 1, lines.join('\n'));
    const line = lines[0]!;
    assert.match(line, new RegExp(`^${asRoot ? 3 : 4} workspace files cannot be read and are not indexed: `));
    assert.match(line, /binary\.yaml \(a binary file/);
    assert.match(line, /latin1\.yaml \(not valid UTF-8 text/);
    assert.match(line, /huge\.yaml \(larger than 5 MiB/);
    if (!asRoot) assert.match(line, /locked\.yaml \(permission denied\)/);
    assert.ok(!line.includes('snapshot.yaml'));

    // The same file changing and still unreadable is not said again; the status was never degraded.
    await lsp.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(join(folder, 'binary.yaml')).href, type: FileChangeType.Changed }] });
    writeFileSync(join(folder, 'latin1.yaml'), Buffer.from([0x00]));
    await lsp.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(join(folder, 'latin1.yaml')).href, type: FileChangeType.Changed }] });
    const again = await lsp.waitFor(() => lsp.warnLogs.find((l) => l.startsWith('A workspace file cannot be read')), 'the changed reason of latin1.yaml');
    assert.match(again, /latin1\.yaml \(a binary file/);
    assert.equal(lsp.warnLogs.filter((l) => l.includes('binary.yaml')).length, 1, 'binary.yaml said once');
    assert.ok(lsp.statuses.every((s) => s.state === 'ok'), JSON.stringify(lsp.statuses));
    assert.deepEqual(lsp.errorLogs, []);
  });
});
