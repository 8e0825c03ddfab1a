import { test } from 'node:test';
import assert from 'node:assert/strict';
import { perRun, type RuleContext, type RuleRunner } from '../../core/rules/rule.js';
import type { Restore } from '../../core/claims.js';
import { defaultSettings } from '../../core/types.js';
import { Workspace } from '../../core/workspace.js';
import { docs, pvc, snapshot } from './rules/helpers.js';

const options = { settings: defaultSettings };

test('rule context: perRun computes once per document run and hands every rule of the run the same value; restores likewise', () => {
  const KEY = Symbol('test');
  let made = 0;
  const seen: { value: object; restores: Restore[]; ctx: RuleContext }[] = [];
  const sharing = (id: string): RuleRunner => ({
    id,
    reads: 'facts',
    run: (ctx) => {
      const value = perRun(ctx, KEY, () => {
        made++;
        return { doc: ctx.doc.index };
      });
      seen.push({ value, restores: ctx.restores, ctx });
      return [];
    },
  });
  const ws = new Workspace(undefined, [sharing('first'), sharing('second')]);
  ws.setFile('a.yaml', docs(snapshot('snap', '20Mi'), pvc({ size: '21Mi' })));
  ws.analyzeFile('a.yaml', options);
  // Two documents, two rules each: one value per document, shared by both rules.
  assert.equal(made, 2);
  assert.equal(seen.length, 4);
  assert.equal(seen[0]!.value, seen[1]!.value);
  assert.equal(seen[2]!.value, seen[3]!.value);
  assert.notEqual(seen[0]!.value, seen[2]!.value);
  assert.deepEqual(seen.map((s) => (s.value as { doc: number }).doc), [0, 0, 1, 1]);
  // The PVC's document restores the snapshot: both rules see the one array of restores of that run.
  assert.equal(seen[2]!.restores, seen[3]!.restores);
  assert.equal(seen[2]!.restores.length, 1);
  assert.deepEqual(seen[0]!.restores, []);
  assert.notEqual(seen[0]!.ctx, seen[2]!.ctx);
});
