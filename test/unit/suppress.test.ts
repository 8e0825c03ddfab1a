/** Suppressions in the manifests: the kubevirt-storage.io/ignore annotation (per object, List items on their own) and trailing comments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unsuppressed } from '../../core/suppress.js';
import { Workspace } from '../../core/workspace.js';
import { defaultSettings } from '../../core/types.js';
import { namedPvc } from './rules/helpers.js';

function lint(text: string): string[] {
  const ws = new Workspace();
  ws.setFile('f.yaml', text);
  const findings = ws.analyzeFile('f.yaml', { settings: defaultSettings });
  return unsuppressed(findings, ws.parsedFile('f.yaml'), ws.resources('f.yaml'), text).map((f) => `${f.rule}@${f.range.start.line}`);
}

const pvc = namedPvc;

test('the annotation hides the rules it names on its object, `all` every rule; other objects still report', () => {
  const annotated = (value: string) => `  annotations:\n    kubevirt-storage.io/ignore: ${value}\n`;
  assert.deepEqual(lint([pvc('a', '1MB', annotated('invalid-quantity')), pvc('b', '1MB')].join('---\n')), ['invalid-quantity@18']);
  assert.deepEqual(lint(pvc('a', '1MB', annotated('"snapshot-not-found, invalid-quantity"'))), []);
  assert.deepEqual(lint(pvc('a', '1MB', annotated('all'))), []);
  assert.deepEqual(lint(pvc('a', '1MB', annotated('restore-size-exceeded'))), ['invalid-quantity@9'], 'another rule: still reported');
  assert.deepEqual(lint(pvc('a', '1MB', annotated('""'))), ['invalid-quantity@9'], 'an empty value names nothing');
});

test('inside a List, the annotation of one item does not cover its neighbour', () => {
  const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata:
      name: a
      annotations:
        kubevirt-storage.io/ignore: invalid-quantity
    spec:
      resources: {requests: {storage: 1MB}}
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata:
      name: b
    spec:
      resources: {requests: {storage: 2MB}}
`;
  assert.deepEqual(lint(list), ['invalid-quantity@16']);
});

test('a trailing comment hides the rules it names on its line; bare, every rule; a # inside a value is not a comment', () => {
  assert.deepEqual(lint(pvc('a', '1MB  # kvstorage-ignore invalid-quantity')), []);
  assert.deepEqual(lint(pvc('a', '1MB # kvstorage-ignore: restore-size-exceeded, invalid-quantity')), []);
  assert.deepEqual(lint(pvc('a', '1MB # kvstorage-ignore')), []);
  assert.deepEqual(lint(pvc('a', '1MB # kvstorage-ignore snapshot-not-found')), ['invalid-quantity@7']);
  assert.deepEqual(lint(pvc('a', '"1MB#kvstorage-ignore"')), ['invalid-quantity@7']);
  // On the line above: not a trailing comment of the finding's line.
  assert.deepEqual(lint(pvc('a', '1MB').replace('    requests:\n', '    requests:  # kvstorage-ignore\n')), ['invalid-quantity@7']);
  // A syntax error can be silenced on its line too.
  assert.deepEqual(lint('a: [1, 2  # kvstorage-ignore yaml-syntax\n').length, 0);
});
