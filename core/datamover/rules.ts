/**
 * The rule ids of the datamover checks, declared with their metadata (the rule catalogue, core/rules/catalog.ts,
 * is built from these and the other declarations). The checks run over the index files of a backup storage
 * location's `-kubevirt-datamover/` prefix (editor, `kvstorage lint`) and over a restore plan (`kvstorage
 * datamover plan`): they read the backup's own files ('document': the JSON indexes, and the qcow2 images through
 * qemu-img), or the cluster ('cluster': the StorageProfile minimum, ResourceQuotas). Ids are stable.
 */
import { ANNOTATION } from '../kinds/index.js';
import type { RuleMeta } from '../rules/rule.js';
import type { Finding, Range, Severity } from '../types.js';

export const datamoverRuleInfo = [
  {
    id: 'datamover-index-invalid',
    defaultSeverity: 'error',
    title: 'Datamover index the controller cannot read',
    description:
      "A datamover JSON file that is not strict JSON or has a field of the wrong type (Go's encoding/json rejects the whole file), e.g. `files` as plain names (the design document's shape) where the controller wants objects.",
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-chain-missing-checkpoint',
    defaultSeverity: 'error',
    title: 'Backup chain names a checkpoint the VM index does not have',
    description: "A backup's checkpointChain (or an incremental's parent) names a checkpoint missing from checkpoints/<ns>/<vm>/index.json: the restore fails.",
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-chain-wrong-parent',
    defaultSeverity: 'error',
    title: "Incremental checkpoint whose parent is not the previous one in the chain",
    description: 'The chain must start with a full checkpoint (no parent) and each incremental must name the previous chain entry as its parent; the controller refuses any other order.',
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-chain-duplicate-checkpoint',
    defaultSeverity: 'error',
    title: 'Checkpoint listed twice',
    description: 'A checkpoint id appears twice in the VM index or in a backup chain; the controller refuses to restore it.',
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-file-missing',
    defaultSeverity: 'error',
    title: 'qcow2 file of the chain missing',
    description: 'A checkpoint of a backup chain has no file for a disk, or its qcow2 file is not in the local copy of the BSL prefix.',
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-file-size-mismatch',
    defaultSeverity: 'warning',
    title: 'qcow2 file size differs from the index',
    description: 'The local copy of a qcow2 file has another size than the index records (an incomplete download, or a stale index).',
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-object-path-mismatch',
    defaultSeverity: 'error',
    title: "File's objectPath outside its checkpoint",
    description: "A file's objectPath is not checkpoints/<ns>/<vm>/<checkpoint>/<filename>; the controller refuses to download it.",
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-pvc-sizes-mismatch',
    defaultSeverity: 'error',
    title: 'pvcs, pvcSizes and files not parallel',
    description: 'pvcSizes (and files) must have one entry per PVC in pvcs, in the same order; the controller pairs them by position.',
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-pvc-sizes-missing',
    defaultSeverity: 'warning',
    title: 'Checkpoint without pvcSizes',
    description: 'Without pvcSizes the scratch PVC is sized from the target PVC alone or from a 10Gi default, and the target size is unknown.',
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-size-invalid',
    defaultSeverity: 'error',
    title: 'Size that does not parse',
    description: 'A pvcSizes entry that is not a Kubernetes quantity, or a file size that is not a non-negative int64: the controller cannot read the index.',
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-referenced-by-missing',
    defaultSeverity: 'error',
    title: 'Checkpoint needed by a backup that does not list it in referencedBy',
    description: "Deleting another backup would delete this checkpoint's files although this backup's chain still needs them.",
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-referenced-by-stale',
    defaultSeverity: 'warning',
    title: "referencedBy names a backup whose chain does not use the checkpoint",
    description: 'The checkpoint is kept alive by a backup that does not need it; its files are not deleted when they could be.',
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-index-not-found',
    defaultSeverity: 'info',
    title: 'Per-VM index not found',
    description: 'A backup manifest names a VM whose checkpoints/<ns>/<vm>/index.json is not among the analysed files; the chain cannot be checked.',
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-qcow2-invalid',
    defaultSeverity: 'error',
    title: 'qcow2 file the restore refuses',
    description: 'qemu-img info fails on a chain file, or it is not qcow2, or it has an external data file, or the full backup has a backing file, or an incremental has none (kvstorage datamover plan --verify).',
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-qcow2-backing-mismatch',
    defaultSeverity: 'warning',
    title: "Incremental's backing file is not its parent",
    description: "The backing file recorded in an incremental qcow2 is not its parent checkpoint's file, so `qemu-img rebase -u` is not proven safe (kvstorage datamover plan --verify).",
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-qcow2-virtual-size',
    defaultSeverity: 'error',
    title: 'Disk image larger than its target PVC',
    description: "The top of the chain's virtual size exceeds the PVC it is converted onto; qemu-img convert runs out of space (kvstorage datamover plan --verify).",
    reads: 'document',
    kinds: [],
  },
  {
    id: 'datamover-storage-minimum',
    defaultSeverity: 'warning',
    title: 'Restore PVC below the StorageProfile minimum',
    description: `A PVC the restore creates asks for less than the class's StorageProfile ${ANNOTATION.minimumSupportedPvcSize}; the provisioner may round it up or refuse it.`,
    reads: 'cluster',
    kinds: ['StorageClass', 'StorageProfile'],
  },
  {
    id: 'datamover-quota-exceeded',
    defaultSeverity: 'error',
    title: 'Restore exceeds a ResourceQuota',
    description: 'The PVCs the restore creates exceed what a ResourceQuota in their namespace has left (requests.storage or persistentvolumeclaims, per class or overall).',
    reads: 'cluster',
    kinds: ['ResourceQuota'],
  },
] as const satisfies readonly RuleMeta[];

export type DatamoverRule = (typeof datamoverRuleInfo)[number]['id'];

/** The rules the index files themselves give (editor, lint); the others need qemu-img or a cluster (plan). */
export const datamoverFileRules: readonly DatamoverRule[] = datamoverRuleInfo
  .map((r) => r.id)
  .filter((id) => !id.startsWith('datamover-qcow2-') && id !== 'datamover-storage-minimum' && id !== 'datamover-quota-exceeded');

/** A finding of a datamover rule, with the rule's default severity unless told otherwise. */
export function datamoverFinding(
  rule: DatamoverRule,
  file: string,
  range: Range,
  message: string,
  options: { severity?: Severity; data?: Record<string, string> } = {},
): Finding {
  const severity = options.severity ?? datamoverRuleInfo.find((r) => r.id === rule)!.defaultSeverity;
  const f: Finding = { rule, severity, message, file, range };
  if (options.data) f.data = options.data;
  return f;
}
