import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentCache, docAtPosition, locate, parseYamlFile, scalarString } from '../../core/yaml/documents.js';
import type { YamlDoc } from '../../core/yaml/documents.js';
import type { Range } from '../../core/types.js';

const r = (l1: number, c1: number, l2: number, c2: number): Range => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

// Three documents, the middle one broken (an unclosed flow map).
const threeDocs = [
  '# claims for vm-a', //                    0
  'apiVersion: v1', //                       1
  'kind: PersistentVolumeClaim', //          2
  'metadata:', //                            3
  '  name: disk-a', //                       4
  'spec:', //                                5
  '  resources:', //                         6
  '    requests:', //                        7
  '      storage: 10Gi # root disk', //      8
  '---', //                                  9
  'kind: PersistentVolumeClaim', //          10
  'metadata: {name: broken', //              11
  '---', //                                  12
  '# the snapshot', //                       13
  'kind: VolumeSnapshot', //                 14
  'status:', //                              15
  '  restoreSize: 1073741824', //            16
  '', //                                     17
].join('\n');

function storageOf(d: YamlDoc) {
  return locate(d, ['spec', 'resources', 'requests', 'storage']);
}

test('splits documents and gives exact key and value ranges, also after a broken document', () => {
  const f = parseYamlFile('claims.yaml', threeDocs);
  assert.equal(f.file, 'claims.yaml');
  assert.deepEqual(f.docs.map((d) => d.index), [0, 1, 2]);
  const [a, broken, snap] = f.docs as [YamlDoc, YamlDoc, YamlDoc];

  assert.deepEqual(a.problems, []);
  assert.deepEqual(a.range, r(1, 0, 8, 31), 'from the first content line to the end of the trailing comment');
  const storage = storageOf(a);
  assert.deepEqual(storage?.range, r(8, 15, 8, 19));
  assert.deepEqual(storage?.keyRange, r(8, 6, 8, 13));
  assert.deepEqual(locate(a, ['metadata'])?.range, r(4, 2, 4, 14), 'a block map ends at its last character');

  assert.ok(broken.problems.length > 0);
  for (const p of broken.problems) {
    assert.equal(p.kind, 'syntax');
    assert.ok(p.range.start.line >= 9 && p.range.end.line <= 11, `problem stays in its document: ${JSON.stringify(p)}`);
  }
  assert.deepEqual(broken.range.start, { line: 9, character: 0 }, 'a document with --- starts at it');

  assert.deepEqual(snap.problems, []);
  assert.deepEqual(snap.range, r(12, 0, 16, 25));
  assert.equal(scalarString(snap, ['kind']), 'VolumeSnapshot');
  assert.deepEqual(locate(snap, ['status', 'restoreSize'])?.range, r(16, 15, 16, 25));
  assert.deepEqual(locate(snap, ['status', 'restoreSize'])?.keyRange, r(16, 2, 16, 13));
});

test('CRLF line endings give the same lines and characters as LF', () => {
  const lf = parseYamlFile('f', threeDocs);
  const crlf = parseYamlFile('f', threeDocs.replace(/\n/g, '\r\n'));
  assert.equal(crlf.docs.length, 3);
  for (let i = 0; i < 3; i++) assert.deepEqual(crlf.docs[i]!.range, lf.docs[i]!.range);
  assert.deepEqual(storageOf(crlf.docs[0]!)?.range, r(8, 15, 8, 19));
  assert.deepEqual(locate(crlf.docs[2]!, ['status', 'restoreSize'])?.range, r(16, 15, 16, 25));
});

test('a BOM is a character of line 0 only', () => {
  const f = parseYamlFile('f', '\uFEFFkind: PersistentVolumeClaim\nspec:\n  volumeMode: Block\n');
  const d = f.docs[0]!;
  assert.deepEqual(d.problems, []);
  assert.deepEqual(locate(d, ['kind'])?.keyRange, r(0, 1, 0, 5));
  assert.deepEqual(locate(d, ['spec', 'volumeMode'])?.range, r(2, 14, 2, 19));

  const marked = parseYamlFile('f', '\uFEFF---\na: 1\n---\nb: 2\n');
  assert.equal(marked.docs.length, 2, 'a --- right after the BOM is a marker, not a second document start');
  assert.deepEqual(marked.docs[0]!.range, r(0, 1, 1, 4));
  assert.deepEqual(locate(marked.docs[1]!, ['b'])?.range, r(3, 3, 3, 4));
});

