// JSON merge patch (RFC 7386) and JSON patch (RFC 6902). Strategic merge patch is in strategicMerge.ts.
import { ApiError, badRequest } from './errors.js';
import { clone, isPlainObject, jsonEqual } from './objectMeta.js';

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = mergePatch(result[k], v);
  }
  return result;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

/** 422 for a patch that cannot be applied, as kube-apiserver answers (Invalid, no details). */
const cannotApply = (message: string): ApiError => new ApiError(422, 'Invalid', message);

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`JSON pointer must be empty or start with a "/": ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Validates the shape of a JSON patch document; 400 on malformed input. */
export function decodeJsonPatch(body: unknown): JsonPatchOp[] {
  if (!Array.isArray(body)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  return body.map((op: unknown) => {
    if (!isPlainObject(op) || typeof op['op'] !== 'string' || typeof op['path'] !== 'string') {
      throw badRequest('Unable to decode JSON patch operation: missing "op" or "path"');
    }
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op['op'])) throw badRequest(`Unexpected kind: ${op['op']}`);
    if ((op['op'] === 'move' || op['op'] === 'copy') && typeof op['from'] !== 'string') throw badRequest(`${op['op']} operation missing from`);
    if (['add', 'replace', 'test'].includes(op['op']) && !('value' in op)) throw badRequest(`${op['op']} operation missing value`);
    return op as unknown as JsonPatchOp;
  });
}

type Container = Record<string, unknown> | unknown[];

/** Finds the parent container of a pointer and the last token. */
function locate(doc: unknown, tokens: string[], op: string, pointer: string): { parent: Container; last: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length - 1, op, pointer);
      cur = cur[i];
    } else if (isPlainObject(cur) && t in cur) cur = cur[t];
    else throw cannotApply(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
  }
  if (!Array.isArray(cur) && !isPlainObject(cur)) throw cannotApply(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
  return { parent: cur, last: tokens[tokens.length - 1]! };
}

function arrayIndex(token: string, max: number, op: string, pointer: string): number {
  if (!/^(0|[1-9]\d*)$/.test(token)) throw cannotApply(`${op} operation does not apply: invalid array index "${token}" in "${pointer}"`);
  const i = Number(token);
  if (i > max) throw cannotApply(`${op} operation does not apply: doc is missing path: "${pointer}": index out of bounds`);
  return i;
}

function getAt(doc: unknown, pointer: string, op: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, last } = locate(doc, tokens, op, pointer);
  if (Array.isArray(parent)) return parent[arrayIndex(last, parent.length - 1, op, pointer)];
  if (!(last in parent)) throw cannotApply(`${op} operation does not apply: doc is missing key: ${pointer}`);
  return parent[last];
}

function removeAt(doc: unknown, pointer: string, op: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw cannotApply(`${op} operation does not apply: cannot remove the root`);
  const { parent, last } = locate(doc, tokens, op, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(last, parent.length - 1, op, pointer), 1)[0];
  if (!(last in parent)) throw cannotApply(`${op} operation does not apply: doc is missing key: ${pointer}`);
  const v = parent[last];
  delete parent[last];
  return v;
}

function addAt(doc: unknown, pointer: string, value: unknown, op: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, last } = locate(doc, tokens, op, pointer);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : arrayIndex(last, parent.length, op, pointer);
    parent.splice(i, 0, value);
  } else parent[last] = value;
  return doc;
}

/** Applies RFC 6902 operations to a copy of `doc`. */
export function applyJsonPatch(doc: unknown, ops: JsonPatchOp[]): unknown {
  let d = clone(doc);
  for (const o of ops) {
    switch (o.op) {
      case 'add':
        d = addAt(d, o.path, clone(o.value), 'add');
        break;
      case 'remove':
        removeAt(d, o.path, 'remove');
        break;
      case 'replace': {
        const tokens = parsePointer(o.path);
        if (tokens.length === 0) {
          d = clone(o.value);
          break;
        }
        getAt(d, o.path, 'replace');
        const { parent, last } = locate(d, tokens, 'replace', o.path);
        if (Array.isArray(parent)) parent[arrayIndex(last, parent.length - 1, 'replace', o.path)] = clone(o.value);
        else parent[last] = clone(o.value);
        break;
      }
      case 'move': {
        if (o.path.startsWith(o.from! + '/')) throw cannotApply(`move operation does not apply: "from" is a prefix of "path"`);
        const v = removeAt(d, o.from!, 'move');
        d = addAt(d, o.path, v, 'move');
        break;
      }
      case 'copy':
        d = addAt(d, o.path, clone(getAt(d, o.from!, 'copy')), 'copy');
        break;
      case 'test': {
        let actual: unknown;
        try {
          actual = getAt(d, o.path, 'test');
        } catch {
          actual = undefined;
        }
        if (!jsonEqual(actual, o.value)) throw cannotApply(`testing value ${o.path} failed: test failed`);
        break;
      }
    }
  }
  return d;
}
