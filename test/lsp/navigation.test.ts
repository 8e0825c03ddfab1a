/**
 * Navigation over stdio (dist/server.js): document symbols, go to definition across files (one on disk, not open),
 * references and code lenses; and a Neovim-like client (no pulled configuration, no dynamic registration, no
 * client commands) gets the same symbols and definitions, and lenses without our command.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeLensRequest,
  CodeLensResolveRequest,
  DefinitionRequest,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ReferencesRequest,
  type CodeLens,
  type DocumentSymbol,
  type Location,
  type SymbolInformation,
} from 'vscode-languageserver-protocol/node';
import { fullCapabilities, LspClient, neovimCapabilities } from './lspClient.js';
import { rangeOf, restorePvc, storageClass, volumeSnapshot, yamlFile } from './manifests.js';

const serverPath = resolve('dist/server.js');

const restoreText = yamlFile(
  restorePvc('nav-restore', 'nav-snap', '20Gi', 'nav-class'),
  `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: nav-vm
spec:
  dataVolumeTemplates:
    - metadata:
        name: nav-vm-root
      spec:
        source:
          snapshot:
            name: nav-snap
        storage:
          resources:
            requests:
              storage: 20Gi
  template:
    spec:
      volumes:
        - name: root
          dataVolume:
            name: nav-vm-root
        - name: data
          persistentVolumeClaim:
            claimName: nav-restore
`,
);
const snapshotText = yamlFile(volumeSnapshot('nav-snap', '20Gi'), storageClass('nav-class', 'csi.example.com'));

interface Session {
  lsp: LspClient;
  folder: string;
}

async function session(capabilities: typeof fullCapabilities, initializationOptions?: unknown): Promise<Session> {
  const folder = mkdtempSync(join(tmpdir(), 'kvs-lsp-nav-'));
  mkdirSync(join(folder, 'manifests'));
  writeFileSync(join(folder, 'manifests', 'snapshots.yaml'), snapshotText);
  const lsp = await LspClient.start({
    serverPath,
    workspaceFolder: pathToFileURL(folder).href,
    configuration: () => ({ cdi: { version: '1.63.1' } }),
    capabilities,
    ...(initializationOptions === undefined ? {} : { initializationOptions }),
  });
  const uri = pathToFileURL(join(folder, 'restore.yaml')).href;
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: restoreText } });
  // Once the PVC's diagnostics no longer miss the snapshot, the disk scan is in.
  await lsp.waitForDiagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'snapshot-not-found'), 'the snapshot on disk to be indexed');
  return { lsp, folder };
}

function uriIn(s: Session, ...path: string[]): string {
  return pathToFileURL(join(s.folder, ...path)).href;
}

/** Symbols as `name [children]` lines, whatever shape the client asked for. */
function outline(symbols: readonly (DocumentSymbol | SymbolInformation)[]): string[] {
  return symbols.flatMap((s) => ('location' in s ? [`${s.containerName ? `${s.containerName} > ` : ''}${s.name}`] : [s.name, ...(s.children ?? []).map((c) => `${s.name} > ${c.name}`)]));
}

async function definitionAt(s: Session, needle: string, n = 0, offset = 1): Promise<string[]> {
  let from = 0;
  for (let i = 0; i < n; i++) from = restoreText.indexOf(needle, from) + 1;
  const range = rangeOf(restoreText, needle, from);
  const position = { line: range.start.line, character: range.start.character + offset };
  const found = (await s.lsp.within(s.lsp.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriIn(s, 'restore.yaml') }, position }), 'definition')) as Location[] | null;
  return (found ?? []).map((l) => `${l.uri.slice(pathToFileURL(s.folder).href.length + 1)}:${l.range.start.line}`);
}

