/**
 * Fuzzing the YAML layer (core/yaml): whatever the text — YAML-ish pieces, control characters, deep nesting, BOMs,
 * CRLF, stray document markers — parsing never throws, ranges lie inside the file and in order, and parsing with an
 * edit hint equals parsing from scratch.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DocumentCache, parseYamlFile, type ParsedFile } from '../../core/yaml/documents.js';
import { checkProperty } from './harness.js';

const pieces = ['---\n', '--- ', '...\n', '# c\n', '\n', '\r\n', 'a: 1\n', 'b:\n  - x\n', '  c: [1,\n', '%YAML 1.2\n', '%TAG ! x\n', '&a ', '*a', '!!str ', '? ', ': ', '- ', '{', '}', '[', ']', '"', "'", '|\n', '>-\n', '\t', '\ufeff', '\u0000', '\u2028', 'kind: PersistentVolumeClaim\n', 'apiVersion: v1\n', '<<: *a\n', 'constructor: x\n', '__proto__: y\n'];
const yamlishArb = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 60 }).map((p) => p.join(''));

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

function checkRanges(text: string, f: ParsedFile): void {
  const lines = lineCount(text);
  let last = -1;
  for (const d of f.docs) {
    assert.ok(d.index === last + 1, 'documents numbered in order');
    last = d.index;
    for (const r of [d.range, ...d.problems.map((p) => p.range)]) {
      assert.ok(r.start.line >= 0 && r.start.line <= lines && r.end.line <= lines, `range ${JSON.stringify(r)} outside ${lines} lines`);
      assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `range ${JSON.stringify(r)} ends before it starts`);
    }
  }
}

function shape(f: ParsedFile): unknown {
  return f.docs.map((d) => ({ index: d.index, range: d.range, problems: d.problems.map((p) => [p.message, p.range]), startLine: d.startLine, json: d.doc ? safeJson(d.doc) : null }));
}

function safeJson(doc: { toJS(): unknown }): unknown {
  try {
    return JSON.stringify(doc.toJS());
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

test('fuzz: parsing any text never throws and keeps its ranges inside the file', () => {
  checkProperty('yaml-parse', fc.oneof(yamlishArb, fc.string({ maxLength: 200 })), (text) => {
    checkRanges(text, parseYamlFile('f.yaml', text));
  }, 400);
});

test('fuzz: deep nesting and long inputs hit a limit, not the stack', () => {
  checkProperty('yaml-deep', fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('[', '{', '- ', 'a:\n ')), ([depth, open]) => {
    const text = open.repeat(depth);
    checkRanges(text, parseYamlFile('f.yaml', text));
  }, 30);
});

test('fuzz: a parse with an edit hint equals a fresh parse, over random edits', () => {
  const editArb = fc.record({ at: fc.nat(), removed: fc.nat({ max: 12 }), inserted: fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })) });
  checkProperty('yaml-edits', fc.tuple(yamlishArb, fc.array(editArb, { minLength: 1, maxLength: 20 })), ([start, edits]) => {
    const cache = new DocumentCache();
    let text = start;
    parseYamlFile('f.yaml', text, cache);
    for (const e of edits) {
      const at = e.at % (text.length + 1);
      const removed = Math.min(e.removed, text.length - at);
      const next = text.slice(0, at) + e.inserted + text.slice(at + removed);
      const hinted = parseYamlFile('f.yaml', next, cache, { start: at, oldEnd: at + removed, newEnd: at + e.inserted.length });
      assert.deepEqual(shape(hinted), shape(parseYamlFile('g.yaml', next)));
      text = next;
    }
  }, 200);
});
