/**
 * On stdio the server writes publishes itself (server/transport.ts `FramedWriter`, diagnostics.ts `writeMessage`:
 * each diagnostic from its kept JSON with the line numbers written in); over Node IPC, as VS Code starts it, the
 * library serialises the same messages. Both must deliver the same diagnostics, with relatedInformation, after
 * edits that move the related objects and the findings (lines added and removed above, between and below them).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, DocumentDiagnosticRequest } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lspClient.js';
import { restorePvc, storageClass, volumeSnapshot, yamlFile } from './manifests.js';

const serverPath = resolve('dist/server.js');
const folder = mkdtempSync(join(tmpdir(), 'kvs-lsp-transport-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const uri = pathToFileURL(join(folder, 'restores.yaml')).href;
const text = yamlFile(
  storageClass('nas', 'csi.trident.netapp.io'),
  restorePvc('p1', 'a', '21Mi', 'nas'),
  volumeSnapshot('a', '20Mi'),
  restorePvc('p2', 'b', '5Gi', 'nas'),
  volumeSnapshot('b', '1Gi'),
  restorePvc('p3', 'a', '30Mi'),
);

/** Line edits: [line, lines removed, lines inserted]. */
const edits: Array<[number, number, string[]]> = [
  [0, 0, ['# above everything']],
  [12, 0, ['# between', '# two lines']],
  [3, 1, []],
  [1000, 0, ['# at the end']],
  [20, 2, []],
  [7, 0, ['# again']],
];

async function session(transport: 'stdio' | 'ipc', pull: boolean): Promise<{ lsp: LspClient; reports: unknown[] }> {
  const lsp = await LspClient.start({
    serverPath,
    workspaceFolder: pathToFileURL(folder).href,
    configuration: () => ({}),
    transport,
    ...(pull ? {} : { capabilities: { textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } }, workspace: { configuration: true } } }),
  });
  const reports: unknown[] = [];
  let lines = text.split('\n');
  const pulled = async () => {
    const report = await lsp.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    return report.kind === 'full' ? report.items : report;
  };
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  reports.push(pull ? await pulled() : (await lsp.waitForDiagnostics(uri, (p) => p.version === 1, 'the first publish')).diagnostics);
  for (const [i, [at, removed, inserted]] of edits.entries()) {
    const version = i + 2;
    const line = Math.min(at, lines.length - 1);
    lines.splice(line, removed, ...inserted);
    await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line: line + removed, character: 0 } }, text: inserted.map((l) => `${l}\n`).join('') }],
    });
    reports.push(pull ? await pulled() : (await lsp.waitForDiagnostics(uri, (p) => p.version === version, `the publish of version ${version}`)).diagnostics);
  }
  return { lsp, reports };
}

for (const pull of [false, true]) {
  test(`stdio and Node IPC deliver the same ${pull ? 'pulled' : 'pushed'} diagnostics, related places included, after edits that move them`, async () => {
    const stdio = await session('stdio', pull);
    const ipc = await session('ipc', pull);
    try {
      assert.equal(stdio.reports.length, edits.length + 1);
      assert.deepEqual(stdio.reports, ipc.reports);
      const related = (stdio.reports as Array<Array<{ relatedInformation?: unknown[] }>>).flat().filter((d) => d.relatedInformation?.length);
      assert.ok(related.length >= edits.length, 'the findings link their snapshots and classes');
      // The related lines did move with the edits (the scenario is not trivially the same each time).
      assert.notDeepEqual(stdio.reports[0], stdio.reports[1]);
    } finally {
      for (const s of [stdio, ipc]) {
        await s.lsp.shutdown().catch(() => undefined);
        s.lsp.dispose();
      }
    }
  });
}
