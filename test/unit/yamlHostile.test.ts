import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DocumentCache,
  MAX_NESTING,
  MAX_PROBLEMS,
  locate,
  nodeAtPosition,
  parseYamlFile,
  scalarString,
  sequence,
  stringList,
  stringMap,
} from '../../core/yaml/documents.js';
import type { ParsedFile } from '../../core/yaml/documents.js';
import type { Range } from '../../core/types.js';

/** Seeded generator: hostile inputs that are the same on every run. */
function random(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff);
}

/** Every range the file reports lies inside it, in order. */
function assertRangesInside(f: ParsedFile): void {
  const inside = (rg: Range, what: string) => {
    for (const p of [rg.start, rg.end]) assert.ok(p.line >= 0 && p.line < f.lineCount && p.character >= 0, `${what}: ${JSON.stringify(rg)}`);
    assert.ok(rg.start.line < rg.end.line || (rg.start.line === rg.end.line && rg.start.character <= rg.end.character), what);
  };
  for (const d of f.docs) {
    inside(d.range, `document ${d.index}`);
    assert.ok(d.problems.length <= MAX_PROBLEMS + 1);
    for (const p of d.problems) inside(p.range, p.message);
  }
}

const pvc = (i: number) =>
  `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: disk-${i}\n  labels: {app: vm-${i}}\n` +
  `spec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: ${i}Gi\n`;

test('billion laughs: helpers follow only the aliases a path walks through', () => {
  let bomb = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= 30; i++) bomb += `k${i}: &k${i} [${Array(9).fill(i === 1 ? '*a' : `*k${i - 1}`).join(', ')}]\n`;
  const d = parseYamlFile('bomb.yaml', bomb).docs[0]!;
  assert.deepEqual(d.problems, []);
  assert.equal(scalarString(d, ['k30', ...Array<number>(30).fill(0), 8]), 'lol', '9^31 strings if expanded');
  assert.equal(sequence(d, ['k30']).length, 9);
  assert.deepEqual(stringList(d, ['k30']), []);
  assert.deepEqual(stringMap(d, ['k30']), {});
  assert.deepEqual(nodeAtPosition(d, { line: 30, character: 14 })?.path, ['k30', 0]);
  // One anchor redefined 50,000 times, each alias after it: resolving them all must not be quadratic.
  const redefined = parseYamlFile('f', 's:\n' + Array.from({ length: 50_000 }, (_, i) => `- &a v${i}\n- *a\n`).join('')).docs[0]!;
  const values = stringList(redefined, ['s'])!;
  assert.equal(values.length, 100_000);
  assert.deepEqual([values[1], values[99_999]], ['v0', 'v49999']);
  const cyclic = parseYamlFile('f', 'a: &a [*a]\n').docs[0]!;
  assert.ok(locate(cyclic, ['a', ...Array<number>(1000).fill(0)]), 'a self-referencing alias is walked step by step');
});

test('merge-key bombs and cycles stay within a budget', () => {
  let chain = 'm0: &m0 {x: 1}\n';
  for (let i = 1; i <= 40; i++) chain += `m${i}: &m${i}\n  <<: [${Array(8).fill(`*m${i - 1}`).join(', ')}]\n  y${i}: 1\n`;
  const d = parseYamlFile('f', chain).docs[0]!;
  assert.equal(scalarString(d, ['m40', 'nope']), undefined, '8^40 maps if every merge were visited');
  assert.equal(scalarString(d, ['m40', 'y40']), '1');
  assert.ok(Object.keys(stringMap(d, ['m40'])).length < 100);
  const self = parseYamlFile('f', 'a: &a\n  <<: *a\n  b: 1\n').docs[0]!;
  assert.equal(scalarString(self, ['a', 'zz']), undefined);
  assert.deepEqual(stringMap(self, ['a']), { b: '1' });
});

test('a 10 MB file parses completely, with exact ranges at its end', () => {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 10_000_000; i++) {
    parts.push(pvc(i));
    size += parts[i]!.length + 4;
  }
  const f = parseYamlFile('big.yaml', parts.join('---\n'), new DocumentCache());
  assert.equal(f.docs.length, parts.length);
  assert.ok(f.docs.every((d) => d.problems.length === 0));
  const last = f.docs[parts.length - 1]!;
  assert.equal(scalarString(last, ['metadata', 'name']), `disk-${parts.length - 1}`);
  const line = (parts.length - 1) * 11 + 9;
  assert.deepEqual(locate(last, ['spec', 'resources', 'requests', 'storage'])?.keyRange, {
    start: { line, character: 6 },
    end: { line, character: 13 },
  });
});

