/**
 * Every rule id this project reports, with its default severity and a one-line description.
 * Ids are stable: they appear in the CLI, SARIF and LSP `code`. Never rename one.
 */
import { datamoverRuleInfo } from '../datamover/rules.js';
import type { Severity } from '../types.js';

export interface RuleInfo {
  id: string;
  /** The usual severity; some rules raise it (e.g. to error on strict provisioners). */
  defaultSeverity: Severity;
  title: string;
  description: string;
}

export const ruleCatalog: readonly RuleInfo[] = [
  {
    id: 'yaml-syntax',
    defaultSeverity: 'error',
    title: 'YAML syntax error',
    description: 'A document could not be parsed; the other documents in the file are still analysed.',
  },
  {
    id: 'invalid-quantity',
    defaultSeverity: 'error',
    title: 'Invalid Kubernetes quantity',
    description: 'A size field is not a valid Kubernetes quantity (e.g. "20MB" instead of "20Mi"); the API server would reject it.',
  },
  {
    id: 'restore-size-too-small',
    defaultSeverity: 'error',
    title: 'Restore PVC smaller than the snapshot',
    description: "A PVC restoring a VolumeSnapshot asks for less than the snapshot's restoreSize; provisioning fails.",
  },
  {
    id: 'restore-size-exceeded',
    defaultSeverity: 'warning',
    title: 'Restore PVC larger than the snapshot',
    description:
      "A PVC restoring a VolumeSnapshot asks for more than its restoreSize; strict CSI drivers (NetApp Trident) refuse it. Error on provisioners listed in kubevirtStorage.restore.strictProvisioners.",
  },
  {
    id: 'cdi-restore-inflation',
    defaultSeverity: 'warning',
    title: "CDI will inflate this restore PVC above the snapshot's restoreSize",
    description:
      'A PVC labelled cdi.kubevirt.io/applyStorageProfile=true that restores a VolumeSnapshot is inflated by CDI\'s PVC webhook (filesystem overhead) before CDI v1.64, and strict CSI drivers then refuse the restore.',
  },
  {
    id: 'snapshot-not-found',
    defaultSeverity: 'info',
    title: 'VolumeSnapshot not found',
    description: 'The VolumeSnapshot a PVC restores is in none of the analysed files (nor the connected cluster); its size cannot be checked.',
  },
  {
    id: 'snapshot-not-ready',
    defaultSeverity: 'info',
    title: 'VolumeSnapshot has no restoreSize yet',
    description: 'The VolumeSnapshot a PVC restores has no status.restoreSize yet; its size cannot be checked.',
  },
  {
    id: 'vm-restore-inflation',
    defaultSeverity: 'warning',
    title: "A VM restore whose PVCs will exceed their snapshots' restoreSize",
    description:
      "Restoring this VirtualMachineSnapshot creates PVCs (typically the TPM/EFI persistent state, labelled cdi.kubevirt.io/applyStorageProfile=true) that CDI's webhook inflates above the VolumeSnapshot's restoreSize; strict CSI drivers refuse them.",
  },
  {
    id: 'storageprofile-incomplete',
    defaultSeverity: 'warning',
    title: 'StorageProfile without claimPropertySets',
    description: "CDI knows no access and volume modes for the class: DataVolumes that leave them out stay Pending (kvstorage doctor).",
  },
  {
    id: 'multiple-default-snapshot-classes',
    defaultSeverity: 'error',
    title: 'Several default VolumeSnapshotClasses for one driver',
    description: 'Snapshots that name no class fail: the snapshot controller refuses to choose between defaults (kvstorage doctor).',
  },
  {
    id: 'multiple-default-storage-classes',
    defaultSeverity: 'warning',
    title: 'Several default (or virt-default) StorageClasses',
    description: 'Kubernetes and CDI silently use the newest; PVCs and VM disks may land on an unexpected class (kvstorage doctor).',
  },
  ...datamoverRuleInfo,
];

export function ruleInfo(id: string): RuleInfo | undefined {
  return ruleCatalog.find((r) => r.id === id);
}
