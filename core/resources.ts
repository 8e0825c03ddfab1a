/**
 * Recognising Kubernetes resources in parsed YAML documents, by apiVersion and kind (the kinds registry says
 * which: core/kinds/registry.ts).
 * A document may hold one object or a `kind: List` of them (what `kubectl get -o yaml` prints).
 */
import type { Document } from 'yaml';
import { isMap, isSeq } from 'yaml';
import type { KindName } from './kinds/index.js';
import { recognise } from './kinds/index.js';
import { mapped } from './arrays.js';
import type { YamlDoc } from './yaml/documents.js';
import { scalarString } from './yaml/documents.js';
import { walkNode } from './yaml/navigate.js';

/** A kind the tools recognise: a name in the kinds registry (core/kinds/registry.ts). */
export type ResourceKind = KindName;

/** One recognised object: where it is and what it is. Field access goes through `base`. */
export interface Resource {
  file: string;
  doc: YamlDoc;
  /** Path of the object inside the document: [] for a plain document, ['items', i] inside a List. */
  base: (string | number)[];
  apiVersion: string;
  group: string;
  version: string;
  kind: ResourceKind;
  name?: string;
  /** `metadata.namespace` as written; undefined when absent (then the adapter's default applies). */
  namespace?: string;
}

/** Identity of an object, cached per parsed Document (re-used while its text is unchanged). */
interface Identity {
  base: (string | number)[];
  apiVersion: string;
  group: string;
  version: string;
  kind: ResourceKind;
  name?: string;
  namespace?: string;
}

const identityCache = new WeakMap<Document.Parsed, Identity[]>();

// Paths read from the object's node: no array spread per object.
const API_VERSION = ['apiVersion'];
const KIND = ['kind'];
const NAME = ['metadata', 'name'];
const NAMESPACE = ['metadata', 'namespace'];

function identify(d: YamlDoc, base: (string | number)[]): Identity | undefined {
  const object = base.length === 0 ? undefined : walkNode(d, base);
  if (base.length > 0 && !object) return undefined;
  const apiVersion = scalarString(d, API_VERSION, object);
  const kind = scalarString(d, KIND, object);
  if (apiVersion === undefined || kind === undefined) return undefined;
  const known = recognise(apiVersion, kind);
  if (!known) return undefined;
  return {
    base,
    apiVersion,
    group: known.group,
    version: known.version,
    kind: known.descriptor.kind,
    name: scalarString(d, NAME, object),
    namespace: scalarString(d, NAMESPACE, object),
  };
}

function identities(d: YamlDoc): Identity[] {
  const parsed = d.doc;
  if (!parsed || !isMap(parsed.contents)) return [];
  const cached = identityCache.get(parsed);
  if (cached) return cached;
  const out: Identity[] = [];
  const kind = scalarString(d, ['kind']);
  if (kind === 'List' || (kind?.endsWith('List') && scalarString(d, ['apiVersion']) !== undefined)) {
    const items = parsed.get('items', true);
    if (isSeq(items)) {
      for (let i = 0; i < items.items.length; i++) {
        const id = identify(d, ['items', i]);
        if (id) out.push(id);
      }
    }
  } else {
    const id = identify(d, []);
    if (id) out.push(id);
  }
  identityCache.set(parsed, out);
  return out;
}

/** The kinds of the recognised objects of one document, without allocating (cached per parsed Document). */
export function kindsOf(d: YamlDoc): readonly { kind: ResourceKind }[] {
  return identities(d);
}

/** The recognised objects of one document. Cheap on unchanged documents (cached by parsed Document). */
export function resourcesOf(file: string, d: YamlDoc): Resource[] {
  // `mapped`, not `map`: the rules reading `ctx.resources` deoptimized on the first edit's (core/arrays.ts). Spelled
  // out rather than spread: the same properties in the same order, without the generic copy.
  return mapped(identities(d), (id) => ({
    file,
    doc: d,
    base: id.base,
    apiVersion: id.apiVersion,
    group: id.group,
    version: id.version,
    kind: id.kind,
    name: id.name,
    namespace: id.namespace,
  }));
}

/** Path helper: a field path relative to the resource. */
export function at(r: Resource, ...path: (string | number)[]): (string | number)[] {
  return r.base.length === 0 ? path : [...r.base, ...path];
}
