/**
 * `lint --kubeconfig`: the cluster's facts for the analysis, read once. Every namespace is watched (a
 * manifest may restore a snapshot of any namespace); where the user may not list across namespaces the
 * caches fall back to the context's namespace, and a note says so.
 */
import type { StorageCacheName } from '../cluster/storageCaches.js';
import { storageResources } from '../cluster/storageCaches.js';
import { factCaches, optionalFactCaches } from '../cluster/clusterFacts.js';
import type { ClusterFactsProvider } from '../core/facts.js';
import { VolumeUsageReader } from '../cluster/volumeUsage.js';
import { describeCache, openCluster, unreadableSummary, type ClusterArgs } from './cluster.js';
import { learnPvcWebhook } from './doctorProbe.js';

/** The caches core's facts read. */
export const lintCaches = factCaches;

/** With a VolumeResize among the files, each replica's PVC is read too. */
export const volumeResizeCaches: readonly StorageCacheName[] = [...factCaches, 'persistentVolumeClaims'];

export type ClusterLook =
  | {
      ok: true;
      facts: ClusterFactsProvider;
      /** The context's namespace (or `default`): where manifests without one go. */
      namespace: string;
      /** For stderr: groups not served, resources only partly readable. */
      notes: string[];
      /** Some facts could not be read: the findings may miss problems (exit 2). */
      incomplete: boolean;
      /**
       * Waits for the readings the analysis asked for on demand (the kubelets' volume stats), then the facts
       * with them; undefined when none was asked for (the findings stand).
       */
      settle(): Promise<ClusterFactsProvider | undefined>;
      dispose(): void;
    }
  | { ok: false; message: string };

export async function lookAtCluster(args: ClusterArgs, only: readonly StorageCacheName[], env?: Record<string, string | undefined>): Promise<ClusterLook> {
  const opened = await openCluster(args, { allNamespaces: true, only, env });
  if (!opened.ok) return { ok: false, message: opened.error.message };
  const c = opened.value;
  const all = unreadableSummary(c, only);
  if (all) {
    c.dispose();
    return { ok: false, message: all };
  }
  const notes: string[] = [];
  const groups = new Set(c.caches.notServed.map((n) => storageResources[n].group));
  for (const g of groups) notes.push(`note: the cluster does not serve ${g}; its facts come from the manifests only`);
  for (const u of c.unreadable) {
    notes.push(
      optionalFactCaches.includes(u.name)
        ? `note: cannot read ${describeCache(u.name)} (${u.error.message}); restore sizes and source volume modes come from the VolumeSnapshots and their source PVCs`
        : `cannot read ${describeCache(u.name)}: ${u.error.message}`,
    );
  }
  for (const n of c.narrowed) notes.push(`note: may not list ${describeCache(n)} in all namespaces; read namespace ${JSON.stringify(c.conn.namespace)} only`);
  const webhookNote = await learnPvcWebhook(c.conn, c.facts);
  if (webhookNote) notes.push(`note: ${webhookNote}`);
  const usage = new VolumeUsageReader(c.conn);
  let asked = false;
  const off = usage.onChange(() => (asked = true));
  c.facts.attachUsage(usage);
  const settle = async (): Promise<ClusterFactsProvider | undefined> => {
    await usage.settled();
    off();
    return asked ? c.facts.view() : undefined;
  };
  return { ok: true, facts: c.facts.view(), namespace: c.conn.namespace, notes, incomplete: c.unreadable.some((u) => !optionalFactCaches.includes(u.name)), settle, dispose: c.dispose };
}
