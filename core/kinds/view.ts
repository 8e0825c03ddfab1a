/**
 * Read access to one Kubernetes object, whether it is written in a YAML document or served by the API as JSON,
 * so that each kind's fact reader (readers.ts) is written once for both. Each view keeps the reading rules of its
 * source: YAML scalars as written (`readyToUse: "true"` is true, anything else false), JSON as typed (a boolean,
 * or the strings "true"/"false"). Nothing here throws on malformed input; absent or odd fields read as undefined.
 */
import { putOwn } from '../own.js';
import type { YamlDoc, YamlPath } from '../yaml/documents.js';
import { locate, scalarString, sequenceNodes, stringList, stringMap } from '../yaml/documents.js';
import { walk } from '../yaml/navigate.js';
import { isMap } from 'yaml';
import type { Node } from 'yaml';

export interface ObjectView {
  /** `metadata.name`; undefined when absent or empty. */
  readonly name: string | undefined;
  /** `metadata.namespace` as the source states it; undefined when absent (then the reader's default applies). */
  readonly namespace: string | undefined;
  /** A scalar as text: numbers and booleans included ("1073741824", "true"). */
  text(...path: string[]): string | undefined;
  bool(...path: string[]): boolean | undefined;
  /** A map of scalars (labels, annotations, parameters); `{}` when absent. Own properties only, `__proto__` included. */
  map(...path: string[]): Record<string, string>;
  /** A list of scalars (accessModes); undefined when absent. */
  list(...path: string[]): string[] | undefined;
  /** The items of a sequence of objects (volumeBackups, claimPropertySets), each a view; [] when absent. */
  items(...path: string[]): ObjectView[];
  /** Whether the field is there at all (a PDB's `selector: {}` selects every pod; an absent one selects none). */
  has(...path: string[]): boolean;
  /** Whether a mapping is at `path` (a CDIConfig with a `spec`, say), empty or not. */
  hasMap(...path: string[]): boolean;
}

/** A view of the object at `base` in a parsed YAML document (`[]`, or `['items', i]` inside a List). */
export function yamlView(doc: YamlDoc, base: YamlPath): ObjectView {
  if (base.length === 0) return new YamlView(doc, doc.doc?.contents ?? undefined);
  return new YamlView(doc, walk(doc, base)?.node);
}

/**
 * Paths are walked from the object's node, found once (`undefined`: there is none, and every field is absent). A
 * class rather than an object of closures: the fact readers make one per object of every document analysed.
 */
class YamlView implements ObjectView {
  readonly name: string | undefined;
  readonly namespace: string | undefined;

  constructor(
    private readonly doc: YamlDoc,
    private readonly node: Node | undefined,
  ) {
    const name = this.node && scalarString(doc, ['metadata', 'name'], this.node);
    this.name = name === '' ? undefined : name;
    this.namespace = this.node && scalarString(doc, ['metadata', 'namespace'], this.node);
  }

  text(...path: string[]): string | undefined {
    return this.node && scalarString(this.doc, path, this.node);
  }
  bool(...path: string[]): boolean | undefined {
    const t = this.text(...path);
    return t === undefined ? undefined : t === 'true';
  }
  map(...path: string[]): Record<string, string> {
    return this.node ? stringMap(this.doc, path, this.node) : {};
  }
  list(...path: string[]): string[] | undefined {
    return this.node && stringList(this.doc, path, this.node);
  }
  items(...path: string[]): ObjectView[] {
    // sequenceNodes resolves the items' aliases (a dangling one stays, and its view has no fields, as walking to it gives).
    return this.node ? sequenceNodes(this.doc, path, this.node).map((n) => new YamlView(this.doc, walk(this.doc, [], n)?.node)) : [];
  }
  has(...path: string[]): boolean {
    return this.node !== undefined && locate(this.doc, path, this.node) !== undefined;
  }
  hasMap(...path: string[]): boolean {
    return this.node !== undefined && isMap(walk(this.doc, path, this.node)?.node);
  }
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** The value at `path` of parsed JSON, own properties only (a field named `constructor` is not Object's). */
export function jsonField(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const k of path) {
    const o = obj(cur);
    if (!o || !Object.hasOwn(o, k)) return undefined;
    cur = o[k];
  }
  return cur;
}

/** A JSON scalar as text: numbers (int-or-string quantities, int64 byte counts) and booleans included. */
export function jsonText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

function jsonBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function jsonMap(v: unknown): Record<string, string> {
  const o = obj(v);
  const out: Record<string, string> = {};
  if (!o) return out;
  for (const [k, x] of Object.entries(o)) {
    const t = jsonText(x);
    if (t !== undefined) putOwn(out, k, t);
  }
  return out;
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A view of an API object as parsed JSON (a cache's object, a GET's answer). */
export function jsonView(o: unknown): ObjectView {
  return {
    name: nonEmpty(jsonField(o, 'metadata', 'name')),
    namespace: nonEmpty(jsonField(o, 'metadata', 'namespace')),
    text: (...path) => jsonText(jsonField(o, ...path)),
    bool: (...path) => jsonBool(jsonField(o, ...path)),
    map: (...path) => jsonMap(jsonField(o, ...path)),
    list: (...path) => {
      const v = jsonField(o, ...path);
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
    },
    items: (...path) => {
      const v = jsonField(o, ...path);
      return Array.isArray(v) ? v.map((x) => jsonView(x)) : [];
    },
    has: (...path) => jsonField(o, ...path) !== undefined,
    hasMap: (...path) => obj(jsonField(o, ...path)) !== undefined,
  };
}
