/** `gcp-pd-unknown-parameter`: a StorageClass or VolumeSnapshotClass parameter the PD CSI driver does not know: it refuses every volume or snapshot of the class. */
import { parameterFindings, parameterKinds } from './gcpPdParameters.js';
import type { Rule } from './rule.js';

export const gcpPdUnknownParameter: Rule = {
  id: 'gcp-pd-unknown-parameter',
  defaultSeverity: 'error',
  title: 'Unknown GCP PD CSI parameter',
  description: 'A StorageClass or VolumeSnapshotClass of pd.csi.storage.gke.io has a parameter the driver does not know: it refuses every volume or snapshot of the class ("parameters contains invalid option").',
  reads: 'document',
  kinds: parameterKinds,
  run: (ctx) => parameterFindings(ctx, 'gcp-pd-unknown-parameter'),
};
