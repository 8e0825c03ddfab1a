/** Where the kinds we know hold Kubernetes quantities (sizes), for validation and hovers: the registry's `quantities`. */
import { kindNamed, quantityPatterns, type FieldPattern } from './kinds/index.js';
import type { Resource } from './resources.js';
import { at } from './resources.js';
import type { Located } from './yaml/documents.js';
import { rangeOf } from './yaml/documents.js';
import { walk, walkNode } from './yaml/navigate.js';
import { isNode, isSeq } from 'yaml';
import type { Node, Pair } from 'yaml';

export interface QuantityField {
  at: Located;
  /** Full path in the document. */
  path: (string | number)[];
  /** Dotted field path for messages, e.g. `spec.resources.requests.storage`. */
  field: string;
}

/** A field's dotted name from its path relative to the resource: `spec.dataVolumeTemplates[0].spec.storage…`. */
export function fieldName(p: readonly (string | number)[]): string {
  return p.map((x) => (typeof x === 'number' ? `[${x}]` : x)).join('.').replace(/\.\[/g, '[');
}

/**
 * Calls `visit` for each quantity field of the resource in pattern order (each `'*'` standing for every item of its
 * sequence, in order), with the field's node, the pair it is the value of, and its path relative to the resource.
 * `rel` is reused between calls: copy it to keep it. Nothing else is allocated per field (no ranges, no names), so a
 * check of every field pays only for the fields it reports. The same fields as walking each expanded path from the
 * document's root (`locate`), found by descending once from the resource's node.
 */
export function visitQuantityFields(r: Resource, visit: (node: Node, pair: Pair | undefined, rel: readonly (string | number)[]) => void): void {
  const d = kindNamed(r.kind);
  if (!d) return;
  const patterns = quantityPatterns(d, r.version);
  if (patterns.length === 0) return;
  const root = walkNode(r.doc, r.base);
  if (!root) return;
  const rel: (string | number)[] = [];
  const descend = (pattern: FieldPattern, i: number, node: Node, pair: Pair | undefined): void => {
    if (i === pattern.length) return visit(node, pair, rel);
    const step = pattern[i]!;
    if (step === '*') {
      if (!isSeq(node)) return;
      for (let k = 0; k < node.items.length; k++) {
        const item = walkNode(r.doc, [k], node);
        if (!item) continue;
        rel.push(k);
        descend(pattern, i + 1, item, undefined);
        rel.pop();
      }
      return;
    }
    const hit = walk(r.doc, [step], node);
    if (!hit) return;
    rel.push(step);
    descend(pattern, i + 1, hit.node, hit.pair);
    rel.pop();
  };
  for (const pattern of patterns) descend(pattern, 0, root, undefined);
}

export function quantityFields(r: Resource): QuantityField[] {
  const out: QuantityField[] = [];
  visitQuantityFields(r, (node, pair, rel) => {
    const found: Located = { node, range: rangeOf(r.doc, node) };
    if (pair && isNode(pair.key)) found.keyRange = rangeOf(r.doc, pair.key);
    out.push({ at: found, path: at(r, ...rel), field: fieldName(rel) });
  });
  return out;
}
