/**
 * The KubeVirt CR's reported version on a live cluster (one list of kubevirt.io/v1 KubeVirt, read once per
 * connection like CDI's PVC webhook): it picks the restore model (core/kubevirt/releases.ts). Many users may not
 * list it (it lives in the operator's namespace); then nothing is known and core assumes the newest release.
 */
import type { KubevirtVersionFact } from '../core/kubevirt/version.js';
import { apiVersionOf, factFromObject, kinds } from '../core/kinds/index.js';
import type { ClusterConnection } from './connection.js';
import { ok, type Result } from './errors.js';

/** The first KubeVirt CR that reports a version; undefined when the cluster has none (or does not serve the kind). */
export async function readKubevirtVersion(conn: Pick<ClusterConnection, 'list' | 'context'>): Promise<Result<KubevirtVersionFact | undefined>> {
  const r = await conn.list<unknown>(apiVersionOf(kinds.KubeVirt), 'KubeVirt');
  if (!r.ok) return r.error.kind === 'not-found' ? ok(undefined) : r;
  for (const o of r.value.items) {
    const fact = factFromObject('KubeVirt', o, { kind: 'cluster', context: conn.context });
    if (fact) return ok(fact);
  }
  return ok(undefined);
}
