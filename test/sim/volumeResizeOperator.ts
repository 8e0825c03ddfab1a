// migcontroller's VolumeResize operator, simulated over the emulator's store (mirrors
// internal/controller/volumeresize_controller.go, pvc.go, statefulset.go, migrator.go and validation.go at
// 1ffafc1, facts §2.3): the finalizer, Pending → Validating → Syncing → Completed, per replica × volume the
// temporary PVC, Retain on the old PV, the StatefulSet backed up and orphan-deleted, the pod deleted, the rclone
// migrator pod, the PVC replaced under its original name, the StatefulSet created again; deletion by the
// finalizer. Status is written where the operator writes it, and lost where its `r.Update` overwrites what it held
// in memory, so that a failure leaves what the real one would. Any step can be made to fail or to wait.
import type { CellStatus } from '../../core/volumeResize/model.js';
import type { KubeSim } from './kube.js';
import type { Obj, SimStore } from './store.js';

const API = 'storage.maurice.fr/v1alpha1';
const FINALIZER = 'storage.maurice.fr/finalizer';
const LABEL_MIGRATION = 'storage.maurice.fr/migration-name';
const LABEL_REPLICA = 'storage.maurice.fr/replica';
const LABEL_VOLUME = 'storage.maurice.fr/volume-name';
const ANN_MANAGED_BY = 'storage.maurice.fr/managed-by';
const ANN_STS_DELETED = 'storage.maurice.fr/sts-deleted';
const ANN_STS_BACKUP = 'storage.maurice.fr/sts-backup-cm';

/** The steps a failure or a hold can be set at, in the order the operator reaches them for one replica × volume. */
export const OPERATOR_STEPS = [
  'validate',
  'get-pvc',
  'temp-pvc',
  'retain-old-pv',
  'backup',
  'sts-delete',
  'migrator-create',
  'migrator',
  'replace-retain-new-pv',
  'replace-delete-temp',
  'replace-clear-claimref',
  'replace-delete-original',
  'replace-create-pvc',
  'sts-backup-read',
  'sts-recreate',
] as const;
export type OperatorStep = (typeof OPERATOR_STEPS)[number];

export interface StepSelector {
  step: OperatorStep;
  /** Any namespace when absent. */
  namespace?: string;
  /** Any replica / volume when absent. */
  replica?: number;
  volume?: string;
}

/** A volume status as the operator writes it (the product reads the same shape, core/volumeResize/model.ts). */
type VolumeStatus = CellStatus;

const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

class Failed extends Error {}
/** A hold was reached: the reconcile stops there and is tried again next tick. */
class Held extends Error {}

function bytes(q: unknown): bigint {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(String(q ?? ''));
  if (!m) return -1n;
  return BigInt(m[1]!) * ({ Ki: 1024n, Mi: 1024n ** 2n, Gi: 1024n ** 3n, Ti: 1024n ** 4n }[m[2] as 'Ki'] ?? 1n);
}

export class VolumeResizeOperatorSim {
  private readonly failures: (StepSelector & { message: string })[] = [];
  private readonly holds: (StepSelector & { reached: () => void; promise: Promise<void> })[] = [];
  /** Ticks a migrator pod runs before it exits. */
  copyTicks = 2;
  /** Every step taken, for assertions: `validate`, `temp-pvc 0/data`, … */
  readonly trail: string[] = [];

  constructor(
    private readonly kube: KubeSim,
    private readonly store: SimStore = kube.store,
  ) {
    const previous = kube.behaviour;
    kube.behaviour = (pod) =>
      pod.metadata.labels?.[LABEL_MIGRATION]
        ? { run: 'exit', ticks: this.copyTicks, phase: this.faulted('migrator', Number(pod.metadata.labels[LABEL_REPLICA]), pod.metadata.labels[LABEL_VOLUME]!, pod.metadata.namespace) ? 'Failed' : 'Succeeded' }
        : previous(pod);
    kube.onExit = (pod, phase) => {
      if (phase !== 'Succeeded' || !pod.metadata.labels?.[LABEL_MIGRATION]) return;
      // rclone sync: the new volume holds what the old one held.
      const claim = (vol: string) => (pod.spec?.['volumes'] as { name: string; persistentVolumeClaim?: { claimName: string } }[]).find((v) => v.name === vol)?.persistentVolumeClaim?.claimName;
      const pv = (c: string | undefined) => (c ? (this.store.get('v1', 'PersistentVolumeClaim', pod.metadata.namespace, c)?.spec?.['volumeName'] as string | undefined) : undefined);
      const from = pv(claim('source'));
      const to = pv(claim('dest'));
      if (from && to) kube.usage.set(to, kube.usage.get(from) ?? 0n);
    };
  }

