'use strict';
// Runs inside the extension host of a freshly started editor (bench/activation.mjs): times the extension's
// activation from cold and the first diagnostics after, and writes them to $KVS_BENCH_RESULT.
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const extensionId = 'kubevirt-storage-tools.kubevirt-storage-tools';

/** Resolves once our diagnostics on `uri` are non-empty; rejects after `timeoutMs`. */
function firstDiagnostics(uri, timeoutMs) {
  const has = () => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'kubevirt-storage');
  return new Promise((resolve, reject) => {
    if (has()) return resolve();
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no diagnostics on ${uri.path} within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics(() => {
      if (!has()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

exports.run = async function run() {
  const ext = vscode.extensions.getExtension(extensionId);
  if (!ext) throw new Error(`${extensionId} is not installed`);
  if (ext.isActive) throw new Error('the extension is already active: not a cold start');

  // activate(): load dist/client.js, run activate(), which resolves once the language server has answered
  // `initialize`.
  const t0 = performance.now();
  await ext.activate();
  const activateMs = performance.now() - t0;

  const t1 = performance.now();
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'restore-sizes.yaml'));
  await vscode.window.showTextDocument(doc);
  await firstDiagnostics(doc.uri, 30_000);
  const firstDiagnosticsMs = performance.now() - t1;

  // Loading the bundle alone (parse + top-level evaluation), measured by requiring a second copy.
  const bundle = path.join(ext.extensionPath, 'dist', 'client.js');
  const cached = require.cache[bundle];
  delete require.cache[bundle];
  const t2 = performance.now();
  require(bundle);
  const loadMs = performance.now() - t2;
  if (cached) require.cache[bundle] = cached;

  const result = { activateMs, firstDiagnosticsMs, loadMs, vscode: vscode.version, node: process.version };
  console.log(`activation: ${JSON.stringify(result)}`);
  if (process.env.KVS_BENCH_RESULT) fs.writeFileSync(process.env.KVS_BENCH_RESULT, JSON.stringify(result));
};
