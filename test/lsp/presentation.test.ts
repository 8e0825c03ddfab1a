/**
 * What the server publishes besides the analysis, over stdio (dist/server.js): the first publish waits for the
 * workspace scan; the folder's .kvstorage.yaml (rules off, severities, strict provisioners); the
 * kubevirt-storage.io/ignore annotation and trailing comments; Helm templates as one finding; rule pages as
 * `codeDescription.href`; the snapshot and class a finding is about as relatedInformation; messages naming
 * workspace files by their relative path.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeLensRequest, CodeLensResolveRequest, DiagnosticSeverity, DidOpenTextDocumentNotification, type CodeLens, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lspClient.js';
import { restorePvc, storageClass, volumeSnapshot, yamlFile } from './manifests.js';

const serverPath = resolve('dist/server.js');

function workspace(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'kvs-lsp-present-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  return folder;
}

describe('what the server publishes', () => {
  const sessions: Array<{ lsp: LspClient; folder: string }> = [];
  after(async () => {
    for (const s of sessions) {
      await s.lsp.shutdown().catch(() => undefined);
      s.lsp.dispose();
      rmSync(s.folder, { recursive: true, force: true });
    }
  });

  async function start(files: Record<string, string>) {
    const folder = workspace(files);
    const lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => ({ restore: { strictProvisioners: ['csi.trident.netapp.io'] } }) });
    sessions.push({ lsp, folder });
    const open = async (name: string, text: string) => {
      const uri = pathToFileURL(join(folder, name)).href;
      await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      return uri;
    };
    return { lsp, folder, open };
  }

  test('the first publish is informed by the files on disk: a restore on a Trident class in another file is an error at once', async () => {
    // Enough files that the scan outlasts the settings round trip: without the wait, the first publish knows no class.
    const filler = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`filler/f${i}.yaml`, storageClass(`filler-${i}`, 'csi.example.com')]));
    const { lsp, open } = await start({ ...filler, 'zz/classes.yaml': storageClass('gate-trident', 'csi.trident.netapp.io'), 'zz/snap.yaml': volumeSnapshot('gate-snap', '10Gi') });
    const uri = await open('restore.yaml', restorePvc('gate-restore', 'gate-snap', '11Gi', 'gate-trident'));
    await lsp.waitForDiagnostics(uri, () => true, 'the first publish');
    const first = lsp.published.find((p) => p.uri === uri)!;
    assert.deepEqual(first.diagnostics.map((d) => [d.code, d.severity]), [['restore-size-exceeded', DiagnosticSeverity.Error]]);
  });

  test('.kvstorage.yaml, the annotation and trailing comments, Helm, rule pages, related objects and relative paths', async () => {
    const { lsp, folder, open } = await start({
      '.kvstorage.yaml': 'rules:\n  snapshot-not-found: off\n  restore-size-too-small: warning\nstrictProvisioners: [csi.example.com]\n',
      'cluster/classes.yaml': yamlFile(storageClass('pres-strict', 'csi.example.com'), volumeSnapshot('pres-snap', '10Gi')),
      'charts/app/templates/pvc.yaml': 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  resources:\n    requests:\n      storage: {{ .Values.size }}\n',
    });
    const text = yamlFile(
      restorePvc('pres-exceeds', 'pres-snap', '11Gi', 'pres-strict'),
      restorePvc('pres-small', 'pres-snap', '9Gi'),
      restorePvc('pres-missing', 'pres-nowhere', '1Gi'),
      restorePvc('pres-ignored', 'pres-snap', '12Gi', 'pres-strict').replace('metadata:\n', 'metadata:\n  annotations:\n    kubevirt-storage.io/ignore: restore-size-exceeded\n'),
      restorePvc('pres-commented', 'pres-snap', '13Gi  # kvstorage-ignore restore-size-exceeded', 'pres-strict'),
    );
    const uri = await open('restores.yaml', text);
    const published = await lsp.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0, 'the restores\' diagnostics');
    const byRule = (rule: string): Diagnostic[] => published.diagnostics.filter((d) => d.code === rule);
    // strictProvisioners from the file: an error on csi.example.com; the suppressed ones are gone.
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.severity]).sort(), [['restore-size-exceeded', DiagnosticSeverity.Error], ['restore-size-too-small', DiagnosticSeverity.Warning]]);
    const [exceeded] = byRule('restore-size-exceeded');
    const href = exceeded!.codeDescription?.href;
    assert.ok(href?.endsWith('/media/rules/restore-size-exceeded.md'), href);
    assert.ok(existsSync(fileURLToPath(href!)), 'the page is beside the server');
    const related = (exceeded!.relatedInformation ?? []).map((r) => `${r.location.uri.slice(pathToFileURL(folder).href.length + 1)}:${r.location.range.start.line} ${r.message}`);
    assert.deepEqual(related, ['cluster/classes.yaml:9 VolumeSnapshot default/pres-snap: the snapshot restored', 'cluster/classes.yaml:3 StorageClass pres-strict: its StorageClass']);
    assert.doesNotMatch(published.diagnostics.map((d) => d.message).join('\n'), /file:\/\//);

    const helm = await open('charts/app/templates/pvc.yaml', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  resources:\n    requests:\n      storage: {{ .Values.size }}\n');
    const skipped = await lsp.waitForDiagnostics(helm, () => true, 'the template\'s diagnostics');
    assert.deepEqual(skipped.diagnostics.map((d) => [d.code, d.severity, d.range.start.line]), [['helm-template', DiagnosticSeverity.Information, 3]]);
  });

  test('relative paths: a message and a code lens naming another workspace file name it as the CLI does', async () => {
    const { lsp, open } = await start({
      'cluster/cdi.yaml': 'apiVersion: cdi.kubevirt.io/v1beta1\nkind: CDI\nmetadata:\n  name: cdi\nstatus:\n  observedVersion: v1.63.1\n',
      'cluster/snap.yaml': volumeSnapshot('rel-snap', '20Mi'),
    });
    const pvc = restorePvc('rel-restore', 'rel-snap', '20Mi').replace('metadata:\n  name: rel-restore\n', 'metadata:\n  name: rel-restore\n  labels:\n    cdi.kubevirt.io/applyStorageProfile: "true"\n');
    const uri = await open('restore.yaml', pvc);
    const p = await lsp.waitForDiagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'cdi-restore-inflation'), 'cdi-restore-inflation');
    const message = p.diagnostics.find((d) => d.code === 'cdi-restore-inflation')!.message;
    assert.match(message, /CDI v1\.63\.1 from cluster\/cdi\.yaml/);
    assert.doesNotMatch(message, /file:/);
    const pending = (await lsp.within(lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), 'lenses')) as CodeLens[];
    const lenses = await Promise.all(pending.map((l) => lsp.within(lsp.connection.sendRequest(CodeLensResolveRequest.type, l), 'resolve') as Promise<CodeLens>));
    const cdi = lenses.map((l) => l.command?.title ?? '').find((t) => t.startsWith('CDI renders'));
    assert.match(cdi ?? '', /^CDI renders [\d,]+ bytes \(overhead [\d.]+; CDI v1\.63\.1 from cluster\/cdi\.yaml\)$/);
  });
});
