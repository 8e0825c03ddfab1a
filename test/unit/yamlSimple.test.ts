/**
 * core/yaml/simple.ts composes plain block YAML itself; whatever it accepts must be exactly what yaml composes
 * (node classes, values, types, sources, ranges, the document's range), and what yaml reports as a problem it
 * must leave to yaml. Checked on seeded random documents, on the examples and on fixed cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSimple } from '../../core/yaml/simple.js';
import { splitDocuments } from '../../core/yaml/split.js';
import { parseYamlFile } from '../../core/yaml/documents.js';
import { generateBundle } from '../../bench/generate.js';
import { hostileCorpus } from '../hostile.js';
import { differs } from './yamlSimpleCompare.js';
import { randomDocument, rng } from './yamlFuzz.js';

function segments(text: string): string[] {
  return splitDocuments(text).map((s) => text.slice(s.start, s.end));
}

/** Every segment of `text` the fast composer accepts agrees with yaml; returns how many it accepted. */
function check(text: string, label: string): number {
  let accepted = 0;
  for (const seg of segments(text)) {
    const doc = composeSimple(seg);
    if (!doc) continue;
    accepted++;
    const why = differs(seg, doc);
    assert.equal(why, undefined, `${label}: ${why} in ${JSON.stringify(seg)}`);
  }
  return accepted;
}

test('every random document the fast composer accepts is the one yaml composes (6,000 documents)', () => {
  const r = rng(20251201);
  let accepted = 0;
  for (let i = 0; i < 6000; i++) accepted += check(randomDocument(r), `document ${i}`);
  // Enough of them are inside the subset for the comparison to mean something.
  assert.ok(accepted > 800, `only ${accepted} accepted`);
});

test('the benchmark bundle is composed by the fast composer, document for document as yaml does', () => {
  const { text, documents } = generateBundle(20251121, 400);
  assert.equal(check(text, 'bundle'), documents);
});

test('the examples and the hostile corpus: what the fast composer accepts agrees with yaml', () => {
  const root = join(__dirname, '..', '..', 'examples');
  const files = readdirSync(root).filter((n) => n.endsWith('.yaml'));
  let accepted = 0;
  for (const n of files) accepted += check(readFileSync(join(root, n), 'utf8'), n);
  for (const { file, text } of hostileCorpus()) check(text, file);
  assert.ok(accepted > 0);
});

const accepted: string[] = [
  'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\n  labels:\n    app: "x"\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 10Gi  # sized\n',
  '# leading\n---\nkind: A\nlist:\n- a\n- b: 1\n  c: [x, y]\n',
  'a:\n  b:\n# about c\n  c: {k: v, n: 1}\n\n# trailing\n',
  'a:\n  k:\n# c\n  j: 1\n',
  'n: 0x1F\nf: 1.50\nb: True\nz: ~\ne:\n',
  'emoji: 😀\nquoted: \'single\'\n',
];
const declined: string[] = [
  'a: &x 1\nb: *x\n', // anchors and aliases
  'a: !!str 1\n', // tags
  'a: |\n  text\n', // block scalars
  'a: b\n  c\n', // multi-line plain scalar
  'a:\tb\n', // tab
  'a: 1\r\nb: 2\r\n', // CR
  '? a\n: b\n', // explicit key
  '"a": 1\n', // quoted key
  'a: "x\\ny"\n', // escapes
  'a: b: c\n', // not YAML
  'a:\n  b: 1\n c: 2\n', // bad indentation
  'a: [x,\n  y]\n', // multi-line flow
  '%YAML 1.2\n---\na: 1\n', // directive
  'a: 1\n...\n', // document end marker
  '# only a comment\n',
];

test('the fast composer accepts plain manifests and leaves the rest to yaml', () => {
  for (const text of accepted) {
    const doc = composeSimple(text);
    assert.ok(doc, `declined ${JSON.stringify(text)}`);
    assert.equal(differs(text, doc), undefined, JSON.stringify(text));
  }
  for (const text of declined) assert.equal(composeSimple(text), undefined, `accepted ${JSON.stringify(text)}`);
});

test('a file mixing both composers: syntax errors stay in their document, duplicate keys are still found', () => {
  const parsed = parseYamlFile('f.yaml', 'a: 1\na: 2\n---\nb: [x\n---\nc: &x 1\nd: *x\n');
  assert.deepEqual(parsed.docs.map((d) => d.problems.map((p) => p.code)), [['DUPLICATE_KEY'], ['BAD_INDENT'], []]);
  assert.equal(parsed.docs[0]!.problems[0]!.range.start.line, 1);
});
