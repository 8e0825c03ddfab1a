/**
 * Fuzzing the language server's edit path: random incremental edits, sent as LSP ranged changes through the
 * server's own TextDocuments hook (server/textDocuments.ts: rope documents, the changes recorded), reach the
 * Workspace as ranges (Workspace.editFile, as server/analysis.ts passes them); after every edit the incremental
 * analysis of each file must equal a fresh analysis of the same texts. The edits are those of the seeded random-edit
 * test (test/fuzz/editScenario.ts) plus raw typing: YAML pieces and arbitrary text at any offset.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { defaultSettings } from '../../core/types.js';
import { analyze, Workspace } from '../../core/workspace.js';
import { OpenTexts, RopeDocument } from '../../server/textDocuments.js';
import { base, edits, hintOf, second } from './editScenario.js';
import { checkProperty } from './harness.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const pieces = ['---\n', '# c\n', '\n', '  ', 'storage: 30Gi\n', 'restoreSize: 1Gi', 'kind: VolumeSnapshot\n', 'name: a\n', ':', '-', '{', '"', '\r\n', 'constructor', '__proto__: x\n'];
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('scenario' as const), file: fc.nat({ max: 4 }), edit: fc.nat({ max: edits.length - 1 }), seed: fc.nat() }),
  fc.record({ kind: fc.constant('typing' as const), file: fc.nat({ max: 4 }), at: fc.nat(), removed: fc.nat({ max: 20 }), inserted: fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 5 })) }),
);

test('fuzz: LSP incremental edits with hints give the findings of a fresh analysis, after every edit', () => {
  checkProperty('lsp-edits', fc.array(stepArb, { minLength: 1, maxLength: 25 }), (steps) => {
    const texts = new OpenTexts();
    const uris = ['file:///w/a.yaml', 'file:///w/b.yaml'];
    const documents = [texts.configuration.create(uris[0]!, 'yaml', 1, base), texts.configuration.create(uris[1]!, 'yaml', 1, second)];
    const ws = new Workspace();
    documents.forEach((d) => ws.setFile(d.uri, d.getText()));
    for (const [i, step] of steps.entries()) {
      // Four edits in five go to the first file, as in the seeded test.
      const which = step.file < 4 ? 0 : 1;
      const before = documents[which]!;
      const text = before.getText();
      const after =
        step.kind === 'scenario' ? edits[step.edit]!(text, rng(step.seed))
        : text.slice(0, step.at % (text.length + 1)) + step.inserted + text.slice(Math.min(text.length, (step.at % (text.length + 1)) + step.removed));
      const h = hintOf(text, after);
      const change = { range: { start: before.positionAt(h.start), end: before.positionAt(h.oldEnd) }, text: after.slice(h.start, h.newEnd) };
      const updated = texts.configuration.update(before, [change], before.version + 1);
      assert.equal(updated.getText(), after, 'the ranged change reproduces the edit');
      documents[which] = updated;
      const changes = texts.take(updated.uri);
      assert.ok(changes && updated instanceof RopeDocument, 'a YAML document is a rope and its change is recorded');
      assert.ok(ws.editFile(updated.uri, changes, updated.length), 'the Workspace applies the change and ends at the same length');
      const fresh = analyze(documents.map((d) => ({ file: d.uri, text: d.getText() })), defaultSettings);
      const cached = documents.flatMap((d) => ws.analyzeFile(d.uri, { settings: defaultSettings }));
      assert.deepEqual(cached, fresh, `after step ${i}`);
    }
  }, 25);
});
