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
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isDocument, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { ParsedNode } from 'yaml';

/** The options segment.ts composes with; the documents built here carry the same. */
export const composeOptions = { uniqueKeys: false } as const;

/** A document as yaml's composer makes it for these options: its schema and options are what every fast node shares. */
export const template = new Document(undefined, composeOptions);
const schema = template.schema;

export const NODE_TYPE = Symbol.for('yaml.node.type');

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

class FastScalar {
  declare value: unknown;
  declare range: Range;
  declare source: string;
  declare type: Scalar.Type;
  declare format: string | undefined;
  constructor(value: unknown, range: Range, source: string, type: Scalar.Type) {
    this.value = value;
    this.range = range;
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

class FastMap {
  declare items: unknown[];
  declare range: Range;
  declare flow: boolean;
  constructor(items: unknown[], range: Range) {
    this.items = items;
    this.range = range;
  }
}

class FastSeq {
  declare items: unknown[];
  declare range: Range;
  declare flow: boolean;
  constructor(items: unknown[], range: Range) {
    this.items = items;
    this.range = range;
  }
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

const collection = (): PropertyDescriptorMap => ({ schema: { value: schema, writable: true, configurable: true } });
derive(FastScalar, Scalar, { [NODE_TYPE]: { value: typeOf(() => new Scalar(null)) } });
derive(FastPair, Pair, { [NODE_TYPE]: { value: typeOf(() => new Pair(null)) } });
derive(FastMap, YAMLMap, { [NODE_TYPE]: { value: typeOf(() => new YAMLMap()) }, ...collection() });
derive(FastSeq, YAMLSeq, { [NODE_TYPE]: { value: typeOf(() => new YAMLSeq()) }, ...collection() });
derive(FastDocument, Document, { [NODE_TYPE]: { value: typeOf(() => new Document()) } });
if (!isScalar(new FastScalar(null, [0, 0, 0], '', 'PLAIN')) || !isPair(new FastPair(null, null))) throw new Error('yaml node identity changed');
if (!isMap(new FastMap([], [0, 0, 0])) || !isSeq(new FastSeq([], [0, 0, 0])) || !isDocument(new FastDocument(template, null, [0, 0, 0]))) {
  throw new Error('yaml node identity changed');
}

export function fastScalar(value: unknown, range: Range, source: string, type: Scalar.Type, format?: string): Scalar.Parsed {
  const s = new FastScalar(value, range, source, type);
  if (format !== undefined) s.format = format;
  return s as unknown as Scalar.Parsed;
}

export function fastPair(key: unknown, value: unknown): Pair<ParsedNode, ParsedNode> {
  return new FastPair(key, value) as unknown as Pair<ParsedNode, ParsedNode>;
}

export function fastMap(items: unknown[], range: Range, flow: boolean): YAMLMap.Parsed {
  const m = new FastMap(items, range);
  if (flow) m.flow = true;
  return m as unknown as YAMLMap.Parsed;
}

export function fastSeq(items: unknown[], range: Range, flow: boolean): YAMLSeq.Parsed {
  const s = new FastSeq(items, range);
  if (flow) s.flow = true;
  return s as unknown as YAMLSeq.Parsed;
}

/** A parsed document (as yaml composes it with `composeOptions`) holding `contents`. */
export function fastDocument(from: Document, contents: ParsedNode, range: Range, docStart: boolean): Document.Parsed {
  const d = new FastDocument(from, contents, range);
  if (docStart) d.directives.docStart = true;
  return d as unknown as Document.Parsed;
}
