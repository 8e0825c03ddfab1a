/**
 * VolumeSnapshots from the cluster: a watch-backed cache of all namespaces, and a direct GET when the cache
 * cannot answer (not synced yet, a miss, or a cached snapshot without restoreSize: a restore PVC is often
 * created moments after its snapshot became ready, before the watch event arrives).
 *
 * The connection is made in the background and retried with backoff, so the server starts (and /healthz
 * answers) without an API server; until the cache has synced once, /readyz says 503. After that it stays
 * ready through watch interruptions: the cache keeps its content and misses fall back to GETs.
 */
import type { ResourceCache } from '../cluster/cache.js';
import type { ClusterConnection, ConnectOptions } from '../cluster/connection.js';
import { connect as clusterConnect } from '../cluster/connection.js';
import type { Result } from '../cluster/errors.js';
import { openCluster } from '../cluster/open.js';
import { describe, objectPath, type ApiResource, type KubeObject } from '../cluster/paths.js';
import { apiResource } from '../cluster/storageCaches.js';
import { kinds } from '../core/kinds/index.js';
import type { Logger } from './log.js';
import type { SnapshotLookup, SnapshotSource } from './snapshotSource.js';

/** snapshot.storage.k8s.io/v1 (GA since Kubernetes 1.20; v1beta1 is no longer served): the registry's VolumeSnapshot. */
export const VOLUME_SNAPSHOTS: ApiResource = apiResource(kinds.VolumeSnapshot);

type Conn = Pick<ClusterConnection, 'request' | 'stream'>;

export interface ClusterSnapshotsOptions {
  kubeconfigPath?: string;
  context?: string;
  logger: Logger;
  /** Deadline of a direct GET: well inside the API server's 10 s webhook timeout. */
  lookupTimeoutMs?: number;
  /** For tests: how to connect (default cluster/connection.ts `connect`). */
  connect?: (opts: ConnectOptions) => Promise<Result<ClusterConnection>>;
}

interface SnapshotObject extends KubeObject {
  status?: { restoreSize?: unknown };
}

export function clusterSnapshots(opts: ClusterSnapshotsOptions): SnapshotSource {
  const { logger } = opts;
  const lookupTimeoutMs = opts.lookupTimeoutMs ?? 3_000;
  const connectOnce = opts.connect ?? clusterConnect;
  let conn: Conn | undefined;
  let cache: ResourceCache<SnapshotObject> | undefined;
  let synced = false;
  let closed = false;
  let lastConnectError = '';

  const watch = (c: ResourceCache<SnapshotObject>): void => {
    cache = c;
    let lastState = '';
    c.onChange((e) => {
      if (e.type !== 'RESYNC' || c.state === lastState) return;
      lastState = c.state;
      if (c.state === 'synced' && !synced) {
        synced = true;
        logger.log('info', 'snapshot-cache-synced', `VolumeSnapshot cache synced (${c.size} snapshots)`, { snapshots: c.size });
      } else if (c.state === 'unavailable') {
        logger.log('warn', 'snapshot-cache-unavailable', `VolumeSnapshot cache unavailable (retrying): ${c.error?.message ?? 'unknown error'}; lookups fall back to GET`);
      } else if (c.state === 'not-served') {
        logger.log('error', 'snapshot-api-not-served', 'the API server does not serve snapshot.storage.k8s.io/v1 volumesnapshots: is the external-snapshotter installed?');
      } else if (c.state === 'synced') {
        logger.log('info', 'snapshot-cache-resumed', 'VolumeSnapshot watch resumed');
      }
    });
  };

  // The one opener (cluster/open.ts), as a long-lived follower that must come up unattended: every failure is
  // retried; no discovery request (the service account may read only VolumeSnapshots); all namespaces, never
  // narrowed to the pod's own.
  const opener = openCluster({
    kubeconfigPath: opts.kubeconfigPath,
    context: opts.context,
    verify: false,
    discovery: 'assume',
    caches: { only: ['volumeSnapshots'], narrowOnForbidden: false },
    retry: { failures: 'all', backoff: { initialMs: 1_000, maxMs: 30_000 } },
    async connect(o) {
      try {
        return await connectOnce(o);
      } catch (e) {
        // A bug (or a broken image, e.g. dist/k8s.js missing): log it with its stack and keep failing open
        // rather than crash; /readyz stays 503, which the Deployment's status shows.
        return { ok: false, error: { kind: 'invalid', message: `unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` } };
      }
    },
    onOpened: ({ connection, caches }) => {
      conn = connection;
      const c = caches.get('volumeSnapshots');
      if (c) watch(c as ResourceCache<SnapshotObject>);
    },
    onFailed: (error, retryInMs) => {
      if (error.message !== lastConnectError) logger.log('error', 'cluster-connect-failed', `cannot connect to the API server: ${error.message}`, { retryInMs });
      lastConnectError = error.message;
    },
  });

  async function directGet(namespace: string, name: string): Promise<SnapshotLookup> {
    if (!conn) return { ok: false, error: 'not connected to the API server yet' };
    const what = describe('get', VOLUME_SNAPSHOTS, namespace, name);
    const r = await conn.request({ method: 'GET', path: objectPath(VOLUME_SNAPSHOTS, namespace, name), what, timeoutMs: lookupTimeoutMs });
    if (!r.ok) return r.error.kind === 'not-found' ? { ok: true } : { ok: false, error: r.error.message };
    try {
      return { ok: true, snapshot: JSON.parse(r.value.text) as object };
    } catch {
      return { ok: false, error: `${what}: the answer is not JSON` };
    }
  }

  return {
    async get(namespace, name) {
      if (cache?.state === 'synced') {
        const hit = cache.get(namespace, name);
        if (hit?.status?.restoreSize !== undefined && hit.status.restoreSize !== null) return { ok: true, snapshot: hit };
      }
      return directGet(namespace, name);
    },
    ready: () => synced && !closed,
    close() {
      closed = true;
      opener.dispose();
    },
  };
}
