/**
 * Facts (core/facts.ts) answered from the storage caches, with change notification for the language server.
 * Facts are read from API objects by each kind's reader in the registry (core/kinds), once per object version
 * (an unchanged object yields the same fact object, which lets core's per-document memo tell "unchanged" cheaply).
 */
import type { KubevirtVersionFact } from '../core/kubevirt/version.js';
import type { ClaimObjectKind, ClusterFactsProvider, FactSource, LiveRenderFact, PdbFact, PvcFact, PvcWebhookFact, SnapshotContentFact, StatefulSetFact, VolumeUsageFact } from '../core/facts.js';
import { claimObjectKinds } from '../core/facts.js';
import { factKinds as registryFactKinds, jsonView, kinds, type FactKind, type FactOf, type KindName, type WatchName } from '../core/kinds/index.js';
import type { KubeObject } from './paths.js';
import { resourceSpec, type StorageCacheName, type StorageCaches } from './storageCaches.js';

/** The kubelet's volume stats, read on demand (cluster/volumeUsage.ts): an answer now, or `pending` and a change later. */
export interface UsageSource {
  lookup(namespace: string, pvc: string, pod: string): VolumeUsageFact;
  /** Called when a reading arrives. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

export type ClusterState = ClusterFactsProvider['state'];

/** A ClusterFactsProvider over live caches. */
export interface ClusterFacts extends ClusterFactsProvider {
  readonly state: ClusterState;
  /** Increases with every change to the facts or to `state`. */
  readonly generation: number;
  /** Called (debounced) after facts or state changed. */
  onDidChange(listener: (generation: number) => void): { dispose(): void };
  /**
   * Called (debounced) after a claim object (a PVC, a DataVolume, a populator source) changed: those change what
   * `claimObject(s)` answer (and `view()` is a new object), but nothing else reads them (the explorer has its own).
   */
  onDidChangeObjects(listener: () => void): { dispose(): void };
  /**
   * A read-only provider that stays the same object while `generation` does, and is a new object after a
   * change: for consumers that memoise on the provider's identity (core's Workspace does).
   */
  view(): ClusterFactsProvider;
  /** Resolves once every cache has settled. */
  whenSynced(): Promise<void>;
  /** Reads volume usage through this source from now on (the kubelets' stats, on demand). */
  attachUsage(usage: UsageSource): void;
  statefulSet(namespace: string, name: string): StatefulSetFact | undefined;
  statefulSets(namespace: string): StatefulSetFact[];
  volumeSnapshotContent(name: string): SnapshotContentFact | undefined;
  persistentVolumeClaim(namespace: string, name: string): PvcFact | undefined;
  podDisruptionBudgets(namespace: string): PdbFact[];
  volumeUsage(namespace: string, pvc: string, pod: string): VolumeUsageFact | undefined;
  serves(kind: KindName): boolean | undefined;
  connectedContext(): string | undefined;
  /** What a GET of CDI's `cdi-api-pvc-mutate` said (cluster/probe.ts): it exists, it does not, or unknown. */
  setPvcWebhook(fact: PvcWebhookFact | undefined): void;
  /** What a list of KubeVirt CRs said of the deployed version (cluster/kubevirtVersion.ts). */
  setKubevirtVersion(fact: KubevirtVersionFact | undefined): void;
  /** Files the cluster's answer to a dry-run create (cluster/probe.ts) under its key; a later one replaces it. */
  recordLiveRender(answer: LiveRenderFact): void;
  /** Every answer filed, in the order asked. */
  liveRenders(): LiveRenderFact[];
  dispose(): void;
}

/** Caches the facts read (and so what `lint --kubeconfig` and the explorer wait on). Their state decides the provider's. */
export const factCaches: readonly StorageCacheName[] = registryFactKinds.flatMap((d) => (d.watch === undefined ? [] : [d.watch as WatchName]));

/** Fact caches the facts stand without (VolumeSnapshotContents): unreadable, they leave the cluster connected. */
export const optionalFactCaches: readonly StorageCacheName[] = registryFactKinds.flatMap((d) => (d.watch === undefined || d.fact?.optional !== true ? [] : [d.watch as WatchName]));

/**
 * PVCs are read one by one (a VolumeResize's replicas), not as a whole: a PVC changes the facts only once a
 * lookup has asked for it, so the thousands of PVCs no rule looks at do not re-check the workspace.
 */
const maxWatchedPvcs = 10_000;
/** Caches of the objects claims name (PVCs, DataVolumes, populator sources): their changes change the facts too. */
export const claimObjectCaches: readonly StorageCacheName[] = claimObjectKinds.map((k) => kinds[k].watch);

export interface ClusterFactsOptions {
  /** Trailing debounce of onDidChange, 50 ms by default; a continuous stream of changes still notifies every `maxWaitMs` (250 ms). */
  debounceMs?: number;
  maxWaitMs?: number;
}

export class CacheFacts implements ClusterFacts {
  generation = 0;
  private caches: StorageCaches | undefined;
  private failure: string | undefined;
  private source: FactSource;
  private readonly listeners = new Set<(generation: number) => void>();
  private readonly memo = new WeakMap<object, unknown>();
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private firstPending: number | undefined;
  private viewMemo: { generation: number; objects: number; view: ClusterFactsProvider } | undefined;
  private objectsGeneration = 0;
  private readonly objectListeners = new Set<() => void>();
  private objectsTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private usage: UsageSource | undefined;
  private readonly lookedUpPvcs = new Set<string>();
  private unsubscribeUsage: (() => void) | undefined;
  /** Learnt by asking, not by watching: dropped when the caches (the cluster) change. */
  private webhook: PvcWebhookFact | undefined;
  private kubevirt: KubevirtVersionFact | undefined;
  private readonly answers = new Map<string, LiveRenderFact>();

