/**
 * "Check with the cluster" (`kubevirtStorage/checkWithCluster`): the PVC at a position, or each restore PVC of a
 * VirtualMachineRestore, sent to the connected cluster as a server-side dry-run create (cluster/probe.ts). The
 * answer is filed in the live facts, so the diagnostics of PVCs like it use it (and are re-published), and is
 * answered next to the prediction (core/probe/report.ts).
 */
import { checkWithClusterRequest, type CheckWithClusterParams, type CheckWithClusterResult } from '../protocol/probe.js';
import { isCreateForbidden, probeRender, readPvcWebhook } from '../cluster/probe.js';
import { clusterCheck } from '../core/probe/report.js';
import type { ServerContext } from './context.js';

/** The client command (registered by the extension) that sends the request and shows the answer. */
export const checkWithClusterCommand = 'kubevirtStorage.checkWithCluster';
export const checkWithClusterTitle = 'Check with the cluster';

async function checkWithCluster(context: ServerContext, params: CheckWithClusterParams): Promise<CheckWithClusterResult> {
  const live = context.cluster();
  const conn = live?.connection;
  if (!live || !conn || live.facts.state.kind !== 'connected') {
    return { ok: false, message: 'No cluster is connected: the dry run needs one (kubevirtStorage.cluster.*, or KubeVirt Storage: Select Context).' };
  }
  const key = context.keys.keyOf(params.uri);
  if (!context.workspace.has(key)) return { ok: false, message: `${params.uri} is not a document the server analyses` };
  // The prediction reads whether CDI's PVC webhook is there: ask again, it may have changed since connecting.
  const webhook = await readPvcWebhook(conn);
  if (webhook.ok) live.facts.setPvcWebhook(webhook.value);
  const options = context.options();
  const subjects = context.workspace.probeSubjects(key, params.position, options);
  if (!subjects.ok) return { ok: false, message: `Nothing to check with the cluster here: ${subjects.reason}.` };
  const facts = context.workspace.facts(options);
  const sections = [];
  const checks = [];
  for (const subject of subjects.subjects) {
    const r = await probeRender(conn, subject.input, subject.describe, new Date());
    if (!r.ok) {
      const who = conn.user ? `User ${JSON.stringify(conn.user)}` : 'This user';
      const message = isCreateForbidden(r.error)
        ? `${who} may not create PersistentVolumeClaims in namespace ${JSON.stringify(subject.input.namespace)} of context ${JSON.stringify(conn.context)}, which a dry run needs (nothing is stored, but the API server checks the permission).`
        : `The dry run of ${subject.describe} failed: ${r.error.message}`;
      return { ok: false, message };
    }
    live.facts.recordLiveRender(r.value);
    const check = clusterCheck(subject, r.value, facts, options.settings);
    sections.push(check.markdown);
    checks.push({ subject: check.subject, agrees: check.agrees, differences: check.differences.map((d) => d.field) });
  }
  const markdown = [`# Checked with the cluster: context ${conn.context}`, '', ...sections].join('\n');
  return { ok: true, context: conn.context, checks, markdown };
}

/** Handles `kubevirtStorage/checkWithCluster`; a bug is logged once and answered as a failure. */
export function registerProbe(context: ServerContext): void {
  context.connection.onRequest(checkWithClusterRequest, async (params) => {
    try {
      const result = await checkWithCluster(context, params);
      context.health.problem('checkWithCluster', undefined);
      return result;
    } catch (error) {
      context.health.failed('checkWithCluster', 'Check with the cluster', error);
      return { ok: false, message: `Check with the cluster failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  });
}