test('directives, document-end markers, empty and comment-only documents', () => {
  const text = ['%YAML 1.2', '---', 'a: 1', '...', '# between', '%YAML 1.2', '---', 'b: 2', '...', '# trailing comment', ''].join('\n');
  const f = parseYamlFile('f', text);
  assert.equal(f.docs.length, 2, 'the comment after the last ... is no document');
  assert.deepEqual(f.docs.map((d) => d.problems), [[], []]);
  assert.deepEqual(f.docs[0]!.range, r(1, 0, 3, 3));
  assert.deepEqual(f.docs[1]!.range, r(6, 0, 8, 3));
  assert.deepEqual(locate(f.docs[1]!, ['b'])?.range, r(7, 3, 7, 4));

  const empties = parseYamlFile('f', '---\n---\n# only a comment\n---\nc: 3');
  assert.equal(empties.docs.length, 3);
  assert.equal(empties.docs[0]!.doc?.toJS(), null);
  assert.equal(empties.docs[1]!.doc?.toJS(), null);
  assert.deepEqual(locate(empties.docs[2]!, ['c'])?.range, r(4, 3, 4, 4), 'last line without a line break');

  assert.deepEqual(parseYamlFile('f', '').docs, []);
  assert.deepEqual(parseYamlFile('f', '# nothing here\n\n').docs, []);
  assert.equal(parseYamlFile('f', 'x: 1\n---x: 2\n').docs.length, 1, '---x is content, not a marker');
});

test('characters are UTF-16 code units, as LSP counts them', () => {
  const f = parseYamlFile('f', 'note: ["😀 é", b]\n');
  const b = locate(f.docs[0]!, ['note', 1]);
  const at = 'note: ["😀 é", '.length;
  assert.deepEqual(b?.range, r(0, at, 0, at + 1));
});

test('a lone CR starts a line for the editor even though yaml reads on', () => {
  const f = parseYamlFile('f', 'a: 1\nb: x\ry\n---\nc: 2\n');
  assert.equal(f.docs.length, 2);
  assert.deepEqual(locate(f.docs[1]!, ['c'])?.range, r(4, 3, 4, 4));
});

test('cache: re-parsing after editing one document re-uses the others', () => {
  const cache = new DocumentCache();
  const first = parseYamlFile('f', threeDocs, cache);
  const edited = threeDocs.replace('storage: 10Gi', 'storage: 20Gi');
  const second = parseYamlFile('f', edited, cache);
  assert.notEqual(second.docs[0]!.doc, first.docs[0]!.doc);
  assert.equal(second.docs[1]!.doc, first.docs[1]!.doc);
  assert.equal(second.docs[2]!.doc, first.docs[2]!.doc);
  assert.equal(scalarString(second.docs[0]!, ['spec', 'resources', 'requests', 'storage']), '20Gi');

  // A line added to the first document shifts the later ones: same parse, new ranges.
  const third = parseYamlFile('f', edited.replace('  name: disk-a\n', '  name: disk-a\n  namespace: vms\n'), cache);
  assert.equal(third.docs[2]!.doc, first.docs[2]!.doc);
  assert.deepEqual(locate(third.docs[2]!, ['status', 'restoreSize'])?.range, r(17, 15, 17, 25));

  // Another file holding the same document text shares it too, at its own position.
  const other = parseYamlFile('g', 'kind: Namespace\n' + threeDocs.slice(threeDocs.indexOf('---\n# the snapshot')), cache);
  assert.equal(other.docs[1]!.doc, first.docs[2]!.doc);
  assert.deepEqual(locate(other.docs[1]!, ['status', 'restoreSize'])?.range, r(5, 15, 5, 25));

  // A document inserted at the top moves everything: found again by text.
  const moved = parseYamlFile('f', 'kind: Namespace\n---\n' + threeDocs, cache);
  assert.equal(moved.docs.length, 4);
  assert.equal(moved.docs[3]!.doc, first.docs[2]!.doc);
  assert.equal(moved.docs[3]!.index, 3);
});

test('cache: the least recently used segments go first', () => {
  const cache = new DocumentCache(2);
  parseYamlFile('f', 'a: 1\n---\nb: 2\n---\nc: 3\n', cache);
  assert.equal(cache.size, 2);
  const again = parseYamlFile('g', 'c: 3\n', cache);
  assert.deepEqual(again.docs[0]!.problems, []);
  assert.equal(new DocumentCache(0).size, 0);
  const uncached = new DocumentCache(0);
  const a = parseYamlFile('h', 'a: 1\n', uncached);
  const b = parseYamlFile('i', 'a: 1\n', uncached);
  assert.notEqual(a.docs[0]!.doc, b.docs[0]!.doc, 'a zero-size cache stores nothing');
});

test('docAtPosition: documents own their lines, the file header comment included', () => {
  const f = parseYamlFile('f', threeDocs);
  const at = (line: number, character = 0) => docAtPosition(f, { line, character })?.index;
  assert.equal(at(0), 0, 'the leading comment');
  assert.equal(at(8, 20), 0);
  assert.equal(at(9), 1, 'the --- line');
  assert.equal(at(11, 5), 1);
  assert.equal(at(13), 2);
  assert.equal(at(16, 3), 2);
  assert.equal(at(17), 2, 'the empty last line');
  assert.equal(at(18), undefined);
  assert.equal(f.lineCount, 18);
  assert.equal(docAtPosition(parseYamlFile('f', ''), { line: 0, character: 0 }), undefined);
  const trailer = parseYamlFile('f', 'a: 1\n...\n# after the end\n');
  assert.equal(docAtPosition(trailer, { line: 2, character: 0 }), undefined, 'no document after ...');
  assert.equal(docAtPosition(trailer, { line: 3, character: 0 }), undefined);
  assert.equal(docAtPosition(parseYamlFile('f', 'a: 1'), { line: 0, character: 9 })?.index, 0);
});
