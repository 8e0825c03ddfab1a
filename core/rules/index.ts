/** All rules of the analysis. */
import { cdiRestoreInflation } from './cdiRestoreInflation.js';
import { dataVolumeRestoreExpansion } from './dataVolumeRestoreExpansion.js';
import { dataVolumeRestoreTooSmall } from './dataVolumeRestoreTooSmall.js';
import { gcpImagesClassDefault } from './gcpImagesClassDefault.js';
import { gcpPdHyperdiskAccessMode } from './gcpPdHyperdiskAccessMode.js';
import { gcpPdImagesRegional } from './gcpPdImagesRegional.js';
import { gcpPdInvalidValue } from './gcpPdInvalidValue.js';
import { gcpPdUnknownParameter } from './gcpPdUnknownParameter.js';
import { hcoFieldPath } from './hcoFieldPath.js';
import { invalidQuantity } from './invalidQuantity.js';
import { restoreSizeExceeded } from './restoreSizeExceeded.js';
import { restoreSizeTooSmall } from './restoreSizeTooSmall.js';
import { multipleDefaultSnapshotClasses } from './multipleDefaultSnapshotClasses.js';
import type { Rule } from './rule.js';
import { snapshotApiUnserved } from './snapshotApiUnserved.js';
import { snapshotClassSpecField } from './snapshotClassSpecField.js';
import { snapshotContentDriverMismatch } from './snapshotContentDriverMismatch.js';
import { snapshotContentInvalid } from './snapshotContentInvalid.js';
import { snapshotContentUnbound } from './snapshotContentUnbound.js';
import { snapshotInvalid } from './snapshotInvalid.js';
import { metadataNotAString } from './metadataNotAString.js';
import { snapshotNotFound } from './snapshotNotFound.js';
import { snapshotNotReady } from './snapshotNotReady.js';
import { storageProfileSnapshotClassDriver } from './storageProfileSnapshotClassDriver.js';
import { storageProfileSnapshotClassMissing } from './storageProfileSnapshotClassMissing.js';
import { vmRestoreInflation } from './vmRestoreInflation.js';
import { yamlSyntax } from './yamlSyntax.js';
import { vmRestoreFieldUnsupported } from './vmRestoreFieldUnsupported.js';
import { cdiRenderRejected } from './cdiRenderRejected.js';
import { datavolumePvcBypassesProfile } from './datavolumePvcBypassesProfile.js';
import { vmVolumeClaimMissing } from './vmVolumeClaimMissing.js';
import { volumeClaimTemplatesUnserved } from './volumeClaimTemplatesUnserved.js';
import { volumeResizeOperatorMissing } from './volumeResizeOperatorMissing.js';
import { volumeResizeStatefulSetNotFound } from './volumeResizeStatefulSetNotFound.js';
import { volumeResizeUnknownVolume } from './volumeResizeUnknownVolume.js';
import { volumeResizeNotSmaller } from './volumeResizeNotSmaller.js';
import { volumeResizeBelowUsed } from './volumeResizeBelowUsed.js';
import { volumeResizePdbBlocks } from './volumeResizePdbBlocks.js';
import { volumeResizeRwx } from './volumeResizeRwx.js';
import { volumeResizeStorageClassNotFound } from './volumeResizeStorageClassNotFound.js';

/** The rules of the first catalogue, in its order. */
export const firstRules: readonly Rule[] = [
  yamlSyntax,
  invalidQuantity,
  restoreSizeTooSmall,
  restoreSizeExceeded,
  cdiRestoreInflation,
  snapshotNotFound,
  snapshotNotReady,
  vmRestoreInflation,
  // VolumeClaimTemplates and CDI's rendering (issue 10).
  volumeClaimTemplatesUnserved,
  vmVolumeClaimMissing,
  cdiRenderRejected,
  datavolumePvcBypassesProfile,
  volumeResizeOperatorMissing,
  volumeResizeStatefulSetNotFound,
  volumeResizeUnknownVolume,
  volumeResizeNotSmaller,
  volumeResizeBelowUsed,
  volumeResizePdbBlocks,
  volumeResizeRwx,
  volumeResizeStorageClassNotFound,
];

/** Rules added since: the catalogue lists them after the doctor's and the datamover's checks, so that no id moves. */
export const addedRules: readonly Rule[] = [dataVolumeRestoreTooSmall, dataVolumeRestoreExpansion];

/** Storage-class, snapshot-class, StorageProfile and HyperConverged rules (issue 12): catalogued after the datamover's. */
export const storageRules: readonly Rule[] = [
  gcpPdUnknownParameter,
  gcpPdInvalidValue,
  gcpPdImagesRegional,
  gcpPdHyperdiskAccessMode,
  snapshotClassSpecField,
  snapshotApiUnserved,
  storageProfileSnapshotClassMissing,
  storageProfileSnapshotClassDriver,
  gcpImagesClassDefault,
  hcoFieldPath,
  multipleDefaultSnapshotClasses,
];

/** VolumeSnapshotContent rules: catalogued last, so that no id moves. */
export const contentRules: readonly Rule[] = [snapshotContentInvalid, snapshotContentUnbound, snapshotContentDriverMismatch];

/** Rules of the KubeVirt version model: catalogued after the content rules, so that no id moves. */
export const kubevirtVersionRules: readonly Rule[] = [vmRestoreFieldUnsupported];

/** Validation as the API server does it (VolumeSnapshots, ObjectMeta's strings): catalogued after the KubeVirt version rules, so that no id moves. */
export const apiServerRules: readonly Rule[] = [snapshotInvalid, metadataNotAString];

/** Every rule the analysis runs, in the order their findings are listed for one position. */
export const rules: readonly Rule[] = [...firstRules, ...addedRules, ...storageRules, ...contentRules, ...kubevirtVersionRules, ...apiServerRules];
