/**
 * The caches the tools need, one per kind the registry says to watch (core/kinds/registry.ts), created only
 * for what the cluster serves. Namespaced
 * resources are watched in all namespaces; when the user may not list them cluster-wide (403), the cache
 * falls back to the connection's namespace, as a user of a shared cluster expects.
 */
import { watchResource, type CacheEvent, type ResourceCache, type WatchOptions } from './cache.js';
import type { ClusterConnection } from './connection.js';
import type { Discovery, ResourceSpec } from './discovery.js';
import type { ApiResource, KubeObject } from './paths.js';
import { describeKind, isNamespaced, servedVersions, watchedKinds, type KindDescriptor, type WatchName } from '../core/kinds/index.js';

/** What discovery looks for to watch a kind: its group, served versions (preferred first), plural and scope. */
export function resourceSpec(d: KindDescriptor): ResourceSpec {
  return { group: d.group, versions: servedVersions(d), plural: d.plural, kind: d.kind, namespaced: isNamespaced(d) };
}

/** A kind at its served version, for a direct request (a GET the cache cannot answer). */
export function apiResource(d: KindDescriptor): ApiResource {
  return { group: d.group, version: d.version, plural: d.plural, namespaced: isNamespaced(d), kind: d.kind };
}

/** The name of each cache: the registry's `watch` of the kind it holds (core/kinds/registry.ts). */
export type StorageCacheName = WatchName;

/** The resource of each cache, in the order the caches start: every kind the registry says to watch. */
export const storageResources = Object.fromEntries(watchedKinds.map((d) => [d.watch, resourceSpec(d)])) as Record<StorageCacheName, ResourceSpec>;

export const storageCacheNames: readonly StorageCacheName[] = watchedKinds.map((d) => d.watch);

/** What a cache holds, for messages: `VolumeSnapshots (snapshot.storage.k8s.io)`. */
export function describeCache(name: StorageCacheName): string {
  return describeKind(storageResources[name]);
}

export interface StorageCachesOptions {
  /** Watch namespaced resources in this namespace only (like `-n`); all namespaces by default (`-A`). */
  namespace?: string;
  /** Only these caches (all by default). */
  only?: readonly StorageCacheName[];
  pageSize?: number;
  backoff?: WatchOptions['backoff'];
  /** When a namespaced cache may not list across namespaces (403), watch the connection's namespace instead (true by default). */
  narrowOnForbidden?: boolean;
}

export interface StorageCaches {
  readonly discovery: Discovery;
  /** The cache of a served resource; undefined when the cluster does not serve it (or it was not asked for). */
  get(name: StorageCacheName): ResourceCache<KubeObject> | undefined;
  /** Where a namespaced cache looks: undefined for all namespaces, else the namespace it fell back to. */
  scope(name: StorageCacheName): string | undefined;
  /** Asked-for resources the cluster does not serve. */
  readonly notServed: readonly StorageCacheName[];
  /** Resolves when every cache has settled (see ResourceCache.whenSynced). */
  whenSynced(): Promise<void>;
  /** Every change of every cache. Returns the unsubscribe function. */
  onChange(listener: (name: StorageCacheName, e: CacheEvent<KubeObject>) => void): () => void;
  dispose(): void;
}

type Conn = Pick<ClusterConnection, 'request' | 'stream' | 'namespace'>;

export function startStorageCaches(conn: Conn, discovery: Discovery, opts: StorageCachesOptions = {}): StorageCaches {
  const caches = new Map<StorageCacheName, ResourceCache<KubeObject>>();
  const scopes = new Map<StorageCacheName, string | undefined>();
  const unsubscribe = new Map<StorageCacheName, () => void>();
  const listeners = new Set<(name: StorageCacheName, e: CacheEvent<KubeObject>) => void>();
  const notServed: StorageCacheName[] = [];
  const settling: Promise<void>[] = [];
  let disposed = false;

  const start = (name: StorageCacheName, namespace: string | undefined): ResourceCache<KubeObject> | undefined => {
    const resource = discovery.find(storageResources[name]);
    if (!resource) return undefined;
    const cache = watchResource<KubeObject>(conn, resource, { namespace, pageSize: opts.pageSize, backoff: opts.backoff });
    unsubscribe.get(name)?.();
    caches.set(name, cache);
    scopes.set(name, resource.namespaced ? namespace : undefined);
    unsubscribe.set(name, cache.onChange((e) => {
      for (const l of [...listeners]) l(name, e);
    }));
    return cache;
  };

  for (const name of opts.only ?? storageCacheNames) {
    const cache = start(name, opts.namespace);
    if (!cache) {
      notServed.push(name);
      continue;
    }
    settling.push(
      cache.whenSynced().then(async () => {
        const namespaced = storageResources[name].namespaced;
        if (disposed || !namespaced || opts.namespace !== undefined || opts.narrowOnForbidden === false) return;
        if (cache.state !== 'unavailable' || cache.error?.kind !== 'forbidden') return;
        // May not list across namespaces: follow the connection's namespace instead.
        cache.dispose();
        const narrowed = start(name, conn.namespace);
        await narrowed?.whenSynced();
        for (const l of [...listeners]) l(name, { type: 'RESYNC' });
      }),
    );
  }
  const all = Promise.all(settling).then(() => undefined);

  return {
    discovery,
    notServed,
    get: (name) => caches.get(name),
    scope: (name) => scopes.get(name),
    whenSynced: () => all,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      disposed = true;
      for (const u of unsubscribe.values()) u();
      for (const c of caches.values()) c.dispose();
      listeners.clear();
    },
  };
}