describe('navigation over stdio', () => {
  let vscodeLike: Session;
  let neovim: Session;

  before(async () => {
    vscodeLike = await session(fullCapabilities, { clientCommands: ['kubevirtStorage.showReferences'] });
    neovim = await session(neovimCapabilities, { kubevirtStorage: { cdi: { version: '1.63.1' } } });
  });

  after(async () => {
    for (const s of [vscodeLike, neovim]) {
      await s?.lsp.shutdown().catch(() => undefined);
      s?.lsp.dispose();
      if (s) rmSync(s.folder, { recursive: true, force: true });
    }
  });

  test('the server announces symbols, definitions, references and code lenses', () => {
    const caps = vscodeLike.lsp.initializeResult?.capabilities;
    assert.ok(caps?.documentSymbolProvider && caps.definitionProvider && caps.referencesProvider && caps.codeLensProvider);
  });

  test('document symbols: one per object, the VM\'s template and volumes nested; the same for both clients', async () => {
    const ask = (s: Session) =>
      s.lsp.within(s.lsp.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uriIn(s, 'restore.yaml') } }), 'symbols') as Promise<DocumentSymbol[]>;
    const expected = [
      'PersistentVolumeClaim nav-restore',
      'VirtualMachine nav-vm',
      'VirtualMachine nav-vm > dataVolumeTemplate nav-vm-root',
      'VirtualMachine nav-vm > volume root',
      'VirtualMachine nav-vm > volume data',
    ];
    assert.deepEqual(outline(await ask(vscodeLike)), expected);
    assert.deepEqual(outline(await ask(neovim)), expected);
  });

  test('go to definition: into a file that is not open, within the file, and StorageClass; the same for both clients', async () => {
    for (const s of [vscodeLike, neovim]) {
      assert.deepEqual(await definitionAt(s, 'nav-snap'), ['manifests/snapshots.yaml:3'], 'the PVC\'s snapshot');
      assert.deepEqual(await definitionAt(s, 'nav-snap', 1), ['manifests/snapshots.yaml:3'], 'the template\'s snapshot');
      assert.deepEqual(await definitionAt(s, 'nav-class'), ['manifests/snapshots.yaml:14'], 'the class');
      const line = (needle: string) => rangeOf(restoreText, needle).start.line;
      assert.deepEqual(await definitionAt(s, 'name: nav-vm-root', 1, 7), [`restore.yaml:${line('name: nav-vm-root')}`], 'the volume\'s template');
      assert.deepEqual(await definitionAt(s, 'claimName: nav-restore', 0, 12), [`restore.yaml:${line('name: nav-restore')}`], 'the volume\'s claim');
      assert.deepEqual(await definitionAt(s, 'storage: 20Gi', 0, 10), [], 'a size names nothing');
    }
  });

  test('references: from the snapshot\'s own name, every restore across files', async () => {
    const s = vscodeLike;
    const uri = uriIn(s, 'manifests', 'snapshots.yaml');
    await s.lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: snapshotText } });
    const position = { line: rangeOf(snapshotText, 'nav-snap').start.line, character: rangeOf(snapshotText, 'nav-snap').start.character + 1 };
    const refs = (await s.lsp.within(s.lsp.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: false } }), 'references')) as Location[];
    // Both places that name it: the PVC's dataSource and the template's source.snapshot.
    const lines = restoreText.split('\n').flatMap((l, i) => (l.trim() === 'name: nav-snap' ? [i] : []));
    assert.equal(lines.length, 2);
    assert.deepEqual(refs.map((l) => `${l.uri.endsWith('restore.yaml') ? 'restore.yaml' : l.uri}:${l.range.start.line}`).sort(), lines.map((n) => `restore.yaml:${n}`).sort());
  });

  test('code lenses, resolved as a client does: what CDI does with the template; our command for VS Code, a plain title for Neovim', async () => {
    const lens = async (s: Session, uri: string) => {
      const pending = (await s.lsp.within(s.lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), 'lenses')) as CodeLens[];
      assert.ok(pending.every((l) => l.command === undefined && l.data !== undefined), 'titles come on resolve');
      return Promise.all(pending.map((l) => s.lsp.within(s.lsp.connection.sendRequest(CodeLensResolveRequest.type, l), 'resolve') as Promise<CodeLens>));
    };
    const dv = await lens(vscodeLike, uriIn(vscodeLike, 'restore.yaml'));
    assert.deepEqual(dv.map((l) => l.command?.title), ['CDI would refuse this claim: PVC spec is missing accessMode and no storageClass to choose profile'], 'no class for the template: CDI cannot render it');
    const [snap] = await lens(vscodeLike, uriIn(vscodeLike, 'manifests', 'snapshots.yaml'));
    assert.equal(snap?.command?.title, 'restoreSize 20Gi · restored by 1 PVC and 1 DataVolume');
    assert.equal(snap?.command?.command, 'kubevirtStorage.showReferences');
    await neovim.lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uriIn(neovim, 'manifests', 'snapshots.yaml'), languageId: 'yaml', version: 1, text: snapshotText },
    });
    const [plain] = await lens(neovim, uriIn(neovim, 'manifests', 'snapshots.yaml'));
    assert.deepEqual(plain?.command, { title: 'restoreSize 20Gi · restored by 1 PVC and 1 DataVolume', command: '' });
  });
});
