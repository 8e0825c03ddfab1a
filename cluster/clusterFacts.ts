/**
 * Facts (core/facts.ts) answered from the storage caches, with change notification for the language server.
 * Facts are converted from API objects by core/objectFacts.ts, once per object version (an unchanged object
 * yields the same fact object, which lets core's per-document memo tell "unchanged" cheaply).
 */
import type {
  CdiConfigFact,
  CdiVersionFact,
  ClusterFactsProvider,
  FactSource,
  SnapshotFact,
  StorageClassFact,
  StorageProfileFact,
  VmSnapshotContentFact,
  VmSnapshotFact,
} from '../core/facts.js';
import {
  cdiConfigFactFromObject,
  cdiVersionFactFromObject,
  snapshotFactFromObject,
  storageClassFactFromObject,
  storageProfileFactFromObject,
  vmSnapshotContentFactFromObject,
  vmSnapshotFactFromObject,
} from '../core/objectFacts.js';
import type { KubeObject } from './paths.js';
import type { StorageCacheName, StorageCaches } from './storageCaches.js';

export type ClusterState = ClusterFactsProvider['state'];

/** A ClusterFactsProvider over live caches. */
export interface ClusterFacts extends ClusterFactsProvider {
  readonly state: ClusterState;
  /** Increases with every change to the facts or to `state`. */
  readonly generation: number;
  /** Called (debounced) after facts or state changed. */
  onDidChange(listener: (generation: number) => void): { dispose(): void };
  /**
   * A read-only provider that stays the same object while `generation` does, and is a new object after a
   * change: for consumers that memoise on the provider's identity (core's Workspace does).
   */
  view(): ClusterFactsProvider;
  /** Resolves once every cache has settled. */
  whenSynced(): Promise<void>;
  dispose(): void;
}

/** Caches the facts read (and so what `lint --kubeconfig` and the explorer wait on). Their state decides the provider's. */
export const factCaches: readonly StorageCacheName[] = [
  'volumeSnapshots',
  'storageClasses',
  'storageProfiles',
  'cdiConfigs',
  'cdis',
  'virtualMachineSnapshots',
  'virtualMachineSnapshotContents',
];

export interface ClusterFactsOptions {
  /** Trailing debounce of onDidChange, 50 ms by default; a continuous stream of changes still notifies every `maxWaitMs` (250 ms). */
  debounceMs?: number;
  maxWaitMs?: number;
}

type Convert<F> = (o: unknown, source: FactSource) => F | undefined;

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
  private viewMemo: { generation: number; view: ClusterFactsProvider } | undefined;
  private disposed = false;

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
    this.unsubscribe = caches.onChange((name, e) => {
      if (factCaches.includes(name) || e.type === 'RESYNC') this.changed();
    });
    this.changed();
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

  private fact<F>(o: KubeObject | undefined, convert: Convert<F>): F | undefined {
    if (!o) return undefined;
    if (this.memo.has(o)) return this.memo.get(o) as F | undefined;
    const f = convert(o, this.source);
    this.memo.set(o, f);
    return f;
  }

  private cache(name: StorageCacheName) {
    const c = this.caches?.get(name);
    return c && c.state !== 'not-served' ? c : undefined;
  }

  volumeSnapshot(namespace: string, name: string): SnapshotFact | undefined {
    return this.fact(this.cache('volumeSnapshots')?.get(namespace, name), snapshotFactFromObject);
  }

  storageClass(name: string): StorageClassFact | undefined {
    return this.fact(this.cache('storageClasses')?.get(undefined, name), storageClassFactFromObject);
  }

  storageClasses(): StorageClassFact[] {
    const out: StorageClassFact[] = [];
    for (const o of this.cache('storageClasses')?.list() ?? []) {
      const f = this.fact(o, storageClassFactFromObject);
      if (f) out.push(f);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  storageProfile(name: string): StorageProfileFact | undefined {
    return this.fact(this.cache('storageProfiles')?.get(undefined, name), storageProfileFactFromObject);
  }

  /** The CDIConfig named `config` (CDI keeps exactly one), else any that reports an overhead. */
  cdiConfig(): CdiConfigFact | undefined {
    const c = this.cache('cdiConfigs');
    if (!c) return undefined;
    const named = this.fact(c.get(undefined, 'config'), cdiConfigFactFromObject);
    if (named) return named;
    for (const o of c.list()) {
      const f = this.fact(o, cdiConfigFactFromObject);
      if (f) return f;
    }
    return undefined;
  }

  /** The observed version of the CDI CR (there is one per cluster). */
  cdiVersion(): CdiVersionFact | undefined {
    for (const o of this.cache('cdis')?.list() ?? []) {
      const f = this.fact(o, cdiVersionFactFromObject);
      if (f) return f;
    }
    return undefined;
  }

  virtualMachineSnapshot(namespace: string, name: string): VmSnapshotFact | undefined {
    return this.fact(this.cache('virtualMachineSnapshots')?.get(namespace, name), vmSnapshotFactFromObject);
  }

  virtualMachineSnapshotContent(namespace: string, name: string): VmSnapshotContentFact | undefined {
    return this.fact(this.cache('virtualMachineSnapshotContents')?.get(namespace, name), vmSnapshotContentFactFromObject);
  }

  view(): ClusterFactsProvider {
    if (this.viewMemo?.generation === this.generation) return this.viewMemo.view;
    const state = this.state;
    const view: ClusterFactsProvider = {
      state,
      generation: this.generation,
      volumeSnapshot: (ns, n) => this.volumeSnapshot(ns, n),
      storageClass: (n) => this.storageClass(n),
      storageClasses: () => this.storageClasses(),
      storageProfile: (n) => this.storageProfile(n),
      cdiConfig: () => this.cdiConfig(),
      cdiVersion: () => this.cdiVersion(),
      virtualMachineSnapshot: (ns, n) => this.virtualMachineSnapshot(ns, n),
      virtualMachineSnapshotContent: (ns, n) => this.virtualMachineSnapshotContent(ns, n),
    };
    this.viewMemo = { generation: this.generation, view };
    return view;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
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
