/**
 * VolumeSnapshots from the cluster: a watch-backed cache of all namespaces, and a direct GET when the cache
 * cannot answer (not synced yet, a miss, or a cached snapshot without restoreSize: a restore PVC is often
 * created moments after its snapshot became ready, before the watch event arrives).
 *
 * The connection is made in the background and retried with backoff, so the server starts (and /healthz
 * answers) without an API server; until the cache has synced once, /readyz says 503. After that it stays
 * ready through watch interruptions, and keeps answering from the cache while the watch reconnects: an API
 * server blip must not stop every shrink (the GET would fail too). The cache is trusted for `maxStaleMs` after it
 * reported that it could not resume its watch (it notices at the first failed reconnect, within one backoff
 * step of the drop); after that, lookups are direct GETs again until the watch is back. Stale answers are safe
 * enough for that long: a ready snapshot's restoreSize does not change, a new snapshot is a miss (a GET), and
 * a deleted one fails the restore whatever size the PVC asks for.
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
  /** How long the cache answers after its watch could not be resumed (default 5 minutes; 0: never). */
  maxStaleMs?: number;
  /** The clock (ms), for tests. */
  now?: () => number;
  /** For tests: how to connect (default cluster/connection.ts `connect`). */
  connect?: (opts: ConnectOptions) => Promise<Result<ClusterConnection>>;
}

interface SnapshotObject extends KubeObject {
  status?: { restoreSize?: unknown };
}

/** The default of `maxStaleMs` (and of the webhook's `--max-stale`): an API server restart fits in it. */
export const DEFAULT_MAX_STALE_MS = 5 * 60_000;

export function clusterSnapshots(opts: ClusterSnapshotsOptions): SnapshotSource & { staleAnswers(): number } {
  const { logger } = opts;
  const lookupTimeoutMs = opts.lookupTimeoutMs ?? 3_000;
  const maxStaleMs = opts.maxStaleMs ?? DEFAULT_MAX_STALE_MS;
  const now = opts.now ?? Date.now;
  /** When the synced cache stopped following the API server; undefined while it follows (or never synced). */
  let staleSince: number | undefined;
  const connectOnce = opts.connect ?? clusterConnect;
  let conn: Conn | undefined;
  let cache: ResourceCache<SnapshotObject> | undefined;
  let synced = false;
  let closed = false;
  let lastConnectError = '';
  let staleAnswers = 0;

  const watch = (c: ResourceCache<SnapshotObject>): void => {
    cache = c;
    let lastState = '';
    c.onChange((e) => {
      if (e.type !== 'RESYNC' || c.state === lastState) return;
      lastState = c.state;
      if (c.state === 'synced') staleSince = undefined;
      else if (synced && staleSince === undefined) staleSince = now();
      if (c.state === 'synced' && !synced) {
        synced = true;
        logger.log('info', 'snapshot-cache-synced', `VolumeSnapshot cache synced (${c.size} snapshots)`, { snapshots: c.size });
      } else if (c.state === 'unavailable') {
        const fallback = synced && maxStaleMs > 0 ? `lookups are answered from the cache for up to ${Math.round(maxStaleMs / 1000)} s, then by GET` : 'lookups fall back to GET';
        logger.log('warn', 'snapshot-cache-unavailable', `VolumeSnapshot cache unavailable (retrying): ${c.error?.message ?? 'unknown error'}; ${fallback}`);
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
      const c = cache;
      const trusted = c !== undefined && (c.state === 'synced' || (synced && staleSince !== undefined && now() - staleSince <= maxStaleMs));
      if (trusted) {
        const hit = c.get(namespace, name);
        if (hit?.status?.restoreSize !== undefined && hit.status.restoreSize !== null) {
          if (c.state !== 'synced') staleAnswers++;
          return { ok: true, snapshot: hit };
        }
      }
      return directGet(namespace, name);
    },
    staleAnswers: () => staleAnswers,
    ready: () => synced && !closed,
    close() {
      closed = true;
      opener.dispose();
    },
  };
}
