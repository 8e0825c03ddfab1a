'use strict';
// Helpers for the extension tests: open workspace files, and wait on diagnostics with a deadline (woken by
// onDidChangeDiagnostics, never by a fixed sleep).
const fs = require('node:fs');
const http = require('node:http');
const vscode = require('vscode');

const extensionId = 'kubevirt-storage-tools.kubevirt-storage-tools';
const source = 'kubevirt-storage';

/** The workspace folder (a copy of examples/). */
function workspaceFolder() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder;
}

/** Opens `name` from the workspace in an editor. */
async function openExample(name) {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceFolder().uri, name));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** The rule id of a diagnostic (`code` is a string, or `{ value, target }` when the rule has a link). */
function ruleOf(diagnostic) {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : code === undefined ? undefined : String(code);
}

/** Our diagnostics on `uri`. */
function ours(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === source);
}

/**
 * Resolves with our diagnostics on `uri` once `accept(diagnostics)` is true; rejects after `timeoutMs` with
 * what was last seen.
 */
function waitForDiagnostics(uri, accept, what, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      subscription.dispose();
      fn(value);
    };
    const check = () => {
      let diagnostics;
      try {
        diagnostics = ours(uri);
        if (accept(diagnostics)) finish(resolve, diagnostics);
      } catch (error) {
        finish(reject, error);
      }
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      const seen = ours(uri).map(describe);
      finish(reject, new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${uri.path}; last seen: ${JSON.stringify(seen, null, 1)}`));
    }, timeoutMs);
    check();
  });
}

/** Polls `condition` until true or the deadline (for state that has no change event, e.g. `isActive`). */
async function poll(condition, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const severities = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information, hint: vscode.DiagnosticSeverity.Hint };

/**
 * A diagnostic as comparable plain data, in the CLI's JSON terms. Messages name other files: the server by
 * URI, the CLI by path relative to where it ran (the workspace folder).
 */
function describe(d) {
  const severity = Object.keys(severities).find((k) => severities[k] === d.severity);
  const folder = `${workspaceFolder().uri.toString()}/`;
  return {
    rule: ruleOf(d),
    severity,
    message: d.message.split(folder).join(''),
    range: { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } },
  };
}

/** The findings the CLI reports on the workspace, written by the runner (lib/expected.mjs). */
function expectedFindings() {
  const file = process.env.KVS_E2E_EXPECTED;
  if (!file) throw new Error('KVS_E2E_EXPECTED is not set: run the suite through test/e2e/run.mjs or test/e2e/electron.mjs');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The position of the first `needle` in `doc` (at `offset` characters into it). */
function positionOf(doc, needle, offset = 0) {
  const index = doc.getText().indexOf(needle);
  if (index < 0) throw new Error(`${needle} not found in ${doc.uri.path}`);
  return doc.positionAt(index + offset);
}

/** A PVC restoring `snapshot` in `namespace`, asking for `storage`: the manifest the cluster tests open. */
function restorePvcYaml(name, namespace, snapshot, storage) {
  return [
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'spec:',
    '  accessModes: [ReadWriteOnce]',
    '  dataSource:',
    '    apiGroup: snapshot.storage.k8s.io',
    '    kind: VolumeSnapshot',
    `    name: ${snapshot}`,
    '  resources:',
    '    requests:',
    `      storage: ${storage}`,
    '',
  ].join('\n');
}

/** The API requests the test cluster's emulator has seen so far: `[{method, path, query, user}]` (lib/cluster.ts). */
function emulatorRequests(cluster) {
  return new Promise((resolve, reject) => {
    http.get(cluster.requestsUrl, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`GET ${cluster.requestsUrl}: HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
}

/**
 * For a suite on the runner's API emulator: `get()` is its info ($KVS_E2E_CLUSTER, lib/cluster.ts) once the suite
 * started (the suite is skipped on a runner without one); the kubeconfig setting is cleared after the suite.
 */
function clusterSuite() {
  let cluster;
  suiteSetup(function () {
    const file = process.env.KVS_E2E_CLUSTER;
    if (!file) this.skip(); // a runner without the API emulator
    cluster = JSON.parse(fs.readFileSync(file, 'utf8'));
  });
  suiteTeardown(async () => {
    if (cluster) await vscode.workspace.getConfiguration('kubevirtStorage').update('cluster.kubeconfig', undefined, vscode.ConfigurationTarget.Global);
  });
  return { get: () => cluster };
}

module.exports = { clusterSuite, emulatorRequests, restorePvcYaml, extensionId, source, workspaceFolder, openExample, ruleOf, ours, waitForDiagnostics, poll, describe, expectedFindings, positionOf };
