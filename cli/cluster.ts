/**
 * One short-lived look at a cluster for `doctor` and `lint --kubeconfig`: connect (kubectl's kubeconfig rules),
 * discover, start the caches a command needs, wait for them to sync within a deadline. Failures are values
 * with a message for stderr; notes say what the cluster does not serve or what could only be read in part.
 */
import { clusterFacts, type ClusterFacts } from '../cluster/clusterFacts.js';
import { connect, type ClusterConnection } from '../cluster/connection.js';
import { discover } from '../cluster/discovery.js';
import type { ClusterError } from '../cluster/errors.js';
import { startStorageCaches, storageResources, type StorageCacheName, type StorageCaches } from '../cluster/storageCaches.js';

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

/** What a cache holds, for messages: `VolumeSnapshots (snapshot.storage.k8s.io)`. */
export function describeCache(name: StorageCacheName): string {
  const r = storageResources[name];
  return `${r.kind}s${r.group ? ` (${r.group})` : ''}`;
}

export async function openCluster(args: ClusterArgs, opts: OpenClusterOptions): Promise<{ ok: true; value: OpenedCluster } | { ok: false; error: ClusterError }> {
  const deadline = Date.now() + args.timeoutMs;
  const c = await connect({
    kubeconfigPath: args.kubeconfig,
    context: args.context,
    namespace: opts.namespace,
    timeoutMs: args.timeoutMs,
    ...(opts.env ? { env: opts.env } : {}),
  });
  if (!c.ok) return c;
  const conn = c.value;
  const d = await discover(conn);
  if (!d.ok) {
    conn.dispose();
    return d;
  }
  const caches = startStorageCaches(conn, d.value, { namespace: opts.allNamespaces ? undefined : conn.namespace, only: opts.only });
  const facts = clusterFacts(conn.context, caches, { debounceMs: 0 });
  const dispose = (): void => {
    facts.dispose();
    conn.dispose();
  };
  let timer: NodeJS.Timeout | undefined;
  const synced = await Promise.race([
    caches.whenSynced().then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())))),
  ]);
  clearTimeout(timer);
  if (!synced) {
    const slow = opts.only.filter((n) => caches.get(n)?.state === 'syncing').map(describeCache);
    dispose();
    return {
      ok: false,
      error: { kind: 'timeout', message: `${conn.server} (context ${JSON.stringify(conn.context)}) did not list ${slow.join(', ') || 'everything'} within ${args.timeoutMs / 1000} s (--timeout)` },
    };
  }
  const unreadable: OpenedCluster['unreadable'] = [];
  const narrowed: StorageCacheName[] = [];
  for (const name of opts.only) {
    const cache = caches.get(name);
    if (cache?.state === 'unavailable') unreadable.push({ name, error: cache.error ?? { kind: 'unreachable', message: `${describeCache(name)} could not be read` } });
    if (opts.allNamespaces && caches.scope(name) !== undefined) narrowed.push(name);
  }
  return { ok: true, value: { conn, caches, facts, unreadable, narrowed, dispose } };
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
