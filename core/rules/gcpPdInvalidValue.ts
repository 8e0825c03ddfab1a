/** `gcp-pd-invalid-value`: a PD CSI parameter with a value the driver refuses or misreads (snapshot-type, type, provisioned-throughput-on-create …). */
import { parameterFindings, parameterKinds } from './gcpPdParameters.js';
import type { Rule } from './rule.js';

export const gcpPdInvalidValue: Rule = {
  id: 'gcp-pd-invalid-value',
  defaultSeverity: 'error',
  title: 'Invalid GCP PD CSI parameter value',
  description: 'A parameter of pd.csi.storage.gke.io with a value the driver refuses (snapshot-type other than snapshots or images, an unknown disk type or replication type, a malformed quantity or label) or misreads (provisioned-throughput-on-create without "Mi" is rounded up from bytes).',
  reads: 'document',
  kinds: parameterKinds,
  run: (ctx) => parameterFindings(ctx, 'gcp-pd-invalid-value'),
};
