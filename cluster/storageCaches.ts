/**
 * The caches the tools need, one per resource, created only for what the cluster serves. Namespaced
 * resources are watched in all namespaces; when the user may not list them cluster-wide (403), the cache
 * falls back to the connection's namespace, as a user of a shared cluster expects.
 */
import { watchResource, type CacheEvent, type ResourceCache, type WatchOptions } from './cache.js';
import type { ClusterConnection } from './connection.js';
import type { Discovery, ResourceSpec } from './discovery.js';
import type { KubeObject } from './paths.js';

export const storageResources = {
  volumeSnapshots: { group: 'snapshot.storage.k8s.io', versions: ['v1'], plural: 'volumesnapshots', kind: 'VolumeSnapshot', namespaced: true },
  volumeSnapshotClasses: { group: 'snapshot.storage.k8s.io', versions: ['v1'], plural: 'volumesnapshotclasses', kind: 'VolumeSnapshotClass', namespaced: false },
  volumeSnapshotContents: { group: 'snapshot.storage.k8s.io', versions: ['v1'], plural: 'volumesnapshotcontents', kind: 'VolumeSnapshotContent', namespaced: false },
  storageClasses: { group: 'storage.k8s.io', versions: ['v1'], plural: 'storageclasses', kind: 'StorageClass', namespaced: false },
  storageProfiles: { group: 'cdi.kubevirt.io', versions: ['v1beta1'], plural: 'storageprofiles', kind: 'StorageProfile', namespaced: false },
  cdiConfigs: { group: 'cdi.kubevirt.io', versions: ['v1beta1'], plural: 'cdiconfigs', kind: 'CDIConfig', namespaced: false },
  cdis: { group: 'cdi.kubevirt.io', versions: ['v1beta1'], plural: 'cdis', kind: 'CDI', namespaced: false },
  persistentVolumeClaims: { group: '', versions: ['v1'], plural: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true },
  statefulSets: { group: 'apps', versions: ['v1'], plural: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  virtualMachines: { group: 'kubevirt.io', versions: ['v1'], plural: 'virtualmachines', kind: 'VirtualMachine', namespaced: true },
  virtualMachineSnapshots: { group: 'snapshot.kubevirt.io', versions: ['v1beta1', 'v1alpha1'], plural: 'virtualmachinesnapshots', kind: 'VirtualMachineSnapshot', namespaced: true },
  virtualMachineSnapshotContents: { group: 'snapshot.kubevirt.io', versions: ['v1beta1', 'v1alpha1'], plural: 'virtualmachinesnapshotcontents', kind: 'VirtualMachineSnapshotContent', namespaced: true },
  virtualMachineRestores: { group: 'snapshot.kubevirt.io', versions: ['v1beta1', 'v1alpha1'], plural: 'virtualmachinerestores', kind: 'VirtualMachineRestore', namespaced: true },
} as const satisfies Record<string, ResourceSpec>;

export type StorageCacheName = keyof typeof storageResources;

export const storageCacheNames = Object.keys(storageResources) as StorageCacheName[];

export interface StorageCachesOptions {
  /** Watch namespaced resources in this namespace only (like `-n`); all namespaces by default (`-A`). */
  namespace?: string;
  /** Only these caches (all by default). */
  only?: readonly StorageCacheName[];
  pageSize?: number;
  backoff?: WatchOptions['backoff'];
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
        if (disposed || !namespaced || opts.namespace !== undefined) return;
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
