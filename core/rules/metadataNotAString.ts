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
import { isMap, isNode, isScalar, type Node } from 'yaml';
import type { Resource } from '../resources.js';
import type { Finding, Fix, Range } from '../types.js';
import { replaceValueEdit } from '../yaml/edits.js';
import { rangeOf, walkNode } from '../yaml/navigate.js';
import { isMergePair, keyString } from '../yaml/nodes.js';
import { notAStringNode } from './apiFields.js';
import type { Rule } from './rule.js';

const RULE = 'metadata-not-a-string';

interface Problem {
  field: string;
  path: string[];
  why: string;
  range: Range;
}

const OWN = new Set(['name', 'namespace', 'generateName']);
const MAPS = new Set(['labels', 'annotations']);

/**
 * One pass over `metadata`'s own entries (and its two maps'), with ranges only for what is wrong: the rule runs on
 * every object of every file, nearly all of them clean.
 */
function problems(r: Resource): Problem[] {
  const meta = walkNode(r.doc, [...r.base, 'metadata']);
  if (!isMap(meta)) return [];
  const d = r.doc;
  let out: Problem[] | undefined;
  const add = (field: string, path: string[], why: string, at: Node) => (out ??= []).push({ field, path, why, range: rangeOf(d, at) });
  for (const pair of meta.items) {
    // keyString: without making the fast composer's lazy key nodes (core/yaml/nodes.ts).
    const key = keyString(pair);
    if (key === undefined) continue;
    if (OWN.has(key)) {
      const why = notAStringNode(d, pair.value);
      if (why && isNode(pair.key)) add(`metadata.${key}`, ['metadata', key], why, pair.key);
    } else if (MAPS.has(key) && isMap(pair.value)) {
      for (const entry of pair.value.items) {
        const name = keyString(entry);
        if (name === undefined || isMergePair(entry)) continue;
        const why = notAStringNode(d, entry.value);
        if (why && isNode(entry.value)) add(`metadata.${key}.${name}`, ['metadata', key, name], why, entry.value);
      }
    }
  }
  return out ?? [];
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
