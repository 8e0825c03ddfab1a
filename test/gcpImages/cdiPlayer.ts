/**
 * CDI's part, played against the emulator (which runs no controllers): the StorageProfile controller (a
 * profile per PD StorageClass, its effective claim property sets and snapshot class in status, and on CDI v1.65+
 * the golden-image annotations), and, when a test asks, the DataImportCrons' re-import of their golden images.
 * Mirrors storageprofile-controller.go's reconcile (status from spec, else the capabilities table; the
 * snapshot class from spec, else the driver's default, else the first by name) and
 * reconcileSnapshotClassForDataImportCron (an images class of the driver, a default-annotated one first).
 */
import type { Emulator } from '../emulator/index.js';
import { CRON_LABEL, cronSnapshot, PD } from './platforms.js';

type Obj = Record<string, any>;

const SC = 'storage.k8s.io/v1';
const VSC = 'snapshot.storage.k8s.io/v1';
const CDI = 'cdi.kubevirt.io/v1beta1';
const SNAPSHOT_CLASS_FOR_CRON = 'cdi.kubevirt.io/snapshotClassForDataImportCron';
const RWO_FOR_CRON = 'cdi.kubevirt.io/useReadWriteOnceForDataImportCron';

function capabilities(sc: Obj): Obj[] {
  const hyper = ['hyperdisk-balanced', 'hyperdisk-balanced-high-availability'].includes(sc.parameters?.type);
  return [...(hyper ? [{ accessModes: ['ReadWriteMany'], volumeMode: 'Block' }] : []), { accessModes: ['ReadWriteOnce'], volumeMode: 'Block' }, { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }];
}

const byName = (a: Obj, b: Obj): number => (a.metadata.name < b.metadata.name ? -1 : 1);
const isDefault = (v: Obj): boolean => v.metadata.annotations?.['snapshot.storage.kubernetes.io/is-default-class'] === 'true';

export interface CdiPlayer {
  stop(): void;
  /** Each DataImportCron in `namespace` imports its image again: its old snapshots go, a new one on `vsc` appears. */
  reimport(namespace: string, vsc: string): void;
}

export function playCdi(emu: Emulator, opts: { automatic: boolean }): CdiPlayer {
  let stopped = false;
  const reconcile = (): void => {
    // Only the PD classes: other tests' profiles on the same emulator stay as they seeded them.
    const classes = (emu.store.list(SC, 'StorageClass') as Obj[]).filter((sc) => sc.provisioner === PD);
    const vscs = (emu.store.list(VSC, 'VolumeSnapshotClass') as Obj[]).sort(byName);
    const profiles = emu.store.list(CDI, 'StorageProfile') as Obj[];
    for (const sc of classes) {
      let p = profiles.find((x) => x.metadata.name === sc.metadata.name);
      if (!p) p = emu.store.create({ apiVersion: CDI, kind: 'StorageProfile', metadata: { name: sc.metadata.name }, spec: {} }) as Obj;
      const mine = vscs.filter((v) => v.driver === sc.provisioner);
      const status = {
        storageClass: sc.metadata.name,
        provisioner: sc.provisioner,
        claimPropertySets: p.spec?.claimPropertySets ?? capabilities(sc),
        snapshotClass: p.spec?.snapshotClass ?? (mine.find(isDefault) ?? mine[0])?.metadata.name,
      };
      if (JSON.stringify({ ...p.status, ...status }) !== JSON.stringify(p.status ?? {})) p = emu.store.patchStatus(CDI, 'StorageProfile', undefined, sc.metadata.name, status) as Obj;
      if (!opts.automatic) continue;
      const images = mine.filter((v) => v.parameters?.['snapshot-type'] === 'images');
      const chosen = (images.find(isDefault) ?? images[0])?.metadata.name;
      const annotations = { ...(p.metadata.annotations ?? {}) };
      if (annotations[RWO_FOR_CRON] === undefined) annotations[RWO_FOR_CRON] = 'true';
      if (chosen) annotations[SNAPSHOT_CLASS_FOR_CRON] = chosen;
      else delete annotations[SNAPSHOT_CLASS_FOR_CRON];
      if (JSON.stringify(annotations) !== JSON.stringify(p.metadata.annotations ?? {})) emu.store.update({ ...p, metadata: { ...p.metadata, annotations } });
    }
    const all = emu.store.list(SC, 'StorageClass') as Obj[];
    for (const p of profiles) if (p.status?.provisioner === PD && !all.some((sc) => sc.metadata.name === p.metadata.name)) emu.store.delete(CDI, 'StorageProfile', undefined, p.metadata.name);
  };
  const tick = (): void => {
    if (stopped) return;
    reconcile();
    setTimeout(tick, 5);
  };
  tick();
  let n = 0;
  return {
    stop: () => void (stopped = true),
    reimport(namespace, vsc) {
      for (const cron of emu.store.list(CDI, 'DataImportCron', namespace) as Obj[]) {
        for (const s of emu.store.list(VSC, 'VolumeSnapshot', namespace) as Obj[]) if (s.metadata.labels?.[CRON_LABEL] === cron.metadata.name) emu.store.delete(VSC, 'VolumeSnapshot', namespace, s.metadata.name);
        emu.store.create(cronSnapshot(namespace, cron.metadata.name, `${cron.spec.managedDataSource}-reimported${++n}`, vsc));
      }
    },
  };
}
