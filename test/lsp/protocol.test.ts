/**
 * LSP protocol tests: the built server (dist/server.js) spawned over stdio and driven by a plain JSON-RPC client.
 * `npm test` builds first; run alone with `npm run build && node --import tsx --test test/lsp/protocol.test.ts`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeAction,
  CodeActionKind,
  CodeActionRequest,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  HoverRequest,
  MarkupContent,
  TextDocumentEdit,
  TextDocumentSyncKind,
  type Diagnostic,
  type Hover,
  type PublishDiagnosticsParams,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { LspClient } from './lspClient.js';
import { count, rangeOf, restorePvc, storageClass, volumeSnapshot, yamlFile } from './manifests.js';

const serverPath = resolve('dist/server.js');
const exceeded = 'restore-size-exceeded';
const notFound = 'snapshot-not-found';

const rules = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => String(d.code));
const has = (p: PublishDiagnosticsParams, rule: string): boolean => rules(p).includes(rule);
const ruleCount = (p: PublishDiagnosticsParams, rule: string): number => rules(p).filter((r) => r === rule).length;

/** The one diagnostic of `rule`; fails when there is none or more than one. */
function single(p: PublishDiagnosticsParams, rule: string): Diagnostic {
  const found = p.diagnostics.filter((d) => d.code === rule);
  assert.equal(found.length, 1, `exactly one ${rule} diagnostic in ${p.uri}; got ${JSON.stringify(p.diagnostics)}`);
  return found[0]!;
}

