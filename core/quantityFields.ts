/** Where the kinds we know hold Kubernetes quantities (sizes), for validation and hovers: the registry's `quantities`. */
import { kindNamed, quantityPatterns, type FieldPattern } from './kinds/index.js';
import type { Resource } from './resources.js';
import { at } from './resources.js';
import type { Located } from './yaml/documents.js';
import { locate, sequenceNodes } from './yaml/documents.js';

export interface QuantityField {
  at: Located;
  /** Full path in the document. */
  path: (string | number)[];
  /** Dotted field path for messages, e.g. `spec.resources.requests.storage`. */
  field: string;
}

type Path = (string | number)[];

/** The relative paths a pattern stands for in this resource: each `'*'` becomes every index of its sequence. */
function expand(r: Resource, pattern: FieldPattern): Path[] {
  let paths: Path[] = [[]];
  for (const step of pattern) {
    paths = step === '*' ? paths.flatMap((p) => sequenceNodes(r.doc, at(r, ...p)).map((_, i) => [...p, i])) : paths.map((p) => [...p, step]);
  }
  return paths;
}

export function quantityFields(r: Resource): QuantityField[] {
  const d = kindNamed(r.kind);
  const out: QuantityField[] = [];
  if (!d) return out;
  for (const pattern of quantityPatterns(d, r.version)) {
    for (const p of expand(r, pattern)) {
      const path = at(r, ...p);
      const found = locate(r.doc, path);
      if (found) out.push({ at: found, path, field: p.map((x) => (typeof x === 'number' ? `[${x}]` : x)).join('.').replace(/\.\[/g, '[') });
    }
  }
  return out;
}
