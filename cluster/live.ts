/**
 * The whole chain for a long-lived consumer (the language server, the explorer): connect, discover, start
 * the caches, serve facts. It never throws; until the cluster is readable the facts say why not. An
 * unreachable or slow server is retried with backoff; a configuration or credentials problem is reported
 * and left for the user to fix (then dispose and start again).
 */
import { Backoff, type BackoffOptions } from './backoff.js';
import { CacheFacts, type ClusterFacts, type ClusterFactsOptions } from './clusterFacts.js';
import { connect, type ClusterConnection, type ConnectOptions } from './connection.js';
import { discover, type Discovery } from './discovery.js';
import type { Result } from './errors.js';
import { startStorageCaches, type StorageCaches, type StorageCachesOptions } from './storageCaches.js';

export interface LiveClusterOptions extends ConnectOptions, StorageCachesOptions, ClusterFactsOptions {
  /** Backoff of connection retries and of the caches' reconnects. */
  backoff?: BackoffOptions;
}

export interface LiveCluster {
  readonly facts: ClusterFacts;
  /** Once connected. */
  readonly connection: ClusterConnection | undefined;
  /** Once the server's API groups are known. */
  readonly caches: StorageCaches | undefined;
  /**
   * Resolves once the first attempt has settled: the caches have settled, or connecting failed (`facts.state`
   * says why; an unreachable or slow server is still retried in the background).
   */
  ready(): Promise<void>;
  dispose(): void;
}

const retryable = new Set(['unreachable', 'timeout']);

export function startLiveCluster(opts: LiveClusterOptions = {}): LiveCluster {
  const facts = new CacheFacts(opts.context || 'current context', opts);
  const backoff = new Backoff(opts.backoff);
  let connection: ClusterConnection | undefined;
  let caches: StorageCaches | undefined;
  let disposed = false;
  let timer: NodeJS.Timeout | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const open = async (): Promise<Result<{ conn: ClusterConnection; discovery: Discovery }>> => {
    const c = await connect(opts);
    if (!c.ok) return c;
    const d = await discover(c.value);
    return d.ok ? { ok: true, value: { conn: c.value, discovery: d.value } } : d;
  };

  const attempt = async (): Promise<void> => {
    const r = await open();
    if (disposed) {
      if (r.ok) r.value.conn.dispose();
      return;
    }
    if (!r.ok) {
      facts.fail(r.error.message);
      if (retryable.has(r.error.kind)) timer = setTimeout(() => void attempt(), backoff.next());
      markReady();
      return;
    }
    connection = r.value.conn;
    caches = startStorageCaches(connection, r.value.discovery, opts);
    facts.attach(caches, connection.context);
    await caches.whenSynced();
    markReady();
  };
  void attempt();

  return {
    facts,
    get connection() {
      return connection;
    },
    get caches() {
      return caches;
    },
    ready: () => ready,
    dispose() {
      disposed = true;
      clearTimeout(timer);
      facts.dispose();
      connection?.dispose();
      markReady();
    },
  };
}
