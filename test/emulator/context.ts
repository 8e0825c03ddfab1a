// What every handler shares: the parsed request, the emulator's parts, and the helpers for reading a
// stored object, checking a namespace and committing a write (including finalizer-driven deletion).
import type { Admission } from './admission.js';
import type { UserInfo } from './auth.js';
import { ApiError, badRequest, conflict, notFound } from './errors.js';
import { clone, isPlainObject } from './objectMeta.js';
import { apiVersionOf, builtinGroups, tableKey, type ResourceRegistry } from './resources.js';
import type { ObjectStore } from './store.js';
import type { ApiResourceSpec, KObject } from './types.js';
import type { WatchHub } from './watch.js';
import { parse as parseYaml } from 'yaml';

export interface Ctx {
  store: ObjectStore;
  registry: ResourceRegistry;
  admission: Admission;
  watches: WatchHub;
}

export interface ApiRequest {
  method: string;
  spec: ApiResourceSpec;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  body: Buffer;
  contentType: string;
  user: UserInfo;
  userAgent: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export const table = (spec: ApiResourceSpec): string => tableKey(spec);
export const isBuiltin = (spec: ApiResourceSpec): boolean => builtinGroups.has(spec.group);
export const servedApiVersion = (spec: ApiResourceSpec): string => apiVersionOf(spec.group, spec.version);

/** The object as the requested version presents it (all versions share storage; conversion is a relabel). */
export function served(spec: ApiResourceSpec, obj: KObject): KObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return { apiVersion: servedApiVersion(spec), kind: spec.kind, ...rest };
}

export function isDryRun(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) if (v !== 'All') throw badRequest(`Invalid dry run value: ${v} (supported values: All)`);
  return values.length > 0;
}

/** kube's default field manager: the user agent's first word, else "unknown". */
export function fieldManager(r: ApiRequest): string {
  const m = r.query.get('fieldManager');
  if (m) {
    if (m.length > 128) throw new ApiError(422, 'Invalid', `fieldManager: Too long: may not be more than 128 bytes`);
    return m;
  }
  return r.userAgent.split('/')[0]?.trim() || 'unknown';
}

/** Decodes a JSON (or YAML) request body into an object. */
export function decodeBody(r: ApiRequest): Record<string, unknown> {
  const text = r.body.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  let v: unknown;
  try {
    v = /yaml/.test(r.contentType) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw badRequest(`the request body could not be decoded: ${(e as Error).message}`);
  }
  return v as Record<string, unknown>;
}

/** Checks a body's apiVersion/kind/namespace/name against the URL and fills namespace. */
export function checkObjectBody(r: ApiRequest, body: Record<string, unknown>): KObject {
  if (!isPlainObject(body)) throw badRequest('the request body must be a JSON object');
  const want = servedApiVersion(r.spec);
  // Typed (built-in) endpoints default a missing apiVersion/kind from the URL; custom resources require them.
  if (isBuiltin(r.spec) && !body['kind'] && !body['apiVersion']) body = { ...body, apiVersion: want, kind: r.spec.kind };
  if (typeof body['kind'] !== 'string' || body['kind'] === '') throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`);
  if (body['apiVersion'] !== want) throw badRequest(`the API version in the data (${String(body['apiVersion'])}) does not match the expected API version (${want})`);
  if (body['kind'] !== r.spec.kind) throw badRequest(`the kind in the data (${String(body['kind'])}) does not match the expected kind (${r.spec.kind})`);
  const obj = clone(body) as KObject;
  const meta = (obj.metadata ??= {});
  if (!isPlainObject(meta)) throw badRequest('metadata must be an object');
  if (r.spec.namespaced) {
    if (meta.namespace && meta.namespace !== r.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    meta.namespace = r.namespace;
  } else delete meta.namespace;
  if (r.name !== undefined && meta.name !== undefined && meta.name !== r.name) {
    throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${r.name})`);
  }
  if (r.name !== undefined) meta.name = r.name;
  return obj;
}

export function getOr404(ctx: Ctx, r: ApiRequest): KObject {
  const o = ctx.store.get(table(r.spec), r.namespace, r.name!);
  if (!o) throw notFound(r.spec.group, r.spec.plural, r.name!);
  return o;
}

/** NamespaceLifecycle: namespaced writes need an existing namespace that is not terminating. */
export function checkNamespace(ctx: Ctx, r: ApiRequest): void {
  if (!r.spec.namespaced) return;
  const ns = ctx.store.get('/namespaces', undefined, r.namespace ?? '');
  if (!ns) throw notFound('', 'namespaces', r.namespace ?? '');
  if (ns.metadata?.deletionTimestamp) {
    throw new ApiError(403, 'Forbidden', `${r.spec.plural} "${r.name ?? ''}" is forbidden: unable to create new content in namespace ${r.namespace} because it is being terminated`, {
      name: r.name ?? '',
      group: r.spec.group,
      kind: r.spec.plural,
    });
  }
}

/**
 * Stores an updated object unless it changed concurrently (then 409). An object being deleted whose
 * last finalizer went away is removed instead, as the garbage collector would.
 */
export function commitUpdate(ctx: Ctx, spec: ApiResourceSpec, old: KObject, next: KObject): KObject {
  const t = table(spec);
  const current = ctx.store.get(t, old.metadata?.namespace, old.metadata!.name!);
  if (!current || current.metadata?.resourceVersion !== old.metadata?.resourceVersion) throw conflict(spec.group, spec.plural, old.metadata!.name!);
  if (next.metadata?.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
    return ctx.store.remove(t, next.metadata.namespace, next.metadata.name!, next)!;
  }
  return ctx.store.put(t, next);
}
