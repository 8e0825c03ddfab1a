/**
 * Where the server gets VolumeSnapshots. The cluster-backed source (clusterSnapshots.ts) is a watch-backed
 * cache with a direct GET on a miss; the in-memory one serves tests and the benchmark.
 */

/** A lookup: the snapshot (undefined when it does not exist) or why it could not be read. */
export type SnapshotLookup = { ok: true; snapshot?: object } | { ok: false; error: string };

export interface SnapshotSource {
  get(namespace: string, name: string): Promise<SnapshotLookup>;
  /** True once the source can answer from a synced cache: what /readyz reports. */
  ready(): boolean;
  close(): void;
}

/** Snapshots held in memory, keyed `namespace/name`; `ready` can be flipped to test readiness. */
export class MemorySnapshotSource implements SnapshotSource {
  private readonly snapshots = new Map<string, object>();
  private isReady: boolean;
  lookups = 0;

  constructor(snapshots: Iterable<object> = [], ready = true) {
    for (const s of snapshots) this.put(s);
    this.isReady = ready;
  }

  put(snapshot: object): void {
    const m = (snapshot as { metadata?: { namespace?: string; name?: string } }).metadata;
    this.snapshots.set(`${m?.namespace ?? ''}/${m?.name ?? ''}`, snapshot);
  }

  setReady(ready: boolean): void {
    this.isReady = ready;
  }

  get(namespace: string, name: string): Promise<SnapshotLookup> {
    this.lookups++;
    return Promise.resolve({ ok: true, snapshot: this.snapshots.get(`${namespace}/${name}`) });
  }

  ready(): boolean {
    return this.isReady;
  }

  close(): void {
    this.snapshots.clear();
  }
}
