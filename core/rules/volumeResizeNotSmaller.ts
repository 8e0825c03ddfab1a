/** `volumeresize-not-smaller`: newSize is not strictly smaller than every replica's PVC. */
import { volumeResizeRule } from './volumeResizeCommon.js';

export const volumeResizeNotSmaller = volumeResizeRule(
  'volumeresize-not-smaller',
  'error',
  'VolumeResize newSize not smaller',
  'newSize is not strictly smaller than the PVC of every replica (the operator checks replica 0 only), or a replica has no PVC.',
);
