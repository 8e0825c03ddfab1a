/** `volumeresize-unknown-volume`: a volume is not one of the StatefulSet's volumeClaimTemplates. */
import { volumeResizeRule } from './volumeResizeCommon.js';

export const volumeResizeUnknownVolume = volumeResizeRule(
  'volumeresize-unknown-volume',
  'error',
  'VolumeResize volume not a claim template',
  "A spec.volumes[].name is not among the StatefulSet's volumeClaimTemplates; the operator fails the migration.",
);
