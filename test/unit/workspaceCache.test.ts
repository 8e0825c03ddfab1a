/**
 * The workspace caches findings per document (and shifts them when a document moves). Whatever the edit,
 * the cached answer must equal a fresh analysis of the same text: checked over seeded random edits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, analyze } from '../../core/workspace.js';
import { defaultSettings } from '../../core/types.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

import { base, edits, hintOf, second } from '../fuzz/editScenario.js';

for (const withHints of [false, true]) test(`cached findings equal a fresh analysis after every one of 300 random edits (two files${withHints ? ', edit hints' : ''})`, () => {
  const r = rng(withHints ? 7 : 42);
  const ws = new Workspace();
  let a = base;
  let b = second;
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
