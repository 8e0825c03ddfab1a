/** `volumeresize-operator-missing`: the connected cluster does not serve the VolumeResize CRD, so no operator acts on it. */
import { volumeResizeRule } from './volumeResizeCommon.js';

export const volumeResizeOperatorMissing = volumeResizeRule(
  'volumeresize-operator-missing',
  'error',
  'VolumeResize operator not installed',
  'The connected cluster does not serve volumeresizes.storage.maurice.fr: the migcontroller operator is not installed, and applying the VolumeResize fails.',
);
