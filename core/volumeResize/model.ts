/**
 * The VolumeResize custom resource of thomas-maurice/migcontroller (storage.maurice.fr/v1alpha1, api/v1alpha1/
 * volumeresize_types.go at 1ffafc1) as plain data, and the names its operator gives what it creates
 * (internal/controller/pvc.go, statefulset.go, migrator.go, constants.go at 1ffafc1). Reading never throws: a
 * malformed object reads as undefined or with the odd field left out.
 */
import { jsonField, jsonText } from '../kinds/index.js';

export const VOLUME_RESIZE_API_VERSION = 'storage.maurice.fr/v1alpha1';
export const VOLUME_RESIZE_KIND = 'VolumeResize';

/** The operator's phases (constants.go). `Replacing` is legacy: the operator marks it Completed at once. */
export const VR_PHASES = ['Pending', 'Validating', 'Syncing', 'Replacing', 'Completed', 'Failed'] as const;
export type VolumeResizePhase = (typeof VR_PHASES)[number];
export const CELL_PHASES = ['Pending', 'Syncing', 'Synced', 'Replacing', 'Completed', 'Failed'] as const;
export type CellPhase = (typeof CELL_PHASES)[number];

/** Data key of the StatefulSet backup ConfigMap (`ConfigMapKeySTSSpec`). */
export const BACKUP_KEY = 'statefulset.json';
/** Value of the `storage.maurice.fr/managed-by` annotation the operator sets. */
export const MANAGED_BY_VALUE = 'volume-resize-operator';
/** `MessageMigrationCompleted`. */
export const COMPLETED_MESSAGE = 'Migration completed successfully';

/** `getOriginalPVCName`: the PVC a StatefulSet replica mounts for a claim template. */
export function originalPvcName(volume: string, statefulSet: string, replica: number): string {
  return `${volume}-${statefulSet}-${replica}`;
}

/** `getTempPVCName`: the smaller PVC the data is copied into. */
export function tempPvcName(volume: string, statefulSet: string, replica: number): string {
  return `${originalPvcName(volume, statefulSet, replica)}-new`;
}

/** `getPodName`. */
export function replicaPodName(statefulSet: string, replica: number): string {
  return `${statefulSet}-${replica}`;
}

/** `getMigratorPodName`: the rclone pod of one replica and volume. */
export function migratorPodName(vr: string, replica: number, volume: string): string {
  return `${vr}-migrator-${replica}-${volume}`;
}

/** `getSTSBackupConfigMapName`. */
export function backupConfigMapName(vr: string): string {
  return `${vr}-sts-backup`;
}

export interface VolumeTarget {
  name: string;
  /** As written: a string or (int-or-string) a number. */
  newSize: string;
  /** Absent: the original PVC's class. */
  storageClass?: string;
}

