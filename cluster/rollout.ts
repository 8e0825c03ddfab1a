/**
 * Waiting for a Deployment rollout, as `kubectl rollout status` does (k8s.io/kubectl
 * pkg/polymorphichelpers/rollout_status.go, DeploymentStatusViewer): a GET, then a watch of that one object
 * from the GET's resourceVersion, each version judged by `rolloutState`; a watch the server ends is resumed
 * from a fresh GET. Nothing polls: a cluster without a deployment controller (the API emulator) completes
 * the moment someone writes a status that says so.
 *
 * Expected failures are values: the Deployment missing or unreadable is a `Result` error; a deadline, a
 * ProgressDeadlineExceeded condition or a cancellation is a `RolloutOutcome`.
 */
import type { ClusterConnection } from './connection.js';
import { fail, ok, type Result } from './errors.js';
import type { KubeObject } from './paths.js';
import { waitForObject } from './watchObject.js';

export interface RolloutStatus {
  /** `spec.replicas` (1 when unset, as the API server defaults it). */
  desired: number;
  updated: number;
  ready: number;
  available: number;
  /** All pods, old and new (`status.replicas`). */
  total: number;
}

export type RolloutOutcome =
  | { state: 'complete'; status: RolloutStatus; message: string }
  | { state: 'progressing'; status: RolloutStatus; message: string }
  | { state: 'failed'; status: RolloutStatus; message: string }
  | { state: 'timeout'; status?: RolloutStatus; message: string }
  | { state: 'cancelled'; status?: RolloutStatus; message: string };

export interface RolloutOptions {
  /** The whole wait, watches included. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called when the judged state's message changes (for progress notifications). */
  onProgress?: (outcome: RolloutOutcome) => void;
}

type Conn = Pick<ClusterConnection, 'get' | 'resource' | 'stream'>;

interface DeploymentJson extends KubeObject {
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: { type?: string; reason?: string; message?: string }[];
  };
}

/** One version of a Deployment judged as kubectl does: complete, progressing, or failed (progress deadline). */
export function rolloutState(d: DeploymentJson): Extract<RolloutOutcome, { state: 'complete' | 'progressing' | 'failed' }> {
  const name = JSON.stringify(d.metadata?.name ?? '');
  const st = d.status ?? {};
  const status: RolloutStatus = {
    desired: d.spec?.replicas ?? 1,
    updated: st.updatedReplicas ?? 0,
    ready: st.readyReplicas ?? 0,
    available: st.availableReplicas ?? 0,
    total: st.replicas ?? 0,
  };
  const generation = Number(d.metadata?.generation ?? 0);
  if (generation > (st.observedGeneration ?? 0)) return { state: 'progressing', status, message: `waiting for the deployment ${name} spec update to be observed` };
  const deadline = (st.conditions ?? []).find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  if (deadline) return { state: 'failed', status, message: `deployment ${name} exceeded its progress deadline${deadline.message ? `: ${deadline.message}` : ''}` };
  if (status.updated < status.desired) return { state: 'progressing', status, message: `${status.updated} of ${status.desired} new replicas have been updated` };
  if (status.total > status.updated) return { state: 'progressing', status, message: `${status.total - status.updated} old replicas are pending termination` };
  if (status.available < status.updated) return { state: 'progressing', status, message: `${status.available} of ${status.updated} updated replicas are available` };
  return { state: 'complete', status, message: `deployment ${name} successfully rolled out (${status.available} of ${status.desired} available)` };
}

/** Waits until the Deployment `namespace/name` has rolled out, failed, the deadline passed, or `signal` aborted. */
export async function waitForRollout(conn: Conn, namespace: string, name: string, opts: RolloutOptions): Promise<Result<RolloutOutcome>> {
  let last: RolloutOutcome | undefined;
  let gone = false;
  const r = await waitForObject<DeploymentJson>(
    conn,
    'apps/v1',
    'Deployment',
    namespace,
    name,
    (d) => {
      if (!d) {
        gone = true;
        return { done: true, ok: false, message: 'deleted' };
      }
      const outcome = rolloutState(d);
      if (outcome.message !== last?.message) opts.onProgress?.(outcome);
      last = outcome;
      return outcome.state === 'progressing' ? { done: false, message: outcome.message } : { done: true, ok: outcome.state === 'complete', message: outcome.message };
    },
    { timeoutMs: opts.timeoutMs, signal: opts.signal, what: `deployment ${JSON.stringify(name)}`, goal: 'roll out' },
  );
  if (!r.ok) return r;
  if (gone) {
    return last
      ? fail('not-found', `deployment ${JSON.stringify(name)} in namespace ${JSON.stringify(namespace)} was deleted during the rollout`, { status: 404 })
      : fail('not-found', `get deployments.apps ${JSON.stringify(name)} in namespace ${JSON.stringify(namespace)}: not found`, { status: 404 });
  }
  const o = r.value;
  if (o.state === 'done') return ok(last!);
  return ok({ state: o.state, ...(last ? { status: last.status } : {}), message: o.message });
}

export { pause } from './watchObject.js';