test('deep nesting is refused before yaml recurses, and the other documents survive', () => {
  const blockMaps = (n: number) => Array.from({ length: n }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + '\n';
  const f = parseYamlFile('deep.yaml', `a: 1\n---\n${'['.repeat(100_000)}\n---\n${blockMaps(5000)}---\nb: 2\n`);
  assert.equal(f.docs.length, 4);
  for (const d of [f.docs[1]!, f.docs[2]!]) {
    assert.equal(d.doc, undefined);
    assert.equal(d.problems.length, 1);
    assert.equal(d.problems[0]!.kind, 'limit');
    assert.match(d.problems[0]!.message, /nesting too deep/);
  }
  assert.deepEqual(f.docs[1]!.problems[0]!.range.start, { line: 2, character: MAX_NESTING }, 'where it gets too deep');
  assert.deepEqual(f.docs[2]!.problems[0]!.range.start, { line: 4 + MAX_NESTING, character: MAX_NESTING });
  assert.deepEqual(f.docs[2]!.range.start, { line: 3, character: 0 });
  assert.equal(scalarString(f.docs[0]!, ['a']), '1');
  assert.deepEqual(locate(f.docs[3]!, ['b'])?.range, { start: { line: 5005, character: 3 }, end: { line: 5005, character: 4 } });
  assertRangesInside(f);

  // Exactly at the limit is fine, for every kind of collection.
  const kinds = [(n: number) => '['.repeat(n) + ']'.repeat(n), (n: number) => '{a: '.repeat(n) + '}'.repeat(n), (n: number) => '- '.repeat(n) + 'x', blockMaps];
  for (const make of kinds) {
    assert.deepEqual(parseYamlFile('f', make(MAX_NESTING)).docs[0]!.problems, [], make(3));
    assert.equal(parseYamlFile('f', make(MAX_NESTING + 1)).docs[0]!.problems[0]?.kind, 'limit', make(3));
  }
});

test('binary junk, NUL and lone surrogates: never throws, ranges stay in the file', () => {
  const next = random(7);
  const bytes = Array.from({ length: 200_000 }, () => String.fromCharCode(next() % 256)).join('');
  const utf16 = Array.from({ length: 200_000 }, () => String.fromCharCode(next() % 65536)).join('');
  const alphabet = '-.:[]{}#&*!|>\'"%@` \n\t,?ab\r\0\uD800\uDC00';
  const yamlish = Array.from({ length: 200_000 }, () => alphabet[next() % alphabet.length]).join('');
  const markers = Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? '---\n' : i % 7 === 0 ? '...\n' : bytes.slice(i * 50, i * 50 + 50) + '\n')).join('');
  for (const junk of [bytes, utf16, yamlish, markers, '\0\0\0', '\uD800', 'a: \uDC00\uD800\n', 'key: "\0"\n']) {
    const f = parseYamlFile('junk', junk + '\n---\nkind: PersistentVolumeClaim\n');
    assertRangesInside(f);
    const last = f.docs[f.docs.length - 1]!;
    assert.equal(scalarString(last, ['kind']), 'PersistentVolumeClaim', 'a document after the junk is intact');
    for (const d of f.docs) {
      for (let line = d.startLine; line < d.startLine + Math.min(d.lineCount, 50); line++) nodeAtPosition(d, { line, character: next() % 40 });
      locate(d, ['spec', 0, 'x']);
      stringMap(d, []);
    }
  }
});

test('very long lines', () => {
  const long = parseYamlFile('f', `a: ${'x'.repeat(5_000_000)}\nb: [${'1,'.repeat(200_000)}2]\nc: "${'y'.repeat(1_000_000)}"\nd: 1\n`);
  const d = long.docs[0]!;
  assert.deepEqual(d.problems, []);
  assert.equal(scalarString(d, ['a'])?.length, 5_000_000);
  assert.equal(stringList(d, ['b'])?.length, 200_001);
  assert.equal(scalarString(d, ['c'])?.length, 1_000_000);
  assert.deepEqual(locate(d, ['d'])?.range, { start: { line: 3, character: 3 }, end: { line: 3, character: 4 } });
});

test('100,000 tiny documents, through a cache smaller than the file', () => {
  const text = Array.from({ length: 100_000 }, (_, i) => `a: ${i}\n`).join('---\n');
  const cache = new DocumentCache();
  const f = parseYamlFile('tiny.yaml', text, cache);
  assert.equal(f.docs.length, 100_000);
  assert.ok(cache.size <= cache.maxEntries);
  const last = f.docs[99_999]!;
  assert.equal(last.index, 99_999);
  assert.equal(scalarString(last, ['a']), '99999');
  assert.deepEqual(last.range, { start: { line: 199_997, character: 0 }, end: { line: 199_998, character: 8 } });
  const edited = parseYamlFile('tiny.yaml', text.replace('a: 500\n', 'a: 500x\n'), cache);
  assert.equal(scalarString(edited.docs[500]!, ['a']), '500x');
  assert.equal(edited.docs[99_999]!.doc, last.doc);
});

test('problems are capped per document; duplicate keys are found in linear time', () => {
  const noisy = parseYamlFile('f', 'a: "' + 'x\n'.repeat(100_000) + '"\n---\nb: 1\n');
  const [d, after] = noisy.docs;
  assert.equal(d!.problems.length, MAX_PROBLEMS + 1);
  assert.equal(d!.problems[MAX_PROBLEMS]!.kind, 'limit');
  assert.match(d!.problems[MAX_PROBLEMS]!.message, /more problems/);
  assert.deepEqual(after!.problems, []);

  // yaml's own check compares every key with every earlier one: 100,000 keys would take minutes.
  const keys = Array.from({ length: 100_000 }, (_, i) => `key${i}: v`).join('\n') + '\nkey5: again\n';
  const dup = parseYamlFile('f', keys).docs[0]!;
  assert.deepEqual(
    dup.problems.map((p) => [p.code, p.range.start.line, p.range.start.character]),
    [['DUPLICATE_KEY', 100_000, 0]],
  );
  assert.equal(scalarString(dup, ['key99999']), 'v');
});

test('parsing leaves Error.stackTraceLimit as it was', () => {
  const before = Error.stackTraceLimit;
  parseYamlFile('f', 'a: [\n---\nb: "\n');
  assert.equal(Error.stackTraceLimit, before);
});
