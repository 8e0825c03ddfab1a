/**
 * Facts from API objects as the cluster serves them (parsed JSON), the counterpart of workspaceFacts.ts for
 * YAML. Pure: the caller passes the object and the FactSource. Same rules as the workspace: StorageProfile
 * sets from status else spec, CDIConfig overhead from status only, the CDI version from status.observedVersion.
 * Malformed objects give undefined or leave the odd field out; nothing throws.
 */
import type {
  CdiConfigFact,
  CdiVersionFact,
  ClaimPropertySet,
  FactSource,
  SnapshotFact,
  StorageClassFact,
  StorageProfileFact,
  VmSnapshotContentFact,
  VmSnapshotFact,
  VolumeBackupFact,
} from './facts.js';
import { parseQuantity } from './quantity.js';
import { annotations } from './workspaceFacts.js';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function field(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const p of path) {
    const o = obj(cur);
    if (!o) return undefined;
    cur = o[p];
  }
  return cur;
}

/** A scalar as text: JSON numbers (int-or-string quantities, int64 byte counts) and booleans included. */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function stringMap(v: unknown): Record<string, string> {
  const o = obj(v);
  const out: Record<string, string> = {};
  if (!o) return out;
  for (const [k, x] of Object.entries(o)) {
    const t = text(x);
    if (t !== undefined) out[k] = t;
  }
  return out;
}

function stringList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((x): x is string => typeof x === 'string');
}

function bytesOf(t: string | undefined): bigint | undefined {
  if (t === undefined) return undefined;
  const q = parseQuantity(t);
  return q.ok ? q.quantity.bytes : undefined;
}

function metaName(o: unknown): string | undefined {
  const n = field(o, 'metadata', 'name');
  return typeof n === 'string' && n !== '' ? n : undefined;
}

function metaNamespace(o: unknown): string | undefined {
  const n = field(o, 'metadata', 'namespace');
  return typeof n === 'string' && n !== '' ? n : undefined;
}

/** A snapshot.storage.k8s.io VolumeSnapshot. `restoreSize` may be a string or a JSON number. */
export function snapshotFactFromObject(o: unknown, source: FactSource): SnapshotFact | undefined {
  const name = metaName(o);
  if (!name) return undefined;
  const restoreSizeText = text(field(o, 'status', 'restoreSize'));
  return {
    namespace: metaNamespace(o) ?? 'default',
    name,
    restoreSizeText,
    restoreSizeBytes: bytesOf(restoreSizeText),
    readyToUse: bool(field(o, 'status', 'readyToUse')),
    volumeSnapshotClassName: text(field(o, 'spec', 'volumeSnapshotClassName')),
    sourcePvcName: text(field(o, 'spec', 'source', 'persistentVolumeClaimName')),
    source,
  };
}

export function storageClassFactFromObject(o: unknown, source: FactSource): StorageClassFact | undefined {
  const name = metaName(o);
  if (!name) return undefined;
  const ann = stringMap(field(o, 'metadata', 'annotations'));
  return {
    name,
    provisioner: text(field(o, 'provisioner')),
    isDefault: ann[annotations.defaultClass] === 'true',
    isDefaultVirt: ann[annotations.defaultVirtClass] === 'true',
    creationTimestamp: text(field(o, 'metadata', 'creationTimestamp')),
    parameters: stringMap(field(o, 'parameters')),
    volumeBindingMode: text(field(o, 'volumeBindingMode')),
    source,
  };
}

function claimPropertySets(v: unknown): ClaimPropertySet[] {
  if (!Array.isArray(v)) return [];
  return v.map((s) => {
    const mode = field(s, 'volumeMode');
    return {
      accessModes: stringList(field(s, 'accessModes')) ?? [],
      volumeMode: mode === 'Block' || mode === 'Filesystem' ? mode : undefined,
    };
  });
}

export function storageProfileFactFromObject(o: unknown, source: FactSource): StorageProfileFact | undefined {
  const name = metaName(o);
  if (!name) return undefined;
  const fromStatus = claimPropertySets(field(o, 'status', 'claimPropertySets'));
  const fromSpec = fromStatus.length ? [] : claimPropertySets(field(o, 'spec', 'claimPropertySets'));
  const minText = stringMap(field(o, 'metadata', 'annotations'))[annotations.minimumSupportedPvcSize];
  return {
    name,
    claimPropertySets: fromStatus.length ? fromStatus : fromSpec,
    claimPropertySetsFrom: fromStatus.length ? 'status' : fromSpec.length ? 'spec' : 'none',
    minimumSupportedPvcSizeText: minText,
    minimumSupportedPvcSizeBytes: bytesOf(minText),
    source,
  };
}

/** CDIConfig: the effective overhead CDI writes to status (consumers never read spec). */
export function cdiConfigFactFromObject(o: unknown, source: FactSource): CdiConfigFact | undefined {
  const global = text(field(o, 'status', 'filesystemOverhead', 'global'));
  const perClass = stringMap(field(o, 'status', 'filesystemOverhead', 'storageClass'));
  if (global === undefined && Object.keys(perClass).length === 0) return undefined;
  return { globalOverhead: global, storageClassOverhead: perClass, source };
}

/** The CDI CR's `status.observedVersion`. */
export function cdiVersionFactFromObject(o: unknown, source: FactSource): CdiVersionFact | undefined {
  const v = text(field(o, 'status', 'observedVersion'));
  if (!v) return undefined;
  return { version: v, source };
}

export function vmSnapshotFactFromObject(o: unknown, source: FactSource): VmSnapshotFact | undefined {
  const name = metaName(o);
  if (!name) return undefined;
  return {
    namespace: metaNamespace(o) ?? 'default',
    name,
    contentName: text(field(o, 'status', 'virtualMachineSnapshotContentName')),
    vmName: text(field(o, 'spec', 'source', 'name')),
    readyToUse: bool(field(o, 'status', 'readyToUse')),
    phase: text(field(o, 'status', 'phase')),
    source,
  };
}

function volumeBackupFromObject(b: unknown): VolumeBackupFact {
  const pvc = field(b, 'persistentVolumeClaim');
  const requestText = text(field(pvc, 'spec', 'resources', 'requests', 'storage'));
  return {
    volumeName: text(field(b, 'volumeName')) ?? '',
    pvcName: text(field(pvc, 'metadata', 'name')),
    labels: stringMap(field(pvc, 'metadata', 'labels')),
    annotations: stringMap(field(pvc, 'metadata', 'annotations')),
    storageClassName: text(field(pvc, 'spec', 'storageClassName')),
    accessModes: stringList(field(pvc, 'spec', 'accessModes')),
    volumeMode: text(field(pvc, 'spec', 'volumeMode')),
    requestText,
    requestBytes: bytesOf(requestText),
    volumeSnapshotName: text(field(b, 'volumeSnapshotName')),
  };
}

export function vmSnapshotContentFactFromObject(o: unknown, source: FactSource): VmSnapshotContentFact | undefined {
  const name = metaName(o);
  if (!name) return undefined;
  const backups = field(o, 'spec', 'volumeBackups');
  return {
    namespace: metaNamespace(o) ?? 'default',
    name,
    snapshotName: text(field(o, 'spec', 'virtualMachineSnapshotName')),
    volumeBackups: Array.isArray(backups) ? backups.map(volumeBackupFromObject) : [],
    source,
  };
}
