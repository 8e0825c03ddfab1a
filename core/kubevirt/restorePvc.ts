/**
 * The PVC KubeVirt's restore controller creates for one volume of a VM snapshot.
 * Mirrors CreateRestorePVCDef and CreateRestorePVCDefFromVMRestore (kubevirt pkg/storage/snapshot/restore.go,
 * v1.3.0 … v1.9.0 and d923fdb, 2026-08-22), named by restoreVolumeName (restorePvcName below): labels copied
 * (persistent-state-for dropped from v1.4.1, restore labels added), annotations copied but for the controller-owned
 * prefixes (contentType kept from v1.6.5/v1.7.3/v1.8.2/v1.9.0), lastRestoreUID and the overrides from v1.6.0, both
 * dataSource and dataSourceRef set to the VolumeSnapshot, and the size raised to restoreSize when the request is
 * missing or smaller (every version). What differs by version is in releases.ts.
 */
import type { PvcSpecInput } from '../cdi/render.js';
import type { SnapshotFact, VolumeBackupFact } from '../facts.js';
import { ANNOTATION, kinds, LABEL } from '../kinds/index.js';
import { assignOwn, putOwn } from '../own.js';
import { formatBytes } from '../quantity.js';
import { dns1035LabelMaxLength, getName } from './naming.js';
import type { KubevirtBehaviour } from './releases.js';
import { kubevirtBehaviour, newestKubevirtRelease } from './releases.js';

/** What an unknown version is taken to be: the newest modelled release. */
const newest = kubevirtBehaviour(newestKubevirtRelease.minor, newestKubevirtRelease.patch);

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
 * Mirrors restoreVolumeName (kubevirt pkg/storage/snapshot/restore.go, v1.6.0 … d923fdb; restorePVCName before):
 * the first override of the volume with a `restoreName` wins; `InPlace` reuses the source claim's name;
 * `PrefixTargetName` (v1.8.0+) is naming.GetName(target, volume, 63); anything else (RandomizeNames, the default)
 * `restore-<uid>-<volume>`. Before v1.6.0 the name is always the default (the fields do not exist).
 */
export function restorePvcName(
  target: Pick<RestoreTarget, 'overrides' | 'volumeRestorePolicy' | 'targetVmName' | 'restoreUid'>,
  volumeName: string,
  claimName: string,
  kubevirt: KubevirtBehaviour = newest,
): string {
  const byDefault = `restore-${target.restoreUid ?? unknownUid}-${volumeName}`;
  if (!kubevirt.volumeRestorePolicy) return byDefault;
  const named = target.overrides.find((o) => o.volumeName === volumeName && (o.restoreName ?? '') !== '');
  if (named?.restoreName) return named.restoreName;
  if (target.volumeRestorePolicy === 'InPlace') return claimName;
  if (target.volumeRestorePolicy === 'PrefixTargetName' && kubevirt.restorePolicies.includes('PrefixTargetName')) return getName(target.targetVmName ?? '', volumeName, dns1035LabelMaxLength);
  return byDefault;
}

/**
 * The restore PVC of one volume as KubeVirt `kubevirt` builds it. A change a build may or may not carry
 * (KubevirtBehaviour 'may') is predicted as the later behaviour; the caller says "may" from `kubevirt.uncertain`.
 */
export function predictRestorePvc(backup: VolumeBackupFact, snapshot: SnapshotFact | undefined, target: RestoreTarget, kubevirt: KubevirtBehaviour = newest): PredictedRestorePvc {
  // applyVolumeRestoreOverride takes the first override of the volume (v1.6.0+; the field does not exist before).
  const override = kubevirt.volumeRestorePolicy ? target.overrides.find((o) => o.volumeName === backup.volumeName) : undefined;
  const labels: Record<string, string> = assignOwn({}, backup.labels);
  if (kubevirt.dropsPersistentStateLabel !== false) delete labels[LABEL.persistentStateFor];
  if (target.sourceVmName) {
    labels[LABEL.restoreSourceVmName] = target.sourceVmName;
    labels[LABEL.restoreSourceVmNamespace] = target.namespace;
  }
  assignOwn(labels, override?.labels);
  const annotations: Record<string, string> = {};
  const keepContentType = kubevirt.keepsContentType !== false;
  for (const [k, v] of Object.entries(backup.annotations)) {
    if ((keepContentType && k === ANNOTATION.contentType) || !droppedAnnotationPrefixes.some((p) => k.startsWith(p))) putOwn(annotations, k, v);
  }
  annotations[ANNOTATION.restoreName] = target.restoreName;
  if (kubevirt.lastRestoreUid) annotations[ANNOTATION.lastRestoreUid] = `${target.restoreName}-${target.restoreUid ?? unknownUid}`;
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
    name: restorePvcName(target, backup.volumeName, backup.pvcName ?? '', kubevirt),
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
