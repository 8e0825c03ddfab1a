/**
 * core/yaml/nodes.ts builds yaml's node classes without their constructors: the nodes must be yaml's to every
 * reader — identity tests, classes, `toJS`/`toJSON`, `clone`, `stringify`, the Document's methods — as the nodes
 * yaml's own composer makes for the same text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isDocument, isMap, isNode, isPair, isScalar, isSeq, stringify, visit } from 'yaml';
import { composeSimple } from '../../core/yaml/simple.js';
import { isMergePair, keyEndOf, keyString } from '../../core/yaml/nodes.js';
import { scalarString, stringMap } from '../../core/yaml/navigate.js';
import { parseSegment } from '../../core/yaml/segment.js';
import { FixedDoc } from '../../core/yaml/views.js';
import { splitDocuments } from '../../core/yaml/split.js';
import { generateBundle } from '../../bench/generate.js';
import { yamlCompose } from './yamlSimpleCompare.js';
import { randomDocument, rng } from './yamlFuzz.js';

function segments(text: string): string[] {
  return splitDocuments(text).map((s) => text.slice(s.start, s.end));
}

/** yaml's document for `text` without the comments and blank-line marks the fast composer does not keep. */
function yamlWithoutComments(text: string): Document.Parsed {
  const doc = yamlCompose(text)[0]!;
  doc.commentBefore = null;
  doc.comment = null;
  visit(doc, (_key, node) => {
    if (isNode(node)) {
      node.comment = null;
      node.commentBefore = null;
      node.spaceBefore = false;
    }
  });
  return doc;
}

/** Every node of a document with the class yaml would give it. */
function classesMatch(node: unknown): boolean {
  if (isMap(node)) return node instanceof YAMLMap && node.items.every((p) => isPair(p) && p instanceof Pair && classesMatch(p.key) && classesMatch(p.value));
  if (isSeq(node)) return node instanceof YAMLSeq && node.items.every(classesMatch);
  if (isScalar(node)) return node instanceof Scalar;
  return false;
}

function checkDocument(seg: string): boolean {
  const doc = composeSimple(seg);
  if (!doc) return false;
  const theirs = yamlWithoutComments(seg);
  assert.ok(isDocument(doc) && doc instanceof Document, seg);
  assert.ok(classesMatch(doc.contents), `classes in ${JSON.stringify(seg)}`);
  assert.deepEqual(doc.toJS(), theirs.toJS(), seg);
  assert.deepEqual(JSON.parse(JSON.stringify(doc)), JSON.parse(JSON.stringify(theirs)), seg);
  assert.equal(String(doc), String(theirs), `stringify of ${JSON.stringify(seg)}`);
  assert.equal(stringify(doc.contents), stringify(theirs.contents), seg);
  return true;
}

test('fast nodes are yaml nodes: classes, toJS, toJSON and stringify agree with yaml on the bundle', () => {
  const { text } = generateBundle(7, 300);
  let checked = 0;
  for (const seg of segments(text)) if (checkDocument(seg)) checked++;
  assert.equal(checked, 300);
});

test('fast nodes are yaml nodes on random documents (flow collections, quoted and typed scalars)', () => {
  const r = rng(20251202);
  let checked = 0;
  for (let i = 0; i < 2000; i++) for (const seg of segments(randomDocument(r))) if (checkDocument(seg)) checked++;
  assert.ok(checked > 200, `only ${checked} accepted`);
});

