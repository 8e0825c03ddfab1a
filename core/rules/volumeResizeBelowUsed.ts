/** `volumeresize-below-used`: newSize is below (or within 10 % of) the data in use, from the kubelet stats. */
import { volumeResizeRule } from './volumeResizeCommon.js';

export const volumeResizeBelowUsed = volumeResizeRule(
  'volumeresize-below-used',
  'error',
  'VolumeResize newSize below the data in use',
  "newSize is below the data in use on a replica's volume (warning within 10 % headroom), from the kubelet stats summary through the API server's node proxy; info when the stats cannot be read.",
);
