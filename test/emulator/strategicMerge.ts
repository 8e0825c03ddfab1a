// Strategic merge patch for the built-in kinds the project patches, driven by a table of list merge
// keys (the patchMergeKey/patchStrategy tags of k8s.io/api) instead of Go struct metadata. The same
// table tells server-side apply which lists are associative.
import { ApiError, badRequest } from './errors.js';
import { clone, isPlainObject, jsonEqual } from './objectMeta.js';

export type ListRule = { kind: 'map'; keys: string[] } | { kind: 'set' } | { kind: 'atomic' };

const podLists: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};

/**
 * How a list at `path` (property names from the object root, no indices) merges. For strategic merge
 * patch the first key is the patchMergeKey; server-side apply uses all keys (e.g. port + protocol).
 * `builtin` is false for custom resources, whose lists (without a schema) are atomic except in metadata.
 */
export function listRule(path: string[], builtin: boolean, ssa = false): ListRule {
  const last = path[path.length - 1] ?? '';
  const parent = path[path.length - 2] ?? '';
  if (path.length === 2 && path[0] === 'metadata') {
    if (last === 'finalizers') return { kind: 'set' };
    if (last === 'ownerReferences') return { kind: 'map', keys: ['uid'] };
    return { kind: 'atomic' };
  }
  if (!builtin) return { kind: 'atomic' };
  if (last === 'ports') {
    const inContainer = path.includes('containers') || path.includes('initContainers') || path.includes('ephemeralContainers');
    if (inContainer) return { kind: 'map', keys: ssa ? ['containerPort', 'protocol'] : ['containerPort'] };
    if (path.length === 2 && path[0] === 'spec') return { kind: 'map', keys: ssa ? ['port', 'protocol'] : ['port'] };
    return { kind: 'atomic' };
  }
  if (last === 'webhooks' && path.length === 1) return { kind: 'map', keys: ['name'] };
  if (last === 'secrets' && path.length === 1) return { kind: 'map', keys: ['name'] };
  if (last === 'conditions' && parent === 'status') return { kind: 'map', keys: ['type'] };
  const key = podLists[last];
  if (key) return { kind: 'map', keys: [key] };
  return { kind: 'atomic' };
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isPlainObject(x) && x['$patch'] === 'delete')).map(stripDirectives);
  if (!isPlainObject(v)) return clone(v);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}

function mergeMap(orig: Record<string, unknown>, patch: Record<string, unknown>, path: string[], builtin: boolean): Record<string, unknown> {
  const directive = patch['$patch'];
  if (directive === 'replace') return stripDirectives(patch) as Record<string, unknown>;
  if (directive !== undefined && directive !== 'merge' && directive !== 'delete') throw badRequest(`Unknown patch type: ${String(directive)}`);
  const result: Record<string, unknown> = { ...orig };
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = result[field];
      if (Array.isArray(cur) && Array.isArray(v)) result[field] = cur.filter((x) => !v.some((d) => jsonEqual(d, x)));
      continue;
    }
    if (k.startsWith('$')) throw badRequest(`unknown strategic merge patch directive ${k}`);
    if (v === null) delete result[k];
    else if (isPlainObject(v)) {
      if (v['$patch'] === 'delete') delete result[k];
      else result[k] = mergeMap(isPlainObject(result[k]) ? (result[k] as Record<string, unknown>) : {}, v, [...path, k], builtin);
    } else if (Array.isArray(v)) result[k] = mergeList(Array.isArray(result[k]) ? (result[k] as unknown[]) : [], v, [...path, k], builtin);
    else result[k] = v;
  }
  return result;
}

function mergeList(orig: unknown[], patch: unknown[], path: string[], builtin: boolean): unknown[] {
  const rule = listRule(path, builtin);
  if (patch.some((x) => isPlainObject(x) && x['$patch'] === 'replace')) {
    return patch.filter((x) => !(isPlainObject(x) && x['$patch'] === 'replace')).map(stripDirectives);
  }
  if (rule.kind === 'atomic') return stripDirectives(patch) as unknown[];
  if (rule.kind === 'set') {
    const out = [...orig];
    for (const x of patch) if (!out.some((y) => jsonEqual(x, y))) out.push(clone(x));
    return out;
  }
  const key = rule.keys[0]!;
  const out = orig.map((x) => x);
  for (const item of patch) {
    if (!isPlainObject(item) || !(key in item)) {
      throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    }
    const idx = out.findIndex((x) => isPlainObject(x) && jsonEqual(x[key], item[key]));
    if (item['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) out[idx] = mergeMap(out[idx] as Record<string, unknown>, item, path, builtin);
    else out.push(stripDirectives(item));
  }
  return out;
}

/**
 * Applies a strategic merge patch. Custom resources get 415, as kube-apiserver answers, since
 * strategic merge needs Go type metadata that CRDs don't have.
 */
export function strategicMergePatch(orig: Record<string, unknown>, patch: unknown, builtin: boolean): Record<string, unknown> {
  if (!builtin) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  }
  if (!isPlainObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return mergeMap(orig, patch, [], builtin);
}
