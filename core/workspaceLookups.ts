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

/**
 * `facts`, recording every call into `lookups` (Required: a Facts method left out here would read as absent).
 * A class rather than an object of closures: one is made per document analysed, and its methods are shared.
 */
export function recordingFacts(facts: Facts, lookups: Lookup[]): Required<Facts> {
  return new RecordingFacts(facts, lookups);
}

type Args<K extends keyof Facts> = Parameters<NonNullable<Facts[K]>>;
type Result<K extends keyof Facts> = ReturnType<NonNullable<Facts[K]>>;

class RecordingFacts implements Required<Facts> {
  constructor(
    private readonly facts: Facts,
    private readonly lookups: Lookup[],
  ) {}

  private one<T>(kind: FactKind, method: keyof Facts, args: string[], key: string, value: T): T {
    this.lookups.push({ key: factKey(kind, key), method, args, value });
    return value;
  }

  private keyed<T>(key: string, method: keyof Facts, args: string[], value: T): T {
    this.lookups.push({ key, method, args, value });
    return value;
  }

  volumeSnapshot(ns: string, n: string): Result<'volumeSnapshot'> {
    return this.one('VolumeSnapshot', 'volumeSnapshot', [ns, n], `${ns}/${n}`, this.facts.volumeSnapshot(ns, n));
  }
  storageClass(n: string): Result<'storageClass'> {
    return this.one('StorageClass', 'storageClass', [n], n, this.facts.storageClass(n));
  }
  storageClasses(): Result<'storageClasses'> {
    return this.keyed(allClassesKey, 'storageClasses', [], this.facts.storageClasses());
  }
  storageProfile(n: string): Result<'storageProfile'> {
    return this.one('StorageProfile', 'storageProfile', [n], n, this.facts.storageProfile(n));
  }
  cdiConfig(): Result<'cdiConfig'> {
    return this.one('CDIConfig', 'cdiConfig', [], '', this.facts.cdiConfig());
  }
  cdiVersion(): Result<'cdiVersion'> {
    return this.one('CDI', 'cdiVersion', [], '', this.facts.cdiVersion());
  }
  virtualMachineSnapshot(ns: string, n: string): Result<'virtualMachineSnapshot'> {
    return this.one('VirtualMachineSnapshot', 'virtualMachineSnapshot', [ns, n], `${ns}/${n}`, this.facts.virtualMachineSnapshot?.(ns, n));
  }
  virtualMachineSnapshotContent(ns: string, n: string): Result<'virtualMachineSnapshotContent'> {
    const value = this.facts.virtualMachineSnapshotContent?.(ns, n);
    return this.one('VirtualMachineSnapshotContent', 'virtualMachineSnapshotContent', [ns, n], `${ns}/${n}`, value);
  }
  dataSource(ns: string, n: string): Result<'dataSource'> {
    return this.one('DataSource', 'dataSource', [ns, n], `${ns}/${n}`, this.facts.dataSource?.(ns, n));
  }
  volumeSnapshotClass(n: string): Result<'volumeSnapshotClass'> {
    return this.one('VolumeSnapshotClass', 'volumeSnapshotClass', [n], n, this.facts.volumeSnapshotClass?.(n));
  }
  volumeSnapshotClasses(): Result<'volumeSnapshotClasses'> {
    return this.keyed(factKey('VolumeSnapshotClass', '*'), 'volumeSnapshotClasses', [], this.facts.volumeSnapshotClasses?.() ?? []);
  }
  volumeSnapshots(ns: string): Result<'volumeSnapshots'> {
    return this.keyed(listKey('VolumeSnapshot', ns), 'volumeSnapshots', [ns], this.facts.volumeSnapshots?.(ns) ?? []);
  }
  pvcWebhook(): Result<'pvcWebhook'> {
    return this.keyed(clusterOnlyKey('pvcWebhook'), 'pvcWebhook', [], this.facts.pvcWebhook?.());
  }
  liveRender(key: string): Result<'liveRender'> {
    return this.keyed(clusterOnlyKey(`liveRender/${key}`), 'liveRender', [key], this.facts.liveRender?.(key));
  }
  statefulSet(ns: string, n: string): Result<'statefulSet'> {
    return this.one('StatefulSet', 'statefulSet', [ns, n], `${ns}/${n}`, this.facts.statefulSet?.(ns, n));
  }
  statefulSets(ns: string): Result<'statefulSets'> {
    return this.keyed(listKey('StatefulSet', ns), 'statefulSets', [ns], this.facts.statefulSets?.(ns) ?? []);
  }
  podDisruptionBudgets(ns: string): Result<'podDisruptionBudgets'> {
    return this.keyed(listKey('PodDisruptionBudget', ns), 'podDisruptionBudgets', [ns], this.facts.podDisruptionBudgets?.(ns) ?? []);
  }
  // A PVC by name is also a claim object: the same key, so an edit of it in a file re-runs its readers.
  persistentVolumeClaim(ns: string, n: string): Result<'persistentVolumeClaim'> {
    return this.one('PersistentVolumeClaim', 'persistentVolumeClaim', [ns, n], `${ns}/${n}`, this.facts.persistentVolumeClaim?.(ns, n));
  }
  persistentVolume(n: string): Result<'persistentVolume'> {
    return this.one('PersistentVolume', 'persistentVolume', [n], n, this.facts.persistentVolume?.(n));
  }
  volumeUsage(ns: string, pvc: string, pod: string): Result<'volumeUsage'> {
    return this.keyed(clusterOnlyKey(`volumeUsage/${ns}/${pvc}/${pod}`), 'volumeUsage', [ns, pvc, pod], this.facts.volumeUsage?.(ns, pvc, pod));
  }
  serves(...[kind]: Args<'serves'>): Result<'serves'> {
    return this.keyed(clusterOnlyKey(`serves/${kind}`), 'serves', [kind], this.facts.serves?.(kind));
  }
  connectedContext(): Result<'connectedContext'> {
    return this.keyed(clusterOnlyKey('connectedContext'), 'connectedContext', [], this.facts.connectedContext?.());
  }
  claimObject(...[kind, ns, n]: Args<'claimObject'>): Result<'claimObject'> {
    return this.one(kind, 'claimObject', [kind, ns, n], `${ns}/${n}`, this.facts.claimObject?.(kind, ns, n));
  }
  claimObjects(...[kind, ns]: Args<'claimObjects'>): Result<'claimObjects'> {
    return this.keyed(listKey(kind, ns), 'claimObjects', [kind, ns], this.facts.claimObjects?.(kind, ns) ?? []);
  }
}

/** Whether `facts` still answers the recorded call the same way (the same objects). */
export function stillHolds(l: Lookup, facts: Facts): boolean {
  const f = facts[l.method] as ((...args: string[]) => unknown) | undefined;
  const now = f?.apply(facts, l.args);
  if (Array.isArray(now) && Array.isArray(l.value)) return now.length === l.value.length && now.every((x, i) => x === (l.value as unknown[])[i]);
  return now === l.value;
}
