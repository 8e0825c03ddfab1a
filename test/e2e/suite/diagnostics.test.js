'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { describe: plain, expectedFindings, openExample, positionOf, ruleOf, waitForDiagnostics } = require('./helpers');

const byPosition = (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule);

suite('diagnostics', () => {
  test('the example manifests get exactly the findings the CLI reports, with rule ids as codes', async () => {
    const expected = expectedFindings();
    const files = [...new Set(expected.map((f) => f.file))].sort();
    assert.ok(files.length >= 3, `the CLI reports findings in several examples: ${files.join(', ')}`);
    const rules = new Set(expected.map((f) => f.rule));
    for (const rule of ['restore-size-too-small', 'restore-size-exceeded', 'cdi-restore-inflation', 'snapshot-not-found', 'snapshot-not-ready', 'invalid-quantity', 'yaml-syntax', 'datamover-chain-missing-checkpoint']) {
      assert.ok(rules.has(rule), `the examples trigger ${rule}`);
    }
    for (const file of files) {
      const want = expected.filter((f) => f.file === file).map(({ file: _, ...f }) => f).sort(byPosition);
      const doc = await openExample(file);
      const same = (diagnostics) => JSON.stringify(diagnostics.map(plain).sort(byPosition)) === JSON.stringify(want);
      const got = await waitForDiagnostics(doc.uri, same, `the CLI's ${want.length} findings`);
      assert.deepEqual(got.map(plain).sort(byPosition), want);
    }
  });

  test('restore-size-exceeded: a warning at 55Gi, an error at 60Gi (Trident)', async () => {
    const doc = await openExample('restore-sizes.yaml');
    const exceeded = await waitForDiagnostics(doc.uri, (ds) => ds.filter((d) => ruleOf(d) === 'restore-size-exceeded').length === 2, 'two restore-size-exceeded');
    const at = (needle) => exceeded.find((d) => d.range.contains(positionOf(doc, needle, needle.length - 2)));
    assert.equal(at('storage: 55Gi')?.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(at('storage: 60Gi')?.severity, vscode.DiagnosticSeverity.Error);
    assert.match(at('storage: 55Gi').message, /59,055,800,320 bytes/);
  });

  test('hovering a quantity shows its bytes', async () => {
    const doc = await openExample('restore-sizes.yaml');
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, positionOf(doc, '55Gi', 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /55Gi\*\* = 59,055,800,320 bytes/);
  });
});
