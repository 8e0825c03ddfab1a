// CREATE, UPDATE (PUT, main resource and /status) and DELETE, each through admission and dry-run.
import { trackUpdate } from './apply.js';
import type { AdmissionAttributes } from './admission.js';
import {
  checkNamespace,
  checkObjectBody,
  commitUpdate,
  decodeBody,
  fieldManager,
  getOr404,
  isBuiltin,
  isDryRun,
  served,
  table,
  type ApiRequest,
  type ApiResponse,
  type Ctx,
} from './context.js';
import { alreadyExists, ApiError, badRequest, conflict, invalid } from './errors.js';
import { changed, clone, isPlainObject, normalise, nowTimestamp, prepareCreate, prepareUpdate, tracksGeneration, validateName } from './objectMeta.js';
import { admitDefaultStorageClass, admitPvcResize, defaultPvcStatus, validatePvcCreate, validatePvcUpdate } from './pvcRules.js';
import { hasStatus } from './resources.js';
import { compileFilter, matchesFilter } from './selectors.js';
import type { ApiResourceSpec, KObject } from './types.js';

const meta = (kind: string, dryRun: boolean, manager?: string): Record<string, unknown> => {
  const o: Record<string, unknown> = { kind, apiVersion: 'meta.k8s.io/v1' };
  if (dryRun) o['dryRun'] = ['All'];
  if (manager) o['fieldManager'] = manager;
  return o;
};

export function attrs(r: ApiRequest, operation: AdmissionAttributes['operation'], name: string, object: KObject | undefined, oldObject: KObject | undefined, dryRun: boolean, options: Record<string, unknown>): AdmissionAttributes {
  const a: AdmissionAttributes = { operation, spec: r.spec, name, object, oldObject, user: r.user, dryRun, options };
  if (r.namespace) a.namespace = r.namespace;
  if (r.subresource) a.subresource = r.subresource;
  return a;
}

/** Creates `obj` (already checked against the URL): admission, system fields, validation, storage. */
export async function createChecked(ctx: Ctx, r: ApiRequest, obj: KObject, manager: string, dryRun: boolean, managedBy?: (o: KObject) => void): Promise<ApiResponse> {
  checkNamespace(ctx, r);
  normalise(r.spec, obj);
  if (hasStatus(r.spec) && !(r.spec.group === '' && r.spec.plural === 'namespaces')) delete obj['status'];
  // The in-tree mutating plugins run before the webhooks.
  admitDefaultStorageClass(ctx.store, r.spec, obj);
  const options = meta('CreateOptions', dryRun, r.query.get('fieldManager') ?? undefined);
  const mutated = (await ctx.admission.mutate(attrs(r, 'CREATE', obj.metadata?.name ?? '', obj, undefined, dryRun, options)))!;
  prepareCreate(r.spec, mutated);
  defaultPvcStatus(r.spec, mutated);
  // A webhook cannot move the object: the namespace is the request's.
  if (r.spec.namespaced) mutated.metadata!.namespace = r.namespace;
  else delete mutated.metadata!.namespace;
  validateName(r.spec, mutated);
  validatePvcCreate(r.spec, mutated);
  if (managedBy) managedBy(mutated);
  else {
    delete mutated.metadata!.managedFields;
    trackUpdate(undefined, mutated, manager, isBuiltin(r.spec));
  }
  const name = mutated.metadata!.name!;
  if (ctx.store.get(table(r.spec), r.namespace, name)) throw alreadyExists(r.spec.group, r.spec.plural, name);
  await ctx.admission.validate(attrs(r, 'CREATE', name, mutated, undefined, dryRun, options));
  if (dryRun) return { status: 201, body: served(r.spec, mutated) };
  if (ctx.store.get(table(r.spec), r.namespace, name)) throw alreadyExists(r.spec.group, r.spec.plural, name);
  return { status: 201, body: served(r.spec, ctx.store.put(table(r.spec), mutated)) };
}

