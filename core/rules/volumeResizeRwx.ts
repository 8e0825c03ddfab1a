/** `volumeresize-rwx`: a ReadWriteMany volume, which the operator does not support. */
import { volumeResizeRule } from './volumeResizeCommon.js';

export const volumeResizeRwx = volumeResizeRule(
  'volumeresize-rwx',
  'warning',
  'VolumeResize of a ReadWriteMany volume',
  'A volume to shrink is ReadWriteMany; the operator supports ReadWriteOnce only, and other pods writing during the copy lose those writes.',
);
