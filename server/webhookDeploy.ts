/**
 * Deploying a kept plan: server-side dry-run, then apply in dependency order (the Namespace when the deploy
 * creates it, RBAC, TLS, Service, Deployment, PDB), wait for the rollout, and only then the
 * MutatingWebhookConfiguration, so that the API server never calls a webhook that is not ready; then verify.
 * Every step reports progress; cancellation stops between steps; a failure or a cancellation reports exactly
 * what was applied and what was not.
 */
import type { ClusterConnection } from '../cluster/connection.js';
import { waitForRollout } from '../cluster/rollout.js';
import type { KubeObject } from '../core/webhookPlan.js';
import type { WebhookApplyResult, WebhookDryRunResult, WebhookObjectOutcome } from '../protocol/webhook.js';
import { applyObject, dryRunObjects, label, names, outcome, type RunHooks } from './webhookApply.js';
import type { StoredPlan } from './webhookPlanner.js';
import { verifyWebhook } from './webhookVerify.js';

export interface DeployTimeouts {
  /** The rollout wait; 5 minutes by default. */
  rolloutMs?: number;
  /** How long verification retries while the API server picks up the configuration; 20 s by default. */
  verifyMs?: number;
}

type Prepared = { ok: true; objects: KubeObject[]; namespaceMissing: boolean } | { ok: false; message: string };

/** The plan's objects as of now: a Namespace that appeared since planning is not claimed (uninstall would delete it). */
async function prepare(conn: ClusterConnection, plan: StoredPlan): Promise<Prepared> {
  if (conn.context !== plan.target.context || conn.server !== plan.target.server) {
    return { ok: false, message: `The plan was made for context ${plan.target.context} (${plan.target.server}); the server now uses ${conn.context} (${conn.server}). Plan again.` };
  }
  if (!plan.createsNamespace) return { ok: true, objects: plan.objects, namespaceMissing: false };
  const ns = await conn.get('v1', 'Namespace', undefined, plan.summary.namespace);
  if (ns.ok) return { ok: true, objects: plan.objects.filter((o) => o.kind !== 'Namespace'), namespaceMissing: false };
  if (ns.error.kind !== 'not-found') return { ok: false, message: ns.error.message };
  return { ok: true, objects: plan.objects, namespaceMissing: true };
}

/**
 * The dry-run request: every object through the API server with `dryRun=All`. Objects of a namespace that
 * does not exist yet cannot be dry-run (the API server answers 404 for the namespace); they are reported as
 * `create`, and apply dry-runs them once it has created the namespace.
 */
export async function dryRunPlan(conn: ClusterConnection, plan: StoredPlan, hooks?: RunHooks): Promise<WebhookDryRunResult> {
  const p = await prepare(conn, plan);
  if (!p.ok) return p;
  const now = p.namespaceMissing ? p.objects.filter((o) => !o.metadata.namespace) : p.objects;
  const r = await dryRunObjects(conn, now, hooks);
  if (!r.ok) return { ok: false, message: `${r.message} Nothing was applied.` };
  const byLabel = new Map(now.map((o, i) => [label(o), r.outcomes[i]!]));
  return { ok: true, outcomes: p.objects.map((o) => byLabel.get(label(o)) ?? outcome(o, 'create')) };
}

