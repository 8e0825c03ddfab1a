/**
 * CDI's part, played against a test cluster (neither the emulator nor the test API server runs controllers):
 * the StorageProfile controller (a profile per PD StorageClass, its effective claim property sets and snapshot
 * class in status, and on CDI v1.65+ the golden-image annotations), and, when a test asks, the DataImportCrons'
 * re-import of their golden images. Mirrors storageprofile-controller.go's reconcile (status from spec, else the
 * capabilities table; the snapshot class from spec, else the driver's default, else the first by name) and
 * reconcileSnapshotClassForDataImportCron (an images class of the driver, a default-annotated one first).
 * Only PD classes: other tests' profiles on the same cluster stay as they seeded them.
 */
import type { ClusterConnection } from '../../cluster/connection.js';
import type { TestTarget } from '../cluster/target.js';
import type { Emulator } from '../emulator/index.js';
import { CRON_LABEL, cronSnapshot, PD } from './platforms.js';

type Obj = Record<string, any>;

const SC = 'storage.k8s.io/v1';
const VSC = 'snapshot.storage.k8s.io/v1';
const CDI = 'cdi.kubevirt.io/v1beta1';
const SNAPSHOT_CLASS_FOR_CRON = 'cdi.kubevirt.io/snapshotClassForDataImportCron';
const RWO_FOR_CRON = 'cdi.kubevirt.io/useReadWriteOnceForDataImportCron';

/** What the player reads and writes: the emulator's store, or a target over the API. */
export interface PlayerStore {
  list(apiVersion: string, kind: string, namespace?: string): Promise<Obj[]>;
  create(o: Obj): Promise<void>;
  /** Writes the annotations of an object read before (the rest of it as read). */
  update(o: Obj): Promise<void>;
  patchStatus(apiVersion: string, kind: string, namespace: string | undefined, name: string, status: object): Promise<void>;
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<void>;
}

export function emulatorStore(emu: Emulator): PlayerStore {
  const s = emu.store;
  return {
    list: async (a, k, ns) => s.list(a, k, ns) as Obj[],
    create: async (o) => void s.create(o),
    update: async (o) => void s.update(o),
    patchStatus: async (a, k, ns, n, st) => void s.patchStatus(a, k, ns, n, st),
    delete: async (a, k, ns, n) => void s.delete(a, k, ns, n),
  };
}

/**
 * Over the API as the target's administrator (the test API server): its seed is a forced server-side apply, so
 * an update applies the annotations alone, leaving every other field to whoever owns it.
 */
export function targetStore(target: TestTarget, conn: ClusterConnection): PlayerStore {
  return {
    async list(a, k, ns) {
      const r = await conn.list<Obj>(a, k, ns);
      if (!r.ok) throw new Error(`list ${k}: ${r.error.message}`);
      return r.value.items;
    },
    create: (o) => target.seed(o as never),
    update: (o) => target.seed({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), annotations: o.metadata.annotations ?? {} } } as never),
    patchStatus: (a, k, ns, n, st) => target.patchStatus(a, k, ns, n, st),
    delete: (a, k, ns, n) => target.remove(a, k, ns, n),
  };
}

function capabilities(sc: Obj): Obj[] {
  const hyper = ['hyperdisk-balanced', 'hyperdisk-balanced-high-availability'].includes(sc.parameters?.type);
  return [...(hyper ? [{ accessModes: ['ReadWriteMany'], volumeMode: 'Block' }] : []), { accessModes: ['ReadWriteOnce'], volumeMode: 'Block' }, { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }];
}

const byName = (a: Obj, b: Obj): number => (a.metadata.name < b.metadata.name ? -1 : 1);
const isDefault = (v: Obj): boolean => v.metadata.annotations?.['snapshot.storage.kubernetes.io/is-default-class'] === 'true';
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export interface CdiPlayer {
  stop(): Promise<void>;
  /** Each DataImportCron of `crons` in `namespace` imports its image again: its old snapshots go, a new one on `vsc` appears. */
  reimport(namespace: string, vsc: string, crons: { name: string; source: string }[]): Promise<void>;
}

