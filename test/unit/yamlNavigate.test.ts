import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isScalar } from 'yaml';
import {
  locate,
  nodeAtPosition,
  parseYamlFile,
  removeMapEntryEdit,
  replaceValueEdit,
  scalarString,
  sequence,
  stringList,
  stringMap,
  yamlScalar,
} from '../../core/yaml/documents.js';
import type { YamlDoc } from '../../core/yaml/documents.js';
import type { Range, TextEdit } from '../../core/types.js';

const r = (l1: number, c1: number, l2: number, c2: number): Range => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });
const one = (text: string): YamlDoc => parseYamlFile('f', text).docs[0]!;

/** Applies an edit to text, counting lines as the editor does. */
function apply(text: string, edit: TextEdit): string {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
  const off = (p: { line: number; character: number }) => starts[p.line]! + p.character;
  return text.slice(0, off(edit.range.start)) + edit.newText + text.slice(off(edit.range.end));
}

test('scalars read as Kubernetes reads them: numbers and booleans as written', () => {
  const d = one('a: 1073741824\nb: true\nc: "true"\nd: 1.50\ne: 0x10\nf: ~\ng:\nh: |\n  text\ni: [x]\nj: 10Gi\n');
  assert.equal(scalarString(d, ['a']), '1073741824');
  assert.equal(scalarString(d, ['b']), 'true');
  assert.equal(scalarString(d, ['c']), 'true');
  assert.equal(scalarString(d, ['d']), '1.50');
  assert.equal(scalarString(d, ['e']), '0x10');
  assert.equal(scalarString(d, ['f']), undefined, 'null');
  assert.equal(scalarString(d, ['g']), undefined, 'empty');
  assert.equal(scalarString(d, ['h']), 'text\n');
  assert.equal(scalarString(d, ['i']), undefined, 'not a scalar');
  assert.equal(scalarString(d, ['missing']), undefined);
  assert.equal(scalarString(d, ['j', 'deeper']), undefined);
});

test('maps, sequences and string lists, block and flow', () => {
  const d = one(
    'metadata:\n  labels: {app: vm, tier: 1, empty: , __proto__: x}\n  annotations:\n    a: "b"\n' +
      'spec:\n  accessModes:\n    - ReadWriteOnce\n    - {odd: item}\n  modes: [Block, Filesystem]\n  volumes:\n  - name: root\n  - name: data\n',
  );
  const labels = stringMap(d, ['metadata', 'labels']);
  assert.deepEqual(Object.keys(labels), ['app', 'tier', 'empty', '__proto__']);
  assert.equal(labels.tier, '1');
  assert.equal(labels.empty, '', 'a null value reads as empty, as in Kubernetes');
  assert.equal(Object.getPrototypeOf(labels), Object.prototype, '__proto__ stayed a plain key');
  assert.deepEqual(stringMap(d, ['metadata', 'annotations']), { a: 'b' });
  assert.deepEqual(stringMap(d, ['metadata', 'nothing']), {});
  assert.deepEqual(stringList(d, ['spec', 'accessModes']), ['ReadWriteOnce'], 'non-scalar items skipped');
  assert.deepEqual(stringList(d, ['spec', 'modes']), ['Block', 'Filesystem']);
  assert.equal(stringList(d, ['spec', 'absent']), undefined);
  const volumes = sequence(d, ['spec', 'volumes']);
  assert.equal(volumes.length, 2);
  assert.deepEqual(volumes[1]!.range, r(11, 4, 11, 14));
  assert.equal(scalarString(d, ['name'], volumes[1]!.node), 'data', 'paths relative to a located node');
  assert.deepEqual(locate(d, ['spec', 'volumes', 1, 'name'])?.range, r(11, 10, 11, 14));
  assert.equal(locate(d, ['spec', 'volumes', 2]), undefined);
  assert.equal(locate(d, ['spec', 'volumes', 'name']), undefined, 'a key step on a sequence');
  assert.deepEqual(sequence(d, ['spec', 'absent']), []);
});

test('locate follows aliases to the anchored text, the latest anchor before the alias', () => {
  const text = [
    'sizes:', //                               0
    '  small: &size 1Gi', //                   1
    '  big: &size 100Gi', //                   2
    'base: &base', //                          3
    '  requests: {storage: *size}', //         4
    'spec:', //                                5
    '  resources: *base', //                   6
    '  class: &cls fast', //                   7
    '  again: *cls', //                        8
  ].join('\n');
  const d = one(text);
  const storage = locate(d, ['spec', 'resources', 'requests', 'storage']);
  assert.deepEqual(storage?.range, r(2, 13, 2, 18), 'the second &size');
  assert.deepEqual(storage?.keyRange, r(4, 13, 4, 20));
  assert.equal(scalarString(d, ['spec', 'resources', 'requests', 'storage']), '100Gi');
  assert.equal(scalarString(d, ['spec', 'again']), 'fast');
  assert.equal(locate(d, ['spec', 'dangling']), undefined);
  assert.equal(scalarString(one('a: *nowhere\n'), ['a']), undefined, 'an unresolved alias is absent');
});

test('merge keys: own keys win, then earlier merged maps', () => {
  const d = one('d1: &d1 {class: a, mode: Block}\nd2: &d2 {class: b, size: 1Gi}\npvc:\n  <<: [*d1, *d2]\n  mode: Filesystem\n');
  assert.equal(scalarString(d, ['pvc', 'class']), 'a');
  assert.equal(scalarString(d, ['pvc', 'size']), '1Gi');
  assert.equal(scalarString(d, ['pvc', 'mode']), 'Filesystem');
  assert.deepEqual(stringMap(d, ['pvc']), { class: 'a', size: '1Gi', mode: 'Filesystem' });
  assert.equal(scalarString(one('a: {"<<": {x: 1}}\n'), ['a', 'x']), undefined, 'a quoted "<<" is an ordinary key');
});