export async function createObject(ctx: Ctx, r: ApiRequest): Promise<ApiResponse> {
  const dryRun = isDryRun(r.query);
  const obj = checkObjectBody(r, decodeBody(r));
  return createChecked(ctx, r, obj, fieldManager(r), dryRun);
}

/** The object a write to the status subresource produces: only status changes. */
function statusOnly(old: KObject, next: KObject): KObject {
  const out = clone(old);
  if (next['status'] === undefined) delete out['status'];
  else out['status'] = clone(next['status']);
  return out;
}

/** The shared tail of UPDATE and PATCH: prepare, admission, managed fields, no-op detection, commit. */
export async function updateChecked(ctx: Ctx, r: ApiRequest, old: KObject, candidate: KObject, dryRun: boolean, track: ((o: KObject) => void) | undefined): Promise<ApiResponse> {
  let next: KObject;
  if (r.subresource === 'status') next = statusOnly(old, candidate);
  else {
    next = candidate;
    prepareUpdate(r.spec, next, old);
  }
  next.metadata!.resourceVersion = old.metadata!.resourceVersion;
  const options = meta('UpdateOptions', dryRun, r.query.get('fieldManager') ?? undefined);
  const name = old.metadata!.name!;
  let mutated = (await ctx.admission.mutate(attrs(r, 'UPDATE', name, next, old, dryRun, options)))!;
  if (r.subresource === 'status') mutated = statusOnly(old, mutated);
  else prepareUpdate(r.spec, mutated, old);
  mutated.metadata!.resourceVersion = old.metadata!.resourceVersion;
  if (track) track(mutated);
  else trackUpdate(old, mutated, fieldManager(r), isBuiltin(r.spec), r.subresource);
  if (r.subresource !== 'status') validatePvcUpdate(r.spec, old, mutated);
  if (r.subresource !== 'status') admitPvcResize(ctx.store, r.spec, old, mutated);
  await ctx.admission.validate(attrs(r, 'UPDATE', name, mutated, old, dryRun, options));
  if (!changed(mutated, old)) return { status: 200, body: served(r.spec, old) };
  if (dryRun) return { status: 200, body: served(r.spec, mutated) };
  return { status: 200, body: served(r.spec, commitUpdate(ctx, r.spec, old, mutated)) };
}

export async function updateObject(ctx: Ctx, r: ApiRequest): Promise<ApiResponse> {
  const dryRun = isDryRun(r.query);
  const obj = checkObjectBody(r, decodeBody(r));
  const old = getOr404(ctx, r);
  const rv = obj.metadata?.resourceVersion;
  if (rv) {
    if (rv !== old.metadata?.resourceVersion) throw conflict(r.spec.group, r.spec.plural, r.name!);
  } else if (!isBuiltin(r.spec)) {
    // Custom resources do not allow unconditional updates.
    throw invalid(r.spec.kind, r.spec.group, r.name!, [{ field: 'metadata.resourceVersion', type: 'Invalid value', value: '0x0', message: 'must be specified for an update' }]);
  }
  return updateChecked(ctx, r, old, obj, dryRun, undefined);
}

/** Kinds whose DELETE answers with the object rather than a Status (ReturnDeletedObject in kube's registry). */
const returnsObject = new Set(['/persistentvolumeclaims', '/persistentvolumes', '/pods', '/services', '/serviceaccounts', 'storage.k8s.io/storageclasses']);

function deleteStatus(spec: ApiResourceSpec, o: KObject): unknown {
  if (returnsObject.has(`${spec.group}/${spec.plural}`)) return served(spec, o);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: o.metadata?.name, group: spec.group, kind: spec.plural, uid: o.metadata?.uid } };
}

function deleteOptions(r: ApiRequest): Record<string, unknown> {
  if (r.body.length === 0) return {};
  const b = decodeBody(r);
  if (!isPlainObject(b)) throw badRequest('DeleteOptions must be an object');
  return b;
}

