/**
 * The files OADP's kubevirt datamover keeps under `<BSL prefix>-kubevirt-datamover/`, as read from JSON with the
 * range of every value. Field names follow the controller's own types (migtools/kubevirt-datamover-controller
 * pkg/uploader/types.go: VMIndex, CheckpointEntry, CheckpointFile, BackupManifest, VMBackupManifest), which align
 * with the design document (openshift/oadp-operator docs/design/kubevirt-datamover.md) except that `files` holds
 * objects, not the design's plain file names.
 */
import type { Finding, Range } from '../types.js';

/** A value read from a file, with where it is. */
export interface At<T> {
  value: T;
  range: Range;
}

export type DatamoverRole = 'vm-index' | 'backup-index' | 'vm-manifest';

/** One qcow2 file of a checkpoint (CheckpointFile). */
export interface CheckpointFile {
  range: Range;
  filename?: At<string>;
  /** The KubeVirt volume (disk) name the restore matches on; absent in the design's plain-name form. */
  diskName?: At<string>;
  /** Bytes as recorded by the uploader (int64). */
  size?: At<bigint>;
  objectPath?: At<string>;
  /** Written as a plain file name (the design document's shape), which the controller cannot read. */
  plain: boolean;
}

/** A pvcSizes entry: the text as written and its bytes when it parses. */
export interface SizeEntry {
  text: string;
  range: Range;
  bytes?: bigint;
}

/** One checkpoint of the per-VM index (CheckpointEntry). */
export interface Checkpoint {
  range: Range;
  id?: At<string>;
  type?: At<string>;
  parent?: At<string>;
  timestamp?: At<string>;
  vmBackup?: At<string>;
  files: CheckpointFile[];
  filesRange?: Range;
  pvcs: At<string>[];
  pvcsRange?: Range;
  /** Undefined when the index has no `pvcSizes` (it is `omitempty` upstream). */
  pvcSizes?: SizeEntry[];
  pvcSizesRange?: Range;
  referencedBy: At<string>[];
  referencedByRange?: Range;
}

/** `checkpoints/<namespace>/<vm>/index.json` (VMIndex). */
export interface VmIndex {
  role: 'vm-index';
  file: string;
  range: Range;
  vmName?: At<string>;
  namespace?: At<string>;
  checkpoints: Checkpoint[];
  checkpointsRange?: Range;
}

/** `manifests/<backup>/<namespace>-<vm>.json` (controller) or `<vm>.json` (design): VMBackupManifest. */
export interface VmManifest {
  role: 'vm-manifest';
  file: string;
  range: Range;
  namespace?: At<string>;
  name?: At<string>;
  backupName?: At<string>;
  chain: At<string>[];
  chainRange?: Range;
}

/** One `vms` entry of a per-backup index (VMBackupReference). */
export interface BackupVmRef {
  range: Range;
  name?: At<string>;
  namespace?: At<string>;
  checkpointId?: At<string>;
  manifestPath?: At<string>;
}

/** `manifests/<backup>/index.json` (BackupManifest). */
export interface BackupIndex {
  role: 'backup-index';
  file: string;
  range: Range;
  backupName?: At<string>;
  timestamp?: At<string>;
  vms: BackupVmRef[];
}

export type DatamoverDoc = VmIndex | VmManifest | BackupIndex;

/** A decoded file and the problems found while reading it (the controller cannot read a file with an error). */
export interface Decoded<T extends DatamoverDoc = DatamoverDoc> {
  doc?: T;
  findings: Finding[];
}

/**
 * What the local copy of the BSL prefix says about a file: its size in bytes, `'absent'` when it is known not to
 * exist, undefined when nobody looked. Paths are spelled like the analysed files' names (paths or URIs).
 */
export interface LocalFiles {
  size(path: string): bigint | 'absent' | undefined;
}

export const noLocalFiles: LocalFiles = { size: () => undefined };