  /** `context` names the context in messages until attach() says which one the caches follow. */
  constructor(
    private context: string,
    private readonly opts: ClusterFactsOptions = {},
  ) {
    this.source = { kind: 'cluster', context };
  }

  /** Serves facts from these caches (of `context`) from now on. */
  attach(caches: StorageCaches, context = this.context): void {
    this.unsubscribe?.();
    this.caches = caches;
    this.context = context;
    this.source = { kind: 'cluster', context };
    this.failure = undefined;
    this.webhook = undefined;
    this.answers.clear();
    this.unsubscribe = caches.onChange((name, e) => {
      if (factCaches.includes(name) || e.type === 'RESYNC') this.changed();
      else if (claimObjectCaches.includes(name)) {
        this.objectsChanged();
        // A PVC a VolumeResize check looked up changes the findings, not only the claim objects.
        if (name === 'persistentVolumeClaims' && e.object && this.lookedUpPvcs.has(`${e.object.metadata?.namespace ?? ''}/${e.object.metadata?.name ?? ''}`)) this.changed();
      }
    });
    this.changed();
  }

  /** Volume usage from now on (a reader over the same connection). */
  attachUsage(usage: UsageSource): void {
    this.unsubscribeUsage?.();
    this.usage = usage;
    this.unsubscribeUsage = usage.onChange(() => this.changed());
  }

  /** No caches: the cluster could not be reached or read; `reason` is the status line. */
  fail(reason: string): void {
    this.failure = reason;
    this.changed();
  }

  get state(): ClusterState {
    if (this.failure !== undefined) return { kind: 'unavailable', reason: this.failure };
    const caches = this.caches;
    if (!caches) return { kind: 'unavailable', reason: `connecting to context ${JSON.stringify(this.context)}` };
    let syncing = false;
    for (const name of factCaches) {
      if (optionalFactCaches.includes(name)) continue;
      const c = caches.get(name);
      if (c?.state === 'unavailable') return { kind: 'unavailable', reason: c.error?.message ?? `${name} unavailable` };
      if (c?.state === 'syncing') syncing = true;
    }
    if (syncing) return { kind: 'unavailable', reason: `syncing with context ${JSON.stringify(this.context)}` };
    return { kind: 'connected', context: this.context };
  }

  whenSynced(): Promise<void> {
    return this.caches?.whenSynced() ?? Promise.resolve();
  }

  onDidChange(listener: (generation: number) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  onDidChangeObjects(listener: () => void): { dispose(): void } {
    this.objectListeners.add(listener);
    return { dispose: () => this.objectListeners.delete(listener) };
  }

  /** A claim object changed: a new view, and the object listeners told once the stream goes quiet (at most every maxWaitMs). */
  private objectsChanged(): void {
    if (this.disposed) return;
    this.objectsGeneration++;
    this.objectsTimer ??= setTimeout(() => {
      this.objectsTimer = undefined;
      for (const l of [...this.objectListeners]) l();
    }, this.opts.debounceMs ?? 50);
  }

  private changed(): void {
    if (this.disposed) return;
    this.generation++;
    const now = Date.now();
    this.firstPending ??= now;
    const debounce = this.opts.debounceMs ?? 50;
    const wait = Math.min(debounce, Math.max(0, this.firstPending + (this.opts.maxWaitMs ?? 250) - now));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.firstPending = undefined;
      const g = this.generation;
      for (const l of [...this.listeners]) l(g);
    }, wait);
  }