/** Deletes one stored object (shared by DELETE and deletecollection). */
async function deleteOne(ctx: Ctx, r: ApiRequest, old: KObject, opts: Record<string, unknown>, dryRun: boolean): Promise<ApiResponse> {
  const pre = isPlainObject(opts['preconditions']) ? opts['preconditions'] : {};
  const name = old.metadata!.name!;
  if (typeof pre['uid'] === 'string' && pre['uid'] !== old.metadata?.uid) {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${r.spec.plural} "${name}": Precondition failed: UID in precondition: ${pre['uid']}, UID in object meta: ${old.metadata?.uid ?? ''}`, { name, group: r.spec.group, kind: r.spec.plural });
  }
  if (typeof pre['resourceVersion'] === 'string' && pre['resourceVersion'] !== old.metadata?.resourceVersion) {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${r.spec.plural} "${name}": Precondition failed: ResourceVersion in precondition: ${pre['resourceVersion']}, ResourceVersion in object meta: ${old.metadata?.resourceVersion ?? ''}`, { name, group: r.spec.group, kind: r.spec.plural });
  }
  const options = { ...opts, kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1', ...(dryRun ? { dryRun: ['All'] } : {}) };
  const a = attrs({ ...r, name }, 'DELETE', name, undefined, old, dryRun, options);
  await ctx.admission.mutate(a);
  await ctx.admission.validate(a);
  const t = table(r.spec);
  if ((old.metadata?.finalizers ?? []).length > 0) {
    if (old.metadata?.deletionTimestamp) return { status: 200, body: served(r.spec, old) };
    const next = clone(old);
    next.metadata!.deletionTimestamp = nowTimestamp();
    next.metadata!.deletionGracePeriodSeconds = 0;
    if (tracksGeneration(r.spec)) next.metadata!.generation = (old.metadata?.generation ?? 0) + 1;
    if (dryRun) return { status: 200, body: served(r.spec, next) };
    return { status: 200, body: served(r.spec, commitUpdate(ctx, r.spec, old, next)) };
  }
  if (dryRun) return { status: 200, body: deleteStatus(r.spec, old) };
  if (r.spec.group === '' && r.spec.plural === 'namespaces') deleteNamespaceContents(ctx, name);
  const gone = ctx.store.remove(t, old.metadata?.namespace, name);
  return { status: 200, body: deleteStatus(r.spec, gone ?? old) };
}

/** The namespace controller, collapsed: objects without finalizers go now, the others get deletionTimestamp. */
function deleteNamespaceContents(ctx: Ctx, ns: string): void {
  for (const spec of ctx.registry.all()) {
    if (!spec.namespaced || ctx.registry.versionsOf(spec.group, spec.plural)[0] !== spec) continue;
    for (const o of ctx.store.list(table(spec), ns)) {
      if ((o.metadata?.finalizers ?? []).length === 0) ctx.store.remove(table(spec), ns, o.metadata!.name!);
      else if (!o.metadata?.deletionTimestamp) {
        ctx.store.put(table(spec), { ...o, metadata: { ...o.metadata, deletionTimestamp: nowTimestamp(), deletionGracePeriodSeconds: 0 } });
      }
    }
  }
}

export async function deleteObject(ctx: Ctx, r: ApiRequest): Promise<ApiResponse> {
  const opts = deleteOptions(r);
  const dryRun = isDryRun(r.query) || (Array.isArray(opts['dryRun']) && opts['dryRun'].includes('All'));
  return deleteOne(ctx, r, getOr404(ctx, r), opts, dryRun);
}

export async function deleteCollection(ctx: Ctx, r: ApiRequest): Promise<ApiResponse> {
  const opts = deleteOptions(r);
  const dryRun = isDryRun(r.query) || (Array.isArray(opts['dryRun']) && opts['dryRun'].includes('All'));
  const filter = compileFilter(r.query.get('labelSelector'), r.query.get('fieldSelector'));
  for (const o of ctx.store.list(table(r.spec), r.namespace)) {
    if (matchesFilter(filter, o)) await deleteOne(ctx, r, o, opts, dryRun);
  }
  return { status: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' } };
}
