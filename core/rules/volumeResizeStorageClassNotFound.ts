/** `volumeresize-storageclass-not-found`: the new PVCs' class does not exist, or will not bind where the migrator pod runs. */
import { volumeResizeRule } from './volumeResizeCommon.js';

export const volumeResizeStorageClassNotFound = volumeResizeRule(
  'volumeresize-storageclass-not-found',
  'error',
  'VolumeResize storage class will not bind',
  "The storageClass override (or the original PVC's class) does not exist, so the temporary PVC never binds and the operator waits without end; warning for an Immediate class where the old volumes are pinned to nodes or zones.",
);
