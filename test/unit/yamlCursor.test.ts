/** The YAML path at a cursor: one table, held against the parsed reading and the indentation reading. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cursorAt, type YamlCursor } from '../../core/yaml/cursor.js';
import { docAtPosition, parseYamlFile } from '../../core/yaml/documents.js';

/** The text with `§` marking the cursor, and where it is. */
function at(marked: string): { text: string; line: number; character: number } {
  const i = marked.indexOf('§');
  assert.ok(i >= 0, 'the case marks the cursor with §');
  const text = marked.slice(0, i) + marked.slice(i + 1);
  const before = text.slice(0, i).split('\n');
  return { text, line: before.length - 1, character: before[before.length - 1]!.length };
}

function cursor(marked: string, via?: 'indentation'): YamlCursor | undefined {
  const { text, line, character } = at(marked);
  const f = parseYamlFile('f.yaml', text);
  const d = docAtPosition(f, { line, character });
  assert.ok(d, 'a document at the cursor');
  return cursorAt(d, { line, character }, via ? { via } : {});
}

interface Case {
  name: string;
  text: string;
  path?: (string | number)[];
  role?: YamlCursor['role'];
  prefix?: string;
  siblings?: Record<string, string>;
  /** The document parses: the parsed reading must give the same answer. */
  parses?: boolean;
}

const pvc = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\n';

