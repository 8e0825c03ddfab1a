/**
 * yaml's node classes (Document, YAMLMap, YAMLSeq, Pair, Scalar), built cheaply for the fast composer (simple.ts).
 *
 * yaml's constructors give every node its type with `Object.defineProperty(this, NODE_TYPE, …)` (and every
 * collection its schema the same way): a runtime call per node that was most of what composing a manifest cost,
 * and that makes the objects larger. Here each class has a thin subclass prototype that carries the type (and the
 * shared schema) once; the node's own fields are plain assignments in yaml's order. `isMap`/`isScalar`/… read
 * `node[NODE_TYPE]` (yaml 2.9.1 nodes/identity.js: `Symbol.for('yaml.node.type')`), which finds the prototype's;
 * `instanceof`, the classes' methods, `toJSON`, `clone` and `stringify` work as on yaml's own nodes.
 * test/unit/yamlNodes.test.ts checks that the identity symbols are yaml's and that the nodes behave as yaml's.
 */
import { Alias, Document, Pair, Scalar, YAMLMap, YAMLSeq, isAlias, isDocument, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { ParsedNode } from 'yaml';

/** The options segment.ts composes with; the documents built here carry the same. */
export const composeOptions = { uniqueKeys: false } as const;

/** A document as yaml's composer makes it for these options: its schema and options are what every fast node shares. */
export const template = new Document(undefined, composeOptions);
const schema = template.schema;

const NODE_TYPE = Symbol.for('yaml.node.type');

type Range = [number, number, number];

/** Makes `cls.prototype` a prototype for `sub` instances: yaml's class in between, its type (and more) on it. */
function derive(sub: { prototype: object }, cls: { prototype: object }, own: PropertyDescriptorMap): void {
  Object.setPrototypeOf(sub.prototype, cls.prototype);
  Object.defineProperties(sub.prototype, { ...own, constructor: { value: cls, writable: true, configurable: true } });
}

/** The type symbol a yaml node of class `make()` carries (read from yaml itself, not assumed). */
function typeOf(make: () => object): symbol {
  return (make() as Record<symbol, symbol>)[NODE_TYPE]!;
}

/** What a fast scalar or collection keeps of its range: the three numbers. */
interface Ranged {
  r0: number;
  r1: number;
  r2: number;
}

/** Makes `range` an own data property of `node` (as on yaml's nodes), holding `r`. */
function ownRange(node: object, r: Range | undefined): void {
  Object.defineProperty(node, 'range', { value: r, writable: true, enumerable: true, configurable: true });
}

/**
 * A node's `range`, made when first read. Most nodes' ranges are never read (only the located ones are), and three
 * numbers in the node cost a fifth of an array of them (two objects each, the largest part of a composed document).
 * The array read (or a range assigned: yaml's `clone` does) becomes the node's own `range` property, as on yaml's
 * nodes, so it may be changed in place too; the node keeps no field for it until then (5,787 of 250,000 nodes of
 * the bench bundle are ever asked).
 */
const rangeAccessor: PropertyDescriptor = {
  get(this: Ranged): Range {
    const made: Range = [this.r0, this.r1, this.r2];
    ownRange(this, made);
    return made;
  },
  set(this: Ranged, r: Range | undefined) {
    ownRange(this, r);
  },
  configurable: true,
};

/** A scalar of any value (null, bool, number, an empty value) with its source text and type. */
class FastScalar {
  declare value: unknown;
  declare r0: number;
  declare r1: number;
  declare r2: number;
  declare source: string;
  declare type: Scalar.Type;
  declare format: string | undefined;
  constructor(value: unknown, r0: number, r1: number, r2: number, source: string, type: Scalar.Type, format: string | undefined) {
    this.value = value;
    this.r0 = r0;
    this.r1 = r1;
    this.r2 = r2;
    this.source = source;
    this.type = type;
    // Always assigned (undefined as on a yaml scalar without a format) so that all have one hidden class.
    this.format = format;
  }
}

/**
 * A plain scalar whose value is a string: its source is its value and its type is PLAIN, both read from the
 * prototype (assigning either makes it the node's own, as on yaml's nodes). Three scalars in four are these (keys
 * above all): four fields instead of seven.
 */
class FastString {
  declare value: string;
  declare r0: number;
  declare r1: number;
  declare r2: number;
  constructor(value: string, r0: number, r1: number, r2: number) {
    this.value = value;
    this.r0 = r0;
    this.r1 = r1;
    this.r2 = r2;
  }
}

/** `source` of a FastString: its value until assigned. */
const sourceAccessor: PropertyDescriptor = {
  get(this: FastString): string {
    return this.value;
  },
  set(this: FastString, source: string) {
    Object.defineProperty(this, 'source', { value: source, writable: true, enumerable: true, configurable: true });
  },
  configurable: true,
};

class FastPair {
  declare key: unknown;
  declare value: unknown;
  constructor(key: unknown, value: unknown) {
    this.key = key;
    this.value = value;
  }
}

/**
 * A pair whose key is a plain string scalar, kept as its text and offset until `key` is first read: then it is
 * made (a FastString, the range `[at, at + length, at + length]` a block map's key has) and kept. Readers that
 * only compare keys (navigate.ts, the duplicate-key check) read the text with `keyString` and make no node. Keys
 * are half the scalars of a manifest and almost never asked for as nodes: 118,000 of the bench bundle's 120,000
 * pairs are these, without a key object of their own. `key` may be assigned as on yaml's pairs.
 */
class FastKeyPair {
  /** The key's text while its node is not made (`at` ≥ 0); the key node once made or assigned (`at` is -1). */
  declare k: unknown;
  declare at: number;
  declare value: unknown;
  constructor(k: string, at: number, value: unknown) {
    this.k = k;
    this.at = at;
    this.value = value;
  }
}

const keyAccessor: PropertyDescriptor = {
  get(this: FastKeyPair): unknown {
    const at = this.at;
    if (at >= 0) {
      const k = this.k as string;
      this.k = new FastString(k, at, at + k.length, at + k.length);
      this.at = -1;
    }
    return this.k;
  },
  set(this: FastKeyPair, key: unknown) {
    this.k = key;
    this.at = -1;
  },
  enumerable: true,
  configurable: true,
};

/**
 * A pair's key as path elements name it when the key is a string scalar (its value), without making a lazy key's
 * node; undefined for other keys (read `pair.key` then).
 */
export function keyString(pair: unknown): string | undefined {
  const p = pair as Partial<FastKeyPair>;
  if (p.at! >= 0) return p.k as string;
  const key = (pair as { key?: unknown }).key;
  if (nodeType(key) !== SCALAR_TYPE) return undefined;
  const v = (key as Scalar).value;
  return typeof v === 'string' ? v : undefined;
}

/** Where a pair's key ends (its range's second element; 0 without a located key node), without making a lazy key's node. */
export function keyEndOf(pair: unknown): number {
  const p = pair as Partial<FastKeyPair>;
  if (p.at! >= 0) return p.at! + (p.k as string).length;
  const key = (pair as { key?: unknown }).key as { range?: Range } | null | undefined;
  return nodeType(key) !== undefined && key!.range ? key!.range[1] : 0;
}

/** Whether a pair's key is the plain scalar `<<` (a merge key), without making a lazy key's node. */
export function isMergePair(pair: unknown): boolean {
  const p = pair as Partial<FastKeyPair>;
  if (p.at! >= 0) return p.k === '<<';
  const key = (pair as { key?: unknown }).key;
  return nodeType(key) === SCALAR_TYPE && (key as Scalar).value === '<<' && (key as Scalar).type === 'PLAIN';
}

/** A collection class: made twice (maps and sequences), so that each has a prototype of its own. */
function collectionClass() {
  return class FastCollection {
    declare r0: number;
    declare r1: number;
    declare r2: number;
    declare items: unknown[];
    declare flow: boolean;
    constructor(items: unknown[], r0: number, r1: number, r2: number) {
      this.items = items;
      this.r0 = r0;
      this.r1 = r1;
      this.r2 = r2;
    }
  };
}

const FastMap = collectionClass();
const FastSeq = collectionClass();

/** Element `i` of a node's range, without making the array of a fast node (the composer reads where nodes end). */
export function rangeAt(node: ParsedNode, i: 0 | 1 | 2): number {
  // Only asked of nodes just made, whose range is not their own yet (or yaml's Scalar of a float).
  const r = node as unknown as Partial<Ranged>;
  if (r.r0 !== undefined) return i === 0 ? r.r0 : i === 1 ? r.r1! : r.r2!;
  return node.range[i];
}

/**
 * A document's options and directives are made when first read (as copies of the composer's: yaml makes both per
 * document), so that a document nobody stringifies or changes has neither: four objects per document less.
 */
class FastDocument {
  declare commentBefore: string | null;
  declare comment: string | null;
  declare errors: unknown[];
  declare warnings: unknown[];
  declare schema: unknown;
  declare contents: unknown;
  declare range: Range;
  /** The options and directives once read or assigned. */
  declare madeOptions: unknown;
  /** 0 until read or assigned. */
  declare madeDirectives: Document['directives'] | 0;
  /** Whether the document starts with `---` (the directives' `docStart` when they are made). */
  declare marked: boolean;
  constructor(contents: unknown, range: Range, marked: boolean) {
    this.commentBefore = null;
    this.comment = null;
    this.errors = [];
    this.warnings = [];
    // One schema for all: a schema is not changed once made (setSchema replaces it), and yaml's composer would make
    // one per document.
    this.schema = template.schema;
    this.contents = contents;
    this.range = range;
    this.madeOptions = undefined;
    this.madeDirectives = 0;
    this.marked = marked;
  }
}

const documentAccessors: PropertyDescriptorMap = {
  options: {
    get(this: FastDocument) {
      return (this.madeOptions ??= { ...template.options });
    },
    set(this: FastDocument, o: unknown) {
      this.madeOptions = o;
    },
    configurable: true,
  },
  directives: {
    get(this: FastDocument) {
      if (this.madeDirectives === 0) {
        const made = template.directives!.clone();
        if (this.marked) made.docStart = true;
        this.madeDirectives = made;
      }
      return this.madeDirectives;
    },
    set(this: FastDocument, d: Document['directives']) {
      this.madeDirectives = d;
    },
    configurable: true,
  },
};

/** yaml's node type symbols, for readers that test a node's type once rather than with each of `isMap`, `isAlias`, …. */
export const MAP_TYPE = typeOf(() => new YAMLMap());
export const SEQ_TYPE = typeOf(() => new YAMLSeq());
export const SCALAR_TYPE = typeOf(() => new Scalar(null));
export const ALIAS_TYPE = typeOf(() => new Alias('a'));
if (!isAlias({ [NODE_TYPE]: ALIAS_TYPE }) || !isMap({ [NODE_TYPE]: MAP_TYPE }) || !isSeq({ [NODE_TYPE]: SEQ_TYPE }) || !isScalar({ [NODE_TYPE]: SCALAR_TYPE })) {
  throw new Error('yaml node identity changed');
}

/** The type symbol of a yaml node (undefined for anything else). */
export function nodeType(n: unknown): symbol | undefined {
  return typeof n === 'object' && n !== null ? (n as Record<symbol, symbol | undefined>)[NODE_TYPE] : undefined;
}

const collection = (): PropertyDescriptorMap => ({ schema: { value: schema, writable: true, configurable: true } });
const ranged = (): PropertyDescriptorMap => ({ range: rangeAccessor });
derive(FastScalar, Scalar, { [NODE_TYPE]: { value: SCALAR_TYPE }, ...ranged() });
derive(FastString, Scalar, {
  [NODE_TYPE]: { value: SCALAR_TYPE },
  ...ranged(),
  source: sourceAccessor,
  type: { value: 'PLAIN', writable: true, configurable: true },
});
derive(FastPair, Pair, { [NODE_TYPE]: { value: typeOf(() => new Pair(null)) } });
derive(FastKeyPair, Pair, { [NODE_TYPE]: { value: typeOf(() => new Pair(null)) }, key: keyAccessor });
derive(FastMap, YAMLMap, { [NODE_TYPE]: { value: MAP_TYPE }, ...collection(), ...ranged() });
derive(FastSeq, YAMLSeq, { [NODE_TYPE]: { value: SEQ_TYPE }, ...collection(), ...ranged() });
derive(FastDocument, Document, { [NODE_TYPE]: { value: typeOf(() => new Document()) }, ...documentAccessors });
if (!isScalar(new FastScalar(null, 0, 0, 0, '', 'PLAIN', undefined)) || !isScalar(new FastString('', 0, 0, 0)) || !isPair(new FastKeyPair('', 0, null)) || !isPair(new FastPair(null, null))) throw new Error('yaml node identity changed');
if (!isMap(new FastMap([], 0, 0, 0)) || !isSeq(new FastSeq([], 0, 0, 0)) || !isDocument(new FastDocument(null, [0, 0, 0], false))) {
  throw new Error('yaml node identity changed');
}

export function fastScalar(value: unknown, r0: number, r1: number, r2: number, source: string, type: Scalar.Type, format?: string): Scalar.Parsed {
  return new FastScalar(value, r0, r1, r2, source, type, format) as unknown as Scalar.Parsed;
}

/** A plain scalar whose value is the string `value` (its source text). */
export function fastString(value: string, r0: number, r1: number, r2: number): Scalar.Parsed {
  return new FastString(value, r0, r1, r2) as unknown as Scalar.Parsed;
}

export function fastPair(key: unknown, value: unknown): Pair<ParsedNode, ParsedNode> {
  return new FastPair(key, value) as unknown as Pair<ParsedNode, ParsedNode>;
}

/** A pair whose key is the plain string `key` at offset `at` (its node made when read). */
export function fastKeyPair(key: string, at: number, value: unknown): Pair<ParsedNode, ParsedNode> {
  return new FastKeyPair(key, at, value) as unknown as Pair<ParsedNode, ParsedNode>;
}

export function fastMap(items: unknown[], r0: number, r1: number, r2: number, flow: boolean): YAMLMap.Parsed {
  const m = new FastMap(items, r0, r1, r2);
  if (flow) m.flow = true;
  return m as unknown as YAMLMap.Parsed;
}

export function fastSeq(items: unknown[], r0: number, r1: number, r2: number, flow: boolean): YAMLSeq.Parsed {
  const s = new FastSeq(items, r0, r1, r2);
  if (flow) s.flow = true;
  return s as unknown as YAMLSeq.Parsed;
}

/** A parsed document (as yaml composes it with `composeOptions`) holding `contents`. */
export function fastDocument(contents: ParsedNode, range: Range, docStart: boolean): Document.Parsed {
  return new FastDocument(contents, range, docStart) as unknown as Document.Parsed;
}
