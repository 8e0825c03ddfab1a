/** The segment rope against a plain array: positions, finds, splices and marks over seeded random operations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YamlFile } from '../../core/yaml/file.js';
import { Rope, RopeItem } from '../../core/yaml/rope.js';
import { rng } from './yamlFuzz.js';

class Item extends RopeItem {
  constructor(
    readonly id: number,
    readonly chars: number,
    readonly lines: number,
    readonly docs: number,
  ) {
    super();
  }
}

test('a rope answers like an array after 3,000 random splices and re-markings', () => {
  const r = rng(42);
  let next = 0;
  const make = () => new Item(next++, Math.floor(r() * 50), Math.floor(r() * 4), r() < 0.9 ? 1 : Math.floor(r() * 3));
  let model: Item[] = Array.from({ length: 300 }, make);
  const rope = new Rope<Item>(model);
  let seenLinesVersion = -1;
  let seenLines = new Map<Item, number>();
  const known = new Map<Item, { line: number; at: number }>();
  let shifted = 0;
  for (let step = 0; step < 3000; step++) {
    const x = r();
    if (x < 0.6) {
      const at = Math.floor(r() * (model.length + 1));
      const count = Math.min(model.length - at, Math.floor(r() * 4));
      const items = Array.from({ length: Math.floor(r() * (x < 0.05 ? 80 : 4)) }, make);
      model.splice(at, count, ...items);
      rope.splice(at, count, items);
    } else if (model.length > 0) {
      const it = model[Math.floor(r() * model.length)]!;
      const before = it.marks;
      it.marks = r() < 0.5 ? 0 : Math.floor(r() * 5);
      rope.remarked(it, before);
    }
    // linesVersion: while it is the same, no item's first line changed (Segment.line() trusts that).
    const lineNow = new Map<Item, number>();
    let at = 0;
    for (const it of model) {
      lineNow.set(it, at);
      at += it.lines;
    }
    if (rope.linesVersion === seenLinesVersion)
      for (const [it, line] of seenLines) if (lineNow.has(it)) assert.equal(lineNow.get(it), line, `line of item ${it.id} at step ${step}`);
    seenLinesVersion = rope.linesVersion;
    seenLines = lineNow;
    // shiftedLine: an item's line read some splices ago, moved by those splices (or unknown: looked up).
    for (const [it, k] of known) {
      if (!lineNow.has(it)) known.delete(it);
      else if (r() < 0.2) {
        const got = rope.shiftedLine(k.line, k.at);
        if (got !== undefined) {
          shifted++;
          assert.equal(got, lineNow.get(it), `shifted line of item ${it.id} at step ${step}`);
        }
        known.delete(it);
      }
    }
    for (let k = 0; k < 5 && model.length > 0; k++) {
      const it = model[Math.floor(r() * model.length)]!;
      known.set(it, { line: lineNow.get(it)!, at: rope.linesVersion });
    }
    if (step % 50 !== 0 && step < 2990) continue;
    assert.deepEqual(rope.items().map((i) => i.id), model.map((i) => i.id), `items after step ${step}`);
    assert.equal(rope.size, model.length);
    let offset = 0;
    let line = 0;
    let doc = 0;
    const marked: [number, number][] = [];
    model.forEach((it, index) => {
      assert.deepEqual(rope.placeOf(it), { index, offset, line, doc }, `place of item ${index}`);
      assert.equal(rope.at(index), it);
      if (it.marks > 0) marked.push([it.id, line]);
      offset += it.chars;
      line += it.lines;
      doc += it.docs;
    });
    assert.equal(rope.chars, offset);
    assert.equal(rope.lines, line);
    const seen: [number, number][] = [];
    rope.marked((it, l) => void seen.push([it.id, l]));
    assert.deepEqual(seen, marked);
    for (let probe = 0; probe < 20 && model.length > 0; probe++) {
      const o = Math.floor(r() * (offset + 1));
      const found = rope.find('chars', o)!;
      // The last item starting at or before o whose span holds it (or the last item).
      let want = model.length - 1;
      let start = 0;
      for (let k = 0; k < model.length; k++) {
        if (o < start + model[k]!.chars) {
          want = k;
          break;
        }
        start += model[k]!.chars;
      }
      assert.equal(found.place.index, want, `find chars ${o}`);
      assert.deepEqual(rope.placeOf(found.item), found.place);
    }
  }
  assert.ok(shifted > 100, `lines shifted: ${shifted}`);
});

test('an emptied rope can be filled again', () => {
  const items = [new Item(1, 3, 1, 1), new Item(2, 3, 1, 1)];
  const rope = new Rope<Item>(items);
  rope.splice(0, 2, []);
  assert.equal(rope.size, 0);
  assert.equal(rope.find('lines', 0), undefined);
  rope.splice(0, 0, [new Item(3, 5, 2, 1)]);
  assert.equal(rope.find('lines', 1)!.item.id, 3);
});

test("a segment's line() is its place's line after random edits within and across lines", () => {
  const r = rng(7);
  const docs = Array.from({ length: 40 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  k: "${i}"\n`);
  const file = new YamlFile(docs.join('---\n'));
  for (let step = 0; step < 400; step++) {
    const lines = file.text().split('\n');
    const line = Math.floor(r() * (lines.length - 1));
    const character = Math.floor(r() * (lines[line]!.length + 1));
    const x = r();
    // Mostly edits within a line (linesVersion stays), some adding or removing a line, some adding a document.
    const inserted = x < 0.6 ? String(step % 10) : x < 0.8 ? '# c\n' : x < 0.9 ? '' : '---\nkind: Secret\n';
    const end = x >= 0.8 && x < 0.9 && line + 1 < lines.length - 1 ? { line: line + 1, character: 0 } : { line, character };
    const start = x >= 0.8 && x < 0.9 ? { line, character: 0 } : { line, character };
    file.applyEdit({ start, end }, inserted);
    // Some segments asked after every edit, others after several (their line moved by the splices since).
    for (const s of file.rope.items()) if (r() < 0.3) assert.equal(s.line(), file.rope.placeOf(s).line, `segment line after step ${step}`);
  }
});
