/**
 * An ordered sequence of items (a file's document segments, or a text's chunks) kept in a B+ tree whose nodes
 * hold the sums of their items' measures: characters, line breaks, documents and marks. An item knows nothing of
 * where it is: its offset, first line and document index are sums over the tree, found in O(log n), so inserting
 * a line shifts nothing eagerly. `marks` counts what an item carries (a segment's findings): walks over marked
 * items skip the unmarked subtrees.
 */

/** What a rope holds: an item with its measures. The rope sets `leaf`; the measures are the item's own. */
export abstract class RopeItem {
  /** The leaf holding the item (undefined while it is in no rope). */
  leaf: Leaf | undefined = undefined;
  abstract readonly chars: number;
  abstract readonly lines: number;
  abstract readonly docs: number;
  marks = 0;
}

interface Sums {
  count: number;
  chars: number;
  lines: number;
  docs: number;
  marks: number;
}

const MAX = 32;

abstract class RopeNode implements Sums {
  parent: Inner | undefined = undefined;
  count = 0;
  chars = 0;
  lines = 0;
  docs = 0;
  marks = 0;

  protected reset(): void {
    this.count = this.chars = this.lines = this.docs = this.marks = 0;
  }

  protected add(s: Sums | RopeItem, count: number): void {
    this.count += count;
    this.chars += s.chars;
    this.lines += s.lines;
    this.docs += s.docs;
    this.marks += s.marks;
  }
}

export class Leaf extends RopeNode {
  items: RopeItem[] = [];

  recount(): void {
    this.reset();
    for (const it of this.items) this.add(it, 1);
  }
}

class Inner extends RopeNode {
  children: RopeNode[] = [];

  recount(): void {
    this.reset();
    for (const c of this.children) this.add(c, c.count);
  }
}

/** Where an item starts: its index among the items, offset, first line and number of documents before it. */
export interface RopePlace {
  index: number;
  offset: number;
  line: number;
  doc: number;
}

type Measure = 'chars' | 'lines' | 'docs';

/** The last `Rope.linesVersion` handed out (one counter for all ropes, so a version names one rope's state). */
let linesEpoch = 0;

/** The last `Rope.linesVersion` handed out: while it is the same, no item of any rope has moved to another line. */
export function linesEpochNow(): number {
  return linesEpoch;
}

export class Rope<T extends RopeItem> {
  private root: RopeNode;
  /** Number of leaves, to rebuild a rope that deletions left too sparse. */
  private leaves = 0;
  /** Changes whenever items come or go (so whenever any item's place may have changed). */
  version = 0;
  /**
   * Changes whenever an item's first line may have changed: a splice that adds or removes lines (one that replaces
   * items by others of as many lines, a character edit within a line, moves no item's line). Unique across ropes.
   */
  linesVersion = ++linesEpoch;
  /** The last line-changing splices, oldest first: from `line` on, lines moved by `delta` (at `version`). */
  private readonly shifts: { version: number; line: number; delta: number }[] = [];
  /** The linesVersion before the oldest of `shifts`: every later one of this rope is in them. */
  private shiftsFrom = this.linesVersion;

  constructor(items: readonly T[] = []) {
    this.root = this.build(items);
  }

  get size(): number {
    return this.root.count;
  }
  get chars(): number {
    return this.root.chars;
  }
  get lines(): number {
    return this.root.lines;
  }
  get docs(): number {
    return this.root.docs;
  }
  get marks(): number {
    return this.root.marks;
  }

