// PATCH: JSON patch, JSON merge patch, strategic merge patch and server-side apply, on the main
// resource or /status. Concurrent writes during (asynchronous) admission make the patch start over,
// as kube-apiserver's GuaranteedUpdate retries.
import { parse as parseYaml } from 'yaml';
import { applyConfig } from './apply.js';
import { checkNamespace, decodeBody, fieldManager, isBuiltin, isDryRun, servedApiVersion, table, type ApiRequest, type ApiResponse, type Ctx } from './context.js';
import { ApiError, badRequest, conflict, invalid, notFound } from './errors.js';
import { clone, isPlainObject } from './objectMeta.js';
import { applyJsonPatch, decodeJsonPatch, mergePatch } from './patch.js';
import { hasStatus } from './resources.js';
import { strategicMergePatch } from './strategicMerge.js';
import type { KObject } from './types.js';
import { createChecked, updateChecked } from './writes.js';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

function unsupported(builtin: boolean): ApiError {
  const types = [JSON_PATCH, MERGE_PATCH, ...(builtin ? [STRATEGIC] : []), APPLY].join(', ');
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${types}`);
}

function decodeApply(r: ApiRequest): KObject {
  let v: unknown;
  try {
    v = parseYaml(r.body.toString('utf8'));
  } catch (e) {
    throw badRequest(`error decoding YAML: ${(e as Error).message}`);
  }
  if (!isPlainObject(v)) throw badRequest('apply patch must be a YAML or JSON object');
  const obj = v as KObject;
  const want = servedApiVersion(r.spec);
  if (obj.apiVersion !== want || obj.kind !== r.spec.kind) {
    throw badRequest(`the apply configuration's apiVersion/kind (${String(obj.apiVersion)}, ${String(obj.kind)}) do not match the request (${want}, ${r.spec.kind})`);
  }
  const meta = (obj.metadata ??= {});
  if (meta.name !== undefined && meta.name !== r.name) throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${r.name})`);
  if (r.spec.namespaced && meta.namespace && meta.namespace !== r.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.name = r.name;
  // Cluster-scoped objects lose a namespace they were given, as kube's BeforeCreate/BeforeUpdate do.
  if (r.spec.namespaced) meta.namespace = r.namespace;
  else delete meta.namespace;
  return obj;
}

export async function patchObject(ctx: Ctx, r: ApiRequest): Promise<ApiResponse> {
  const type = r.contentType.split(';')[0]!.trim().toLowerCase();
  const builtin = isBuiltin(r.spec);
  if (![JSON_PATCH, MERGE_PATCH, STRATEGIC, APPLY].includes(type)) throw unsupported(builtin);
  const dryRun = isDryRun(r.query);
  const forceText = r.query.get('force');
  const force = forceText === 'true';
  if (forceText !== null && type !== APPLY) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [{ field: 'force', type: 'Forbidden', message: 'may not be specified for non-apply patch' }]);
  }
  if (type === APPLY && !r.query.get('fieldManager')) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [{ field: 'fieldManager', type: 'Required value', message: 'is required for apply patch' }]);
  }
  const manager = fieldManager(r);
  const applied = type === APPLY ? decodeApply(r) : undefined;
  const patch = type === APPLY ? undefined : decodeBody(r);
  const ops = type === JSON_PATCH ? decodeJsonPatch(patch) : undefined;

  for (let attempt = 0; ; attempt++) {
    const old = ctx.store.get(table(r.spec), r.namespace, r.name!);
    if (!old) {
      if (!applied || r.subresource) throw notFound(r.spec.group, r.spec.plural, r.name!);
      const ignoreTop = hasStatus(r.spec) ? ['status'] : [];
      const managed = applyConfig({ live: undefined, config: applied, manager, force, builtin, ignoreTop }).metadata?.managedFields ?? [];
      return createChecked(ctx, r, clone(applied), manager, dryRun, (o) => {
        o.metadata!.managedFields = managed;
      });
    }
    try {
      let candidate: KObject;
      let track: ((o: KObject) => void) | undefined;
      if (applied) {
        const status = r.subresource === 'status';
        const config = status ? { apiVersion: applied.apiVersion, kind: applied.kind, metadata: { name: r.name }, status: applied['status'] } : applied;
        candidate = applyConfig({
          live: old,
          config,
          manager,
          force,
          builtin,
          ...(status ? { subresource: 'status' } : {}),
          ignoreTop: !status && hasStatus(r.spec) ? ['status'] : [],
        });
        const managed = candidate.metadata?.managedFields;
        track = (o) => {
          if (managed) o.metadata!.managedFields = managed;
          else delete o.metadata!.managedFields;
        };
      } else if (ops) candidate = applyJsonPatch(old, ops) as KObject;
      else if (type === MERGE_PATCH) candidate = mergePatch(old, patch) as KObject;
      else candidate = strategicMergePatch(old, patch, builtin) as KObject;
      if (!isPlainObject(candidate) || !isPlainObject(candidate.metadata)) throw badRequest('the patched object is not a valid object');
      const rv = candidate.metadata.resourceVersion;
      if (rv && rv !== old.metadata?.resourceVersion) throw conflict(r.spec.group, r.spec.plural, r.name!);
      if (candidate.metadata.name !== r.name) {
        throw invalid(r.spec.kind, r.spec.group, r.name!, [{ field: 'metadata.name', type: 'Invalid value', value: JSON.stringify(candidate.metadata.name), message: 'field is immutable' }]);
      }
      if (applied && !r.subresource) checkNamespace(ctx, r);
      return await updateChecked(ctx, r, old, candidate, dryRun, track);
    } catch (e) {
      // A write that raced with this one (during admission): recompute from the new state, a few times.
      const raced = e instanceof ApiError && e.reason === 'Conflict' && !e.details?.causes && ctx.store.get(table(r.spec), r.namespace, r.name!)?.metadata?.resourceVersion !== old.metadata?.resourceVersion;
      if (!raced || attempt >= 4) throw e;
    }
  }
}
