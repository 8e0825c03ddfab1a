/** The server's open documents: YAML ones on a rope, answering as the library's TextDocument; changes recorded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { OpenTexts, RopeDocument } from '../../server/textDocuments.js';

test('a rope document answers every TextDocument question as the library does, and the changes are kept once', () => {
  const texts = new OpenTexts();
  const text = 'a: 1\r\nb: 22\n\nc: 3\rd: 4';
  const doc = texts.configuration.create('file:///a.yaml', 'yaml', 1, text);
  const lib = TextDocument.create('file:///a.yaml', 'yaml', 1, text);
  assert.ok(doc instanceof RopeDocument);
  assert.ok(!(texts.configuration.create('file:///a.json', 'json', 1, '{}') instanceof RopeDocument));
  const change = [{ range: { start: { line: 1, character: 3 }, end: { line: 1, character: 5 } }, text: '333\n' }];
  const next = texts.configuration.update(doc, change, 2);
  const libNext = TextDocument.update(lib, change, 2);
  assert.equal(next.version, 2);
  for (const d of [[next, libNext] as const]) {
    const [a, b] = d;
    assert.equal(a.getText(), b.getText());
    assert.equal(a.lineCount, b.lineCount);
    for (let line = -1; line <= b.lineCount + 1; line++) {
      assert.deepEqual(a.getLineRange(line), b.getLineRange(line), `line range ${line}`);
      assert.equal(a.getEOLCharacters(line), b.getEOLCharacters(line), `EOL ${line}`);
      for (let character = -1; character < 8; character++) assert.equal(a.offsetAt({ line, character }), b.offsetAt({ line, character }));
    }
    for (let o = -1; o <= b.getText().length + 1; o++) assert.deepEqual(a.positionAt(o), b.positionAt(o), `position of ${o}`);
    assert.equal(a.getText({ start: { line: 1, character: 1 }, end: { line: 3, character: 1 } }), b.getText({ start: { line: 1, character: 1 }, end: { line: 3, character: 1 } }));
  }
  assert.deepEqual(texts.take('file:///a.yaml'), change);
  assert.equal(texts.take('file:///a.yaml'), undefined, 'taken once');
  texts.configuration.update(next, [{ text: 'x: 1\n' }], 3);
  assert.equal(texts.take('file:///a.yaml'), undefined, 'a full change gives none');
  assert.equal(next.getText(), 'x: 1\n');
});
