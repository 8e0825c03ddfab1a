/**
 * What the explorer reads from one LiveCluster's caches: objects sorted by name, namespaces, and the
 * assessments core makes of them (at-risk PVCs, VM snapshots whose restore will fail), each memoised until a
 * cache it depends on changes, so that expanding nodes of a 10,000-object cluster stays cheap.
 */
import type { ResourceCache } from '../cluster/cache.js';
import type { LiveCluster } from '../cluster/live.js';
import type { KubeObject } from '../cluster/paths.js';
import type { StorageCacheName, StorageCaches } from '../cluster/storageCaches.js';
import { factCaches as clusterFactCaches } from '../cluster/clusterFacts.js';
import type { Facts, VmSnapshotFact } from '../core/facts.js';
import { predictVmRestore, type VolumeRestorePrediction } from '../core/kubevirt/vmRestore.js';
import { factFromObject } from '../core/kinds/index.js';
import { assessRestorePvc, pvcSpecFromObject, type RestorePvcAssessment } from '../core/restorePvcManifest.js';
import type { Settings } from '../core/types.js';
import { WebhookNodeSource } from './explorerWebhook.js';
import { readVolumeResize, type VolumeResizeView } from '../core/volumeResize/model.js';
import { progressGrid, type ProgressCell } from '../core/volumeResize/progress.js';
import { webhookStatus } from '../cluster/ops/webhook/status.js';

/** What changed under the explorer: a cache, or the restore-size webhook's status (explorerWebhook.ts). */
export type ExplorerChange = StorageCacheName | 'webhook';

/** A VM snapshot whose restore core predicts to fail, with the volumes that will. */
export interface VmSnapshotAtRisk {
  snapshot: VmSnapshotFact;
  volumes: VolumeRestorePrediction[];
}

/** A PVC and, when it restores a VolumeSnapshot, core's assessment of it. */
export interface AssessedPvc {
  object: KubeObject;
  assessment?: RestorePvcAssessment;
}

/** The caches whose changes invalidate assessments (facts about snapshots, classes, profiles, CDI, VM snapshots). */
const factCaches: ReadonlySet<StorageCacheName> = new Set(clusterFactCaches);

