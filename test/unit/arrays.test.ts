/** core/arrays.ts `mapped`: what `Array.prototype.map` gives, element for element, with no holes left. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapped } from '../../core/arrays.js';

test('mapped gives map\'s elements, indices and length, every slot filled', () => {
  for (const xs of [[], [3], [1, 2, 3, 4, 5], Array.from({ length: 40 }, (_, i) => ({ i }))]) {
    const fn = (x: unknown, i: number) => ({ x, i, s: `${i}` });
    const got = mapped(xs as unknown[], fn);
    assert.deepEqual(got, (xs as unknown[]).map(fn));
    assert.equal(got.length, xs.length);
    for (let i = 0; i < got.length; i++) assert.ok(i in got, `slot ${i} filled`);
  }
  // The callback sees the input's own elements, in order, once each.
  const seen: number[] = [];
  mapped([10, 20, 30], (x) => seen.push(x));
  assert.deepEqual(seen, [10, 20, 30]);
});