  /** The operator fails at this step (the first time it is reached there), with the API server's refusal in the message. */
  failAt(at: StepSelector, message = 'injected: the API server refused the request (500)'): void {
    this.failures.push({ ...at, message });
  }

  /**
   * The operator waits before this step until `release()`; `reached` resolves when it gets there. The steps of
   * replacing the PVC (`replace-*`) run in one go, as the operator's do: they can fail, not be held.
   */
  hold(at: StepSelector): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    const promise = new Promise<void>((r) => (reached = r));
    const h = { ...at, reached, promise };
    this.holds.push(h);
    return {
      reached: promise,
      // Idempotent: a test may release in a finally as well.
      release: () => {
        const i = this.holds.indexOf(h);
        if (i >= 0) this.holds.splice(i, 1);
      },
    };
  }

  /** The namespace of the VolumeResize being reconciled. */
  private namespace = '';

  private matches(s: StepSelector, step: OperatorStep, replica: number, volume: string): boolean {
    return s.step === step && (s.namespace === undefined || s.namespace === this.namespace) && (s.replica === undefined || s.replica === replica) && (s.volume === undefined || s.volume === volume);
  }

  private faulted(step: OperatorStep, replica: number, volume: string, namespace?: string): boolean {
    const saved = this.namespace;
    if (namespace !== undefined) this.namespace = namespace;
    try {
      return this.failures.some((f) => this.matches(f, step, replica, volume));
    } finally {
      this.namespace = saved;
    }
  }

  /** Before a step: false while held (`holdable`), a Failed thrown for an injected failure, else true. */
  private at(step: OperatorStep, replica: number, volume: string, fail: (message: string) => string, holdable = true): boolean {
    const h = holdable ? this.holds.find((x) => this.matches(x, step, replica, volume)) : undefined;
    if (h) {
      h.reached();
      return false;
    }
    const i = this.failures.findIndex((f) => this.matches(f, step, replica, volume));
    if (i >= 0) {
      const f = this.failures.splice(i, 1)[0]!;
      this.trail.push(`fail ${step} ${replica}/${volume}`);
      throw new Failed(fail(f.message));
    }
    this.trail.push(`${step} ${replica}/${volume}`);
    return true;
  }

  reconcile(): void {
    for (const vr of this.store.list(API, 'VolumeResize')) {
      this.namespace = vr.metadata.namespace ?? '';
      try {
        this.reconcileOne(vr);
      } catch (e) {
        if (e instanceof Held) continue;
        if (!(e instanceof Failed)) throw e;
        this.setFailed(vr.metadata.namespace!, vr.metadata.name, this.local ?? vr, e.message);
      }
      this.local = undefined;
    }
  }

  /** The object as the reconcile holds it in memory (status changes not yet written). */
  private local: Obj | undefined;

  private get(ns: string, name: string): Obj | undefined {
    return this.store.get(API, 'VolumeResize', ns, name);
  }

  /** `r.Status().Update(vr)`: writes the status held in memory. */
  private writeStatus(vr: Obj): void {
    this.store.edit(API, 'VolumeResize', vr.metadata.namespace, vr.metadata.name, (o) => void (o.status = structuredClone(vr.status ?? {})));
  }

  /** `r.Update(vr)`: writes metadata and spec; the answer (the stored object, its status included) replaces what was in memory. */
  private writeObject(vr: Obj): Obj {
    const stored = this.store.edit(API, 'VolumeResize', vr.metadata.namespace, vr.metadata.name, (o) => {
      o.metadata = { ...o.metadata, annotations: vr.metadata.annotations ?? {}, finalizers: vr.metadata.finalizers ?? [] };
    });
    return structuredClone(stored ?? vr);
  }

  private setFailed(ns: string, name: string, vr: Obj, message: string): void {
    if (!this.get(ns, name)) return;
    vr.status = { ...(vr.status ?? {}), phase: 'Failed', message };
    this.writeStatus(vr);
  }

  private reconcileOne(stored: Obj): void {
    const vr: Obj = structuredClone(stored);
    this.local = vr;
    const ns = vr.metadata.namespace!;
    if (vr.metadata.deletionTimestamp) return this.handleDeletion(vr);
    if (!(vr.metadata.finalizers ?? []).includes(FINALIZER)) {
      vr.metadata.finalizers = [...(vr.metadata.finalizers ?? []), FINALIZER];
      this.writeObject(vr);
      return;
    }
    const phase = (vr.status?.['phase'] as string | undefined) ?? '';
    if (phase === '' || phase === 'Pending') {
      vr.status = { ...(vr.status ?? {}), startTime: nowIso(), volumeStatuses: [], phase: 'Validating', message: 'Starting validation' };
      return this.writeStatus(vr);
    }
    if (phase === 'Validating') return this.handleValidating(vr, ns);
    if (phase === 'Syncing') return this.handleSyncing(vr, ns);
    if (phase === 'Replacing') {
      vr.status = { ...vr.status, phase: 'Completed', completionTime: nowIso(), message: 'Migration completed successfully' };
      this.writeStatus(vr);
    }
  }

  private handleValidating(vr: Obj, ns: string): void {
    const stsName = vr.spec?.['statefulSetName'] as string;
    const volumes = (vr.spec?.['volumes'] as { name: string; newSize: string; storageClass?: string }[]) ?? [];
    if (!this.at('validate', 0, volumes[0]?.name ?? '', (m) => m)) return;
    const sts = this.store.get('apps/v1', 'StatefulSet', ns, stsName);
    if (!sts) throw new Failed(`StatefulSet ${stsName} not found: statefulsets.apps "${stsName}" not found`);
    const templates = new Set(((sts.spec?.['volumeClaimTemplates'] as Obj[]) ?? []).map((t) => t.metadata.name));
    for (const v of volumes) if (!templates.has(v.name)) throw new Failed(`volume "${v.name}" not found in StatefulSet volumeClaimTemplates`);
    for (const v of volumes) {
      const pvcName = `${v.name}-${stsName}-0`;
      const pvc = this.store.get('v1', 'PersistentVolumeClaim', ns, pvcName);
      if (!pvc) throw new Failed(`failed to get PVC ${pvcName}: persistentvolumeclaims "${pvcName}" not found`);
      const current = pvc.spec?.['resources']?.requests?.storage as string | undefined;
      if (!current) throw new Failed(`PVC ${pvcName} has no storage request`);
      if (bytes(v.newSize) >= bytes(current)) throw new Failed(`newSize (${v.newSize}) must be smaller than current size (${current}) for volume ${v.name}`);
    }
    const labels = (sts.spec?.['template']?.metadata?.labels as Record<string, string>) ?? {};
    for (const pdb of this.store.list('policy/v1', 'PodDisruptionBudget', ns)) {
      const sel = pdb.spec?.['selector'] as { matchLabels?: Record<string, string> } | undefined;
      if (!sel) continue;
      if (!Object.entries(sel.matchLabels ?? {}).every(([k, x]) => labels[k] === x)) continue;
      const allowed = (pdb.status?.['disruptionsAllowed'] as number | undefined) ?? 0;
      if (allowed < 1) throw new Failed(`PodDisruptionBudget ${pdb.metadata.name} does not allow disruptions (disruptionsAllowed=${allowed})`);
    }
    const replicas = (sts.spec?.['replicas'] as number | undefined) ?? 1;
    const statuses: VolumeStatus[] = [];
    for (let i = 0; i < replicas; i++) for (const v of volumes) statuses.push({ volumeName: v.name, replica: i, phase: 'Pending' });
    vr.status = { ...vr.status, volumeStatuses: statuses, phase: 'Syncing', currentReplica: 0, currentVolume: volumes[0]!.name, message: 'Validation complete, starting sync' };
    this.writeStatus(vr);
  }

  private cell(vr: Obj, volume: string, replica: number): VolumeStatus | undefined {
    return ((vr.status?.['volumeStatuses'] as VolumeStatus[]) ?? []).find((c) => c.volumeName === volume && c.replica === replica);
  }

  private setCell(vr: Obj, volume: string, replica: number, phase: string, message: string, names?: Partial<VolumeStatus>): void {
    const c = this.cell(vr, volume, replica);
    if (!c) return;
    c.phase = phase;
    c.message = message;
    Object.assign(c, names ?? {});
  }

  /** `getNextVolumeReplica`. */
  private next(vr: Obj, replica: number, volume: string): { replica: number; volume: string } | undefined {
    const volumes = (vr.spec?.['volumes'] as { name: string }[]).map((v) => v.name);
    const i = volumes.indexOf(volume);
    if (i + 1 < volumes.length) return { replica, volume: volumes[i + 1]! };
    const max = Math.max(0, ...((vr.status?.['volumeStatuses'] as VolumeStatus[]) ?? []).map((c) => c.replica));
    return replica < max ? { replica: replica + 1, volume: volumes[0]! } : undefined;
  }

  private advance(vr: Obj, replica: number, volume: string): void {
    const n = this.next(vr, replica, volume);
    if (!n) {
      vr.status = { ...vr.status, phase: 'Completed', completionTime: nowIso(), message: 'Migration completed successfully' };
      delete vr.status['currentReplica'];
      delete vr.status['currentVolume'];
    } else vr.status = { ...vr.status, currentReplica: n.replica, currentVolume: n.volume, message: `Migrating replica ${n.replica} volume ${n.volume}` };
    this.writeStatus(vr);
  }

  private handleSyncing(start: Obj, ns: string): void {
    let vr = start;
    const replica = vr.status?.['currentReplica'] as number;
    const volName = vr.status?.['currentVolume'] as string;
    if (this.cell(vr, volName, replica)?.phase === 'Completed') return this.advance(vr, replica, volName);
    const vrName = vr.metadata.name;
    const stsName = vr.spec?.['statefulSetName'] as string;
    const vol = (vr.spec?.['volumes'] as { name: string; newSize: string; storageClass?: string }[]).find((v) => v.name === volName)!;
    const originalName = `${volName}-${stsName}-${replica}`;
    const tempName = `${originalName}-new`;
    const step = (s: OperatorStep, prefix: string) => this.at(s, replica, volName, (m) => `${prefix}: ${m}`);

    if (!step('get-pvc', 'failed to get original PVC')) return;
    const original = this.store.get('v1', 'PersistentVolumeClaim', ns, originalName);
    if (!original) throw new Failed(`failed to get original PVC: persistentvolumeclaims "${originalName}" not found`);

    let temp = this.store.get('v1', 'PersistentVolumeClaim', ns, tempName);
    if (!temp) {
      if (!step('temp-pvc', 'failed to create temp PVC')) return;
      temp = this.store.create({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: tempName, namespace: ns, labels: { [LABEL_MIGRATION]: vrName, [LABEL_REPLICA]: String(replica), [LABEL_VOLUME]: volName }, annotations: { [ANN_MANAGED_BY]: 'volume-resize-operator' } },
        spec: { accessModes: original.spec?.['accessModes'], storageClassName: vol.storageClass ?? original.spec?.['storageClassName'], resources: { requests: { storage: vol.newSize } } },
        status: { phase: 'Pending' },
      });
    }
    const className = temp.spec?.['storageClassName'] as string | undefined;
    const sc = className ? this.store.get('storage.k8s.io/v1', 'StorageClass', undefined, className) : undefined;
    const waitForBinding = !(sc && sc['volumeBindingMode'] === 'WaitForFirstConsumer');
    if (waitForBinding && temp.status?.['phase'] !== 'Bound') return;

    const oldPV = original.spec?.['volumeName'] as string;
    if (!step('retain-old-pv', 'failed to set retain on PV')) return;
    if (!this.store.get('v1', 'PersistentVolume', undefined, oldPV)) throw new Failed(`failed to set retain on PV: failed to get PV ${oldPV}: persistentvolumes "${oldPV}" not found`);
    this.store.edit('v1', 'PersistentVolume', undefined, oldPV, (pv) => void (pv.spec!['persistentVolumeReclaimPolicy'] = 'Retain'));
    this.setCell(vr, volName, replica, 'Syncing', 'Preparing migration', { oldPVCName: originalName, newPVCName: tempName, oldPVName: oldPV });

    if (vr.metadata.annotations?.[ANN_STS_DELETED] !== 'true') {
      const sts = this.store.get('apps/v1', 'StatefulSet', ns, stsName);
      if (sts) {
        const cmName = `${vrName}-sts-backup`;
        if (!step('backup', 'failed to backup STS to ConfigMap')) return;
        if (!this.store.get('v1', 'ConfigMap', ns, cmName)) {
          this.store.create({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: cmName, namespace: ns, labels: { [LABEL_MIGRATION]: vrName }, annotations: { [ANN_MANAGED_BY]: 'volume-resize-operator' } },
            data: { 'statefulset.json': JSON.stringify(sts) },
          });
        }
        if (!step('sts-delete', 'failed to delete STS')) return;
        // propagationPolicy Orphan: the pods keep running (the emulator has no garbage collector anyway).
        this.store.delete('apps/v1', 'StatefulSet', ns, stsName);
        vr.metadata.annotations = { ...(vr.metadata.annotations ?? {}), [ANN_STS_DELETED]: 'true', [ANN_STS_BACKUP]: cmName };
        vr = this.local = this.writeObject(vr);
        vr.status = { ...(vr.status ?? {}), backupConfigMapName: cmName };
        this.writeStatus(vr);
      }
    }

    this.store.delete('v1', 'Pod', ns, `${stsName}-${replica}`);

    const migratorName = `${vrName}-migrator-${replica}-${volName}`;
    let migrator = this.store.get('v1', 'Pod', ns, migratorName);
    if (!migrator) {
      if (!step('migrator-create', 'failed to create migrator pod')) return;
      migrator = this.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: migratorName, namespace: ns, labels: { [LABEL_MIGRATION]: vrName, [LABEL_REPLICA]: String(replica), [LABEL_VOLUME]: volName }, annotations: { [ANN_MANAGED_BY]: 'volume-resize-operator' } },
        spec: {
          restartPolicy: 'Never',
          securityContext: { runAsUser: 0, runAsGroup: 0 },
          containers: [{ name: 'migrator', image: 'mauricethomas/migcontroller-migrator:latest', volumeMounts: [{ name: 'source', mountPath: '/source' }, { name: 'dest', mountPath: '/dest' }] }],
          volumes: [
            { name: 'source', persistentVolumeClaim: { claimName: originalName } },
            { name: 'dest', persistentVolumeClaim: { claimName: tempName } },
          ],
        },
        status: { phase: 'Pending' },
      });
    }
    // A failure here is the copy's: the migrator pod ends Failed (kube.behaviour above) and the operator says so.
    if (this.holds.some((x) => this.matches(x, 'migrator', replica, volName))) {
      this.holds.find((x) => this.matches(x, 'migrator', replica, volName))!.reached();
      return;
    }
    const podPhase = migrator.status?.['phase'];
    if (podPhase === 'Pending' || podPhase === 'Running' || podPhase === undefined) return;
    if (podPhase === 'Failed') {
      const i = this.failures.findIndex((f) => this.matches(f, 'migrator', replica, volName));
      if (i >= 0) this.failures.splice(i, 1);
      this.trail.push(`fail migrator ${replica}/${volName}`);
      throw new Failed('migration pod failed');
    }
    this.trail.push(`migrator ${replica}/${volName}`);
    this.store.delete('v1', 'Pod', ns, migratorName);
    this.setCell(vr, volName, replica, 'Synced', 'Migration complete');

    this.replacePvc(ns, vol, originalName, tempName, replica, volName);
    this.setCell(vr, volName, replica, 'Completed', 'PVC replaced');
    this.writeStatus(vr);

    if (!step('sts-backup-read', 'failed to get STS from backup')) return;
    const cm = this.store.get('v1', 'ConfigMap', ns, `${vrName}-sts-backup`);
    if (!cm) throw new Failed(`failed to get STS from backup: failed to get backup ConfigMap: configmaps "${vrName}-sts-backup" not found`);
    const backup = JSON.parse(cm.data?.['statefulset.json'] ?? '{}') as Obj;
    for (const t of (backup.spec?.['volumeClaimTemplates'] as Obj[]) ?? []) {
      for (const v of vr.spec?.['volumes'] as { name: string; newSize: string; storageClass?: string }[]) {
        if (t.metadata.name !== v.name) continue;
        t.spec = { ...(t.spec ?? {}), resources: { ...(t.spec?.['resources'] ?? {}), requests: { ...(t.spec?.['resources']?.requests ?? {}), storage: v.newSize } } };
        if (v.storageClass) t.spec['storageClassName'] = v.storageClass;
      }
    }
    if (!step('sts-recreate', 'failed to recreate STS')) return;
    if (!this.store.get('apps/v1', 'StatefulSet', ns, stsName)) {
      this.store.create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: stsName, namespace: ns, labels: backup.metadata.labels ?? {}, annotations: backup.metadata.annotations ?? {} }, spec: backup.spec ?? {} });
    }
    const { [ANN_STS_DELETED]: _gone, ...rest } = vr.metadata.annotations ?? {};
    vr.metadata.annotations = rest;
    vr = this.local = this.writeObject(vr);
    const pod = this.store.get('v1', 'Pod', ns, `${stsName}-${replica}`);
    if (!pod || pod.status?.['phase'] !== 'Running') return;
    this.advance(vr, replica, volName);
  }

  /** `replacePVC` (pvc.go). */
  private replacePvc(ns: string, vol: { newSize: string }, originalName: string, tempName: string, replica: number, volName: string): void {
    // replacePVC runs in one go (its waits are inline): it can fail at each step, not be held between them.
    const step = (s: OperatorStep) => this.at(s, replica, volName, (m) => `failed to replace PVC: ${m}`, false);
    const temp = this.store.get('v1', 'PersistentVolumeClaim', ns, tempName);
    if (!temp) throw new Failed(`failed to replace PVC: failed to get temp PVC: persistentvolumeclaims "${tempName}" not found`);
    const newPV = temp.spec?.['volumeName'] as string | undefined;
    if (!newPV) throw new Failed(`failed to replace PVC: temp PVC ${tempName} is not bound to a PV`);
    const original = this.store.get('v1', 'PersistentVolumeClaim', ns, originalName);
    if (!original) throw new Failed(`failed to replace PVC: failed to get original PVC: persistentvolumeclaims "${originalName}" not found`);
    if (!step('replace-retain-new-pv')) throw new Held();
    this.store.edit('v1', 'PersistentVolume', undefined, newPV, (pv) => void (pv.spec!['persistentVolumeReclaimPolicy'] = 'Retain'));
    if (!step('replace-delete-temp')) throw new Held();
    this.store.delete('v1', 'PersistentVolumeClaim', ns, tempName);
    if (!step('replace-clear-claimref')) throw new Held();
    this.store.edit('v1', 'PersistentVolume', undefined, newPV, (pv) => void delete pv.spec!['claimRef']);
    if (!step('replace-delete-original')) throw new Held();
    this.store.delete('v1', 'PersistentVolumeClaim', ns, originalName);
    if (!step('replace-create-pvc')) throw new Held();
    this.store.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: originalName, namespace: ns, labels: original.metadata.labels ?? {} },
      spec: { accessModes: temp.spec?.['accessModes'], storageClassName: temp.spec?.['storageClassName'], volumeName: newPV, resources: { requests: { storage: vol.newSize } } },
      status: { phase: 'Pending' },
    });
  }

  /** The finalizer: deletes the PVCs and pods labelled with the migration's name, then lets the object go. */
  private handleDeletion(vr: Obj): void {
    const ns = vr.metadata.namespace!;
    const mine = (o: Obj) => o.metadata.labels?.[LABEL_MIGRATION] === vr.metadata.name;
    for (const pvc of this.store.list('v1', 'PersistentVolumeClaim', ns).filter(mine)) this.store.delete('v1', 'PersistentVolumeClaim', ns, pvc.metadata.name);
    for (const pod of this.store.list('v1', 'Pod', ns).filter(mine)) this.store.delete('v1', 'Pod', ns, pod.metadata.name);
    vr.metadata.finalizers = (vr.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    this.writeObject(vr);
  }
}
