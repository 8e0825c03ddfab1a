/**
 * The facts a document's rules read, recorded while they run: the workspace re-runs them when one of those facts
 * changes (by its dependency key), or checks the records again against a new cluster.
 */
import type { Facts } from './facts.js';
import type { FactKind } from './kinds/index.js';
import { allClassesKey, factKey, listKey } from './workspaceIndex.js';

/** One call a rule made, with what it returned. */
export interface Lookup {
  /** Dependency key (workspaceIndex.ts `factKey`). */
  key: string;
  method: keyof Facts;
  args: string[];
  value: unknown;
}

/** Keys of what only a connected cluster knows: no file contributes them, a new cluster snapshot re-checks them. */
const clusterOnlyKey = (what: string) => `cluster\0${what}`;

/** `facts`, recording every call into `lookups` (Required: a Facts method left out here would read as absent). */
export function recordingFacts(facts: Facts, lookups: Lookup[]): Required<Facts> {
  const one = <K extends FactKind>(kind: K, method: keyof Facts, args: string[], key: string, value: unknown) => {
    lookups.push({ key: factKey(kind, key), method, args, value });
    return value as never;
  };
  return {
    volumeSnapshot: (ns, n) => one('VolumeSnapshot', 'volumeSnapshot', [ns, n], `${ns}/${n}`, facts.volumeSnapshot(ns, n)),
    storageClass: (n) => one('StorageClass', 'storageClass', [n], n, facts.storageClass(n)),
    storageClasses: () => {
      const value = facts.storageClasses();
      lookups.push({ key: allClassesKey, method: 'storageClasses', args: [], value });
      return value;
    },
    storageProfile: (n) => one('StorageProfile', 'storageProfile', [n], n, facts.storageProfile(n)),
    cdiConfig: () => one('CDIConfig', 'cdiConfig', [], '', facts.cdiConfig()),
    cdiVersion: () => one('CDI', 'cdiVersion', [], '', facts.cdiVersion()),
    virtualMachineSnapshot: (ns, n) => one('VirtualMachineSnapshot', 'virtualMachineSnapshot', [ns, n], `${ns}/${n}`, facts.virtualMachineSnapshot?.(ns, n)),
    virtualMachineSnapshotContent: (ns, n) =>
      one('VirtualMachineSnapshotContent', 'virtualMachineSnapshotContent', [ns, n], `${ns}/${n}`, facts.virtualMachineSnapshotContent?.(ns, n)),
    dataSource: (ns, n) => one('DataSource', 'dataSource', [ns, n], `${ns}/${n}`, facts.dataSource?.(ns, n)),
    volumeSnapshotClass: (n) => one('VolumeSnapshotClass', 'volumeSnapshotClass', [n], n, facts.volumeSnapshotClass?.(n)),
    volumeSnapshotClasses: () => {
      const value = facts.volumeSnapshotClasses?.() ?? [];
      lookups.push({ key: factKey('VolumeSnapshotClass', '*'), method: 'volumeSnapshotClasses', args: [], value });
      return value;
    },
    volumeSnapshots: (ns) => {
      const value = facts.volumeSnapshots?.(ns) ?? [];
      lookups.push({ key: listKey('VolumeSnapshot', ns), method: 'volumeSnapshots', args: [ns], value });
      return value;
    },
    pvcWebhook: () => {
      const value = facts.pvcWebhook?.();
      lookups.push({ key: clusterOnlyKey('pvcWebhook'), method: 'pvcWebhook', args: [], value });
      return value;
    },
    liveRender: (key) => {
      const value = facts.liveRender?.(key);
      lookups.push({ key: clusterOnlyKey(`liveRender/${key}`), method: 'liveRender', args: [key], value });
      return value;
    },
    statefulSet: (ns, n) => one('StatefulSet', 'statefulSet', [ns, n], `${ns}/${n}`, facts.statefulSet?.(ns, n)),
    statefulSets: (ns) => {
      const value = facts.statefulSets?.(ns) ?? [];
      lookups.push({ key: listKey('StatefulSet', ns), method: 'statefulSets', args: [ns], value });
      return value;
    },
    podDisruptionBudgets: (ns) => {
      const value = facts.podDisruptionBudgets?.(ns) ?? [];
      lookups.push({ key: listKey('PodDisruptionBudget', ns), method: 'podDisruptionBudgets', args: [ns], value });
      return value;
    },
    // A PVC by name is also a claim object: the same key, so an edit of it in a file re-runs its readers.
    persistentVolumeClaim: (ns, n) => one('PersistentVolumeClaim', 'persistentVolumeClaim', [ns, n], `${ns}/${n}`, facts.persistentVolumeClaim?.(ns, n)),
    persistentVolume: (n) => one('PersistentVolume', 'persistentVolume', [n], n, facts.persistentVolume?.(n)),
    volumeUsage: (ns, pvc, pod) => {
      const value = facts.volumeUsage?.(ns, pvc, pod);
      lookups.push({ key: clusterOnlyKey(`volumeUsage/${ns}/${pvc}/${pod}`), method: 'volumeUsage', args: [ns, pvc, pod], value });
      return value;
    },
    serves: (kind) => {
      const value = facts.serves?.(kind);
      lookups.push({ key: clusterOnlyKey(`serves/${kind}`), method: 'serves', args: [kind], value });
      return value;
    },
    connectedContext: () => {
      const value = facts.connectedContext?.();
      lookups.push({ key: clusterOnlyKey('connectedContext'), method: 'connectedContext', args: [], value });
      return value;
    },
    claimObject: (kind, ns, n) => one(kind, 'claimObject', [kind, ns, n], `${ns}/${n}`, facts.claimObject?.(kind, ns, n)),
    claimObjects: (kind, ns) => {
      const value = facts.claimObjects?.(kind, ns) ?? [];
      lookups.push({ key: listKey(kind, ns), method: 'claimObjects', args: [kind, ns], value });
      return value;
    },
  };
}

/** Whether `facts` still answers the recorded call the same way (the same objects). */
export function stillHolds(l: Lookup, facts: Facts): boolean {
  const f = facts[l.method] as ((...args: string[]) => unknown) | undefined;
  const now = f?.apply(facts, l.args);
  if (Array.isArray(now) && Array.isArray(l.value)) return now.length === l.value.length && now.every((x, i) => x === (l.value as unknown[])[i]);
  return now === l.value;
}
