/**
 * The facts a document's rules read, recorded while they run: the workspace re-runs them when one of those facts
 * changes (by its dependency key), or checks the records again against a new cluster.
 */
import type { Facts } from './facts.js';
import type { FactKind } from './kinds/index.js';
import { allClassesKey, factKey, listKey } from './workspaceIndex.js';

/**
 * The calls a document's rules made, each once, with what it returned: one flat array per document, a record
 * being the method's name, the value and the method's arguments (`arity` of them). A cold analysis of the bench
 * bundle records 40,000 calls: as objects each with an argument array and a dependency key they were a tenth of
 * what the Workspace keeps for GC to follow; the keys are worked out when they are needed (`lookupKeys`).
 */
export type Lookups = unknown[];

type Method = keyof Facts;

/** Number of arguments of each recorded method (a record's length is 2 + this). */
const arity: Record<Method, 0 | 1 | 2 | 3> = {
  volumeSnapshot: 2,
  storageClass: 1,
  storageClasses: 0,
  storageProfile: 1,
  cdiConfig: 0,
  cdiVersion: 0,
  kubevirtVersion: 0,
  virtualMachineSnapshot: 2,
  virtualMachineSnapshotContent: 2,
  dataSource: 2,
  volumeSnapshotClass: 1,
  volumeSnapshotClasses: 0,
  volumeSnapshotContent: 1,
  volumeSnapshots: 1,
  pvcWebhook: 0,
  liveRender: 1,
  statefulSet: 2,
  statefulSets: 1,
  podDisruptionBudgets: 1,
  persistentVolumeClaim: 2,
  persistentVolume: 1,
  volumeUsage: 3,
  serves: 1,
  connectedContext: 0,
  claimObject: 3,
  claimObjects: 2,
};

/** Keys of what only a connected cluster knows: no file contributes them, a new cluster snapshot re-checks them. */
const clusterOnlyKey = (what: string) => `cluster\0${what}`;

/** The dependency key (workspaceIndex.ts `factKey`) of a recorded call, from its arguments. */
const keyOf: Record<Method, (a: string, b: string, c: string) => string> = {
  volumeSnapshot: (ns, n) => factKey('VolumeSnapshot', `${ns}/${n}`),
  storageClass: (n) => factKey('StorageClass', n),
  storageClasses: () => allClassesKey,
  storageProfile: (n) => factKey('StorageProfile', n),
  cdiConfig: () => factKey('CDIConfig', ''),
  cdiVersion: () => factKey('CDI', ''),
  kubevirtVersion: () => factKey('KubeVirt', ''),
  virtualMachineSnapshot: (ns, n) => factKey('VirtualMachineSnapshot', `${ns}/${n}`),
  virtualMachineSnapshotContent: (ns, n) => factKey('VirtualMachineSnapshotContent', `${ns}/${n}`),
  dataSource: (ns, n) => factKey('DataSource', `${ns}/${n}`),
  volumeSnapshotClass: (n) => factKey('VolumeSnapshotClass', n),
  volumeSnapshotClasses: () => factKey('VolumeSnapshotClass', '*'),
  volumeSnapshotContent: (n) => factKey('VolumeSnapshotContent', n),
  volumeSnapshots: (ns) => listKey('VolumeSnapshot', ns),
  pvcWebhook: () => clusterOnlyKey('pvcWebhook'),
  liveRender: (key) => clusterOnlyKey(`liveRender/${key}`),
  statefulSet: (ns, n) => factKey('StatefulSet', `${ns}/${n}`),
  statefulSets: (ns) => listKey('StatefulSet', ns),
  podDisruptionBudgets: (ns) => listKey('PodDisruptionBudget', ns),
  // A PVC by name is also a claim object: the same key, so an edit of it in a file re-runs its readers.
  persistentVolumeClaim: (ns, n) => factKey('PersistentVolumeClaim', `${ns}/${n}`),
  persistentVolume: (n) => factKey('PersistentVolume', n),
  volumeUsage: (ns, pvc, pod) => clusterOnlyKey(`volumeUsage/${ns}/${pvc}/${pod}`),
  serves: (kind) => clusterOnlyKey(`serves/${kind}`),
  connectedContext: () => clusterOnlyKey('connectedContext'),
  claimObject: (kind, ns, n) => factKey(kind as FactKind, `${ns}/${n}`),
  claimObjects: (kind, ns) => listKey(kind as FactKind, ns),
};