async function reconcile(store: PlayerStore, automatic: boolean): Promise<void> {
  const all = await store.list(SC, 'StorageClass');
  const classes = all.filter((sc) => sc.provisioner === PD);
  const vscs = (await store.list(VSC, 'VolumeSnapshotClass')).sort(byName);
  const profiles = await store.list(CDI, 'StorageProfile');
  for (const sc of classes) {
    let p = profiles.find((x) => x.metadata.name === sc.metadata.name);
    if (!p) {
      await store.create({ apiVersion: CDI, kind: 'StorageProfile', metadata: { name: sc.metadata.name }, spec: {} });
      continue; // read again next round
    }
    const mine = vscs.filter((v) => v.driver === sc.provisioner);
    const status = {
      storageClass: sc.metadata.name,
      provisioner: sc.provisioner,
      claimPropertySets: p.spec?.claimPropertySets ?? capabilities(sc),
      snapshotClass: p.spec?.snapshotClass ?? (mine.find(isDefault) ?? mine[0])?.metadata.name,
    };
    if (!same({ ...p.status, ...status }, p.status ?? {})) await store.patchStatus(CDI, 'StorageProfile', undefined, sc.metadata.name, status);
    if (!automatic) continue;
    const images = mine.filter((v) => v.parameters?.['snapshot-type'] === 'images');
    const chosen = (images.find(isDefault) ?? images[0])?.metadata.name;
    const annotations = { ...(p.metadata.annotations ?? {}) };
    if (annotations[RWO_FOR_CRON] === undefined) annotations[RWO_FOR_CRON] = 'true';
    if (chosen) annotations[SNAPSHOT_CLASS_FOR_CRON] = chosen;
    else delete annotations[SNAPSHOT_CLASS_FOR_CRON];
    p = { ...p, metadata: { ...p.metadata, annotations } };
    if (!same(annotations, profiles.find((x) => x.metadata.name === sc.metadata.name)?.metadata.annotations ?? {})) await store.update(p);
  }
  for (const p of profiles) if (p.status?.provisioner === PD && !all.some((sc) => sc.metadata.name === p.metadata.name)) await store.delete(CDI, 'StorageProfile', undefined, p.metadata.name);
}

/** Plays CDI until stopped: a round, then the next `everyMs` later (a controller's loop, not a test's wait). */
export function playCdi(store: PlayerStore, opts: { automatic: boolean; everyMs?: number }): CdiPlayer {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        await reconcile(store, opts.automatic);
      } catch {
        // A conflict with a write of the code under test (or an object gone meanwhile): the next round reads again.
      }
      await new Promise((r) => setTimeout(r, opts.everyMs ?? 5));
    }
  })();
  let n = 0;
  return {
    async stop() {
      stopped = true;
      await loop;
    },
    async reimport(namespace, vsc, crons) {
      const snaps = await store.list(VSC, 'VolumeSnapshot', namespace);
      for (const cron of crons) {
        for (const s of snaps) if (s.metadata.labels?.[CRON_LABEL] === cron.name) await store.delete(VSC, 'VolumeSnapshot', namespace, s.metadata.name);
        await store.create(cronSnapshot(namespace, cron.name, `${cron.source}-reimported${++n}`, vsc));
      }
    },
  };
}

/** The DataImportCrons of a platform's objects in `namespace` (the test API server does not serve the kind). */
export function cronsOf(objects: readonly Record<string, unknown>[], namespace: string): { name: string; source: string }[] {
  return (objects as Obj[]).filter((o) => o.kind === 'DataImportCron' && o.metadata.namespace === namespace).map((o) => ({ name: o.metadata.name, source: o.spec.managedDataSource }));
}
