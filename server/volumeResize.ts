/**
 * VolumeResize migrations for the editor: every version the VolumeResize cache's watch delivers is kept (the
 * progress timeline is built from them), a `changed` notification per migration (debounced), and the requests of
 * protocol/volumeResize.ts: a migration's progress (grid, timeline, backup ConfigMap, PVC and PV names), the
 * migrations the cache holds, and what a start can choose from.
 */
import type { StorageCaches } from '../cluster/storageCaches.js';
import { VolumeUsageReader } from '../cluster/volumeUsage.js';
import { factFromObject } from '../core/kinds/index.js';
import { backupConfigMapName, BACKUP_KEY, originalPvcName, readVolumeResize, replicaPodName, shownPhase } from '../core/volumeResize/model.js';
import { progressGrid, timeline, type Observation } from '../core/volumeResize/progress.js';
import { suggestedSize } from '../core/volumeResize/validate.js';
import {
  volumeResizeChangedNotification,
  volumeResizeChoicesRequest,
  volumeResizeInDocumentRequest,
  volumeResizeListRequest,
  volumeResizeProgressRequest,
  type ResizeChoiceStatefulSet,
  type VolumeResizeChoicesResult,
  type VolumeResizeInDocumentResult,
  type VolumeResizeListResult,
  type VolumeResizeProgressResult,
  type VolumeResizeRef,
} from '../protocol/volumeResize.js';
import type { ServerContext } from './context.js';
import { guardedRequest } from './operations.js';
import { fileKey } from './uris.js';
import { volumeResizeManifest } from '../core/volumeResize/manifest.js';

/** Versions kept per migration: a long migration's steps, not every status write forever. */
const maxObservations = 500;
const debounceMs = 100;

interface History {
  uid?: string;
  since: number;
  observations: Observation[];
}

/** The versions a watch delivered, per migration, for the caches of the cluster now connected. */
export class ResizeHistory {
  private readonly byKey = new Map<string, History>();
  private caches: StorageCaches | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly changed: (ref: VolumeResizeRef) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Follows these caches (a new cluster: the history starts again). */
  follow(caches: StorageCaches | undefined): void {
    if (caches === this.caches) return;
    this.unsubscribe?.();
    this.byKey.clear();
    this.caches = caches;
    if (!caches) return;
    const cache = caches.get('volumeResizes');
    for (const o of cache?.list() ?? []) this.observe(o, false);
    this.unsubscribe = caches.onChange((name, e) => {
      if (name !== 'volumeResizes') return;
      if (e.type === 'RESYNC') {
        for (const o of caches.get('volumeResizes')?.list() ?? []) this.observe(o, true);
        return;
      }
      if (e.object) this.observe(e.object, true, e.type === 'DELETED');
    });
  }

  get(namespace: string, name: string): History | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  private observe(o: unknown, notify: boolean, deleted = false): void {
    const vr = readVolumeResize(o);
    if (!vr) return;
    const key = `${vr.namespace}/${vr.name}`;
    if (deleted) {
      this.byKey.delete(key);
    } else {
      let h = this.byKey.get(key);
      // Another object of the same name (deleted and created again): its own history.
      if (!h || (h.uid && vr.uid && h.uid !== vr.uid)) this.byKey.set(key, (h = { ...(vr.uid ? { uid: vr.uid } : {}), since: this.now(), observations: [] }));
      const last = h.observations[h.observations.length - 1];
      if (last?.vr.resourceVersion !== vr.resourceVersion || !last) h.observations.push({ at: this.now(), vr });
      if (h.observations.length > maxObservations) h.observations.splice(1, h.observations.length - maxObservations);
    }
    if (notify) this.changed({ namespace: vr.namespace, name: vr.name });
  }

  dispose(): void {
    this.unsubscribe?.();
    this.byKey.clear();
  }
}

