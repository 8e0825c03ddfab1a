/** `volumeresize-pdb-blocks`: a PodDisruptionBudget on the StatefulSet's pods allows no disruption. */
import { volumeResizeRule } from './volumeResizeCommon.js';

export const volumeResizePdbBlocks = volumeResizeRule(
  'volumeresize-pdb-blocks',
  'error',
  'VolumeResize blocked by a PodDisruptionBudget',
  "A PodDisruptionBudget selecting the StatefulSet's pods (by matchLabels, as the operator reads it) allows fewer than 1 disruption; the operator refuses to start.",
);
