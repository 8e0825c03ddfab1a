/**
 * The whole chain for a long-lived consumer (the language server, the explorer): connect, discover, start
 * the caches, serve facts. It never throws; until the cluster is readable the facts say why not. An
 * unreachable or slow server is retried with backoff; a configuration or credentials problem is reported
 * and left for the user to fix (then dispose and start again).
 */
import type { BackoffOptions } from './backoff.js';
import { CacheFacts, type ClusterFacts, type ClusterFactsOptions } from './clusterFacts.js';
import type { ClusterConnection, ConnectOptions } from './connection.js';
import { openCluster } from './open.js';
import type { StorageCaches, StorageCachesOptions } from './storageCaches.js';
import { VolumeUsageReader } from './volumeUsage.js';

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

export function startLiveCluster(opts: LiveClusterOptions = {}): LiveCluster {
  const facts = new CacheFacts(opts.context || 'current context', opts);
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  // The same options name the connection's namespace and the caches' (settings: kubevirtStorage.cluster.namespace).
  const opener = openCluster({
    ...opts,
    caches: opts,
    retry: { failures: 'network', backoff: opts.backoff },
    onOpened: ({ connection, caches }) => {
      facts.attach(caches, connection.context);
      // The data in use on the volumes VolumeResizes shrink: read from the kubelets when a rule asks.
      facts.attachUsage(new VolumeUsageReader(connection));
    },
    onFailed: (error) => facts.fail(error.message),
  });
  void opener.first.then(() => markReady());

  return {
    facts,
    get connection() {
      return opener.current?.connection;
    },
    get caches() {
      return opener.current?.caches;
    },
    ready: () => ready,
    dispose() {
      facts.dispose();
      opener.dispose();
      markReady();
    },
  };
}
