/**
 * What `kvstorage doctor` asks the cluster besides its caches: whether CDI's PVC webhook configuration exists
 * (always), and with `--probe` the cluster's own answer for each kind of restore PVC it predicts (one dry-run
 * create per storage class × label × volume mode × source kind). The answers go into the facts, so the checks
 * use them, and into the inventory, so `prediction-mismatch` compares.
 */
import type { ClusterFacts } from '../cluster/clusterFacts.js';
import type { ClusterConnection } from '../cluster/connection.js';
import { isCreateForbidden, probeRender, readPvcWebhook } from '../cluster/probe.js';
import { readKubevirtVersion } from '../cluster/kubevirtVersion.js';
import { cdiPvcWebhookName } from '../core/cdi/webhook.js';
import { probeCandidates, type ClusterInventory, type ProbeResult } from '../core/doctor/index.js';
import type { Settings } from '../core/types.js';

export interface ProbeOutcome {
  results: ProbeResult[];
  /** stderr lines (without the `kvstorage doctor: ` prefix). */
  notes: string[];
  /** A probe could not be made (forbidden, unreachable): the scan is incomplete. */
  incomplete: boolean;
}

/** Reads `cdi-api-pvc-mutate` into the facts; a note when it cannot be read (the configuration then decides). */
export async function learnPvcWebhook(conn: ClusterConnection, facts: ClusterFacts): Promise<string | undefined> {
  // The KubeVirt version too (the restore model): unreadable, it is assumed, and the findings say so.
  const kubevirt = await readKubevirtVersion(conn);
  if (kubevirt.ok && kubevirt.value) facts.setKubevirtVersion(kubevirt.value);
  const r = await readPvcWebhook(conn);
  if (r.ok) {
    facts.setPvcWebhook(r.value);
    return undefined;
  }
  return `cannot read MutatingWebhookConfiguration ${cdiPvcWebhookName} (${r.error.message}); whether CDI's PVC webhook exists is taken from CDI's configuration`;
}

/** Sends one dry run per kind of predicted restore PVC and files the answers in `facts`. */
export async function runProbes(conn: ClusterConnection, facts: ClusterFacts, inv: ClusterInventory, namespace: string | undefined, settings: Settings, now: () => Date): Promise<ProbeOutcome> {
  const candidates = probeCandidates(inv, namespace, settings);
  const results: ProbeResult[] = [];
  const notes: string[] = [];
  let incomplete = false;
  const forbiddenIn = new Set<string>();
  for (const c of candidates) {
    if (forbiddenIn.has(c.input.namespace)) continue;
    const r = await probeRender(conn, c.input, c.describe, now());
    if (r.ok) {
      facts.recordLiveRender(r.value);
      results.push({ candidate: c, answer: r.value });
      continue;
    }
    incomplete = true;
    if (isCreateForbidden(r.error)) {
      forbiddenIn.add(c.input.namespace);
      const who = conn.user ? `user ${JSON.stringify(conn.user)}` : 'this user';
      notes.push(
        `--probe: ${who} may not create PersistentVolumeClaims in namespace ${JSON.stringify(c.input.namespace)}, which a dry run needs ` +
          `(nothing is stored, but the API server checks the permission); the restore PVCs there were not checked with the cluster (${r.error.message})`,
      );
    } else {
      notes.push(`--probe: the dry run of ${c.describe} failed: ${r.error.message}`);
    }
  }
  const refused = results.filter((p) => p.answer.refused !== undefined).length;
  if (candidates.length === 0) notes.push('--probe: no restore PVC to check (no VM snapshot with volumes in scope)');
  else notes.push(`--probe: ${results.length} of ${candidates.length} dry run${candidates.length === 1 ? '' : 's'} answered (one per storage class × label × volume mode × source)${refused ? `, ${refused} refused by admission` : ''}`);
  return { results, notes, incomplete };
}
