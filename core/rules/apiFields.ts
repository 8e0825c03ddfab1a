/**
 * Fields as a CRD's schema on kube-apiserver sees them, for the rules that say what the API server refuses
 * (snapshot-invalid, snapshot-content-invalid). Checked against kube-apiserver v1.34.4 with external-snapshotter's
 * v8 CRDs (test/cluster/snapshotValidation.test.ts runs the same cases on a real server):
 * - a field set to null is absent: the API server prunes nulls of non-nullable fields before validating, so
 *   `required` and CEL's `has()` do not see it;
 * - a field set to `""` is present: it satisfies `required` and `has()` (only an enum or a `size(self) > 0` rule
 *   refuses it);
 * - a value is sent as kubectl reads it, by YAML 1.1 (kubectlScalar.ts): an unquoted `n` is a boolean.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Resource } from '../resources.js';
import { walkNode } from '../yaml/navigate.js';
import { yaml11PlainType } from '../yaml/kubectlScalar.js';

/** The JSON type kubectl sends for a node. */
export type SentType = 'string' | 'boolean' | 'integer' | 'number' | 'null' | 'object' | 'array';

function nodeAt(r: Resource, path: readonly string[]): Node | undefined {
  return walkNode(r.doc, [...r.base, ...path]);
}

/** What kubectl sends for the field at `path`; undefined when the document has no such field. */
export function sentType(r: Resource, ...path: string[]): SentType | undefined {
  const node = nodeAt(r, path);
  if (node === undefined) return undefined;
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v !== 'string') return undefined;
  if (node.type !== 'PLAIN' || node.tag) return 'string';
  const text = plainText(r, node);
  const t = text === undefined ? undefined : yaml11PlainType(text);
  return t ?? 'string';
}

function plainText(r: Resource, node: Node): string | undefined {
  return isScalar(node) && node.type === 'PLAIN' && node.range ? r.doc.text.slice(node.range[0], node.range[1]) : undefined;
}

/** The field is there for the API server: set, and not null (`""` is there). */
export function present(r: Resource, ...path: string[]): boolean {
  const t = sentType(r, ...path);
  return t !== undefined && t !== 'null';
}

/**
 * Why a field the schema types `string` is refused, or undefined when it is a string (or absent): "is the boolean
 * false to kubectl, which reads an unquoted `n` by YAML 1.1; quote it", "is a number, not a string".
 */
export function notAString(r: Resource, ...path: string[]): string | undefined {
  const t = sentType(r, ...path);
  if (t === undefined || t === 'null' || t === 'string') return undefined;
  const node = nodeAt(r, path);
  const text = node ? plainText(r, node) : undefined;
  if (isScalar(node) && typeof node.value === 'string' && text !== undefined) {
    return `is written ${text} unquoted, which kubectl reads as ${t === 'integer' || t === 'number' ? 'a number' : `a ${t}`} (YAML 1.1), not a string: quote it ("${text}")`;
  }
  return `is ${t === 'integer' || t === 'number' ? 'a number' : t === 'boolean' ? 'a boolean' : t === 'object' ? 'a map' : t === 'array' ? 'a list' : `a ${t}`}, not a string`;
}