test('nodeAtPosition: keys, values, sequence items, and nothing outside content', () => {
  const text = '# c\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 10Gi\n\n';
  const d = one(text);
  const onKey = nodeAtPosition(d, { line: 5, character: 8 });
  assert.deepEqual(onKey?.path, ['spec', 'resources', 'requests', 'storage']);
  assert.deepEqual(onKey?.range, r(5, 6, 5, 13));
  assert.ok(isScalar(onKey?.node) && onKey.node.value === 'storage');
  const onValue = nodeAtPosition(d, { line: 5, character: 17 });
  assert.deepEqual(onValue?.path, ['spec', 'resources', 'requests', 'storage']);
  assert.deepEqual(onValue?.range, r(5, 15, 5, 19));
  assert.deepEqual(nodeAtPosition(d, { line: 2, character: 20 })?.path, ['spec', 'accessModes', 0]);
  assert.equal(nodeAtPosition(d, { line: 0, character: 1 }), undefined, 'the comment before the content');
  assert.equal(nodeAtPosition(d, { line: 6, character: 0 }), undefined, 'the blank line after it');
  assert.equal(nodeAtPosition(d, { line: 40, character: 0 }), undefined);
  const alias = one('a: &x 1\nb: *x\n');
  assert.deepEqual(nodeAtPosition(alias, { line: 1, character: 4 })?.range, r(1, 3, 1, 5), 'the alias as written');
});

/** Removes the entry at path, re-parses, and returns the new text. */
function removed(text: string, path: (string | number)[]): string {
  const edit = removeMapEntryEdit(one(text), path);
  assert.ok(edit, `an edit for ${path.join('.')}`);
  const out = apply(text, edit);
  const again = parseYamlFile('f', out).docs;
  assert.deepEqual(again.flatMap((x) => x.problems), [], out);
  return out;
}

test('removeMapEntryEdit deletes whole entries and leaves valid YAML', () => {
  const pvc = 'metadata:\n  labels:\n    cdi.kubevirt.io/applyStorageProfile: "true" # inflates\n    app: vm\n  name: a\nspec:\n  x: |\n    text\n  y: 1\n';
  assert.equal(removed(pvc, ['metadata', 'labels', 'cdi.kubevirt.io/applyStorageProfile']), pvc.replace(/ {4}cdi.*\n/, ''));
  assert.equal(removed(pvc, ['metadata', 'labels']), 'metadata:\n  name: a\nspec:\n  x: |\n    text\n  y: 1\n');
  assert.equal(removed(pvc, ['spec', 'x']), pvc.replace('  x: |\n    text\n', ''));
  assert.equal(removed(pvc, ['spec', 'y']), pvc.replace('  y: 1\n', ''));
  assert.equal(removed('a: 1\nb: 2', ['b']), 'a: 1\n', 'last line without a line break');
  assert.equal(removed('a: 1\r\nb: 2\r\nc: 3\r\n', ['b']), 'a: 1\r\nc: 3\r\n');
  assert.equal(removed('items:\n- a: 1\n  b: 2\n- c: 3\n', ['items', 0, 'a']), 'items:\n- b: 2\n- c: 3\n');
  assert.equal(removed('items:\n- c: 3 # only\n', ['items', 0, 'c']), 'items:\n- {} # only\n');
  const two = 'k: 0\n---\na: 1\nb: 2\n';
  const edit = removeMapEntryEdit(parseYamlFile('f', two).docs[1]!, ['a']);
  assert.deepEqual(edit, { range: r(2, 0, 3, 0), newText: '' }, 'ranges in file lines');
  assert.equal(apply(two, edit), 'k: 0\n---\nb: 2\n');
});

test('removeMapEntryEdit refuses flow maps, aliases and absent keys', () => {
  assert.equal(removeMapEntryEdit(one('labels: {a: 1, b: 2}\n'), ['labels', 'a']), undefined);
  assert.equal(removeMapEntryEdit(one('base: &b\n  a: 1\n  c: 2\nuse: *b\n'), ['use', 'a']), undefined);
  assert.equal(removeMapEntryEdit(one('base: &b {a: 1}\nuse:\n  <<: *b\n  c: 2\n'), ['use', 'a']), undefined);
  assert.equal(removeMapEntryEdit(one('a: 1\n'), ['b']), undefined);
  assert.equal(removeMapEntryEdit(one('a: 1\n'), []), undefined);
  assert.equal(removeMapEntryEdit(one('? a\n: 1\n'), ['a']), undefined, 'an explicit key');
});

test('replaceValueEdit and yamlScalar', () => {
  const text = 'spec:\n  storage: 10Gi # size\n  empty:\n  note:   # later\n';
  const d = one(text);
  const out = apply(text, replaceValueEdit(d, ['spec', 'storage'], yamlScalar('20Gi'))!);
  assert.equal(out, text.replace('10Gi', '20Gi'));
  const filled = apply(text, replaceValueEdit(d, ['spec', 'empty'], '1')!);
  assert.equal(scalarString(one(filled), ['spec', 'empty']), '1');
  const noted = apply(text, replaceValueEdit(d, ['spec', 'note'], 'x')!);
  assert.equal(scalarString(one(noted), ['spec', 'note']), 'x', 'the comment stays a comment');
  assert.equal(replaceValueEdit(d, ['spec', 'absent'], 'x'), undefined);
  for (const v of ['10Gi', 'true', '1', 'a: b', ' padded', 'two\nlines', '#x', '', '"q"']) {
    assert.equal(scalarString(one(`v: ${yamlScalar(v)}\n`), ['v']), v, v);
  }
});
