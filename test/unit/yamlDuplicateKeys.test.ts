/**
 * Duplicate keys (core/yaml/segment.ts): small maps are checked pair by pair, larger ones with a Set; both must
 * report exactly the keys a Set of earlier key values (SameValueZero: `.nan` repeats `.nan`) would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMap, isScalar } from 'yaml';
import { parseSegment } from '../../core/yaml/segment.js';
import { rng } from './yamlFuzz.js';

const pool = ['a', 'b', 'c', '"a"', '1', '"1"', '01', '.nan', '.NaN', '~', 'null', 'true', '"true"', '0', '-0', '0.0'];

/** The offsets of the keys the Set-based check reports, for the map at the document's root. */
function expected(text: string): number[] {
  const doc = parseSegment(text).docs[0]!.doc!;
  const out: number[] = [];
  if (!isMap(doc.contents)) return out;
  const seen = new Set<unknown>();
  for (const { key } of doc.contents.items) {
    if (!isScalar(key)) continue;
    if (seen.has(key.value)) out.push(key.range![0]);
    else seen.add(key.value);
  }
  return out;
}

test('duplicate keys in maps of 1 to 30 entries: the same keys as a Set of their values', () => {
  const r = rng(20251203);
  let reported = 0;
  for (let n = 1; n <= 30; n++) {
    for (let k = 0; k < 40; k++) {
      const keys = Array.from({ length: n }, () => pool[Math.floor(r() * pool.length)]!);
      const text = keys.map((key, i) => `${key}: ${i}\n`).join('');
      const problems = parseSegment(text).docs.flatMap((d) => d.problems).filter((p) => p.code === 'DUPLICATE_KEY');
      assert.deepEqual(problems.map((p) => p.start), expected(text), text);
      reported += problems.length;
    }
  }
  assert.ok(reported > 500, `only ${reported} duplicates in the sample`);
});