function hoverText(hover: Hover): string {
  const { contents } = hover;
  if (MarkupContent.is(contents)) return contents.value;
  return (Array.isArray(contents) ? contents : [contents]).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

describe('language server over stdio (dist/server.js)', () => {
  let lsp: LspClient;
  let folder: string;
  const configuration = {
    cdi: { version: '', defaultFilesystemOverhead: '' },
    restore: { strictProvisioners: [] as string[] },
    trace: { server: 'off' },
  };
  const uriOf = (name: string): string => pathToFileURL(join(folder, name)).href;
  const diskSnapshotPath = (): string => join(folder, 'manifests', 'disk-snap.yaml');

  async function open(uri: string, text: string): Promise<void> {
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
  }

  /** Sends edits (all relative to the current text, as in a TextDocumentEdit) as incremental changes. */
  async function change(uri: string, version: number, edits: TextEdit[]): Promise<void> {
    const lastFirst = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: lastFirst.map((e) => ({ range: e.range, text: e.newText })),
    });
  }

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first (\`npm test\` builds before testing)`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-lsp-'));
    mkdirSync(join(folder, 'manifests'));
    writeFileSync(diskSnapshotPath(), volumeSnapshot('disk-snap', '10Gi'));
    mkdirSync(join(folder, 'node_modules', 'chart'), { recursive: true });
    writeFileSync(join(folder, 'node_modules', 'chart', 'ignored.yaml'), volumeSnapshot('ignored-snap', '10Gi'));
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => configuration });
  });

  after(() => {
    lsp?.dispose();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('initialize advertises incremental sync, quick fixes, hover and completion', () => {
    const capabilities = lsp.initializeResult?.capabilities;
    assert.ok(capabilities, 'an initialize result');
    const sync = capabilities.textDocumentSync;
    assert.equal(typeof sync === 'object' ? sync.change : sync, TextDocumentSyncKind.Incremental);
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.RefactorExtract, CodeActionKind.Refactor] });
    assert.equal(capabilities.hoverProvider, true);
    assert.deepEqual(capabilities.completionProvider, { triggerCharacters: [' '] });
  });

  test('restore PVC larger than its snapshot: diagnostic, strict provisioner setting, quick fix, hover', async () => {
    const uri = uriOf('restore.yaml');
    const text = yamlFile(
      volumeSnapshot('tpm-snap', '20Mi'),
      storageClass('trident-nas', 'csi.trident.netapp.io'),
      restorePvc('tpm-restore', 'tpm-snap', '21Mi', 'trident-nas'),
    );
    const sizeRange = rangeOf(text, '21Mi');
    assert.equal(count(text, '21Mi'), 1);
    await open(uri, text);

    const published = await lsp.waitForDiagnostics(uri, (p) => p.version === 1 && has(p, exceeded), `${exceeded} for version 1`);
    const warning = single(published, exceeded);
    assert.equal(warning.source, 'kubevirt-storage');
    assert.deepEqual(warning.range, sizeRange, 'the diagnostic covers the 21Mi value');
    assert.equal(warning.severity, DiagnosticSeverity.Warning, 'csi.trident.netapp.io is not (yet) in strictProvisioners');

    configuration.restore.strictProvisioners = ['csi.trident.netapp.io'];
    await lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { kubevirtStorage: configuration } });
    const strict = await lsp.waitForDiagnostics(
      uri,
      (p) => p.diagnostics.some((d) => d.code === exceeded && d.severity === DiagnosticSeverity.Error),
      `${exceeded} as an error once the provisioner is strict`,
    );
    const error = single(strict, exceeded);
    assert.deepEqual(error.range, sizeRange);

    const answer = await lsp.within(
      lsp.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: error.range,
        context: { diagnostics: [error], only: [CodeActionKind.QuickFix] },
      }),
      'the codeAction request',
    );
    const preferred = (answer ?? []).filter(CodeAction.is).filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, `one preferred quick fix; got ${JSON.stringify(answer)}`);
    const fix = preferred[0]!;
    assert.equal(fix.kind, CodeActionKind.QuickFix);
    assert.deepEqual(fix.diagnostics, [error]);
    const documentChanges = fix.edit?.documentChanges ?? [];
    assert.equal(documentChanges.length, 1, `one versioned document edit; got ${JSON.stringify(fix.edit)}`);
    const documentEdit = documentChanges[0]!;
    assert.ok(TextDocumentEdit.is(documentEdit), 'a TextDocumentEdit');
    assert.deepEqual(documentEdit.textDocument, { uri, version: 1 });
    const edits = documentEdit.edits as TextEdit[];
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), edits);
    assert.equal(fixed, text.replace('storage: 21Mi', 'storage: 20Mi'), 'the fix replaces 21Mi with 20Mi');

    await change(uri, 2, edits);
    await lsp.waitForDiagnostics(uri, (p) => p.version === 2 && !has(p, exceeded), `no ${exceeded} after the fix (version 2)`);

    const hover = await lsp.within(
      lsp.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri },
        position: { line: sizeRange.start.line, character: sizeRange.start.character + 1 },
      }),
      'the hover request',
    );
    assert.ok(hover, 'a hover over 20Mi');
    assert.match(hoverText(hover), /20,971,520/);
  });

  test('a VolumeSnapshot in another open document resolves the PVC (cross-file)', async () => {
    const pvcUri = uriOf('cross-restore.yaml');
    const pvcText = restorePvc('cross-restore', 'cross-snap', '11Gi');
    await open(pvcUri, pvcText);
    await lsp.waitForDiagnostics(pvcUri, (p) => has(p, notFound), `${notFound} while no file defines cross-snap`);

    await open(uriOf('cross-snap.yaml'), volumeSnapshot('cross-snap', '10Gi'));
    const resolved = await lsp.waitForDiagnostics(
      pvcUri,
      (p) => has(p, exceeded) && !has(p, notFound),
      `${exceeded} once the snapshot's file is open`,
    );
    assert.deepEqual(single(resolved, exceeded).range, rangeOf(pvcText, '11Gi'));
  });

  test('a YAML syntax error is reported, and the other documents are still analysed', async () => {
    const brokenUri = uriOf('broken.yaml');
    const brokenText = yamlFile(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n   bad: indentation\n',
      volumeSnapshot('syntax-snap', '10Gi'),
      restorePvc('syntax-restore', 'syntax-snap', '11Gi'),
    );
    await open(brokenUri, brokenText);
    const broken = await lsp.waitForDiagnostics(brokenUri, (p) => has(p, 'yaml-syntax') && has(p, exceeded), `yaml-syntax and ${exceeded}`);
    const syntaxErrors = broken.diagnostics.filter((d) => d.code === 'yaml-syntax');
    assert.ok(syntaxErrors.every((d) => d.range.start.line <= 4), 'the syntax errors are in the first YAML document');
    assert.ok(syntaxErrors.every((d) => d.severity === DiagnosticSeverity.Error));
    assert.deepEqual(single(broken, exceeded).range, rangeOf(brokenText, '11Gi'), 'the later documents of the file are analysed');

    const otherUri = uriOf('after-broken.yaml');
    const otherText = yamlFile(volumeSnapshot('other-snap', '10Gi'), restorePvc('other-restore', 'other-snap', '11Gi'));
    await open(otherUri, otherText);
    const other = await lsp.waitForDiagnostics(otherUri, (p) => has(p, exceeded), `${exceeded} in another document`);
    assert.ok(!has(other, 'yaml-syntax'));
  });

  test('YAML files on disk are indexed (not node_modules) and watched', async () => {
    const status = await lsp.waitFor(() => lsp.statuses.find((s) => s.indexedFiles !== undefined), 'the status after the workspace scan');
    assert.equal(status.indexedFiles, 1, 'manifests/disk-snap.yaml only: node_modules is skipped');
    await lsp.waitFor(() => lsp.registrations.find((r) => r.method === DidChangeWatchedFilesNotification.method), 'a file watcher registration');

    const uri = uriOf('from-disk.yaml');
    const text = yamlFile(restorePvc('disk-restore', 'disk-snap', '11Gi'), restorePvc('ignored-restore', 'ignored-snap', '11Gi'));
    const secondDocumentLine = rangeOf(text, 'ignored-restore').start.line;
    await open(uri, text);
    const first = await lsp.waitForDiagnostics(uri, (p) => has(p, exceeded) && has(p, notFound), `${exceeded} and ${notFound}`);
    assert.deepEqual(single(first, exceeded).range, rangeOf(text, '11Gi'), 'disk-snap.yaml resolves the first PVC');
    assert.ok(single(first, notFound).range.start.line >= secondDocumentLine, 'the snapshot under node_modules is not indexed');

    const diskSnapshotUri = pathToFileURL(diskSnapshotPath()).href;
    writeFileSync(diskSnapshotPath(), volumeSnapshot('disk-snap', '11Gi'));
    await lsp.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: diskSnapshotUri, type: FileChangeType.Changed }] });
    await lsp.waitForDiagnostics(uri, (p) => !has(p, exceeded) && ruleCount(p, notFound) === 1, 'the changed restoreSize on disk');

    rmSync(diskSnapshotPath());
    await lsp.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: diskSnapshotUri, type: FileChangeType.Deleted }] });
    await lsp.waitForDiagnostics(uri, (p) => ruleCount(p, notFound) === 2, `${notFound} for both PVCs once disk-snap.yaml is deleted`);
  });

  test('shutdown and exit end the process cleanly, with no errors logged', async () => {
    assert.deepEqual(lsp.errorLogs, [], 'no exceptions were logged');
    assert.deepEqual(lsp.statuses.filter((s) => s.state !== 'ok'), [], 'the server never reported itself degraded');
    assert.equal(await lsp.shutdown(), 0);
  });
});