  /** The fact of an object of `kind`, read once per object version. */
  private fact<K extends FactKind>(kind: K, o: KubeObject | undefined): FactOf<K> | undefined {
    if (!o) return undefined;
    if (this.memo.has(o)) return this.memo.get(o) as FactOf<K> | undefined;
    const d = kinds[kind];
    const f = d.fact.read(jsonView(o), { source: this.source, defaultNamespace: 'default' }) as FactOf<K> | undefined;
    this.memo.set(o, f);
    return f;
  }

  private cache(kind: FactKind) {
    // A fact kind the cluster does not watch (DataSource) is simply not served from here.
    const watch: string | undefined = (kinds[kind] as { watch?: string }).watch;
    const c = watch === undefined ? undefined : this.caches?.get(watch as StorageCacheName);
    return c && c.state !== 'not-served' ? c : undefined;
  }

  /** The fact of the object `namespace/name` (namespace ignored for cluster-scoped kinds). */
  private one<K extends FactKind>(kind: K, namespace: string | undefined, name: string): FactOf<K> | undefined {
    return this.fact(kind, this.cache(kind)?.get(namespace, name));
  }

  /** The facts of every object of `kind` (in `namespace`, when given). */
  private every<K extends FactKind>(kind: K, namespace?: string): FactOf<K>[] {
    const out: FactOf<K>[] = [];
    for (const o of this.cache(kind)?.list(namespace) ?? []) {
      const f = this.fact(kind, o);
      if (f !== undefined) out.push(f);
    }
    return out;
  }

  /** Of a one-per-cluster kind: the object of the preferred name, else the first that yields a fact. */
  private single<K extends 'CDIConfig' | 'CDI'>(kind: K): FactOf<K> | undefined {
    const preferred = (kinds[kind].fact.singleton as { preferredName?: string }).preferredName;
    return (preferred === undefined ? undefined : this.one(kind, undefined, preferred)) ?? this.every(kind)[0];
  }

  volumeSnapshot(namespace: string, name: string) {
    return this.one('VolumeSnapshot', namespace, name);
  }

  volumeSnapshots(namespace: string) {
    return this.every('VolumeSnapshot', namespace);
  }

  storageClass(name: string) {
    return this.one('StorageClass', undefined, name);
  }

