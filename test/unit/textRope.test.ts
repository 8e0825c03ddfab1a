/** The rope-backed text against vscode-languageserver-textdocument over seeded random edits (CRLF and lone CR included). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextRope } from '../../core/textRope.js';
import { rng } from './yamlFuzz.js';

const pieces = ['a', 'kind: X\n', '\n', '\r\n', '\r', '---\n', 'é😀', '  - b\n', '', 'x'.repeat(3000) + '\n'];

test('a TextRope positions, offsets and texts as TextDocument does after 3,000 random edits', () => {
  const r = rng(7);
  let text = Array.from({ length: 400 }, (_, i) => `line ${i}: ${'v'.repeat(i % 40)}${i % 17 === 0 ? '\r\n' : '\n'}`).join('');
  const rope = new TextRope(text);
  let doc = TextDocument.create('f', 'yaml', 1, text);
  for (let step = 0; step < 3000; step++) {
    // Lines inside the document, as editors send them (the library mis-counts lines for ranges past its end).
    const a = Math.floor(r() * doc.lineCount);
    const b = Math.min(doc.lineCount - 1, a + Math.floor(r() * 3));
    const range = { start: { line: a, character: Math.floor(r() * 50) }, end: { line: b, character: Math.floor(r() * 50) } };
    const insert = pieces[Math.floor(r() * pieces.length)]!;
    const sorted = doc.offsetAt(range.start) <= doc.offsetAt(range.end) ? range : { start: range.end, end: range.start };
    doc = TextDocument.update(doc, [{ range: sorted, text: insert }], step + 2);
    rope.replace(sorted, insert);
    text = doc.getText();
    if (text.length > 60_000) {
      text = text.slice(0, 20_000);
      doc = TextDocument.create('f', 'yaml', 1, text);
      rope.replace({ start: { line: 0, character: 0 }, end: rope.positionAt(rope.length) }, text);
    }
    assert.equal(rope.length, text.length, `length after ${step}`);
    assert.equal(rope.lineCount, doc.lineCount, `lines after ${step}`);
    if (step % 25 !== 0) continue;
    assert.equal(rope.text(), text, `text after ${step}`);
    for (let k = 0; k < 30; k++) {
      const o = Math.floor(r() * (text.length + 3)) - 1;
      assert.deepEqual(rope.positionAt(o), doc.positionAt(o), `positionAt ${o} after ${step}`);
      const p = { line: Math.floor(r() * (doc.lineCount + 2)) - 1, character: Math.floor(r() * 60) - 1 };
      assert.equal(rope.offsetAt(p), doc.offsetAt(p), `offsetAt ${JSON.stringify(p)} after ${step}`);
    }
    const s = Math.floor(r() * text.length);
    assert.equal(rope.slice(s, s + 5000), text.slice(s, s + 5000));
  }
});
