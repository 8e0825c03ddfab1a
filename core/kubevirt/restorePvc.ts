/**
 * The PVC KubeVirt's restore controller creates for one volume of a VM snapshot.
 * Mirrors CreateRestorePVCDef and CreateRestorePVCDefFromVMRestore (kubevirt pkg/storage/snapshot/restore.go,
 * d923fdb, 2026-08-22), named by restoreVolumeName (restorePvcName below): labels copied (persistent-state-for dropped, restore labels added), annotations copied but
 * for the controller-owned prefixes, both dataSource and dataSourceRef set to the VolumeSnapshot, and the size
 * raised to restoreSize when the request is missing or smaller.
 */
import type { PvcSpecInput } from '../cdi/render.js';
import type { SnapshotFact, VolumeBackupFact } from '../facts.js';
import { ANNOTATION, kinds, LABEL } from '../kinds/index.js';
import { assignOwn, putOwn } from '../own.js';
import { formatBytes } from '../quantity.js';
import { dns1035LabelMaxLength, getName } from './naming.js';

const droppedAnnotationPrefixes = ['pv.kubernetes.io', 'volume.beta.kubernetes.io', 'cdi.kubevirt.io', 'volume.kubernetes.io', 'k8s.io/CloneRequest', 'k8s.io/CloneOf'];

export interface VolumeRestoreOverride {
  volumeName: string;
  restoreName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RestoreTarget {
  /** The VirtualMachineRestore's name. */
  restoreName: string;
  /** Its `metadata.uid`, once it exists (the default restore PVC name and the lastRestoreUID annotation carry it). */
  restoreUid?: string;
  namespace: string;
  /** The source VM (restore labels name it). */
  sourceVmName?: string;
  targetVmName?: string;
  volumeRestorePolicy?: string;
  overrides: VolumeRestoreOverride[];
}

export interface PredictedRestorePvc {
  name: string;
  volumeName: string;
  /** The spec as CDI's webhook will receive it. */
  input: PvcSpecInput;
  requestBytes?: bigint;
  requestText?: string;
  /** Whether KubeVirt raised the request to restoreSize. */
  raisedToRestoreSize: boolean;
}

/** The UID placeholder in a predicted name, while the VirtualMachineRestore does not exist yet. */
export const unknownUid = '<uid>';

/**
 * Mirrors restoreVolumeName (kubevirt pkg/storage/snapshot/restore.go, d923fdb): the first override of the volume
 * with a `restoreName` wins; `InPlace` reuses the source claim's name; `PrefixTargetName` is
 * naming.GetName(target, volume, 63); anything else (RandomizeNames, the default) `restore-<uid>-<volume>`.
 */
export function restorePvcName(target: Pick<RestoreTarget, 'overrides' | 'volumeRestorePolicy' | 'targetVmName' | 'restoreUid'>, volumeName: string, claimName: string): string {
  const named = target.overrides.find((o) => o.volumeName === volumeName && (o.restoreName ?? '') !== '');
  if (named?.restoreName) return named.restoreName;
  if (target.volumeRestorePolicy === 'InPlace') return claimName;
  if (target.volumeRestorePolicy === 'PrefixTargetName') return getName(target.targetVmName ?? '', volumeName, dns1035LabelMaxLength);
  return `restore-${target.restoreUid ?? unknownUid}-${volumeName}`;
}

export function predictRestorePvc(backup: VolumeBackupFact, snapshot: SnapshotFact | undefined, target: RestoreTarget): PredictedRestorePvc {
  const override = target.overrides.find((o) => o.volumeName === backup.volumeName);
  const labels: Record<string, string> = assignOwn({}, backup.labels);
  delete labels[LABEL.persistentStateFor];
  if (target.sourceVmName) {
    labels[LABEL.restoreSourceVmName] = target.sourceVmName;
    labels[LABEL.restoreSourceVmNamespace] = target.namespace;
  }
  assignOwn(labels, override?.labels);
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(backup.annotations)) {
    if (k === ANNOTATION.contentType || !droppedAnnotationPrefixes.some((p) => k.startsWith(p))) putOwn(annotations, k, v);
  }
  annotations[ANNOTATION.restoreName] = target.restoreName;
  annotations[ANNOTATION.lastRestoreUid] = `${target.restoreName}-${target.restoreUid ?? unknownUid}`;
  assignOwn(annotations, override?.annotations);
  let requestBytes = backup.requestBytes;
  let requestText = backup.requestText;
  const restoreSize = snapshot?.restoreSizeBytes;
  const raise = restoreSize !== undefined && restoreSize > 0n && (requestBytes === undefined || requestBytes < restoreSize);
  if (raise) {
    requestBytes = restoreSize;
    requestText = snapshot?.restoreSizeText ?? formatBytes(restoreSize, 'BinarySI');
  }
  const ref = { apiGroup: kinds.VolumeSnapshot.group, kind: 'VolumeSnapshot', name: backup.volumeSnapshotName };
  return {
    name: restorePvcName(target, backup.volumeName, backup.pvcName ?? ''),
    volumeName: backup.volumeName,
    input: {
      namespace: target.namespace,
      labels,
      annotations,
      storageClassName: backup.storageClassName,
      accessModes: backup.accessModes,
      // The API server defaults a missing volumeMode to Filesystem before CDI's webhook sees the PVC.
      volumeMode: backup.volumeMode ?? 'Filesystem',
      requestBytes,
      dataSource: ref,
      dataSourceRef: { ...ref },
    },
    requestBytes,
    requestText,
    raisedToRestoreSize: raise,
  };
}