  /** The item at `index` (0-based), or undefined. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.root.count) return undefined;
    let node = this.root;
    let i = index;
    while (node instanceof Inner) {
      for (const c of node.children) {
        if (i < c.count) {
          node = c;
          break;
        }
        i -= c.count;
      }
    }
    return (node as Leaf).items[i] as T;
  }

  /**
   * The item holding position `value` of a measure (a character offset, a line, a document index): the last
   * item starting at or before it, skipping items of zero measure only when a later one also starts there.
   * Undefined for an empty rope.
   */
  find(measure: Measure, value: number): { item: T; place: RopePlace } | undefined {
    if (this.root.count === 0) return undefined;
    let node = this.root;
    const place: RopePlace = { index: 0, offset: 0, line: 0, doc: 0 };
    let left = value;
    for (;;) {
      const kids: readonly (RopeNode | RopeItem)[] = node instanceof Inner ? node.children : (node as Leaf).items;
      let k = 0;
      for (; k < kids.length - 1; k++) {
        const m = kids[k]![measure];
        if (left < m) break;
        left -= m;
        advance(place, kids[k]!);
      }
      const kid = kids[k]!;
      if (kid instanceof RopeNode) node = kid;
      else return { item: kid as T, place };
    }
  }

  /** Where `item` starts. It must be in this rope. */
  placeOf(item: T): RopePlace {
    const place: RopePlace = { index: 0, offset: 0, line: 0, doc: 0 };
    let leaf: RopeNode = item.leaf!;
    const items = (leaf as Leaf).items;
    for (const it of items) {
      if (it === item) break;
      advance(place, it);
    }
    for (let node = leaf.parent; node; leaf = node, node = node.parent) {
      for (const c of node.children) {
        if (c === leaf) break;
        advance(place, c);
      }
    }
    return place;
  }

  /** Replaces `count` items from `index` with `items`; the removed ones leave the rope. */
  splice(index: number, count: number, items: readonly T[]): void {
    this.version++;
    const removed = [];
    for (let i = 0; i < count; i++) removed.push(this.at(index + i)!);
    let lines = 0;
    for (const it of removed) lines -= it.lines;
    for (const it of items) lines += it.lines;
    if (lines !== 0) {
      const first = removed[0] ?? this.at(index);
      this.linesVersion = ++linesEpoch;
      this.shifts.push({ version: this.linesVersion, line: first ? this.placeOf(first).line : this.root.lines, delta: lines });
      if (this.shifts.length > 16) this.shiftsFrom = this.shifts.shift()!.version;
    }
    for (const it of removed) this.remove(it);
    for (let i = 0; i < items.length; i++) this.insert(index + i, items[i]!);
    if (this.leaves > 2 * Math.ceil(this.root.count / (MAX / 2)) + 8) this.root = this.build(this.items());
  }

  /**
   * The first line now of an item still in the rope whose first line was `line` at linesVersion `at`, from the
   * splices since (an item before a splice keeps its line, one after it moves by the lines the splice added);
   * undefined when they are not all kept or one started at that very line (an item of no lines may sit before it).
   */
  shiftedLine(line: number, at: number): number | undefined {
    if (at === this.linesVersion) return line;
    if (at < this.shiftsFrom) return undefined;
    for (const s of this.shifts) {
      if (s.version <= at) continue;
      if (line === s.line) return undefined;
      if (line > s.line) line += s.delta;
    }
    return line;
  }

  /** Tells the rope that `item.marks` changed from `before`. */
  remarked(item: T, before: number): void {
    const delta = item.marks - before;
    if (delta === 0 || !item.leaf) return;
    for (let n: RopeNode | undefined = item.leaf; n; n = n.parent) n.marks += delta;
  }

  /** All items in order. */
  items(): T[] {
    const out: T[] = [];
    const go = (node: RopeNode): void => {
      if (node instanceof Inner) for (const c of node.children) go(c);
      else for (const it of (node as Leaf).items) out.push(it as T);
    };
    go(this.root);
    return out;
  }

  /** The items with marks, in order, with the line each starts at. */
  marked(visit: (item: T, line: number) => void): void {
    let line = 0;
    const go = (node: RopeNode): void => {
      if (node.marks === 0) {
        line += node.lines;
        return;
      }
      if (node instanceof Inner) for (const c of node.children) go(c);
      else
        for (const it of (node as Leaf).items) {
          if (it.marks > 0) visit(it as T, line);
          line += it.lines;
        }
    };
    go(this.root);
  }