export interface CellStatus {
  volumeName: string;
  replica: number;
  phase: string;
  oldPVCName?: string;
  newPVCName?: string;
  oldPVName?: string;
  message?: string;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface VolumeResizeStatus {
  /** '' when the operator has not reconciled it yet (volmig prints it as Pending). */
  phase: string;
  currentReplica?: number;
  currentVolume?: string;
  message?: string;
  startTime?: string;
  completionTime?: string;
  backupConfigMapName?: string;
  volumeStatuses: CellStatus[];
  conditions: Condition[];
}

export interface VolumeResizeView {
  namespace: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  annotations: Record<string, string>;
  finalizers: string[];
  statefulSetName: string;
  volumes: VolumeTarget[];
  status: VolumeResizeStatus;
}

function str(v: unknown): string | undefined {
  const t = jsonText(v);
  return t === undefined || t === '' ? undefined : t;
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function strings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  return out;
}

/** Only what the operator reads: the phase as written, `''` when unset. */
function cellOf(v: unknown): CellStatus | undefined {
  const volumeName = str(jsonField(v, 'volumeName'));
  const replica = int(jsonField(v, 'replica'));
  if (volumeName === undefined || replica === undefined) return undefined;
  const opt = (k: 'oldPVCName' | 'newPVCName' | 'oldPVName' | 'message') => {
    const x = str(jsonField(v, k));
    return x === undefined ? {} : { [k]: x };
  };
  return { volumeName, replica, phase: str(jsonField(v, 'phase')) ?? 'Pending', ...opt('oldPVCName'), ...opt('newPVCName'), ...opt('oldPVName'), ...opt('message') };
}

/** A VolumeResize from its JSON (a cache's object, a GET's answer); undefined without a name. */
export function readVolumeResize(o: unknown): VolumeResizeView | undefined {
  const name = str(jsonField(o, 'metadata', 'name'));
  if (!name) return undefined;
  const status = jsonField(o, 'status');
  const optional = <K extends string>(key: K, v: string | number | undefined) => (v === undefined ? {} : ({ [key]: v } as Record<K, string | number>));
  return {
    namespace: str(jsonField(o, 'metadata', 'namespace')) ?? 'default',
    name,
    ...optional('uid', str(jsonField(o, 'metadata', 'uid'))),
    ...optional('resourceVersion', str(jsonField(o, 'metadata', 'resourceVersion'))),
    ...optional('creationTimestamp', str(jsonField(o, 'metadata', 'creationTimestamp'))),
    ...optional('deletionTimestamp', str(jsonField(o, 'metadata', 'deletionTimestamp'))),
    annotations: strings(jsonField(o, 'metadata', 'annotations')),
    finalizers: list(jsonField(o, 'metadata', 'finalizers')).filter((f): f is string => typeof f === 'string'),
    statefulSetName: str(jsonField(o, 'spec', 'statefulSetName')) ?? '',
    volumes: list(jsonField(o, 'spec', 'volumes')).flatMap((v) => {
      const n = str(jsonField(v, 'name'));
      const size = str(jsonField(v, 'newSize'));
      const sc = str(jsonField(v, 'storageClass'));
      return n === undefined ? [] : [{ name: n, newSize: size ?? '', ...(sc === undefined ? {} : { storageClass: sc }) }];
    }),
    status: {
      phase: str(jsonField(status, 'phase')) ?? '',
      ...(optional('currentReplica', int(jsonField(status, 'currentReplica'))) as { currentReplica?: number }),
      ...(optional('currentVolume', str(jsonField(status, 'currentVolume'))) as { currentVolume?: string }),
      ...(optional('message', str(jsonField(status, 'message'))) as { message?: string }),
      ...(optional('startTime', str(jsonField(status, 'startTime'))) as { startTime?: string }),
      ...(optional('completionTime', str(jsonField(status, 'completionTime'))) as { completionTime?: string }),
      ...(optional('backupConfigMapName', str(jsonField(status, 'backupConfigMapName'))) as { backupConfigMapName?: string }),
      volumeStatuses: list(jsonField(status, 'volumeStatuses')).flatMap((c) => cellOf(c) ?? []),
      conditions: list(jsonField(status, 'conditions')).flatMap((c) => {
        const type = str(jsonField(c, 'type'));
        if (!type) return [];
        const reason = str(jsonField(c, 'reason'));
        const message = str(jsonField(c, 'message'));
        return [{ type, status: str(jsonField(c, 'status')) ?? '', ...(reason ? { reason } : {}), ...(message ? { message } : {}) }];
      }),
    },
  };
}

/** The phase as volmig prints it: an unset one is Pending. */
export function shownPhase(vr: Pick<VolumeResizeView, 'status'>): string {
  return vr.status.phase || 'Pending';
}

export function isTerminal(phase: string): boolean {
  return phase === 'Completed' || phase === 'Failed';
}

/** The StatefulSet's replica and volume grid as the operator walks it: volumes inner, replicas outer. */
export function cellOrder(replicas: number, volumes: readonly string[]): { replica: number; volume: string }[] {
  const out: { replica: number; volume: string }[] = [];
  for (let r = 0; r < replicas; r++) for (const volume of volumes) out.push({ replica: r, volume });
  return out;
}

/** The grid of a VolumeResize: its volume statuses, or (before validation) the spec's volumes for `replicas`. */
export function gridOf(vr: VolumeResizeView, replicas?: number): CellStatus[] {
  if (vr.status.volumeStatuses.length > 0) return [...vr.status.volumeStatuses].sort((a, b) => a.replica - b.replica || vr.volumes.findIndex((v) => v.name === a.volumeName) - vr.volumes.findIndex((v) => v.name === b.volumeName));
  return cellOrder(replicas ?? 0, vr.volumes.map((v) => v.name)).map((c) => ({ volumeName: c.volume, replica: c.replica, phase: 'Pending' }));
}
