/** `volumeresize-statefulset-not-found`: the StatefulSet a VolumeResize names does not exist. */
import { volumeResizeRule } from './volumeResizeCommon.js';

export const volumeResizeStatefulSetNotFound = volumeResizeRule(
  'volumeresize-statefulset-not-found',
  'error',
  'VolumeResize StatefulSet not found',
  'The StatefulSet named by spec.statefulSetName is not in the analysed files or the connected cluster (info when no cluster is connected); the operator fails the migration at once.',
);
