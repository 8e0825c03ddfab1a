/**
 * Issue 16 item 1 in the language server: documents naming things after Object.prototype properties are analysed
 * (diagnostics published for every version), hovers and quick fixes answer as for a harmless name, and the server
 * never reports itself degraded. Before the fix such a document stopped being re-analysed.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  MarkupContent,
  type Hover,
  type Position,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { asBenign, benign, hostileCorpus, manifestsNaming, prototypeNames } from '../hostile.js';
import { LspClient } from './lspClient.js';

const serverPath = resolve('dist/server.js');

function hoverText(hover: Hover | null): string | undefined {
  if (!hover) return undefined;
  const { contents } = hover;
  if (MarkupContent.is(contents)) return contents.value;
  return (Array.isArray(contents) ? contents : [contents]).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

function positions(text: string, needle: string): Position[] {
  const out: Position[] = [];
  text.split('\n').forEach((line, i) => {
    for (let c = line.indexOf(needle); c >= 0; c = line.indexOf(needle, c + 1)) out.push({ line: i, character: c });
  });
  return out;
}

describe('language server: Object.prototype names in documents', () => {
  let lsp: LspClient;
  let folder: string;
  const uriOf = (name: string): string => pathToFileURL(join(folder, name)).href;

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-lsp-hostile-'));
    lsp = await LspClient.start({
      serverPath,
      workspaceFolder: pathToFileURL(folder).href,
      configuration: () => ({ restore: { strictProvisioners: ['csi.trident.netapp.io'] }, trace: { server: 'off' } }),
    });
  });
  after(() => {
    lsp?.dispose();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  async function open(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return lsp.waitForDiagnostics(uri, (p) => p.version === 1, 'diagnostics of version 1');
  }

  /** Hovers at `at`, and the quick fixes of every diagnostic, as text with `name` made harmless. */
  async function answers(uri: string, published: PublishDiagnosticsParams, at: Position[], name: string): Promise<string[]> {
    const out: string[] = [];
    for (const position of at) {
      const hover = await lsp.within(lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), `hover at ${position.line}:${position.character}`);
      out.push(`hover ${position.line}: ${asBenign(hoverText(hover) ?? '(none)', name)}`);
    }
    for (const diagnostic of published.diagnostics) {
      const actions = await lsp.within(
        lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: [CodeActionKind.QuickFix] } }),
        `code actions for ${String(diagnostic.code)}`,
      );
      out.push(`fixes ${String(diagnostic.code)}: ${asBenign((actions ?? []).filter(CodeAction.is).map((a) => a.title).join(' | '), name)}`);
    }
    return out;
  }

  const said = (p: PublishDiagnosticsParams, name: string) => p.diagnostics.map((d) => asBenign(`${d.range.start.line} ${String(d.code)} ${d.severity} ${d.message}`, name));

  test('every name in every place: the diagnostics, hovers and quick fixes of a harmless name; an edit is re-analysed', async () => {
    const reference = manifestsNaming(benign);
    const referenceUri = uriOf(`${benign}.yaml`);
    const referencePublished = await open(referenceUri, reference);
    assert.ok(said(referencePublished, benign).some((d) => d.includes('restore-size-exceeded')), 'the reference has findings to compare');
    const at = (text: string, name: string) => [...positions(text, name), ...positions(text, '21Mi')];
    const expected = await answers(referenceUri, referencePublished, at(reference, benign), benign);

    for (const [i, name] of prototypeNames.entries()) {
      const uri = uriOf(`name-${i}.yaml`);
      const text = manifestsNaming(name);
      const published = await open(uri, text);
      assert.deepEqual(said(published, name), said(referencePublished, benign), name);
      assert.deepEqual(await answers(uri, published, at(text, name), name), expected, name);
      // The document stays live: an edit (21Mi → 20Mi) is analysed, and the size findings go.
      const size = positions(text, '21Mi')[0]!;
      await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: size, end: { line: size.line, character: size.character + 4 } }, text: '20Mi' }],
      });
      const edited = await lsp.waitForDiagnostics(uri, (p) => p.version === 2, `${name}: diagnostics of version 2`);
      assert.ok(!edited.diagnostics.some((d) => d.code === 'restore-size-exceeded'), name);
    }
    assert.deepEqual(lsp.statuses.filter((s) => s.state !== 'ok'), [], 'the server never reported itself degraded');
    assert.deepEqual(lsp.errorLogs, []);
  });

  test('the regression corpus opens and analyses like any document', async () => {
    for (const [i, f] of hostileCorpus().entries()) {
      const published = await open(uriOf(`corpus-${i}.yaml`), f.text);
      assert.ok(Array.isArray(published.diagnostics), f.file);
    }
    assert.deepEqual(lsp.statuses.filter((s) => s.state !== 'ok'), []);
    assert.deepEqual(lsp.errorLogs, []);
  });
});