const byName = (a: KubeObject, b: KubeObject): number => {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

interface Memo<T> {
  stamp: string;
  value: T;
}

/** Reads one LiveCluster's caches for the explorer; `dispose()` unsubscribes. */
export class ExplorerModel {
  /** Changes per cache since this model was created; a memo is valid while the counters it read are unchanged. */
  private readonly versions = new Map<StorageCacheName, number>();
  private readonly memos = new Map<string, Memo<unknown>>();
  private readonly unsubscribe: () => void;
  private memoSettings: string | undefined;
  /** The "Restore-size webhook" node's status, read with the deploy command's own status request. */
  readonly webhook: WebhookNodeSource;

  constructor(
    readonly live: LiveCluster,
    readonly caches: StorageCaches,
    private readonly settings: () => Settings,
    onChange: (name: ExplorerChange) => void,
  ) {
    this.unsubscribe = caches.onChange((name) => {
      this.versions.set(name, (this.versions.get(name) ?? 0) + 1);
      onChange(name);
    });
    this.webhook = new WebhookNodeSource(
      () => (live.connection ? webhookStatus(live.connection, new Date()) : Promise.resolve({ ok: false, message: 'not connected' })),
      () => onChange('webhook'),
    );
  }

  get facts(): Facts {
    return this.live.facts;
  }

  /** The cache of a served resource; undefined when the cluster does not serve it. */
  cache(name: StorageCacheName): ResourceCache<KubeObject> | undefined {
    const cache = this.caches.get(name);
    return cache && cache.state !== 'not-served' ? cache : undefined;
  }

  /** Objects of a cache (one namespace, or all), sorted by name. */
  sorted(name: StorageCacheName, namespace?: string): KubeObject[] {
    return this.memo(`sorted:${name}:${namespace ?? ''}`, [name], () => (this.cache(name)?.list(namespace) ?? []).sort(byName));
  }

  /** The namespaces holding objects of a namespaced cache, sorted, with their object counts. */
  namespaces(name: StorageCacheName): Array<{ namespace: string; count: number }> {
    return this.memo(`namespaces:${name}`, [name], () => {
      const counts = new Map<string, number>();
      for (const o of this.cache(name)?.list() ?? []) {
        const ns = o.metadata?.namespace ?? '';
        counts.set(ns, (counts.get(ns) ?? 0) + 1);
      }
      return [...counts].map(([namespace, count]) => ({ namespace, count })).sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0));
    });
  }

  /** The PVCs of `namespace`, sorted, each assessed by core when it restores a VolumeSnapshot. */
  pvcs(namespace: string): AssessedPvc[] {
    return this.memo(`pvcs:${namespace}`, ['persistentVolumeClaims', ...factCaches], () => {
      const settings = this.settings();
      return this.sorted('persistentVolumeClaims', namespace).map((object): AssessedPvc => {
        const assessment = assessRestorePvc(pvcSpecFromObject(object), this.facts, settings);
        return assessment ? { object, assessment } : { object };
      });
    });
  }

  /** How many PVCs of `namespace` are at risk, by the worst severity. */
  pvcRisks(namespace: string): { errors: number; warnings: number } {
    let errors = 0;
    let warnings = 0;
    for (const p of this.pvcs(namespace)) {
      const severity = p.assessment?.risk?.severity;
      if (severity === 'error') errors++;
      else if (severity !== undefined) warnings++;
    }
    return { errors, warnings };
  }

  /** VM snapshots whose restore will fail (core's `predictVmRestore`), sorted by namespace and name. */
  vmSnapshotsAtRisk(): VmSnapshotAtRisk[] {
    return this.memo('vmSnapshotsAtRisk', [...factCaches], () => {
      const settings = this.settings();
      const out: VmSnapshotAtRisk[] = [];
      for (const { namespace } of this.namespaces('virtualMachineSnapshots')) {
        for (const o of this.sorted('virtualMachineSnapshots', namespace)) {
          const snapshot = factFromObject('VirtualMachineSnapshot', o, { kind: 'cluster', context: this.live.connection?.context });
          if (!snapshot) continue;
          const target = { restoreName: `${snapshot.name}-restore`, namespace: snapshot.namespace, targetVmName: snapshot.vmName, overrides: [] };
          const prediction = predictVmRestore(snapshot.name, target, this.facts, settings);
          const volumes = prediction.ok ? prediction.volumes.filter((v) => v.exceeds) : [];
          if (volumes.length > 0) out.push({ snapshot, volumes });
        }
      }
      return out;
    });
  }

  /** Every VolumeResize the cache holds. */
  volumeResizes(): VolumeResizeView[] {
    return this.memo('volumeResizes', ['volumeResizes'], () => this.sorted('volumeResizes').flatMap((o) => readVolumeResize(o) ?? []));
  }

  /** The replica × volume grid of one migration, with the PVCs' volumes; undefined when it is gone. */
  resizeGrid(namespace: string, name: string): ProgressCell[] | undefined {
    return this.memo(`resizeGrid:${namespace}/${name}`, ['volumeResizes', 'persistentVolumeClaims', 'statefulSets'], () => {
      const vr = readVolumeResize(this.cache('volumeResizes')?.get(namespace, name));
      if (!vr) return undefined;
      const pvcs = this.cache('persistentVolumeClaims');
      const sts = factFromObject('StatefulSet', this.cache('statefulSets')?.get(namespace, vr.statefulSetName), { kind: 'cluster' });
      return progressGrid(vr, sts?.replicas, (ns, n) => {
        const o = pvcs?.get(ns, n) as { spec?: { volumeName?: string } } | undefined;
        return o ? (o.spec?.volumeName ? { volumeName: o.spec.volumeName } : {}) : undefined;
      });
    });
  }

  dispose(): void {
    this.unsubscribe();
    this.webhook.dispose();
    this.memos.clear();
  }

  private memo<T>(key: string, reads: readonly StorageCacheName[], compute: () => T): T {
    // Settings (strict provisioners, the CDI version) change the assessments: other values, new memos. By value:
    // the server may hand out an equal copy on every call.
    const settings = JSON.stringify(this.settings());
    if (settings !== this.memoSettings) {
      this.memos.clear();
      this.memoSettings = settings;
    }
    const stamp = reads.map((name) => `${this.versions.get(name) ?? 0}`).join(',');
    const hit = this.memos.get(key);
    if (hit?.stamp === stamp) return hit.value as T;
    const value = compute();
    this.memos.set(key, { stamp, value });
    return value;
  }
}
