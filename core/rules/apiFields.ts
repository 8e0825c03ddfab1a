/**
 * Fields as kube-apiserver sees them, for the rules that say what it refuses (snapshot-invalid,
 * snapshot-content-invalid, metadata-not-a-string). Checked against kube-apiserver v1.34.4 with external-snapshotter's
 * v8 CRDs (test/cluster/snapshotValidation.test.ts runs the same cases on a real server):
 * - a field set to null is absent: the API server prunes nulls of non-nullable fields before validating, so
 *   `required` and CEL's `has()` do not see it;
 * - a field set to `""` is present: it satisfies `required` and `has()` (only an enum or a `size(self) > 0` rule
 *   refuses it);
 * - a value is sent as kubectl reads it, by YAML 1.1 (kubectlScalar.ts): an unquoted `n` is a boolean.
 */
import { isMap, isNode, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { Resource } from '../resources.js';
import type { Finding, Range } from '../types.js';
import type { RuleContext } from './rule.js';
import type { YamlDoc } from '../yaml/documents.js';
import { walkNode } from '../yaml/navigate.js';
import { yaml11MayBeTyped, yaml11PlainType } from '../yaml/kubectlScalar.js';
import { rangeAt } from '../yaml/nodes.js';

/** The JSON type kubectl sends for a node. */
export type SentType = 'string' | 'boolean' | 'integer' | 'number' | 'null' | 'object' | 'array';

function nodeAt(r: Resource, path: readonly string[]): Node | undefined {
  return walkNode(r.doc, [...r.base, ...path]);
}

/** What kubectl sends for the field at `path`; undefined when the document has no such field. */
export function sentType(r: Resource, ...path: string[]): SentType | undefined {
  return sentTypeOf(r.doc, nodeAt(r, path));
}

/** What kubectl sends for a node of `d` (undefined for none, or an alias). */
export function sentTypeOf(d: YamlDoc, node: unknown): SentType | undefined {
  if (!isNode(node)) return undefined;
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') {
      if (node.type !== 'PLAIN' || node.tag) return 'string';
      // Ranges read without making a fast node's range array (core/yaml/nodes.ts): this runs on every label.
      const start = rangeAt(node as Scalar.Parsed, 0);
      if (!yaml11MayBeTyped(d.text.charCodeAt(start))) return 'string';
      return yaml11PlainType(d.text.slice(start, rangeAt(node as Scalar.Parsed, 1))) ?? 'string';
    }
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return 'boolean';
    if (typeof v === 'bigint') return 'integer';
    if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
    return undefined;
  }
  return isMap(node) ? 'object' : isSeq(node) ? 'array' : undefined;
}

function plainText(d: YamlDoc, node: Node): string | undefined {
  return isScalar(node) && node.type === 'PLAIN' && node.range ? d.text.slice(node.range[0], node.range[1]) : undefined;
}

/** A field of this sent type is there for the API server: set, and not null (`""` is there). */
export function present(t: SentType | undefined): boolean {
  return t !== undefined && t !== 'null';
}

/**
 * Why a field the schema types `string` is refused, or undefined when it is a string (or absent): "is the boolean
 * false to kubectl, which reads an unquoted `n` by YAML 1.1; quote it", "is a number, not a string".
 */
export function notAString(r: Resource, ...path: string[]): string | undefined {
  return notAStringNode(r.doc, nodeAt(r, path));
}

/** `notAString` for a node of `d`. */
export function notAStringNode(d: YamlDoc, node: unknown): string | undefined {
  const t = sentTypeOf(d, node);
  if (t === undefined || t === 'null' || t === 'string') return undefined;
  const text = isNode(node) ? plainText(d, node) : undefined;
  if (isScalar(node) && typeof node.value === 'string' && text !== undefined) {
    return `is written ${text} unquoted, which kubectl reads as ${t === 'integer' || t === 'number' ? 'a number' : `a ${t}`} (YAML 1.1), not a string: quote it ("${text}")`;
  }
  return `is ${t === 'integer' || t === 'number' ? 'a number' : t === 'boolean' ? 'a boolean' : t === 'object' ? 'a map' : t === 'array' ? 'a list' : `a ${t}`}, not a string`;
}

/** What is wrong with a snapshot.storage.k8s.io/v1 object, and where to say it. */
export interface Refusal {
  what: string;
  range: Range | undefined;
  field: string;
  /** Not refused, but wrong (a status the API server does not keep on create). */
  warning?: true;
}

/**
 * The findings of `rule` for each v1 object of `kind` in the document (v1beta1 and older are snapshot-api-unserved's):
 * "<kind> <name> <what>; the API server refuses it.", or a warning without that ending.
 */
export function refusalFindings(ctx: RuleContext, rule: string, kind: 'VolumeSnapshot' | 'VolumeSnapshotContent', problems: (r: Resource) => Refusal[]): Finding[] {
  const out: Finding[] = [];
  for (const r of ctx.resources) {
    if (r.kind !== kind || r.version !== 'v1') continue;
    for (const p of problems(r)) {
      if (!p.range) continue;
      out.push({
        rule,
        severity: p.warning ? 'warning' : 'error',
        message: `${kind} ${r.name ?? ''} ${p.what}${p.warning ? '.' : '; the API server refuses it.'}`.replace(/ {2,}/g, ' '),
        file: ctx.file,
        range: p.range,
        data: { field: p.field },
      });
    }
  }
  return out;
}
