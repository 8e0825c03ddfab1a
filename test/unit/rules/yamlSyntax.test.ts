import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docs, lint, one, pvc, snapshot } from './helpers.js';

test('yaml-syntax: a broken document is an error and the documents around it are still analysed', () => {
  const broken = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: x\n    bad: indent\n  other: [1, 2\n';
  const text = docs(snapshot('snap', '20Mi'), broken, pvc({ size: '21Mi' }));
  const findings = lint(text);
  const syntax = findings.filter((f) => f.rule === 'yaml-syntax');
  assert.ok(syntax.length >= 1);
  for (const f of syntax) {
    assert.equal(f.severity, 'error');
    // Inside the second document (lines 12..18 of the file: its `---` is line 11).
    assert.ok(f.range.start.line >= 12 && f.range.start.line <= 18, `line ${f.range.start.line}`);
    assert.match(f.message, /YAML document 2/);
  }
  one(findings, 'restore-size-exceeded');
});

test('yaml-syntax: clean files give none', () => {
  assert.deepEqual(lint(docs(snapshot('snap', '20Mi'), pvc())), []);
});
