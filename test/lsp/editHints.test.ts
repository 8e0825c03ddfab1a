import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EditHints } from '../../server/editHints.js';

test('EditHints: a single ranged change becomes offsets in the old text; full or multiple changes give none', () => {
  const hints = new EditHints();
  const doc = TextDocument.create('file:///a.yaml', 'yaml', 1, 'a: 1\nb: 22\nc: 3\n');
  const next = hints.configuration.update(doc, [{ range: { start: { line: 1, character: 3 }, end: { line: 1, character: 5 } }, text: '333' }], 2);
  assert.equal(next.getText(), 'a: 1\nb: 333\nc: 3\n');
  assert.deepEqual(hints.take('file:///a.yaml'), { start: 8, oldEnd: 10, newEnd: 11 });
  assert.equal(hints.take('file:///a.yaml'), undefined, 'taken once');
  hints.configuration.update(next, [{ text: 'x: 1\n' }], 3);
  assert.equal(hints.take('file:///a.yaml'), undefined);
  const two = [
    { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#' },
    { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '#' },
  ];
  hints.configuration.update(next, two, 4);
  assert.equal(hints.take('file:///a.yaml'), undefined);
});
