/**
 * `metadata-not-a-string`: an object's name, namespace, or a label or annotation value that reaches the API server
 * as a boolean or a number: ObjectMeta's fields and its label and annotation maps hold strings, so kubectl cannot
 * decode the object ("json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string",
 * for built-in and custom kinds alike), nor can kube-apiserver given the YAML (checked on v1.34.4 with kubectl
 * v1.32: test/cluster/snapshotValidation.test.ts). kubectl reads YAML 1.1 (apiFields.ts): an unquoted
 * `true`, `yes`, `on` or `1` is not a string — `cdi.kubevirt.io/applyStorageProfile: true` is the usual one, and
 * then CDI never renders the claim because the claim is never created. A null value is kept as "" (a null map value
 * decodes to the empty string) and is not reported.
 */
import { isScalar } from 'yaml';
import type { Resource } from '../resources.js';
import type { Finding, Fix, Range } from '../types.js';
import { replaceValueEdit } from '../yaml/edits.js';
import { walkNode } from '../yaml/navigate.js';
import { notAString } from './apiFields.js';
import { entries, keyRange } from './storageFields.js';
import type { Rule } from './rule.js';

const RULE = 'metadata-not-a-string';

interface Problem {
  field: string;
  path: string[];
  why: string;
  range: Range;
}

function problems(r: Resource): Problem[] {
  const out: Problem[] = [];
  for (const key of ['name', 'namespace', 'generateName']) {
    const why = notAString(r, 'metadata', key);
    const range = why && keyRange(r, 'metadata', key);
    if (why && range) out.push({ field: `metadata.${key}`, path: ['metadata', key], why, range });
  }
  for (const map of ['labels', 'annotations']) {
    for (const e of entries(r.doc, [...r.base, 'metadata', map])) {
      const why = notAString(r, 'metadata', map, e.key);
      if (why) out.push({ field: `metadata.${map}.${e.key}`, path: ['metadata', map, e.key], why, range: e.valueRange });
    }
  }
  return out;
}

/** Quotes the value as written (`true` → `"true"`): what it says stays what it says, now as a string. */
function quoteFix(r: Resource, path: string[]): Fix | undefined {
  const node = walkNode(r.doc, [...r.base, ...path]);
  if (!isScalar(node) || node.type !== 'PLAIN' || !node.range) return undefined;
  const text = r.doc.text.slice(node.range[0], node.range[1]);
  const edit = replaceValueEdit(r.doc, [...r.base, ...path], JSON.stringify(text));
  return edit && { title: `Quote the value: ${JSON.stringify(text)}`, preferred: true, edits: [edit] };
}

export const metadataNotAString: Rule = {
  id: RULE,
  defaultSeverity: 'error',
  title: 'Name, namespace, label or annotation that is not a string',
  description:
    'metadata.name, namespace or generateName, or a label or annotation value, that kubectl sends as a boolean or a number (an unquoted true, yes, on, off or 1; kubectl reads YAML 1.1): the API server refuses the object. The fix quotes the value.',
  reads: 'document',
  kinds: [],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      for (const p of problems(r)) {
        const fix = quoteFix(r, p.path);
        out.push({
          rule: RULE,
          severity: 'error',
          message: `${r.kind} ${r.name ?? ''} has ${p.field} that ${p.why}; kubectl cannot decode the object, nor can the API server (names, labels and annotations are strings).`.replace(/ {2,}/g, ' '),
          file: ctx.file,
          range: p.range,
          ...(fix ? { fixes: [fix] } : {}),
          data: { field: p.field },
        });
      }
    }
    return out;
  },
};