test('a fast document can be cloned, read and changed through yaml API without touching the original', () => {
  const text = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\n  labels: {app: x}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 10Gi\n';
  const doc = composeSimple(text)!;
  assert.equal(doc.getIn(['spec', 'resources', 'requests', 'storage']), '10Gi');
  assert.equal(doc.get('kind'), 'PersistentVolumeClaim');
  assert.equal(doc.hasIn(['metadata', 'labels', 'app']), true);
  const copy = doc.clone();
  copy.setIn(['spec', 'resources', 'requests', 'storage'], '20Gi');
  copy.setIn(['metadata', 'annotations', 'note'], 'new');
  copy.deleteIn(['metadata', 'labels']);
  (copy.getIn(['spec', 'accessModes']) as YAMLSeq).add('ReadOnlyMany');
  assert.ok(isMap(copy.getIn(['metadata', 'annotations'], true)));
  assert.equal(doc.getIn(['spec', 'resources', 'requests', 'storage']), '10Gi', 'the original is unchanged');
  assert.equal(doc.hasIn(['metadata', 'annotations']), false);
  assert.deepEqual((doc.getIn(['spec', 'accessModes']) as YAMLSeq).toJSON(), ['ReadWriteOnce']);
  assert.equal(
    String(copy),
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\n  annotations:\n    note: new\nspec:\n  accessModes: [ ReadWriteOnce, ReadOnlyMany ]\n  resources:\n    requests:\n      storage: 20Gi\n',
  );
  // A document marker is kept as yaml keeps it.
  assert.equal(String(composeSimple('---\na: 1\n')!), '---\na: 1\n');
  assert.equal(String(yamlCompose('---\na: 1\n')[0]!), '---\na: 1\n');
  // Documents do not share their directives or options: changing one leaves the others as they were.
  const other = composeSimple('b: 2\n')!;
  other.directives!.docStart = true;
  other.options.uniqueKeys = true;
  assert.equal(composeSimple('c: 3\n')!.directives!.docStart, null);
  assert.equal(composeSimple('c: 3\n')!.options.uniqueKeys, false);
});

/** Every pair of a node, depth first. */
function pairsOf(node: unknown, out: Pair[] = []): Pair[] {
  if (isMap(node)) for (const p of node.items) out.push(p as Pair), pairsOf(p.value, out);
  else if (isSeq(node)) for (const item of node.items) pairsOf(item, out);
  return out;
}

/** Whether a pair's key node exists (nodes.ts keeps a string key as text, `at` ≥ 0, until it is read). */
const made = (p: Pair): boolean => !((p as unknown as { at?: number }).at! >= 0);

test('string keys kept as text: keyString, keyEndOf and isMergePair say what the key node says, without making it', () => {
  const { text } = generateBundle(99, 200);
  let lazy = 0;
  for (const seg of [...segments(text), '<<: x\n"q": 1\n1: a\ntrue: b\nk: {a: 1}\n']) {
    const doc = composeSimple(seg);
    if (!doc) continue;
    for (const p of pairsOf(doc.contents)) {
      const [s, end, merge, wasMade] = [keyString(p), keyEndOf(p), isMergePair(p), made(p)];
      if (!wasMade) lazy++;
      assert.equal(made(p), wasMade, 'the helpers make no key node');
      const key = p.key as Scalar;
      assert.ok(isScalar(key) && key === p.key, 'the key is made once');
      assert.equal(s, typeof key.value === 'string' ? key.value : undefined, seg);
      assert.equal(end, key.range![1], seg);
      assert.equal(merge, key.value === '<<' && key.type === 'PLAIN', seg);
      if (!wasMade) assert.deepEqual([key.type, key.source, key.range], ['PLAIN', key.value, [key.range![0], end, end]]);
    }
  }
  assert.ok(lazy > 1000, `only ${lazy} keys kept as text`);
  // A key assigned replaces it, as on yaml's pairs; so does clearing it.
  const doc = composeSimple('a: 1\nb: 2\n')!;
  const [a, b] = (doc.contents as YAMLMap).items as Pair[];
  a!.key = new Scalar('z');
  assert.equal(keyString(a), 'z');
  assert.equal(String(doc), 'z: 1\nb: 2\n');
  b!.key = null;
  assert.equal(keyString(b), undefined);
  assert.equal(b!.key, null);
});

test('navigation and the duplicate-key check read string keys without making their nodes', () => {
  const text = 'kind: PersistentVolumeClaim\nmetadata:\n  name: a\n  labels:\n    app: x\n    app: y\nspec:\n  resources:\n    requests:\n      storage: 10Gi\n';
  const parsed = parseSegment(text);
  const doc = parsed.docs[0]!.doc!;
  assert.deepEqual(parsed.docs[0]!.problems.map((p) => [p.code, p.start]), [['DUPLICATE_KEY', text.lastIndexOf('app')]]);
  const d = new FixedDoc(parsed, parsed.docs[0]!, 0, 0);
  assert.equal(scalarString(d, ['spec', 'resources', 'requests', 'storage']), '10Gi');
  assert.deepEqual(stringMap(d, ['metadata', 'labels']), { app: 'y' });
  // Only the duplicate's key was made (for its range).
  assert.deepEqual(pairsOf(doc.contents).filter(made).map((p) => keyString(p)), ['app']);
});
