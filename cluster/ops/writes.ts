/**
 * One write of a plan against the API server, for real or as a server-side dry run (`dryRun=All`: validated,
 * defaulted and admitted, webhooks included, stored nowhere): server-side apply, create, JSON or merge patch,
 * delete with preconditions, and listing what a label selector selects.
 */
import type { KubeObject as PlanObject, ObjectRef } from '../../core/ops/types.js';
import type { ClusterConnection } from '../connection.js';
import { fail, ok, parseJson, type Result } from '../errors.js';
import { collectionPath, describe, objectPath, type ApiResource, type KubeObject } from '../paths.js';

/** The one field manager of everything the tools write. */
export const FIELD_MANAGER = 'kubevirt-storage-tools';

type Conn = Pick<ClusterConnection, 'request' | 'resource' | 'namespace'>;

interface Located {
  resource: ApiResource;
  namespace?: string;
}

async function locate(conn: Conn, ref: { apiVersion: string; kind: string; namespace?: string }): Promise<Result<Located>> {
  const r = await conn.resource(ref.apiVersion, ref.kind);
  if (!r.ok) return r;
  return ok({ resource: r.value, ...(r.value.namespaced ? { namespace: ref.namespace ?? conn.namespace } : {}) });
}

const refOfObject = (o: PlanObject) => ({ apiVersion: o.apiVersion, kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) });

const query = (dryRun: boolean, extra: Record<string, string | boolean | undefined> = {}) => ({ fieldManager: FIELD_MANAGER, ...(dryRun ? { dryRun: 'All' } : {}), ...extra });

/** The live object, or undefined when it does not exist. */
export async function readObject(conn: Conn, ref: ObjectRef): Promise<Result<KubeObject | undefined>> {
  const at = await locate(conn, ref);
  if (!at.ok) return at.error.kind === 'not-found' ? ok(undefined) : at;
  const what = describe('get', at.value.resource, at.value.namespace, ref.name);
  const res = await conn.request({ method: 'GET', path: objectPath(at.value.resource, at.value.namespace, ref.name), what });
  if (!res.ok) return res.error.kind === 'not-found' ? ok(undefined) : res;
  return parseJson<KubeObject>(res.value.text, what);
}

export async function applyObject(conn: Conn, o: PlanObject, dryRun: boolean, force = false): Promise<Result<KubeObject>> {
  const name = o.metadata.name;
  if (!name) return fail('invalid', `${o.kind}: server-side apply needs metadata.name`);
  const at = await locate(conn, refOfObject(o));
  if (!at.ok) return at;
  const { resource, namespace } = at.value;
  const body = { ...o, metadata: { ...o.metadata, ...(namespace ? { namespace } : {}) } };
  const what = describe(dryRun ? 'apply (dry run)' : 'apply', resource, namespace, name);
  const send = (forced: boolean) =>
    conn.request({
      method: 'PATCH',
      path: objectPath(resource, namespace, name),
      query: query(dryRun, { force: forced ? 'true' : undefined }),
      body: JSON.stringify(body),
      contentType: 'application/apply-patch+yaml',
      what,
    });
  let res = await send(force);
  // Fields the tools themselves last wrote with a plain update (an undo restores fields that way) are theirs to take back.
  if (!res.ok && !force && res.error.kind === 'conflict' && ownConflict(res.error.message)) res = await send(true);
  return res.ok ? parseJson<KubeObject>(res.value.text, what) : res;
}

/** Whether every manager an apply conflicts with is the tools' own. */
function ownConflict(message: string): boolean {
  const managers = [...message.matchAll(/conflicts? with "([^"]+)"/g)].map((m) => m[1] ?? '');
  return managers.length > 0 && managers.every((m) => m === FIELD_MANAGER);
}

export async function createObject(conn: Conn, o: PlanObject, dryRun: boolean): Promise<Result<KubeObject>> {
  const at = await locate(conn, refOfObject(o));
  if (!at.ok) return at;
  const { resource, namespace } = at.value;
  const body = { ...o, metadata: { ...o.metadata, ...(namespace ? { namespace } : {}) } };
  const what = describe(dryRun ? 'create (dry run)' : 'create', resource, namespace, o.metadata.name ?? `${o.metadata.generateName ?? ''}…`);
  const res = await conn.request({ method: 'POST', path: collectionPath(resource, namespace), query: query(dryRun), body: JSON.stringify(body), what });
  return res.ok ? parseJson<KubeObject>(res.value.text, what) : res;
}

export async function patchObject(conn: Conn, ref: ObjectRef, patchType: 'json' | 'merge', patch: unknown, dryRun: boolean): Promise<Result<KubeObject>> {
  const at = await locate(conn, ref);
  if (!at.ok) return at;
  const { resource, namespace } = at.value;
  const what = describe(dryRun ? 'patch (dry run)' : 'patch', resource, namespace, ref.name);
  const res = await conn.request({
    method: 'PATCH',
    path: objectPath(resource, namespace, ref.name),
    query: query(dryRun),
    body: JSON.stringify(patch),
    contentType: patchType === 'json' ? 'application/json-patch+json' : 'application/merge-patch+json',
    what,
  });
  return res.ok ? parseJson<KubeObject>(res.value.text, what) : res;
}

export interface DeleteOptions {
  dryRun: boolean;
  /** Only this object: a namesake created since is left alone (409). */
  uid?: string;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

/** Deletes one object; `absent` when it was already gone. */
export async function deleteObject(conn: Conn, ref: ObjectRef, opts: DeleteOptions): Promise<Result<'deleted' | 'absent'>> {
  const at = await locate(conn, ref);
  if (!at.ok) return at.error.kind === 'not-found' ? ok('absent') : at;
  const { resource, namespace } = at.value;
  const what = describe(opts.dryRun ? 'delete (dry run)' : 'delete', resource, namespace, ref.name);
  const body = {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    propagationPolicy: opts.propagationPolicy ?? 'Background',
    ...(opts.dryRun ? { dryRun: ['All'] } : {}),
    ...(opts.uid ? { preconditions: { uid: opts.uid } } : {}),
  };
  const res = await conn.request({
    method: 'DELETE',
    path: objectPath(resource, namespace, ref.name),
    query: { ...(opts.dryRun ? { dryRun: 'All' } : {}), propagationPolicy: body.propagationPolicy },
    body: JSON.stringify(body),
    contentType: 'application/json',
    what,
  });
  if (!res.ok) return res.error.kind === 'not-found' ? ok('absent') : res;
  return ok('deleted');
}

/** Names of what a label selector selects now, sorted. */
export async function selectObjects(conn: Pick<ClusterConnection, 'list'>, apiVersion: string, kind: string, namespace: string | undefined, labelSelector: string): Promise<Result<ObjectRef[]>> {
  const r = await conn.list(apiVersion, kind, namespace, { labelSelector });
  if (!r.ok) return r.error.kind === 'not-found' ? ok([]) : r;
  return ok(
    r.value.items
      .filter((i) => i.metadata?.name)
      .map((i) => ({ apiVersion, kind, ...(i.metadata?.namespace ? { namespace: i.metadata.namespace } : {}), name: i.metadata!.name! }))
      .sort((a, b) => `${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.namespace ?? ''}/${b.name}`)),
  );
}
