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

/** What a fast scalar or collection keeps of its range: the three numbers, and the array once made. */
interface Ranged {
  r0: number;
  r1: number;
  r2: number;
  made: Range | null | undefined;
}

/**
 * A node's `range`, made when first read. Most nodes' ranges are never read (only the located ones are), and three
 * numbers in the node cost a fifth of an array of them (two objects each, the largest part of a composed document).
 * Assigning `range` (yaml's `clone` does) replaces it as on yaml's nodes; the array read is kept, so it may be
 * changed in place too.
 */
const rangeAccessor: PropertyDescriptor = {
  get(this: Ranged): Range | undefined {
    const made = this.made;
    if (made !== undefined) return made ?? undefined;
    return (this.made = [this.r0, this.r1, this.r2]);
  },
  set(this: Ranged, r: Range | undefined) {
    this.made = r ?? null;
  },
  configurable: true,
};

class FastScalar {
  declare r0: number;
  declare r1: number;
  declare r2: number;
  declare made: Range | null | undefined;
  declare value: unknown;
  declare source: string;
  declare type: Scalar.Type;
  declare format: string | undefined;
  constructor(value: unknown, r0: number, r1: number, r2: number, source: string, type: Scalar.Type) {
    this.value = value;
    this.r0 = r0;
    this.r1 = r1;
    this.r2 = r2;
    this.made = undefined;
    this.source = source;
    this.type = type;
  }
}

class FastPair {
  declare key: unknown;
  declare value: unknown;
  constructor(key: unknown, value: unknown) {
    this.key = key;
    this.value = value;
  }
}

/** A collection class: made twice (maps and sequences), so that each has a prototype of its own. */
function collectionClass() {
  return class FastCollection {
    declare r0: number;
    declare r1: number;
    declare r2: number;
    declare made: Range | null | undefined;
    declare items: unknown[];
    declare flow: boolean;
    constructor(items: unknown[], r0: number, r1: number, r2: number) {
      this.items = items;
      this.r0 = r0;
      this.r1 = r1;
      this.r2 = r2;
      this.made = undefined;
    }
  };
}

const FastMap = collectionClass();
const FastSeq = collectionClass();

/** Element `i` of a node's range, without making the array of a fast node (the composer reads where nodes end). */
export function rangeAt(node: ParsedNode, i: 0 | 1 | 2): number {
  const r = node as unknown as Partial<Ranged>;
  if (r.made === undefined && r.r0 !== undefined) return i === 0 ? r.r0 : i === 1 ? r.r1! : r.r2!;
  return node.range[i];
}

class FastDocument {
  declare commentBefore: string | null;
  declare comment: string | null;
  declare errors: unknown[];
  declare warnings: unknown[];
  declare options: unknown;
  declare directives: NonNullable<Document['directives']>;
  declare schema: unknown;
  declare contents: unknown;
  declare range: Range;
  constructor(from: Document, contents: unknown, range: Range) {
    this.commentBefore = null;
    this.comment = null;
    this.errors = [];
    this.warnings = [];
    this.options = { ...from.options };
    this.directives = from.directives!.clone();
    // One schema for all: a schema is not changed once made (setSchema replaces it), and yaml's composer would make
    // one per document.
    this.schema = from.schema;
    this.contents = contents;
    this.range = range;
  }
}

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
derive(FastPair, Pair, { [NODE_TYPE]: { value: typeOf(() => new Pair(null)) } });
derive(FastMap, YAMLMap, { [NODE_TYPE]: { value: MAP_TYPE }, ...collection(), ...ranged() });
derive(FastSeq, YAMLSeq, { [NODE_TYPE]: { value: SEQ_TYPE }, ...collection(), ...ranged() });
derive(FastDocument, Document, { [NODE_TYPE]: { value: typeOf(() => new Document()) } });
if (!isScalar(new FastScalar(null, 0, 0, 0, '', 'PLAIN')) || !isPair(new FastPair(null, null))) throw new Error('yaml node identity changed');
if (!isMap(new FastMap([], 0, 0, 0)) || !isSeq(new FastSeq([], 0, 0, 0)) || !isDocument(new FastDocument(template, null, [0, 0, 0]))) {
  throw new Error('yaml node identity changed');
}

export function fastScalar(value: unknown, r0: number, r1: number, r2: number, source: string, type: Scalar.Type, format?: string): Scalar.Parsed {
  const s = new FastScalar(value, r0, r1, r2, source, type);
  if (format !== undefined) s.format = format;
  return s as unknown as Scalar.Parsed;
}

export function fastPair(key: unknown, value: unknown): Pair<ParsedNode, ParsedNode> {
  return new FastPair(key, value) as unknown as Pair<ParsedNode, ParsedNode>;
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
export function fastDocument(from: Document, contents: ParsedNode, range: Range, docStart: boolean): Document.Parsed {
  const d = new FastDocument(from, contents, range);
  if (docStart) d.directives.docStart = true;
  return d as unknown as Document.Parsed;
}
