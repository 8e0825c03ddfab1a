import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../core/workspace.js';
import { defaultSettings } from '../../core/types.js';
import { rules } from '../../core/rules/index.js';
import { docs, pvc, snapshot } from './rules/helpers.js';

const options = { settings: defaultSettings };

test('Workspace: a change in one file updates findings in another', () => {
  const ws = new Workspace();
  ws.setFile('pvc.yaml', pvc({ size: '21Mi' }));
  assert.deepEqual(ws.analyzeFile('pvc.yaml', options).map((f) => f.rule), ['snapshot-not-found']);
  ws.setFile('snap.yaml', snapshot('snap', '20Mi'));
  assert.deepEqual(ws.analyzeFile('pvc.yaml', options).map((f) => f.rule), ['restore-size-exceeded']);
  ws.setFile('snap.yaml', snapshot('snap', '21Mi'));
  assert.deepEqual(ws.analyzeFile('pvc.yaml', options), []);
  ws.removeFile('snap.yaml');
  assert.deepEqual(ws.analyzeFile('pvc.yaml', options).map((f) => f.rule), ['snapshot-not-found']);
});

test('Workspace: hover on a quantity gives exact bytes; on a restore PVC, restoreSize and the CDI render', () => {
  const ws = new Workspace();
  const text = docs(snapshot('snap', '20Mi'), pvc({ size: '21Mi', labelled: true }));
  ws.setFile('a.yaml', text);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('storage: 21Mi'));
  const h = ws.hover('a.yaml', { line, character: lines[line]!.indexOf('21Mi') + 1 }, options);
  assert.ok(h);
  assert.match(h.contents, /22,020,096 bytes/);
  assert.match(h.contents, /restoreSize: 20Mi = 20,971,520 bytes/);
  assert.match(h.contents, /CDI render/);
  const snapLine = lines.findIndex((l) => l.includes('restoreSize: 20Mi'));
  const hs = ws.hover('a.yaml', { line: snapLine, character: lines[snapLine]!.indexOf('20Mi') }, options);
  assert.match(hs?.contents ?? '', /20,971,520 bytes \(20 MiB\)/);
  assert.equal(ws.hover('a.yaml', { line: 0, character: 1 }, options), undefined);
});

test('Workspace: a rule that throws is reported to the handler and the other rules still report', () => {
  const errors: string[] = [];
  const throwing = { id: 'always-throws', reads: 'document' as const, run: () => { throw new Error('boom'); } };
  const ws = new Workspace((rule, file, e) => errors.push(`${rule} ${file} ${(e as Error).message}`), [throwing, ...rules]);
  ws.setFile('a.yaml', docs(snapshot('snap', '20Mi'), pvc({ size: '10Mi' })));
  assert.deepEqual(ws.analyzeFile('a.yaml', options).map((f) => f.rule), ['restore-size-too-small']);
  // Once per document it ran on (two here); adapters log each distinct failure once.
  assert.deepEqual(errors, ['always-throws a.yaml boom', 'always-throws a.yaml boom']);
});
