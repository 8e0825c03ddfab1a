import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docs, lint, one, pvc, snapshot, textAt } from './helpers.js';

test('snapshot-not-found: info at the referenced name', () => {
  const text = pvc({ snap: 'gone' });
  const f = one(lint(text), 'snapshot-not-found');
  assert.equal(f.severity, 'info');
  assert.equal(textAt(text, f), 'gone');
  assert.equal(f.fixes, undefined);
});

test('snapshot-not-found: not reported once the snapshot exists', () => {
  assert.deepEqual(lint(docs(snapshot('snap', '20Mi'), pvc())), []);
});

test('snapshot-not-ready: no status, or restoreSize 0', () => {
  const none = one(lint(docs(snapshot('snap', undefined), pvc())), 'snapshot-not-ready');
  assert.equal(none.severity, 'info');
  assert.match(none.message, /no status.restoreSize yet/);
  const zero = one(lint(docs(snapshot('snap', '0', 'default', false), pvc())), 'snapshot-not-ready');
  assert.match(zero.message, /restoreSize 0.*readyToUse: false/);
});

test('snapshot-not-ready: readyToUse false with a restoreSize still checks the size', () => {
  const findings = lint(docs(snapshot('snap', '20Mi', 'default', false), pvc({ size: '21Mi' })));
  assert.deepEqual(findings.map((f) => f.rule), ['restore-size-exceeded']);
});