/** Adds the dependency keys of the recorded calls to `into`. */
export function lookupKeys(lookups: Lookups, into: Set<string>): void {
  for (let i = 0; i < lookups.length; ) {
    const m = lookups[i] as Method;
    into.add(keyOf[m](lookups[i + 2] as string, lookups[i + 3] as string, lookups[i + 4] as string));
    i += 2 + arity[m];
  }
}

/** The number of calls recorded. */
export function lookupCount(lookups: Lookups): number {
  let n = 0;
  for (let i = 0; i < lookups.length; n++) i += 2 + arity[lookups[i] as Method];
  return n;
}

/**
 * `facts`, recording every call into `lookups` (Required: a Facts method left out here would read as absent).
 * A class rather than an object of closures: one is made per document analysed, and its methods are shared.
 */
export function recordingFacts(facts: Facts, lookups: Lookups): Required<Facts> {
  return new RecordingFacts(facts, lookups);
}

type Args<K extends keyof Facts> = Parameters<NonNullable<Facts[K]>>;
type Result<K extends keyof Facts> = ReturnType<NonNullable<Facts[K]>>;

/** What `recorded` answers for a call not recorded yet (a recorded value may be undefined). */
const notRecorded: unique symbol = Symbol('not recorded');

class RecordingFacts implements Required<Facts> {
  constructor(
    private readonly facts: Facts,
    private readonly lookups: Lookups,
  ) {}

  /**
   * The value recorded for this call, or `notRecorded`. The facts do not change while a document's rules run: the
   * same call answers the same (or, for a list, the same objects in a new array), so a call made again is answered
   * from the record without asking the facts (the layered facts build a new list with a Set per call of
   * `storageClasses()`; in a cold analysis of the bench bundle 19,000 of 40,000 calls are repeats), and the first
   * answer is the one `lookupsHold` compares with. A list answered again is the same array: no caller may change it.
   */
  private recorded(method: Method, n: 0 | 1 | 2 | 3, a?: string, b?: string, c?: string): unknown {
    const l = this.lookups;
    for (let i = 0; i < l.length; i += 2 + arity[l[i] as Method]) {
      if (l[i] === method && (n < 1 || l[i + 2] === a) && (n < 2 || l[i + 3] === b) && (n < 3 || l[i + 4] === c)) return l[i + 1];
    }
    return notRecorded;
  }

  /** Records a call of `method` with `n` arguments and its value (not recorded yet: see `recorded`). */
  private record<T>(method: Method, value: T, n: 0 | 1 | 2 | 3, a?: string, b?: string, c?: string): T {
    const l = this.lookups;
    l.push(method, value);
    if (n > 0) l.push(a);
    if (n > 1) l.push(b);
    if (n > 2) l.push(c);
    return value;
  }