const cases: Case[] = [
  { name: 'a new key in spec (mid-typing: does not parse)', text: `${pvc}spec:\n  accessModes: [ReadWriteOnce]\n  stor§\n`, path: ['spec'], role: 'key', prefix: 'stor', siblings: { accessModes: '' } },
  { name: 'a value after a key', text: `${pvc}spec:\n  storageClassName: fa§\n  volumeMode: Block\n`, path: ['spec', 'storageClassName'], role: 'value', prefix: 'fa', siblings: { volumeMode: 'Block' }, parses: true },
  { name: 'an empty value', text: `${pvc}spec:\n  volumeMode: §\n`, path: ['spec', 'volumeMode'], role: 'value', prefix: '', parses: true },
  { name: 'a quoted value being typed', text: `${pvc}spec:\n  storageClassName: "fa§\n`, path: ['spec', 'storageClassName'], role: 'value', prefix: 'fa' },
  { name: 'a compact sequence item', text: `${pvc}spec:\n  accessModes:\n  - ReadWriteOnce\n  - Read§\n`, path: ['spec', 'accessModes', 1], role: 'item', prefix: 'Read', parses: true },
  { name: 'an indented sequence item', text: `${pvc}spec:\n  accessModes:\n    - Read§\n`, path: ['spec', 'accessModes', 0], role: 'item', prefix: 'Read', parses: true },
  { name: 'an empty item', text: `${pvc}spec:\n  accessModes:\n  - §\n`, path: ['spec', 'accessModes', 0], role: 'item', prefix: '', parses: true },
  { name: 'deep in a map', text: `${pvc}spec:\n  resources:\n    requests:\n      storage: 1§\n`, path: ['spec', 'resources', 'requests', 'storage'], role: 'value', prefix: '1', parses: true },
  { name: 'an empty line under a key with no value', text: `${pvc}spec:\n  resources:\n    §\n`, path: ['spec', 'resources'], role: 'key', prefix: '', parses: true },
  { name: 'an empty line between keys', text: `${pvc}spec:\n  accessModes: [ReadWriteOnce]\n  §\n  volumeMode: Block\n`, path: ['spec'], role: 'key', prefix: '', siblings: { accessModes: '', volumeMode: 'Block' }, parses: true },
  {
    name: 'a key in a template item (second key of the item)',
    text: 'kind: VirtualMachine\nspec:\n  volumeClaimTemplates:\n  - metadata:\n      name: a\n    sp§\n',
    path: ['spec', 'volumeClaimTemplates', 0],
    role: 'key',
    prefix: 'sp',
    siblings: { metadata: '' },
  },
  {
    name: 'the second template item',
    text: 'kind: VirtualMachine\nspec:\n  volumeClaimTemplates:\n  - metadata:\n      name: a\n    spec: {}\n  - metadata:\n      name: b\n    spec:\n      storageClassName: §\n',
    path: ['spec', 'volumeClaimTemplates', 1, 'spec', 'storageClassName'],
    role: 'value',
    prefix: '',
    parses: true,
  },
  {
    name: 'a value on the dash line of an item',
    text: 'kind: VirtualMachine\nspec:\n  template:\n    spec:\n      volumes:\n      - name: x\n        dataVolume:\n          name: a\n      - name: §\n',
    path: ['spec', 'template', 'spec', 'volumes', 1, 'name'],
    role: 'value',
    prefix: '',
    parses: true,
  },
  {
    name: 'a key after a nested item map',
    text: 'kind: VirtualMachine\nspec:\n  template:\n    spec:\n      volumes:\n      - name: x\n        persistentVolumeClaim:\n          claimName: §\n',
    path: ['spec', 'template', 'spec', 'volumes', 0, 'persistentVolumeClaim', 'claimName'],
    role: 'value',
    prefix: '',
    parses: true,
  },
  { name: 'a first key of a new item', text: 'kind: VirtualMachine\nspec:\n  volumeClaimTemplates:\n  - meta§\n', path: ['spec', 'volumeClaimTemplates', 0], role: 'item', prefix: 'meta', parses: true },
  { name: 'the first key under an empty map (parses as a scalar value)', text: `${pvc}spec:\n  acc§\n`, path: ['spec'], role: 'key', prefix: 'acc', parses: true },
  { name: 'a top-level key', text: 'apiVersion: v1\nki§\n', path: [], role: 'key', prefix: 'ki', siblings: { apiVersion: 'v1' } },
  { name: 'after a block scalar', text: `${pvc}  annotations:\n    note: |\n      some text\n      more\nspec:\n  volumeMode: §\n`, path: ['spec', 'volumeMode'], role: 'value', prefix: '', parses: true },
  { name: 'in the second document of a file', text: `${pvc}spec: {}\n---\n${pvc}spec:\n  volumeMode: B§\n`, path: ['spec', 'volumeMode'], role: 'value', prefix: 'B', parses: true },
  { name: 'a comment line', text: `${pvc}spec:\n  # vol§\n` },
  { name: 'inside a block scalar', text: `${pvc}  annotations:\n    note: |\n      vol§\n` },
  { name: 'after a colon with no space', text: `${pvc}spec:\n  volumeMode:§\n` },
  { name: 'a value that is not a word', text: `${pvc}spec:\n  accessModes: [Read§\n` },
  { name: 'under a scalar value', text: `${pvc}spec:\n  volumeMode: Block\n    x§\n` },
];

for (const c of cases) {
  test(`cursor: ${c.name}`, () => {
    const readings: ['parsed' | 'indentation', YamlCursor | undefined][] = [['indentation', cursor(c.text, 'indentation')]];
    if (c.parses) readings.push(['parsed', cursor(c.text)]);
    else if (c.path) assert.equal(cursor(c.text)?.via, 'indentation', 'a document that does not parse is read by indentation');
    for (const [via, got] of readings) {
      if (!c.path) {
        assert.equal(got, undefined, `${via}: no cursor`);
        continue;
      }
      assert.ok(got, `${via}: a cursor`);
      assert.equal(got.via, via);
      assert.deepEqual(got.path, c.path, `${via}: path`);
      assert.equal(got.role, c.role, `${via}: role`);
      assert.equal(got.prefix, c.prefix, `${via}: prefix`);
      if (c.siblings) assert.deepEqual(Object.fromEntries(got.siblings), c.siblings, `${via}: siblings`);
    }
  });
}

test('cursor: the range covers the prefix', () => {
  const got = cursor(`${pvc}spec:\n  storageClassName: "fa§\n`)!;
  assert.deepEqual(got.range, { start: { line: 5, character: 21 }, end: { line: 5, character: 23 } });
  assert.equal(got.quote, '"');
});
