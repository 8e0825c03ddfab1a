/**
 * parseYamlFile with an edit hint re-splits only the segments around the edit. Whatever the edit (markers
 * typed or deleted, comments, directives, CRLF), the result must equal a parse from scratch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentCache, parseYamlFile } from '../../core/yaml/documents.js';
import type { ParsedFile } from '../../core/yaml/documents.js';
import { YamlFile } from '../../core/yaml/file.js';
import { TextDocument } from 'vscode-languageserver-textdocument';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const pieces = ['---\n', '...\n', '# c\n', '\n', 'a: 1\n', 'b:\n  - x\n', '  c: [1,\n', '%YAML 1.2\n', '--- x\n', 'k: "v"\r\n', '-', ' ', '\ufeff'];
const base = ['# head\n', 'a: 1\n', '---\n', 'b: 2\n', '...\n', '# between\n', '--- \n', 'c:\n  d: [1, 2]\n', '---\n', 'e: {f: g}\n', '---\n', 'bad: [\n', '---\n', 'h: i\n'].join('');

/**
 * The document's value, maps as Maps: random edits make keys that are collections (`? [a]: b`), which a plain
 * object can only hold stringified (and yaml warns on each). Maps keep them, and compare by structure.
 */
function safeJs(doc: { toJS(options?: { mapAsMap?: boolean }): unknown }): unknown {
  try {
    return doc.toJS({ mapAsMap: true });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function snapshot(f: ParsedFile) {
  return f.docs.map((d) => ({ index: d.index, range: d.range, problems: d.problems.map((p) => [p.message, p.range]), value: d.doc ? safeJs(d.doc) : null, startLine: d.startLine }));
}

test('edit hints: 2,000 random edits parse exactly like a fresh parse', () => {
  const r = rng(99);
  const cache = new DocumentCache();
  let text = base;
  parseYamlFile('f.yaml', text, cache);
  for (let i = 0; i < 2000; i++) {
    const start = Math.floor(r() * (text.length + 1));
    const removed = r() < 0.5 ? Math.floor(r() * Math.min(12, text.length - start + 1)) : 0;
    const inserted = r() < 0.8 ? pieces[Math.floor(r() * pieces.length)]! : '';
    const next = text.slice(0, start) + inserted + text.slice(start + removed);
    const hinted = parseYamlFile('f.yaml', next, cache, { start, oldEnd: start + removed, newEnd: start + inserted.length });
    assert.deepEqual(snapshot(hinted), snapshot(parseYamlFile('g.yaml', next)), `edit ${i}: ${JSON.stringify({ start, removed, inserted })}`);
    text = next.length > 4000 ? base : next;
    if (text === base) parseYamlFile('f.yaml', text, cache);
  }
});

test('edit hints: a hint that does not fit the text is ignored, not trusted', () => {
  const cache = new DocumentCache();
  parseYamlFile('f.yaml', base, cache);
  const next = base.replace('b: 2', 'b: 3333');
  // Wrong lengths: the parse falls back to reading the whole text.
  const f = parseYamlFile('f.yaml', next, cache, { start: 0, oldEnd: 1, newEnd: 1 });
  assert.deepEqual(snapshot(f), snapshot(parseYamlFile('g.yaml', next)));
});

test('editor edits (ranges in positions, no full text): 2,000 random edits parse exactly like a fresh parse', () => {
  const r = rng(5);
  let doc = TextDocument.create('f', 'yaml', 1, base);
  const file = new YamlFile(base, new DocumentCache());
  for (let i = 0; i < 2000; i++) {
    const text = doc.getText();
    const start = Math.floor(r() * (text.length + 1));
    const removed = r() < 0.5 ? Math.floor(r() * Math.min(12, text.length - start + 1)) : 0;
    const inserted = r() < 0.8 ? pieces[Math.floor(r() * pieces.length)]! : '';
    const range = { start: doc.positionAt(start), end: doc.positionAt(start + removed) };
    doc = TextDocument.update(doc, [{ range, text: inserted }], i + 2);
    file.applyEdit(range, inserted);
    const next = doc.getText();
    assert.equal(file.text(), next, `text after edit ${i}`);
    const docs = file.segments().flatMap((s) => s.placed());
    const fresh = parseYamlFile('g.yaml', next);
    assert.deepEqual(snapshot({ file: 'f', docs, lineCount: file.lineCount }), snapshot(fresh), `edit ${i}: ${JSON.stringify({ range, inserted })}`);
    if (next.length > 4000) {
      doc = TextDocument.create('f', 'yaml', 1, base);
      file.setText(base);
    }
  }
});
