/** All rules, in the order their findings are listed for one position. */
import { cdiRestoreInflation } from './cdiRestoreInflation.js';
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

export const rules: readonly Rule[] = [
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
