/**
 * core/doctor's ClusterInventory over the storage caches: the lists the doctor walks, converted to facts
 * through the ClusterFacts (so each object is converted once per version), sorted by namespace and name so
 * that findings come out in the same order on every run.
 */
import type { ClusterInventory, SnapshotClassFact } from '../core/doctor/types.js';
import type { ClusterFactsProvider, SnapshotFact, StorageProfileFact, VmSnapshotFact } from '../core/facts.js';
import { factFromObject } from '../core/kinds/index.js';
import type { KubeObject } from './paths.js';
import type { StorageCacheName, StorageCaches } from './storageCaches.js';

function byKey(a: KubeObject, b: KubeObject): number {
  const ka = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
  const kb = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * The doctor's inventory of `caches`, its facts answered by `facts` (a ClusterFacts over the same caches).
 * A resource the cluster does not serve (or that was not cached) lists as empty; `serves` tells the two apart.
 */
export function clusterInventory(caches: StorageCaches, facts: ClusterFactsProvider): ClusterInventory {
  const objects = (name: StorageCacheName, namespace?: string): KubeObject[] => {
    const cache = caches.get(name);
    if (!cache || cache.state === 'not-served') return [];
    return cache.list(namespace).sort(byKey);
  };
  const each = <F>(list: KubeObject[], get: (namespace: string, name: string) => F | undefined): F[] => {
    const out: F[] = [];
    for (const o of list) {
      const f = o.metadata?.name ? get(o.metadata.namespace ?? '', o.metadata.name) : undefined;
      if (f !== undefined) out.push(f);
    }
    return out;
  };
  return {
    facts,
    storageClasses: () => facts.storageClasses(),
    storageProfiles: (): StorageProfileFact[] => each(objects('storageProfiles'), (_, n) => facts.storageProfile(n)),
    snapshotClasses: (): SnapshotClassFact[] =>
      objects('volumeSnapshotClasses')
        .map((o) => factFromObject('VolumeSnapshotClass', o, { kind: 'cluster' }))
        .filter((c): c is SnapshotClassFact => c !== undefined),
    volumeSnapshots: (namespace?: string): SnapshotFact[] => each(objects('volumeSnapshots', namespace), (ns, n) => facts.volumeSnapshot(ns, n)),
    vmSnapshots: (namespace?: string): VmSnapshotFact[] =>
      each(objects('virtualMachineSnapshots', namespace), (ns, n) => facts.virtualMachineSnapshot?.(ns, n)),
    serves: (group: string) => caches.discovery.served(group),
  };
}