  volumeSnapshot(ns: string, n: string): Result<'volumeSnapshot'> {
    const v = this.recorded('volumeSnapshot', 2, ns, n);
    return v !== notRecorded ? (v as Result<'volumeSnapshot'>) : this.record('volumeSnapshot', this.facts.volumeSnapshot(ns, n), 2, ns, n);
  }
  storageClass(n: string): Result<'storageClass'> {
    const v = this.recorded('storageClass', 1, n);
    return v !== notRecorded ? (v as Result<'storageClass'>) : this.record('storageClass', this.facts.storageClass(n), 1, n);
  }
  storageClasses(): Result<'storageClasses'> {
    const v = this.recorded('storageClasses', 0);
    return v !== notRecorded ? (v as Result<'storageClasses'>) : this.record('storageClasses', this.facts.storageClasses(), 0);
  }
  storageProfile(n: string): Result<'storageProfile'> {
    const v = this.recorded('storageProfile', 1, n);
    return v !== notRecorded ? (v as Result<'storageProfile'>) : this.record('storageProfile', this.facts.storageProfile(n), 1, n);
  }
  cdiConfig(): Result<'cdiConfig'> {
    const v = this.recorded('cdiConfig', 0);
    return v !== notRecorded ? (v as Result<'cdiConfig'>) : this.record('cdiConfig', this.facts.cdiConfig(), 0);
  }
  cdiVersion(): Result<'cdiVersion'> {
    const v = this.recorded('cdiVersion', 0);
    return v !== notRecorded ? (v as Result<'cdiVersion'>) : this.record('cdiVersion', this.facts.cdiVersion(), 0);
  }
  kubevirtVersion(): Result<'kubevirtVersion'> {
    const v = this.recorded('kubevirtVersion', 0);
    return v !== notRecorded ? (v as Result<'kubevirtVersion'>) : this.record('kubevirtVersion', this.facts.kubevirtVersion?.(), 0);
  }
  virtualMachineSnapshot(ns: string, n: string): Result<'virtualMachineSnapshot'> {
    const v = this.recorded('virtualMachineSnapshot', 2, ns, n);
    return v !== notRecorded ? (v as Result<'virtualMachineSnapshot'>) : this.record('virtualMachineSnapshot', this.facts.virtualMachineSnapshot?.(ns, n), 2, ns, n);
  }
  virtualMachineSnapshotContent(ns: string, n: string): Result<'virtualMachineSnapshotContent'> {
    const v = this.recorded('virtualMachineSnapshotContent', 2, ns, n);
    return v !== notRecorded ? (v as Result<'virtualMachineSnapshotContent'>) : this.record('virtualMachineSnapshotContent', this.facts.virtualMachineSnapshotContent?.(ns, n), 2, ns, n);
  }
  dataSource(ns: string, n: string): Result<'dataSource'> {
    const v = this.recorded('dataSource', 2, ns, n);
    return v !== notRecorded ? (v as Result<'dataSource'>) : this.record('dataSource', this.facts.dataSource?.(ns, n), 2, ns, n);
  }
  volumeSnapshotClass(n: string): Result<'volumeSnapshotClass'> {
    const v = this.recorded('volumeSnapshotClass', 1, n);
    return v !== notRecorded ? (v as Result<'volumeSnapshotClass'>) : this.record('volumeSnapshotClass', this.facts.volumeSnapshotClass?.(n), 1, n);
  }
  volumeSnapshotClasses(): Result<'volumeSnapshotClasses'> {
    const v = this.recorded('volumeSnapshotClasses', 0);
    return v !== notRecorded ? (v as Result<'volumeSnapshotClasses'>) : this.record('volumeSnapshotClasses', this.facts.volumeSnapshotClasses?.() ?? [], 0);
  }
  volumeSnapshotContent(n: string): Result<'volumeSnapshotContent'> {
    const v = this.recorded('volumeSnapshotContent', 1, n);
    return v !== notRecorded ? (v as Result<'volumeSnapshotContent'>) : this.record('volumeSnapshotContent', this.facts.volumeSnapshotContent?.(n), 1, n);
  }
  volumeSnapshots(ns: string): Result<'volumeSnapshots'> {
    const v = this.recorded('volumeSnapshots', 1, ns);
    return v !== notRecorded ? (v as Result<'volumeSnapshots'>) : this.record('volumeSnapshots', this.facts.volumeSnapshots?.(ns) ?? [], 1, ns);
  }
  pvcWebhook(): Result<'pvcWebhook'> {
    const v = this.recorded('pvcWebhook', 0);
    return v !== notRecorded ? (v as Result<'pvcWebhook'>) : this.record('pvcWebhook', this.facts.pvcWebhook?.(), 0);
  }
  liveRender(key: string): Result<'liveRender'> {
    const v = this.recorded('liveRender', 1, key);
    return v !== notRecorded ? (v as Result<'liveRender'>) : this.record('liveRender', this.facts.liveRender?.(key), 1, key);
  }
  statefulSet(ns: string, n: string): Result<'statefulSet'> {
    const v = this.recorded('statefulSet', 2, ns, n);
    return v !== notRecorded ? (v as Result<'statefulSet'>) : this.record('statefulSet', this.facts.statefulSet?.(ns, n), 2, ns, n);
  }
  statefulSets(ns: string): Result<'statefulSets'> {
    const v = this.recorded('statefulSets', 1, ns);
    return v !== notRecorded ? (v as Result<'statefulSets'>) : this.record('statefulSets', this.facts.statefulSets?.(ns) ?? [], 1, ns);
  }
  podDisruptionBudgets(ns: string): Result<'podDisruptionBudgets'> {
    const v = this.recorded('podDisruptionBudgets', 1, ns);
    return v !== notRecorded ? (v as Result<'podDisruptionBudgets'>) : this.record('podDisruptionBudgets', this.facts.podDisruptionBudgets?.(ns) ?? [], 1, ns);
  }
  persistentVolumeClaim(ns: string, n: string): Result<'persistentVolumeClaim'> {
    const v = this.recorded('persistentVolumeClaim', 2, ns, n);
    return v !== notRecorded ? (v as Result<'persistentVolumeClaim'>) : this.record('persistentVolumeClaim', this.facts.persistentVolumeClaim?.(ns, n), 2, ns, n);
  }
  persistentVolume(n: string): Result<'persistentVolume'> {
    const v = this.recorded('persistentVolume', 1, n);
    return v !== notRecorded ? (v as Result<'persistentVolume'>) : this.record('persistentVolume', this.facts.persistentVolume?.(n), 1, n);
  }
  volumeUsage(ns: string, pvc: string, pod: string): Result<'volumeUsage'> {
    const v = this.recorded('volumeUsage', 3, ns, pvc, pod);
    return v !== notRecorded ? (v as Result<'volumeUsage'>) : this.record('volumeUsage', this.facts.volumeUsage?.(ns, pvc, pod), 3, ns, pvc, pod);
  }
  serves(...[kind]: Args<'serves'>): Result<'serves'> {
    const v = this.recorded('serves', 1, kind);
    return v !== notRecorded ? (v as Result<'serves'>) : this.record('serves', this.facts.serves?.(kind), 1, kind);
  }
  connectedContext(): Result<'connectedContext'> {
    const v = this.recorded('connectedContext', 0);
    return v !== notRecorded ? (v as Result<'connectedContext'>) : this.record('connectedContext', this.facts.connectedContext?.(), 0);
  }
  claimObject(...[kind, ns, n]: Args<'claimObject'>): Result<'claimObject'> {
    const v = this.recorded('claimObject', 3, kind, ns, n);
    return v !== notRecorded ? (v as Result<'claimObject'>) : this.record('claimObject', this.facts.claimObject?.(kind, ns, n), 3, kind, ns, n);
  }
  claimObjects(...[kind, ns]: Args<'claimObjects'>): Result<'claimObjects'> {
    const v = this.recorded('claimObjects', 2, kind, ns);
    return v !== notRecorded ? (v as Result<'claimObjects'>) : this.record('claimObjects', this.facts.claimObjects?.(kind, ns) ?? [], 2, kind, ns);
  }
}

/** Whether `facts` still answers every recorded call the same way (the same objects). */
export function lookupsHold(lookups: Lookups, facts: Facts): boolean {
  for (let i = 0; i < lookups.length; ) {
    const m = lookups[i] as Method;
    const n = arity[m];
    const f = facts[m] as ((...args: string[]) => unknown) | undefined;
    const args = lookups.slice(i + 2, i + 2 + n) as string[];
    if (!same(f?.apply(facts, args), lookups[i + 1])) return false;
    i += 2 + n;
  }
  return true;
}

function same(now: unknown, then: unknown): boolean {
  if (Array.isArray(now) && Array.isArray(then)) return now.length === then.length && now.every((x, i) => x === then[i]);
  return now === then;
}
