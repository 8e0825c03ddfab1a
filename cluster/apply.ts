/**
 * Server-side apply and delete of a plan's objects (e.g. deploying the admission webhook). Objects are
 * applied one at a time, in order, so a Namespace precedes what lives in it; the first failure stops the
 * run and its message says which object failed and how many before it were applied.
 */
import { fail, ok, parseJson, type ClusterError, type Result } from './errors.js';
import type { ClusterConnection } from './connection.js';
import { describe, objectPath, type KubeObject } from './paths.js';

export interface ApplyOptions {
  /** The field manager owning the applied fields (e.g. `kvstorage`). */
  fieldManager: string;
  /** Server-side dry run (`dryRun=All`): validated and admitted, webhooks included, stored nowhere. */
  dryRun?: boolean;
  /** Take over fields another manager owns, as `kubectl apply --server-side --force-conflicts`. */
  force?: boolean;
}

export interface RemoveOptions {
  dryRun?: boolean;
  /** Background by default, as kubectl. */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

export interface Removed {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  outcome: 'deleted' | 'absent';
}

function label(o: KubeObject): string {
  const ns = o.metadata?.namespace ? `${o.metadata.namespace}/` : '';
  return `${o.kind ?? '?'} ${ns}${o.metadata?.name ?? '?'}`;
}

function identify(o: KubeObject): Result<{ apiVersion: string; kind: string; name: string }> {
  const { apiVersion, kind } = o;
  const name = o.metadata?.name;
  if (!apiVersion || !kind || !name) return fail('invalid', `${label(o)}: an object to apply or delete needs apiVersion, kind and metadata.name`);
  return ok({ apiVersion, kind, name });
}

function stopped(err: ClusterError, index: number, total: number, o: KubeObject, verb: string): Result<never> {
  const before = index === 0 ? 'nothing was changed' : `the ${index} object${index === 1 ? '' : 's'} before it ${verb}`;
  return { ok: false, error: { ...err, message: `${label(o)} (object ${index + 1} of ${total}): ${err.message}; ${before}` } };
}

/** Applies each object with server-side apply; returns the server's answers (dry-run: what would be stored). */
export async function applyObjects(conn: ClusterConnection, objects: readonly KubeObject[], opts: ApplyOptions): Promise<Result<KubeObject[]>> {
  const out: KubeObject[] = [];
  const verb = opts.dryRun ? 'passed the dry run' : 'were applied';
  for (const [i, o] of objects.entries()) {
    const id = identify(o);
    if (!id.ok) return stopped(id.error, i, objects.length, o, verb);
    const r = await conn.resource(id.value.apiVersion, id.value.kind);
    if (!r.ok) return stopped(r.error, i, objects.length, o, verb);
    const namespace = r.value.namespaced ? (o.metadata?.namespace ?? conn.namespace) : undefined;
    const body: KubeObject = { ...o, metadata: { ...o.metadata, ...(namespace ? { namespace } : {}) } };
    const res = await conn.request({
      method: 'PATCH',
      path: objectPath(r.value, namespace, id.value.name),
      query: { fieldManager: opts.fieldManager, force: opts.force ? true : undefined, dryRun: opts.dryRun ? 'All' : undefined },
      body: JSON.stringify(body),
      contentType: 'application/apply-patch+yaml',
      what: describe(opts.dryRun ? 'apply (dry run)' : 'apply', r.value, namespace, id.value.name),
    });
    if (!res.ok) return stopped(res.error, i, objects.length, o, verb);
    const answer = parseJson<KubeObject>(res.value.text, 'apply');
    if (!answer.ok) return stopped(answer.error, i, objects.length, o, verb);
    out.push(answer.value);
  }
  return ok(out);
}

/** Deletes each object, last first (the reverse of apply order); one that is already gone is `absent`. */
export async function removeObjects(conn: ClusterConnection, objects: readonly KubeObject[], opts: RemoveOptions): Promise<Result<Removed[]>> {
  const out: Removed[] = [];
  const reversed = [...objects].reverse();
  for (const [i, o] of reversed.entries()) {
    const id = identify(o);
    if (!id.ok) return stopped(id.error, i, reversed.length, o, 'were deleted');
    const r = await conn.resource(id.value.apiVersion, id.value.kind);
    if (!r.ok && r.error.kind === 'not-found') {
      // The kind is not served (its CRD is gone): so is the object.
      out.push({ apiVersion: id.value.apiVersion, kind: id.value.kind, namespace: o.metadata?.namespace, name: id.value.name, outcome: 'absent' });
      continue;
    }
    if (!r.ok) return stopped(r.error, i, reversed.length, o, 'were deleted');
    const namespace = r.value.namespaced ? (o.metadata?.namespace ?? conn.namespace) : undefined;
    const res = await conn.request({
      method: 'DELETE',
      path: objectPath(r.value, namespace, id.value.name),
      query: { propagationPolicy: opts.propagationPolicy ?? 'Background', dryRun: opts.dryRun ? 'All' : undefined },
      what: describe(opts.dryRun ? 'delete (dry run)' : 'delete', r.value, namespace, id.value.name),
    });
    if (!res.ok && res.error.kind !== 'not-found') return stopped(res.error, i, reversed.length, o, 'were deleted');
    out.push({ apiVersion: id.value.apiVersion, kind: id.value.kind, namespace, name: id.value.name, outcome: res.ok ? 'deleted' : 'absent' });
  }
  return ok(out);
}
