/**
 * core/yaml/nodes.ts builds yaml's node classes without their constructors: the nodes must be yaml's to every
 * reader — identity tests, classes, `toJS`/`toJSON`, `clone`, `stringify`, the Document's methods — as the nodes
 * yaml's own composer makes for the same text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isDocument, isMap, isNode, isPair, isScalar, isSeq, stringify, visit } from 'yaml';
import { composeSimple } from '../../core/yaml/simple.js';
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
