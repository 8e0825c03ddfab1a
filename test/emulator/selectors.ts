// Label selectors (the `labelSelector` query string and metav1.LabelSelector objects) and the field
// selectors kube-apiserver supports for every resource (metadata.name, metadata.namespace).
import { ApiError, badRequest } from './errors.js';
import type { KObject } from './types.js';

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

const keyRe = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valueRe = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function checkKey(key: string, text: string): void {
  if (!keyRe.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${text}"`);
}
function checkValue(value: string, text: string): void {
  if (value.length > 63 || !valueRe.test(value)) throw badRequest(`unable to parse requirement: invalid label value: "${value}" in "${text}"`);
}

/** Splits at top-level commas (commas inside `in (a,b)` stay). */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Parses a label selector string: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`. */
export function parseLabelSelector(text: string): Requirement[] {
  const reqs: Requirement[] = [];
  for (const part of splitTop(text)) {
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      const key = m[1]!;
      const values = m[3]!.split(',').map((v) => v.trim());
      checkKey(key, text);
      values.forEach((v) => checkValue(v, text));
      reqs.push({ key, op: m[2] as 'in' | 'notin', values });
    } else if ((m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part))) {
      const key = m[1]!;
      const value = m[3]!;
      checkKey(key, text);
      checkValue(value, text);
      reqs.push({ key, op: m[2] === '!=' ? 'notin' : 'in', values: [value] });
    } else if ((m = /^!\s*([^\s!=(),]+)$/.exec(part))) {
      checkKey(m[1]!, text);
      reqs.push({ key: m[1]!, op: '!exists' });
    } else if ((m = /^([^\s!=(),]+)$/.exec(part))) {
      checkKey(m[1]!, text);
      reqs.push({ key: m[1]!, op: 'exists' });
    } else {
      throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return reqs;
}

export function matchesRequirements(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
    }
  });
}

/** metav1.LabelSelector (as in webhook objectSelector/namespaceSelector). Absent or empty matches everything. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Converts a LabelSelector object to requirements; throws ApiError 400 on an unknown operator. */
export function selectorObjectToRequirements(sel: LabelSelectorObject | undefined): Requirement[] {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel?.matchLabels ?? {})) reqs.push({ key, op: 'in', values: [value] });
  for (const e of sel?.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In':
        reqs.push({ key: e.key, op: 'in', values: e.values ?? [] });
        break;
      case 'NotIn':
        reqs.push({ key: e.key, op: 'notin', values: e.values ?? [] });
        break;
      case 'Exists':
        reqs.push({ key: e.key, op: 'exists' });
        break;
      case 'DoesNotExist':
        reqs.push({ key: e.key, op: '!exists' });
        break;
      default:
        throw new ApiError(400, 'BadRequest', `"${e.operator}" is not a valid label selector operator`);
    }
  }
  return reqs;
}

export type FieldRequirement = { field: 'metadata.name' | 'metadata.namespace'; op: '=' | '!='; value: string };

/** Parses `fieldSelector`: only metadata.name and metadata.namespace, as kube-apiserver supports for all kinds. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  for (const part of splitTop(text)) {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    if (field !== 'metadata.name' && field !== 'metadata.namespace') {
      throw badRequest(`field label not supported: ${field}`);
    }
    out.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() });
  }
  return out;
}

export function matchesFields(reqs: FieldRequirement[], obj: KObject): boolean {
  return reqs.every((r) => {
    const actual = (r.field === 'metadata.name' ? obj.metadata?.name : obj.metadata?.namespace) ?? '';
    return r.op === '=' ? actual === r.value : actual !== r.value;
  });
}

/** A compiled LIST/WATCH filter. */
export interface ObjectFilter {
  labels: Requirement[];
  fields: FieldRequirement[];
}

export function compileFilter(labelSelector: string | null, fieldSelector: string | null): ObjectFilter {
  return {
    labels: labelSelector ? parseLabelSelector(labelSelector) : [],
    fields: fieldSelector ? parseFieldSelector(fieldSelector) : [],
  };
}

export function matchesFilter(f: ObjectFilter, obj: KObject): boolean {
  return matchesRequirements(f.labels, obj.metadata?.labels) && matchesFields(f.fields, obj);
}

export function isEmptyFilter(f: ObjectFilter): boolean {
  return f.labels.length === 0 && f.fields.length === 0;
}
