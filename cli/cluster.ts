/**
 * One short-lived look at a cluster for `doctor` and `lint --kubeconfig`, through the one opener
 * (cluster/open.ts): connect (kubectl's kubeconfig rules), discover, start the caches a command needs, wait for
 * them to sync within `--timeout`. Failures are values with a message for stderr; notes say what the cluster
 * does not serve or what could only be read in part.
 */
import { clusterFacts, type ClusterFacts } from '../cluster/clusterFacts.js';
import type { ClusterConnection } from '../cluster/connection.js';
import type { ClusterError } from '../cluster/errors.js';
import { openCluster as open } from '../cluster/open.js';
import { describeCache, type StorageCacheName, type StorageCaches } from '../cluster/storageCaches.js';

export { describeCache } from '../cluster/storageCaches.js';

export interface ClusterArgs {
  /** `--kubeconfig`; else KUBECONFIG, else ~/.kube/config, else in-cluster. */
  kubeconfig?: string;
  /** `--context`; else kubeconfig's current-context. */
  context?: string;
  /** `--timeout` in milliseconds: the bound of the whole look (each request, and the wait for the caches). */
  timeoutMs: number;
}

export interface OpenClusterOptions {
  /** The connection's namespace (`-n`); else the context's. */
  namespace?: string;
  /** Whether namespaced caches watch all namespaces (else only the connection's namespace). */
  allNamespaces: boolean;
  /** The caches to start. */
  only: readonly StorageCacheName[];
  env?: Record<string, string | undefined>;
}

export interface OpenedCluster {
  conn: ClusterConnection;
  caches: StorageCaches;
  facts: ClusterFacts;
  /** Asked-for caches that could not be read (forbidden, failing), with why. */
  unreadable: { name: StorageCacheName; error: ClusterError }[];
  /** Namespaced caches that fell back to the connection's namespace (not allowed cluster-wide). */
  narrowed: StorageCacheName[];
  dispose(): void;
}

export const defaultTimeoutMs = 30_000;

/** One short look (cluster/open.ts with a deadline): the caches `only` names, synced within `--timeout`. */
export async function openCluster(args: ClusterArgs, opts: OpenClusterOptions): Promise<{ ok: true; value: OpenedCluster } | { ok: false; error: ClusterError }> {
  const opener = open({
    kubeconfigPath: args.kubeconfig,
    context: args.context,
    namespace: opts.namespace,
    timeoutMs: args.timeoutMs,
    ...(opts.env ? { env: opts.env } : {}),
    caches: { only: opts.only, connectionNamespaceOnly: !opts.allNamespaces },
    deadline: { ms: args.timeoutMs, name: '--timeout' },
  });
  const r = await opener.first;
  if (!r.ok) return r;
  const { connection: conn, caches } = r.value;
  const facts = clusterFacts(conn.context, caches, { debounceMs: 0 });
  const dispose = (): void => {
    facts.dispose();
    opener.dispose();
  };
  return { ok: true, value: { conn, caches, facts, unreadable: r.value.unreadable(), narrowed: r.value.narrowed(), dispose } };
}
/** Every asked-for cache is unreadable for the same reason (a forbidden user, a dead server): say it once. */
export function unreadableSummary(opened: OpenedCluster, asked: readonly StorageCacheName[]): string | undefined {
  const served = asked.filter((n) => !opened.caches.notServed.includes(n));
  if (served.length === 0 || opened.unreadable.length < served.length) return undefined;
  const kinds = new Set(opened.unreadable.map((u) => u.error.kind));
  if (kinds.size !== 1) return undefined;
  const [kind] = kinds;
  const who = opened.conn.user ? `user ${JSON.stringify(opened.conn.user)}` : 'this user';
  return kind === 'forbidden'
    ? `${who} may not read the storage resources of context ${JSON.stringify(opened.conn.context)} (403), e.g. ${opened.unreadable[0]!.error.message}`
    : opened.unreadable[0]!.error.message;
}