  storageClasses() {
    return this.every('StorageClass').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  storageProfile(name: string) {
    return this.one('StorageProfile', undefined, name);
  }

  volumeSnapshotClass(name: string) {
    return this.one('VolumeSnapshotClass', undefined, name);
  }

  volumeSnapshotClasses() {
    return this.every('VolumeSnapshotClass').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The CDIConfig named `config` (CDI keeps exactly one), else any that reports an overhead. */
  cdiConfig() {
    return this.single('CDIConfig');
  }

  /** The observed version of the CDI CR (there is one per cluster). */
  cdiVersion() {
    return this.single('CDI');
  }

  /** A VolumeSnapshotContent; none while its cache is not served or not readable. */
  volumeSnapshotContent(name: string) {
    const c = this.cache('VolumeSnapshotContent');
    return c?.state === 'unavailable' ? undefined : this.fact('VolumeSnapshotContent', c?.get(undefined, name));
  }

  virtualMachineSnapshot(namespace: string, name: string) {
    return this.one('VirtualMachineSnapshot', namespace, name);
  }

  virtualMachineSnapshotContent(namespace: string, name: string) {
    return this.one('VirtualMachineSnapshotContent', namespace, name);
  }

  setPvcWebhook(fact: PvcWebhookFact | undefined): void {
    this.webhook = fact;
    this.changed();
  }

  recordLiveRender(answer: LiveRenderFact): void {
    this.answers.delete(answer.key);
    this.answers.set(answer.key, answer);
    this.changed();
  }

  liveRenders(): LiveRenderFact[] {
    return [...this.answers.values()];
  }

  pvcWebhook(): PvcWebhookFact | undefined {
    return this.webhook;
  }

  setKubevirtVersion(fact: KubevirtVersionFact | undefined): void {
    this.kubevirt = fact;
    this.changed();
  }

  kubevirtVersion(): KubevirtVersionFact | undefined {
    return this.kubevirt;
  }

  liveRender(key: string): LiveRenderFact | undefined {
    return this.answers.get(key);
  }

  claimObject(kind: ClaimObjectKind, namespace: string, name: string) {
    return this.one(kind, namespace, name);
  }

  claimObjects(kind: ClaimObjectKind, namespace: string) {
    return this.every(kind, namespace);
  }

  statefulSet(namespace: string, name: string) {
    return this.one('StatefulSet', namespace, name);
  }

  statefulSets(namespace: string) {
    return this.every('StatefulSet', namespace);
  }

  persistentVolumeClaim(namespace: string, name: string) {
    if (this.lookedUpPvcs.size < maxWatchedPvcs) this.lookedUpPvcs.add(`${namespace}/${name}`);
    return this.one('PersistentVolumeClaim', namespace, name);
  }

  podDisruptionBudgets(namespace: string) {
    return this.every('PodDisruptionBudget', namespace);
  }

  volumeUsage(namespace: string, pvc: string, pod: string): VolumeUsageFact | undefined {
    return this.state.kind === 'connected' ? this.usage?.lookup(namespace, pvc, pod) : undefined;
  }

  /** Whether discovery found the kind; undefined until the caches are attached. */
  serves(kind: KindName): boolean | undefined {
    if (!this.caches || this.failure !== undefined) return undefined;
    return this.caches.discovery.find(resourceSpec(kinds[kind])) !== undefined;
  }

  connectedContext(): string | undefined {
    const s = this.state;
    return s.kind === 'connected' ? s.context : undefined;
  }

  view(): ClusterFactsProvider {
    if (this.viewMemo?.generation === this.generation && this.viewMemo.objects === this.objectsGeneration) return this.viewMemo.view;
    const state = this.state;
    const view: ClusterFactsProvider = {
      state,
      generation: this.generation,
      volumeSnapshot: (ns, n) => this.volumeSnapshot(ns, n),
      volumeSnapshots: (ns) => this.volumeSnapshots(ns),
      storageClass: (n) => this.storageClass(n),
      storageClasses: () => this.storageClasses(),
      storageProfile: (n) => this.storageProfile(n),
      volumeSnapshotClass: (n) => this.volumeSnapshotClass(n),
      volumeSnapshotClasses: () => this.volumeSnapshotClasses(),
      volumeSnapshotContent: (n) => this.volumeSnapshotContent(n),
      cdiConfig: () => this.cdiConfig(),
      cdiVersion: () => this.cdiVersion(),
      virtualMachineSnapshot: (ns, n) => this.virtualMachineSnapshot(ns, n),
      virtualMachineSnapshotContent: (ns, n) => this.virtualMachineSnapshotContent(ns, n),
      pvcWebhook: () => this.pvcWebhook(),
      kubevirtVersion: () => this.kubevirtVersion(),
      liveRender: (key) => this.liveRender(key),
      claimObject: (k, ns, n) => this.claimObject(k, ns, n),
      claimObjects: (k, ns) => this.claimObjects(k, ns),
      statefulSet: (ns, n) => this.statefulSet(ns, n),
      statefulSets: (ns) => this.statefulSets(ns),
      persistentVolumeClaim: (ns, n) => this.persistentVolumeClaim(ns, n),
      podDisruptionBudgets: (ns) => this.podDisruptionBudgets(ns),
      volumeUsage: (ns, pvc, pod) => this.volumeUsage(ns, pvc, pod),
      serves: (kind) => this.serves(kind),
      connectedContext: () => (state.kind === 'connected' ? state.context : undefined),
    };
    this.viewMemo = { generation: this.generation, objects: this.objectsGeneration, view };
    return view;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    clearTimeout(this.objectsTimer);
    this.objectListeners.clear();
    this.unsubscribe?.();
    this.unsubscribeUsage?.();
    this.caches?.dispose();
    this.listeners.clear();
  }
}

/** Facts over caches already started. */
export function clusterFacts(context: string, caches: StorageCaches, opts?: ClusterFactsOptions): ClusterFacts {
  const f = new CacheFacts(context, opts);
  f.attach(caches);
  return f;
}
