/**
 * The one way the tools open a cluster: connect (kubectl's kubeconfig rules), learn what it serves, start the
 * caches asked for. Its options make it either
 * - a short look (`deadline`): one attempt whose caches must sync within the deadline — `kvstorage doctor`,
 *   `lint --kubeconfig`; or
 * - a long-lived follower (`retry`): a failed attempt is retried with backoff until disposed — the language
 *   server (network failures only: a configuration or credentials problem waits for the user), the webhook
 *   (any failure: it must come up unattended).
 * It never throws on cluster trouble (failures are values, handed to `onFailed`) and never prompts.
 */
import { Backoff, type BackoffOptions } from './backoff.js';
import { connect, type ClusterConnection, type ConnectOptions } from './connection.js';
import { assumedDiscovery, discover, type Discovery } from './discovery.js';
import { fail, ok, type ClusterError, type Result } from './errors.js';
import { describeCache, startStorageCaches, storageCacheNames, type StorageCacheName, type StorageCaches, type StorageCachesOptions } from './storageCaches.js';

export interface OpenClusterOptions extends ConnectOptions {
  /** The caches to start (every watched kind by default) and where they look. */
  caches?: StorageCachesOptions & {
    /** Namespaced caches watch the connection's namespace (the context's, or `namespace`) instead of all. */
    connectionNamespaceOnly?: boolean;
  };
  /**
   * 'discover' (the default): one /apis request says what is served; a group not installed has no cache.
   * 'assume': no discovery request (a webhook's service account may read only its own resources): each cache
   * is started at its kind's served version, and a 404 makes it `not-served`.
   */
  discovery?: 'discover' | 'assume';
  /** Retry failed attempts with backoff: 'network' failures (unreachable, timeout) only, or 'all'. */
  retry?: { failures: 'network' | 'all'; backoff?: BackoffOptions };
  /** A short look: the caches must have settled this many ms after the start (else a `timeout` failure naming them); `name` names the knob in the message. */
  deadline?: { ms: number; name?: string };
  /** How to connect (tests; the webhook guards it): cluster/connection.ts `connect` by default. */
  connect?: (opts: ConnectOptions) => Promise<Result<ClusterConnection>>;
  /** Called when an attempt has connected and started its caches (before they sync). */
  onOpened?(cluster: OpenedCluster): void;
  /** Called when an attempt failed; `retryInMs` when another follows. */
  onFailed?(error: ClusterError, retryInMs: number | undefined): void;
}

export interface OpenedCluster {
  readonly connection: ClusterConnection;
  readonly discovery: Discovery;
  readonly caches: StorageCaches;
  /** Asked-for caches that could not be read (forbidden, failing), with why: meaningful once they settled. */
  unreadable(): { name: StorageCacheName; error: ClusterError }[];
  /** Namespaced caches asked for all namespaces that fell back to the connection's (not allowed cluster-wide). */
  narrowed(): StorageCacheName[];
}

export interface ClusterOpener {
  /**
   * The first attempt, settled: connected with its caches settled (within the deadline, when one is set), or
   * why not. Retries, if asked for, go on in the background and report through onOpened/onFailed.
   */
  readonly first: Promise<Result<OpenedCluster>>;
  /** The cluster of the latest successful attempt. */
  readonly current: OpenedCluster | undefined;
  /** Stops retrying; disposes the caches and the connection. */
  dispose(): void;
}

const networkFailures = new Set(['unreachable', 'timeout']);

export function openCluster(opts: OpenClusterOptions = {}): ClusterOpener {
  const start = Date.now();
  const backoff = new Backoff(opts.retry?.backoff);
  const asked: readonly StorageCacheName[] = opts.caches?.only ?? storageCacheNames;
  let current: OpenedCluster | undefined;
  let disposed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const closed = (): Result<never> => fail('invalid', 'the cluster was closed before it was opened');

  const failed = (error: ClusterError): Result<never> => {
    const retry = opts.retry && (opts.retry.failures === 'all' || networkFailures.has(error.kind)) ? backoff.next() : undefined;
    opts.onFailed?.(error, retry);
    if (retry !== undefined) retryTimer = setTimeout(() => void attempt(), retry);
    return { ok: false, error };
  };

  const close = (c: OpenedCluster): void => {
    c.caches.dispose();
    c.connection.dispose();
  };

  /** Waits for the caches to settle, within the deadline if there is one; a miss closes the cluster. */
  const settled = async (c: OpenedCluster): Promise<Result<OpenedCluster>> => {
    const deadline = opts.deadline;
    if (!deadline) {
      await c.caches.whenSynced();
      return ok(c);
    }
    let timer: NodeJS.Timeout | undefined;
    const synced = await Promise.race([
      c.caches.whenSynced().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, start + deadline.ms - Date.now())))),
    ]);
    clearTimeout(timer);
    if (synced) return ok(c);
    const slow = asked.filter((n) => c.caches.get(n)?.state === 'syncing').map(describeCache);
    close(c);
    if (current === c) current = undefined;
    const { server, context } = c.connection;
    return failed({
      kind: 'timeout',
      message: `${server} (context ${JSON.stringify(context)}) did not list ${slow.join(', ') || 'everything'} within ${deadline.ms / 1000} s${deadline.name ? ` (${deadline.name})` : ''}`,
    });
  };

  const attempt = async (): Promise<Result<OpenedCluster>> => {
    const c = await (opts.connect ?? connect)(opts);
    if (disposed) {
      if (c.ok) c.value.dispose();
      return closed();
    }
    if (!c.ok) return failed(c.error);
    const connection = c.value;
    const d = opts.discovery === 'assume' ? ok(assumedDiscovery()) : await discover(connection);
    if (disposed) {
      connection.dispose();
      return closed();
    }
    if (!d.ok) {
      connection.dispose();
      return failed(d.error);
    }
    const { connectionNamespaceOnly, ...cacheOptions } = opts.caches ?? {};
    const namespace = connectionNamespaceOnly ? connection.namespace : cacheOptions.namespace;
    const caches = startStorageCaches(connection, d.value, { ...cacheOptions, namespace });
    const opened: OpenedCluster = {
      connection,
      discovery: d.value,
      caches,
      unreadable: () =>
        asked.flatMap((name) => {
          const cache = caches.get(name);
          return cache?.state === 'unavailable' ? [{ name, error: cache.error ?? { kind: 'unreachable' as const, message: `${describeCache(name)} could not be read` } }] : [];
        }),
      narrowed: () => (namespace === undefined ? asked.filter((name) => caches.scope(name) !== undefined) : []),
    };
    current = opened;
    opts.onOpened?.(opened);
    return settled(opened);
  };

  const first = attempt();

  return {
    first,
    get current() {
      return current;
    },
    dispose() {
      disposed = true;
      clearTimeout(retryTimer);
      if (current) close(current);
      current = undefined;
    },
  };
}
