// Field sets for managedFields: which leaves of an object a manager owns, in the fieldsV1 vocabulary
// (`f:name`, `k:{"name":"c"}` for items of associative lists, `v:"x"` for set members, `.` for an item
// itself). Paths are arrays of those elements; sets hold them JSON-encoded.
import { isPlainObject, jsonEqual } from './objectMeta.js';
import { listRule } from './strategicMerge.js';

export type FieldPath = string[];

/** Fields the server owns, never tracked per manager. */
const ignoredTop = new Set(['apiVersion', 'kind']);
const ignoredMeta = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'generateName', 'selfLink']);

export const encodePath = (p: FieldPath): string => JSON.stringify(p);
export const decodePath = (s: string): FieldPath => JSON.parse(s) as FieldPath;

function pick(item: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in item) out[k] = item[k];
  return out;
}

/** The set of leaf paths present in `obj` (optionally only under `only`, e.g. 'status'). */
export function fieldSet(obj: Record<string, unknown>, builtin: boolean, skipTop: string[] = []): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, names: string[], fp: FieldPath): void => {
    if (isPlainObject(v) && Object.keys(v).length > 0) {
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue;
        if (names.length === 0 && (ignoredTop.has(k) || skipTop.includes(k))) continue;
        if (names.length === 1 && names[0] === 'metadata' && ignoredMeta.has(k)) continue;
        walk(x, [...names, k], [...fp, `f:${k}`]);
      }
    } else if (Array.isArray(v) && v.length > 0) {
      const rule = listRule(names, builtin, true);
      if (rule.kind === 'map' && v.every((x) => isPlainObject(x))) {
        for (const item of v as Record<string, unknown>[]) {
          const ip = [...fp, `k:${JSON.stringify(pick(item, rule.keys))}`];
          out.add(encodePath([...ip, '.']));
          for (const [k, x] of Object.entries(item)) walk(x, [...names, k], [...ip, `f:${k}`]);
        }
      } else if (rule.kind === 'set') {
        for (const x of v) out.add(encodePath([...fp, `v:${JSON.stringify(x)}`]));
      } else out.add(encodePath(fp));
    } else if (fp.length > 0) out.add(encodePath(fp));
  };
  walk(obj, [], []);
  return out;
}

/** The value at a field path, or undefined. `.` yields the list item itself. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const el of path) {
    if (el === '.') return cur;
    if (el.startsWith('f:')) cur = isPlainObject(cur) ? cur[el.slice(2)] : undefined;
    else if (el.startsWith('k:')) {
      const key = JSON.parse(el.slice(2)) as Record<string, unknown>;
      cur = Array.isArray(cur) ? cur.find((x) => isPlainObject(x) && Object.entries(key).every(([k, v]) => jsonEqual(x[k], v))) : undefined;
    } else if (el.startsWith('v:')) {
      const want = JSON.parse(el.slice(2)) as unknown;
      cur = Array.isArray(cur) ? cur.find((x) => jsonEqual(x, want)) : undefined;
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Removes the field (or list item, or set member) at `path` from `obj` in place. */
export function removeAt(obj: Record<string, unknown>, path: FieldPath): void {
  const els = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
  if (els.length === 0) return;
  const parent = valueAt(obj, els.slice(0, -1));
  const last = els[els.length - 1]!;
  if (last.startsWith('f:') && isPlainObject(parent)) delete parent[last.slice(2)];
  else if (Array.isArray(parent)) {
    const item = valueAt(parent, [last]);
    const i = parent.indexOf(item);
    if (i >= 0) parent.splice(i, 1);
  }
}

/** Renders a path as kube prints it in conflict messages: `.spec.containers[name="c"].image`. */
export function pathString(path: FieldPath): string {
  let s = '';
  for (const el of path) {
    if (el === '.') continue;
    if (el.startsWith('f:')) s += `.${el.slice(2)}`;
    else if (el.startsWith('k:')) {
      const key = JSON.parse(el.slice(2)) as Record<string, unknown>;
      s += `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    } else if (el.startsWith('v:')) s += `[=${el.slice(2)}]`;
  }
  return s;
}

/** Encodes a field set as fieldsV1. */
export function toFieldsV1(set: Set<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const s of [...set].sort()) {
    let cur = root;
    for (const el of decodePath(s)) {
      cur[el] ??= {};
      cur = cur[el] as Record<string, unknown>;
    }
  }
  return root;
}

/** Decodes fieldsV1 into a field set (empty objects are leaves; `.` marks a list item). */
export function fromFieldsV1(f: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, p: FieldPath): void => {
    if (!isPlainObject(node) || Object.keys(node).length === 0) {
      if (p.length > 0) out.add(encodePath(p));
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === '.') out.add(encodePath([...p, '.']));
      else walk(v, [...p, k]);
    }
  };
  walk(f, []);
  return out;
}
