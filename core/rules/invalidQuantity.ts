/** `invalid-quantity`: a size field that Kubernetes would reject (e.g. "20MB" for "20Mi"). */
import { allKinds } from '../kinds/index.js';
import { parseQuantity } from '../quantity.js';
import { quantityFields } from '../quantityFields.js';
import type { Finding } from '../types.js';
import { scalarString } from '../yaml/documents.js';
import type { Rule } from './rule.js';

export const invalidQuantity: Rule = {
  id: 'invalid-quantity',
  defaultSeverity: 'error',
  title: 'Invalid Kubernetes quantity',
  description: 'A size field is not a valid Kubernetes quantity (e.g. "20MB" instead of "20Mi"); the API server would reject it.',
  reads: 'document',
  kinds: allKinds.filter((d) => d.quantities !== undefined).map((d) => d.kind),
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      for (const f of quantityFields(r)) {
        const text = scalarString(r.doc, f.path);
        const result = text === undefined ? undefined : parseQuantity(text);
        if (result?.ok) continue;
        const why = result ? result.error : 'expected a quantity such as 20Gi, found a non-scalar value';
        out.push({
          rule: 'invalid-quantity',
          severity: 'error',
          message: `${r.kind} ${r.name ?? ''} ${f.field}: ${why}`.replace(/\s+/g, ' '),
          file: ctx.file,
          range: f.at.range,
          data: { field: f.field, value: text ?? '' },
        });
      }
    }
    return out;
  },
};
