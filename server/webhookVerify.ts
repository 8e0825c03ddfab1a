/**
 * Verifying a deployed restore-size webhook end to end through the API server: a dry-run CREATE of a labelled
 * restore PVC (dataSource and dataSourceRef to a ready VolumeSnapshot, as KubeVirt writes them) asking for
 * restoreSize + 1Mi; the admitted object must ask for exactly restoreSize. Nothing is stored. Retried for a
 * while: an API server picks up a new MutatingWebhookConfiguration through an informer, moments later.
 */
import type { ClusterConnection } from '../cluster/connection.js';
import { collectionPath } from '../cluster/paths.js';
import { pause } from '../cluster/rollout.js';
import { kinds, LABEL } from '../core/kinds/index.js';
import { parseQuantity } from '../core/quantity.js';
import { FIELD_MANAGER } from './webhookApply.js';

const MI = 1n << 20n;

export interface VerifyOptions {
  /** The webhook's namespace: searched for a snapshot after the connection's. */
  namespace: string;
  timeoutMs: number;
  signal?: AbortSignal;
  progress?: (message: string) => void;
}

export interface Verification {
  verified: boolean;
  verification: string;
}

interface SnapshotJson {
  metadata?: { name?: string; namespace?: string };
  status?: { readyToUse?: boolean; restoreSize?: unknown };
}

interface Candidate {
  namespace: string;
  name: string;
  restoreText: string;
  restoreBytes: bigint;
}

/** The first ready VolumeSnapshot with a positive restoreSize: the connection's namespace, the webhook's, then any. */
async function findSnapshot(conn: ClusterConnection, namespace: string): Promise<{ found?: Candidate; skipped?: string }> {
  const served = await conn.resource('snapshot.storage.k8s.io/v1', 'VolumeSnapshot');
  if (!served.ok && served.error.kind === 'not-found') return { skipped: 'Verification skipped: the cluster does not serve VolumeSnapshots (snapshot.storage.k8s.io/v1).' };
  const scopes = [...new Set([conn.namespace, namespace])];
  let lastError = '';
  for (const scope of [...scopes, undefined]) {
    const r = await conn.list<SnapshotJson>('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', scope);
    if (!r.ok) {
      lastError = r.error.message;
      continue;
    }
    for (const s of r.value.items) {
      const text = typeof s.status?.restoreSize === 'string' ? s.status.restoreSize : undefined;
      const q = text ? parseQuantity(text) : undefined;
      if (s.status?.readyToUse === true && q?.ok && q.quantity.bytes > 0n && s.metadata?.name) {
        return { found: { namespace: s.metadata.namespace ?? scope ?? conn.namespace, name: s.metadata.name, restoreText: text!, restoreBytes: q.quantity.bytes } };
      }
    }
  }
  const where = scopes.map((s) => `"${s}"`).join(' or ');
  return { skipped: `Verification skipped: no ready VolumeSnapshot with a restoreSize in namespace ${where} or any namespace you can list${lastError ? ` (${lastError})` : ''}. The webhook is deployed but not proven; create a VolumeSnapshot and deploy again to verify.` };
}

/** Dry-run creates a restore PVC until the webhook shrinks it or `timeoutMs` passes. */
export async function verifyWebhook(conn: ClusterConnection, opts: VerifyOptions): Promise<Verification> {
  const pick = await findSnapshot(conn, opts.namespace);
  if (!pick.found) return { verified: false, verification: pick.skipped ?? 'Verification skipped.' };
  const snap = pick.found;
  const pvcs = await conn.resource('v1', 'PersistentVolumeClaim');
  if (!pvcs.ok) return { verified: false, verification: `Not verified: ${pvcs.error.message}` };
  const asked = snap.restoreBytes + MI;
  const source = { apiGroup: kinds.VolumeSnapshot.group, kind: 'VolumeSnapshot', name: snap.name };
  const body = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { generateName: 'kubevirt-storage-webhook-verify-', namespace: snap.namespace, labels: { [LABEL.applyStorageProfile]: 'true' } },
    spec: { accessModes: ['ReadWriteOnce'], dataSource: source, dataSourceRef: source, resources: { requests: { storage: asked.toString() } } },
  };
  const what = `create (dry run) a restore PVC from VolumeSnapshot ${snap.namespace}/${snap.name}`;
  opts.progress?.(`Dry-run creating a restore PVC from VolumeSnapshot ${snap.namespace}/${snap.name} asking for ${asked} bytes (restoreSize ${snap.restoreText} + 1Mi)`);
  const deadline = Date.now() + opts.timeoutMs;
  let got = '';
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) return { verified: false, verification: 'Not verified: cancelled before the verification finished.' };
    const r = await conn.request({
      method: 'POST',
      path: collectionPath(pvcs.value, snap.namespace),
      query: { dryRun: 'All', fieldManager: FIELD_MANAGER },
      body: JSON.stringify(body),
      what,
    });
    if (!r.ok && r.error.kind !== 'unreachable' && r.error.kind !== 'timeout') return { verified: false, verification: `Not verified: ${r.error.message}` };
    if (r.ok) {
      const storage = (JSON.parse(r.value.text) as { spec?: { resources?: { requests?: { storage?: unknown } } } }).spec?.resources?.requests?.storage;
      got = String(storage ?? '(none)');
      const q = parseQuantity(got);
      if (q.ok && q.quantity.bytes === snap.restoreBytes) {
        return {
          verified: true,
          verification: `Verified: a dry-run restore PVC from VolumeSnapshot ${snap.namespace}/${snap.name} asking for ${asked} bytes was admitted asking for ${got}, its restoreSize ${snap.restoreText} (nothing was stored).`,
        };
      }
    }
    if (Date.now() + 1000 > deadline) break;
    opts.progress?.(`The test PVC came back asking for ${got || 'an error'}; retrying (attempt ${attempt + 1}) while the API server picks up the configuration`);
    await pause(1000, opts.signal);
  }
  return {
    verified: false,
    verification: `Not verified: a dry-run restore PVC from VolumeSnapshot ${snap.namespace}/${snap.name} asking for ${asked} bytes came back asking for ${got || 'nothing'}, not restoreSize ${snap.restoreText}, within ${Math.round(opts.timeoutMs / 1000)} s. The API server may not reach the webhook: check the Service's endpoints, the pods' logs and the configuration's caBundle.`,
  };
}