/** Dry-run, apply, rollout, configuration, verification. */
export async function applyPlan(conn: ClusterConnection, plan: StoredPlan, hooks: RunHooks, timeouts: DeployTimeouts = {}): Promise<WebhookApplyResult> {
  const p = await prepare(conn, plan);
  if (!p.ok) return p;
  const { objects } = p;
  const applied: WebhookObjectOutcome[] = [];
  const appliedObjects: KubeObject[] = [];
  const stop = (reason: string): WebhookApplyResult => {
    const rest = objects.filter((o) => !appliedObjects.includes(o));
    const mwcMissing = rest.some((o) => o.kind === 'MutatingWebhookConfiguration');
    const tail = mwcMissing && appliedObjects.length > 0
      ? ' The MutatingWebhookConfiguration is not applied, so the API server does not call the webhook; deploy again to finish, or uninstall to remove what was applied.'
      : '';
    return { ok: false, message: `${reason} Applied: ${names(appliedObjects)}. Not applied: ${names(rest)}.${tail}`, outcomes: applied };
  };
  const cancelled = (): boolean => hooks.signal?.aborted === true;

  hooks.progress('dry-run', `Server-side dry run of ${objects.length} objects`);
  const namespace = objects.find((o) => o.kind === 'Namespace');
  if (p.namespaceMissing && namespace) {
    // Namespaced objects can be dry-run only once their namespace exists: dry-run what can be, create the
    // namespace, dry-run the rest; if that fails, the empty namespace goes again.
    const first = await dryRunObjects(conn, objects.filter((o) => !o.metadata.namespace), hooks);
    if (!first.ok) return { ok: false, message: `${first.message} Nothing was applied.`, outcomes: [] };
    if (cancelled()) return stop('Cancelled before anything was applied.');
    hooks.progress('apply', `Creating ${label(namespace)} so that the namespaced objects can be dry-run`);
    const created = await applyObject(conn, namespace, 0, objects.length);
    if (!created.ok) return { ok: false, message: `${created.message} Nothing was applied.`, outcomes: [] };
    applied.push(outcome(namespace, 'create'));
    appliedObjects.push(namespace);
  }
  const rest = objects.filter((o) => !appliedObjects.includes(o));
  const dry = await dryRunObjects(conn, rest, hooks);
  if (!dry.ok) {
    if (appliedObjects.length === 0) return { ok: false, message: `${dry.message} Nothing was applied.`, outcomes: [] };
    const removed = await conn.remove(appliedObjects);
    return removed.ok
      ? { ok: false, message: `${dry.message} The namespace created for the dry run was deleted again: nothing is left applied.`, outcomes: [] }
      : stop(`${dry.message} Deleting the namespace created for the dry run failed too: ${removed.error.message}.`);
  }
  const actions = new Map(rest.map((o, i) => [o, dry.outcomes[i]!]));

  const configuration = rest.filter((o) => o.kind === 'MutatingWebhookConfiguration');
  const workload = rest.filter((o) => o.kind !== 'MutatingWebhookConfiguration');
  const applyOne = async (o: KubeObject): Promise<WebhookApplyResult | undefined> => {
    if (cancelled()) return stop('Cancelled.');
    const index = objects.indexOf(o);
    hooks.progress('apply', `Applying ${index + 1}/${objects.length}: ${label(o)} (${actions.get(o)?.action ?? 'apply'})`);
    const r = await applyObject(conn, o, index, objects.length);
    if (!r.ok) return stop(r.message);
    applied.push(actions.get(o) ?? outcome(o, 'update'));
    appliedObjects.push(o);
    return undefined;
  };
  for (const o of workload) {
    const stopped = await applyOne(o);
    if (stopped) return stopped;
  }

  const deployment = workload.find((o) => o.kind === 'Deployment');
  if (deployment) {
    if (cancelled()) return stop('Cancelled.');
    hooks.progress('rollout', `Waiting for ${label(deployment)} to roll out`);
    const rollout = await waitForRollout(conn, deployment.metadata.namespace ?? plan.summary.namespace, deployment.metadata.name, {
      timeoutMs: timeouts.rolloutMs ?? 300_000,
      signal: hooks.signal,
      onProgress: (o) => hooks.progress('rollout', `${label(deployment)}: ${o.message}`),
    });
    if (!rollout.ok) return stop(`Waiting for the rollout failed: ${rollout.error.message}.`);
    if (rollout.value.state === 'cancelled') return stop(`Cancelled: ${rollout.value.message}.`);
    if (rollout.value.state !== 'complete') return stop(`The rollout did not complete: ${rollout.value.message}.`);
  }
  for (const o of configuration) {
    const stopped = await applyOne(o);
    if (stopped) return stopped;
  }

  if (cancelled()) return { ok: true, outcomes: applied, verified: false, verification: 'Not verified: cancelled after everything was applied.' };
  hooks.progress('verify', 'Verifying with a dry-run restore PVC');
  const v = await verifyWebhook(conn, {
    namespace: plan.summary.namespace,
    timeoutMs: timeouts.verifyMs ?? 20_000,
    signal: hooks.signal,
    progress: (m) => hooks.progress('verify', m),
  });
  hooks.progress('verify', v.verification);
  return { ok: true, outcomes: applied, ...v };
}
