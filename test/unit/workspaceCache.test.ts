/**
 * The workspace caches findings per document (and shifts them when a document moves). Whatever the edit,
 * the cached answer must equal a fresh analysis of the same text: checked over seeded random edits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, analyze } from '../../core/workspace.js';
import { defaultSettings } from '../../core/types.js';
import { docs, pvc, snapshot, storageClass } from './rules/helpers.js';
import { hintOf, swapDocuments } from './yamlFuzz.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const base = docs(
  storageClass('nas', 'csi.trident.netapp.io'),
  snapshot('a', '20Mi'),
  pvc({ name: 'p1', snap: 'a', size: '21Mi', storageClass: 'nas' }),
  pvc({ name: 'p2', snap: 'a', size: '10Mi' }),
  snapshot('b', undefined),
  pvc({ name: 'p3', snap: 'b', labelled: true, via: 'both' }),
  pvc({ name: 'p4', snap: 'missing', size: '20MB' }),
  snapshot('c', '1Gi'),
  pvc({ name: 'p5', snap: 'c', size: '2Gi', labelled: true, via: 'both', storageClass: 'nas' }),
);

const edits: ((t: string, r: () => number) => string)[] = [
  // insert a comment line somewhere (moves every later document)
  (t, r) => {
    const lines = t.split('\n');
    lines.splice(Math.floor(r() * lines.length), 0, '# note');
    return lines.join('\n');
  },
  // change a size
  (t, r) => t.replace(/storage: \S+/g, (m) => (r() < 0.3 ? `storage: ${['20Mi', '21Mi', '1Gi', '5Gi', '19Mi'][Math.floor(r() * 5)]}` : m)),
  // change a restoreSize
  (t, r) => t.replace(/restoreSize: \S+/g, (m) => (r() < 0.5 ? `restoreSize: ${['20Mi', '21Mi', '1Gi', '0'][Math.floor(r() * 4)]}` : m)),
  // delete a line (may break the YAML)
  (t, r) => {
    const lines = t.split('\n');
    lines.splice(Math.floor(r() * lines.length), 1);
    return lines.join('\n');
  },
  // change the default namespace-independent storage class provisioner
  (t, r) => t.replace(/provisioner: \S+/, r() < 0.5 ? 'provisioner: csi.trident.netapp.io' : 'provisioner: rbd.csi.ceph.com'),
  // swap two documents
  swapDocuments,
];


for (const withHints of [false, true]) test(`cached findings equal a fresh analysis after every one of 300 random edits (two files${withHints ? ', edit hints' : ''})`, () => {
  const r = rng(withHints ? 7 : 42);
  const ws = new Workspace();
  let a = base;
  let b = docs(snapshot('x', '20Mi'), pvc({ name: 'q', snap: 'a', size: '25Mi' }));
  ws.setFile('a.yaml', a);
  ws.setFile('b.yaml', b);
  for (let i = 0; i < 300; i++) {
    const edit = edits[Math.floor(r() * edits.length)]!;
    const [a0, b0] = [a, b];
    if (r() < 0.8) a = edit(a, r);
    else b = edit(b, r);
    ws.setFile('a.yaml', a, withHints ? hintOf(a0, a) : undefined);
    ws.setFile('b.yaml', b, withHints ? hintOf(b0, b) : undefined);
    const fresh = analyze([{ file: 'a.yaml', text: a }, { file: 'b.yaml', text: b }], defaultSettings);
    const cached = [...ws.analyzeFile('a.yaml', { settings: defaultSettings }), ...ws.analyzeFile('b.yaml', { settings: defaultSettings })];
    assert.deepEqual(cached, fresh, `after edit ${i}`);
  }
});

test('a settings change re-evaluates cached findings', () => {
  const ws = new Workspace();
  ws.setFile('a.yaml', base);
  const before = ws.analyzeFile('a.yaml', { settings: defaultSettings }).find((f) => f.rule === 'restore-size-exceeded');
  assert.equal(before?.severity, 'error');
  const after = ws.analyzeFile('a.yaml', { settings: { ...defaultSettings, strictProvisioners: [] } }).find((f) => f.rule === 'restore-size-exceeded');
  assert.equal(after?.severity, 'warning');
});
