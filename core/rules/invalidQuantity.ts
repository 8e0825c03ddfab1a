/** `invalid-quantity`: a size field that Kubernetes would reject (e.g. "20MB" for "20Mi"). */
import { allKinds } from '../kinds/index.js';
import { isScalar } from 'yaml';
import { groupDigits, isQuantity, parseQuantity, quantitySuggestions } from '../quantity.js';
import { fieldName, visitQuantityFields } from '../quantityFields.js';
import { at } from '../resources.js';
import type { Finding, Fix } from '../types.js';
import { rangeOf, replaceValueEdit, scalarText, type YamlDoc } from '../yaml/documents.js';
import type { Rule } from './rule.js';

/** A fix per value the message proposes; preferred only when there is one reading. */
function suggestionFixes(doc: YamlDoc, path: (string | number)[], text: string): Fix[] {
  const suggestions = quantitySuggestions(text);
  return suggestions.flatMap((s) => {
    const edit = replaceValueEdit(doc, path, s);
    const q = parseQuantity(s);
    const bytes = q.ok ? ` (${groupDigits(q.quantity.bytes)} bytes)` : '';
    return edit ? [{ title: `Write ${s}${bytes}`, preferred: suggestions.length === 1, edits: [edit] }] : [];
  });
}

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
      // Nearly every field is valid: its range, name and path are worked out only for those reported.
      visitQuantityFields(r, (node, pair, rel) => {
        const text = isScalar(node) ? scalarText(r.doc, node) : undefined;
        if (text !== undefined && isQuantity(text)) return;
        const result = text === undefined ? undefined : parseQuantity(text);
        const why = result && !result.ok ? result.error : 'expected a quantity such as 20Gi, found a non-scalar value';
        const field = fieldName(rel);
        const path = at(r, ...rel);
        out.push({
          rule: 'invalid-quantity',
          severity: 'error',
          message: `${r.kind} ${r.name ?? ''} ${field}: ${why}`.replace(/\s+/g, ' '),
          file: ctx.file,
          range: rangeOf(r.doc, node),
          fixes: text === undefined ? [] : suggestionFixes(r.doc, path, text),
          data: { field, value: text ?? '' },
        });
      });
    }
    return out;
  },
};