  /** A balanced tree of `items`, leaves three quarters full. */
  private build(items: readonly RopeItem[]): RopeNode {
    const fill = (MAX * 3) >> 2;
    let level: RopeNode[] = [];
    for (let i = 0; i === 0 || i < items.length; i += fill) {
      const leaf = new Leaf();
      leaf.items = items.slice(i, i + fill) as RopeItem[];
      for (const it of leaf.items) it.leaf = leaf;
      leaf.recount();
      level.push(leaf);
    }
    this.leaves = level.length;
    while (level.length > 1) {
      const up: RopeNode[] = [];
      for (let i = 0; i < level.length; i += fill) {
        const inner = new Inner();
        inner.children = level.slice(i, i + fill);
        for (const c of inner.children) c.parent = inner;
        inner.recount();
        up.push(inner);
      }
      level = up;
    }
    level[0]!.parent = undefined;
    return level[0]!;
  }

  private remove(item: T): void {
    const leaf = item.leaf!;
    leaf.items.splice(leaf.items.indexOf(item), 1);
    item.leaf = undefined;
    subtract(leaf, item);
    // An emptied node leaves its parent; underfull ones stay (splice rebuilds a rope grown too sparse).
    let node: RopeNode = leaf;
    if (leaf.count === 0 && leaf.parent) this.leaves--;
    while (node.count === 0 && node.parent) {
      const parent: Inner = node.parent;
      parent.children.splice(parent.children.indexOf(node), 1);
      node = parent;
    }
    if (this.root.count === 0) this.root = this.build([]);
  }

  private insert(index: number, item: T): void {
    let node = this.root;
    let i = index;
    while (node instanceof Inner) {
      let k = 0;
      for (; k < node.children.length - 1; k++) {
        if (i <= node.children[k]!.count) break;
        i -= node.children[k]!.count;
      }
      node = node.children[k]!;
    }
    const leaf = node as Leaf;
    leaf.items.splice(i, 0, item);
    item.leaf = leaf;
    for (let n: RopeNode | undefined = leaf; n; n = n.parent) {
      n.count++;
      n.chars += item.chars;
      n.lines += item.lines;
      n.docs += item.docs;
      n.marks += item.marks;
    }
    if (leaf.items.length > MAX) this.split(leaf);
  }

  private split(node: Leaf | Inner): void {
    const half = node instanceof Leaf ? node.items.length >> 1 : node.children.length >> 1;
    const right = node instanceof Leaf ? new Leaf() : new Inner();
    if (node instanceof Leaf) {
      (right as Leaf).items = node.items.splice(half);
      for (const it of (right as Leaf).items) it.leaf = right as Leaf;
    } else {
      (right as Inner).children = node.children.splice(half);
      for (const c of (right as Inner).children) c.parent = right as Inner;
    }
    node.recount();
    right.recount();
    let parent = node.parent;
    if (!parent) {
      parent = new Inner();
      parent.children = [node];
      node.parent = parent;
      this.root = parent;
    }
    if (right instanceof Leaf) this.leaves++;
    parent.children.splice(parent.children.indexOf(node) + 1, 0, right);
    right.parent = parent;
    parent.recount();
    if (parent.children.length > MAX) this.split(parent);
  }
}

function advance(place: RopePlace, s: RopeNode | RopeItem): void {
  place.index += s instanceof RopeNode ? s.count : 1;
  place.offset += s.chars;
  place.line += s.lines;
  place.doc += s.docs;
}

function subtract(leaf: Leaf, item: RopeItem): void {
  for (let n: RopeNode | undefined = leaf; n; n = n.parent) {
    n.count--;
    n.chars -= item.chars;
    n.lines -= item.lines;
    n.docs -= item.docs;
    n.marks -= item.marks;
  }
}
