/** `invalid-quantity`: a size field that Kubernetes would reject (e.g. "20MB" for "20Mi"). */
import { allKinds } from '../kinds/index.js';
import { groupDigits, parseQuantity, quantitySuggestions } from '../quantity.js';
import { quantityFields } from '../quantityFields.js';
import type { Finding, Fix } from '../types.js';
import { replaceValueEdit, scalarString, type YamlDoc } from '../yaml/documents.js';
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
          fixes: text === undefined ? [] : suggestionFixes(r.doc, f.path, text),
          data: { field: f.field, value: text ?? '' },
        });
      }
    }
    return out;
  },
};
