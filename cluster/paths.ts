/** API resources, their REST paths and how messages name them. */

/** A served resource: group ('' for the core group), version, plural and scope. */
export interface ApiResource {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  /** The kind, when known (messages, apply). */
  kind?: string;
}

/** Metadata fields the tools read. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: unknown[];
  [key: string]: unknown;
}

/** An API object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function root(r: { group: string; version: string }): string {
  return r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
}

export function groupVersionPath(r: { group: string; version: string }): string {
  return root(r);
}

/** The collection: all namespaces when `namespace` is undefined for a namespaced resource. */
export function collectionPath(r: ApiResource, namespace?: string): string {
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root(r)}${ns}/${r.plural}`;
}

export function objectPath(r: ApiResource, namespace: string | undefined, name: string): string {
  return `${collectionPath(r, r.namespaced ? namespace : undefined)}/${encodeURIComponent(name)}`;
}

/** `volumesnapshots.snapshot.storage.k8s.io`, `persistentvolumeclaims` — as kubectl names resources. */
export function resourceName(r: ApiResource): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** `get volumesnapshots.snapshot.storage.k8s.io "snap" in namespace "vms"` */
export function describe(verb: string, r: ApiResource, namespace?: string, name?: string): string {
  const obj = name !== undefined ? ` ${JSON.stringify(name)}` : '';
  const where = r.namespaced ? (namespace ? ` in namespace ${JSON.stringify(namespace)}` : ' in all namespaces') : '';
  return `${verb} ${resourceName(r)}${obj}${where}`;
}