export function registerVolumeResize(context: ServerContext): void {
  const { connection } = context;
  const timers = new Map<string, NodeJS.Timeout>();
  const history = new ResizeHistory((ref) => {
    const key = `${ref.namespace}/${ref.name}`;
    if (timers.has(key)) return;
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      void connection.sendNotification(volumeResizeChangedNotification, ref);
    }, debounceMs));
  });
  const follow = () => history.follow(context.cluster()?.caches);
  follow();
  context.onClusterChange(follow);

  const notConnected = { ok: false as const, message: 'No cluster is connected.' };
  const guarded = <T>(what: string, run: () => Promise<T>, failed: (message: string) => T): Promise<T> => guardedRequest(context, what, run, failed);

  connection.onRequest(volumeResizeListRequest, () =>
    guarded<VolumeResizeListResult>('Listing the VolumeResizes', async () => {
      follow();
      const cache = context.cluster()?.caches?.get('volumeResizes');
      if (!cache) return { ok: false, message: context.cluster()?.connection ? 'The cluster does not serve VolumeResizes: the migcontroller operator is not installed.' : notConnected.message };
      const items = cache.list().flatMap((o) => {
        const vr = readVolumeResize(o);
        return vr ? [{ namespace: vr.namespace, name: vr.name, phase: shownPhase(vr), ...(vr.status.message ? { message: vr.status.message } : {}) }] : [];
      });
      return { ok: true, items: items.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)) };
    }, (message) => ({ ok: false, message })),
  );

  connection.onRequest(volumeResizeProgressRequest, (ref) =>
    guarded<VolumeResizeProgressResult>('Reading a migration', async () => {
      follow();
      const live = context.cluster();
      const conn = live?.connection;
      const caches = live?.caches;
      if (!live || !conn || !caches) return notConnected;
      const object = caches.get('volumeResizes')?.get(ref.namespace, ref.name);
      const vr = object ? readVolumeResize(object) : undefined;
      if (!vr) return { ok: false, message: `VolumeResize ${ref.namespace}/${ref.name} is not in the cluster (any more).` };
      const pvcs = caches.get('persistentVolumeClaims');
      const pvc = (ns: string, name: string) => {
        const o = pvcs?.get(ns, name) as { spec?: { volumeName?: string } } | undefined;
        return o ? { ...(o.spec?.volumeName ? { volumeName: o.spec.volumeName } : {}) } : undefined;
      };
      const sts = factFromObject('StatefulSet', caches.get('statefulSets')?.get(vr.namespace, vr.statefulSetName), { kind: 'cluster' });
      const grid = progressGrid(vr, sts?.replicas, pvc);
      const h = history.get(vr.namespace, vr.name);
      const observations = h?.observations.length ? h.observations : [{ at: Date.now(), vr }];
      const cmName = vr.status.backupConfigMapName ?? backupConfigMapName(vr.name);
      const cm = await conn.get('v1', 'ConfigMap', vr.namespace, cmName);
      const backup =
        cm.ok ? { name: cmName, state: 'present' as const, detail: backupDetail(cm.value as { data?: Record<string, unknown>; metadata?: { creationTimestamp?: string } }) }
        : cm.error.kind === 'not-found' ? { name: cmName, state: 'absent' as const, detail: vr.status.backupConfigMapName ? 'deleted' : 'not created yet (the operator backs the StatefulSet up before it first deletes it)' }
        : { name: cmName, state: 'unknown' as const, detail: cm.error.message };
      return {
        ok: true,
        progress: {
          context: conn.context,
          namespace: vr.namespace,
          name: vr.name,
          statefulSet: vr.statefulSetName,
          phase: shownPhase(vr),
          ...(vr.status.message ? { message: vr.status.message } : {}),
          ...(vr.status.currentReplica !== undefined ? { currentReplica: vr.status.currentReplica } : {}),
          ...(vr.status.currentVolume ? { currentVolume: vr.status.currentVolume } : {}),
          ...(vr.status.startTime ? { startTime: vr.status.startTime } : {}),
          ...(vr.status.completionTime ? { completionTime: vr.status.completionTime } : {}),
          volumes: vr.volumes,
          replicas: [...new Set(grid.map((c) => c.replica))].sort((a, b) => a - b),
          grid,
          timeline: timeline(observations, Date.now()),
          watchedSince: new Date(h?.since ?? Date.now()).toISOString(),
          backup,
          failed: vr.status.phase === 'Failed',
        },
      };
    }, (message) => ({ ok: false, message })),
  );

  connection.onRequest(volumeResizeInDocumentRequest, (params) =>
    guarded<VolumeResizeInDocumentResult>('Reading the VolumeResize at the cursor', async () => {
      const all = context.workspace.resources(fileKey(params.uri)).filter((r) => r.kind === 'VolumeResize');
      const here = all.find((r) => r.doc.range.start.line <= params.line && params.line <= r.doc.range.end.line) ?? (all.length === 1 ? all[0] : undefined);
      if (!here) return { ok: false, message: all.length === 0 ? 'This file holds no VolumeResize.' : 'Put the cursor in the VolumeResize to start: this file holds several.' };
      const namespace = here.namespace ?? context.cluster()?.connection?.namespace ?? context.options().settings.defaultNamespace;
      const m = volumeResizeManifest(here, namespace);
      if (!m.name) return { ok: false, message: 'The VolumeResize has no metadata.name.' };
      if (!m.request.statefulSetName || m.request.volumes.length === 0) return { ok: false, message: `VolumeResize ${m.name} names no StatefulSet or no volume.` };
      return { ok: true, name: m.name, namespace: m.request.namespace, statefulSet: m.request.statefulSetName, volumes: [...m.request.volumes] };
    }, (message) => ({ ok: false, message })),
  );

  connection.onRequest(volumeResizeChoicesRequest, (params) =>
    guarded<VolumeResizeChoicesResult>('Listing what a VolumeResize can shrink', async () => {
      const live = context.cluster();
      const conn = live?.connection;
      const caches = live?.caches;
      if (!live || !conn || !caches) return notConnected;
      const ns = params?.namespace || conn.namespace;
      const pvcs = caches.get('persistentVolumeClaims');
      const reader = new VolumeUsageReader(conn);
      const statefulSets: ResizeChoiceStatefulSet[] = [];
      for (const o of (caches.get('statefulSets')?.list(ns) ?? []).slice(0, 100)) {
        const sts = factFromObject('StatefulSet', o, { kind: 'cluster' });
        if (!sts) continue;
        const volumes = [];
        for (const t of sts.volumeClaimTemplates) {
          let most = -1n;
          let why: string | undefined;
          for (let r = 0; r < Math.min(sts.replicas, 20); r++) {
            const name = originalPvcName(t.name, sts.name, r);
            if (!pvcs?.get(ns, name)) continue;
            const u = await reader.read(ns, name, replicaPodName(sts.name, r));
            if (u.state === 'known') most = u.usedBytes > most ? u.usedBytes : most;
            else if (u.state === 'unreadable') why ??= u.reason;
          }
          volumes.push({ name: t.name, ...(t.requestText ? { size: t.requestText } : {}), ...(t.storageClassName ? { storageClass: t.storageClassName } : {}), ...(most >= 0n ? { suggested: suggestedSize(most) } : why ? { usage: why } : {}) });
        }
        statefulSets.push({ namespace: sts.namespace, name: sts.name, replicas: sts.replicas, volumes });
      }
      const storageClasses = (caches.get('storageClasses')?.list() ?? []).flatMap((o) => {
        const sc = factFromObject('StorageClass', o, { kind: 'cluster' });
        return sc ? [{ name: sc.name, ...(sc.volumeBindingMode ? { bindingMode: sc.volumeBindingMode } : {}), isDefault: sc.isDefault }] : [];
      });
      return { ok: true, namespace: ns, statefulSets, storageClasses };
    }, (message) => ({ ok: false, message })),
  );
}

/** What the backup holds, in a line: the StatefulSet, its replicas and claim template sizes. */
function backupDetail(cm: { data?: Record<string, unknown>; metadata?: { creationTimestamp?: string } }): string {
  const json = cm.data && Object.hasOwn(cm.data, BACKUP_KEY) ? cm.data[BACKUP_KEY] : undefined;
  if (typeof json !== 'string') return `no ${BACKUP_KEY} key: the StatefulSet cannot be restored from it`;
  const sts = factFromObject('StatefulSet', (() => { try { return JSON.parse(json) as unknown; } catch { return undefined; } })(), { kind: 'cluster' });
  if (!sts) return `${BACKUP_KEY} does not hold a StatefulSet`;
  const sizes = sts.volumeClaimTemplates.map((t) => `${t.name} ${t.requestText ?? '?'}`).join(', ');
  return `StatefulSet ${sts.name}, ${sts.replicas} replica${sts.replicas === 1 ? '' : 's'}, claim templates ${sizes || 'none'}${cm.metadata?.creationTimestamp ? `; backed up ${cm.metadata.creationTimestamp}` : ''}`;
}
