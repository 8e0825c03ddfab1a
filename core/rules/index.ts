/** All rules of the analysis. */
import { cdiRestoreInflation } from './cdiRestoreInflation.js';
import { dataVolumeRestoreExpansion } from './dataVolumeRestoreExpansion.js';
import { dataVolumeRestoreTooSmall } from './dataVolumeRestoreTooSmall.js';
import { invalidQuantity } from './invalidQuantity.js';
import { restoreSizeExceeded } from './restoreSizeExceeded.js';
import { restoreSizeTooSmall } from './restoreSizeTooSmall.js';
import type { Rule } from './rule.js';
import { snapshotNotFound } from './snapshotNotFound.js';
import { snapshotNotReady } from './snapshotNotReady.js';
import { vmRestoreInflation } from './vmRestoreInflation.js';
import { yamlSyntax } from './yamlSyntax.js';
import { cdiRenderRejected } from './cdiRenderRejected.js';
import { datavolumePvcBypassesProfile } from './datavolumePvcBypassesProfile.js';
import { vmVolumeClaimMissing } from './vmVolumeClaimMissing.js';
import { volumeClaimTemplatesUnserved } from './volumeClaimTemplatesUnserved.js';

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
];

/** Rules added since: the catalogue lists them after the doctor's and the datamover's checks, so that no id moves. */
export const addedRules: readonly Rule[] = [dataVolumeRestoreTooSmall, dataVolumeRestoreExpansion];

export const rules: readonly Rule[] = [...firstRules, ...addedRules];
