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
import { fail, ok, statusBody, type Result } from './errors.js';
import { collectionPath, describe, type ApiResource, type KubeObject } from './paths.js';

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

type WatchEnd = { kind: 'outcome'; outcome: RolloutOutcome } | { kind: 'resume' } | { kind: 'gone' } | { kind: 'error'; message: string };

/** Waits until the Deployment `namespace/name` has rolled out, failed, the deadline passed, or `signal` aborted. */
export async function waitForRollout(conn: Conn, namespace: string, name: string, opts: RolloutOptions): Promise<Result<RolloutOutcome>> {
  const resource = await conn.resource('apps/v1', 'Deployment');
  if (!resource.ok) return resource;
  const deadline = Date.now() + opts.timeoutMs;
  let last: RolloutOutcome | undefined;
  const judge = (d: DeploymentJson): RolloutOutcome => {
    const outcome = rolloutState(d);
    if (outcome.message !== last?.message) opts.onProgress?.(outcome);
    last = outcome;
    return outcome;
  };
  const stopped = (): RolloutOutcome | undefined => {
    if (opts.signal?.aborted) return { state: 'cancelled', status: last?.status, message: `cancelled while waiting for deployment ${JSON.stringify(name)}${last ? ` (${last.message})` : ''}` };
    if (Date.now() >= deadline) return { state: 'timeout', status: last?.status, message: `deployment ${JSON.stringify(name)} did not roll out within ${opts.timeoutMs < 1000 ? `${opts.timeoutMs} ms` : `${Math.round(opts.timeoutMs / 1000)} s`}${last ? ` (${last.message})` : ''}` };
    return undefined;
  };
  let transientFailures = 0;
  for (;;) {
    const early = stopped();
    if (early) return ok(early);
    const got = await conn.get<DeploymentJson>('apps/v1', 'Deployment', namespace, name);
    if (!got.ok) {
      // A blip (unreachable, timeout) is retried within the deadline; anything else is the answer.
      if ((got.error.kind !== 'unreachable' && got.error.kind !== 'timeout') || ++transientFailures > 5) return got;
      await pause(Math.min(1000 * transientFailures, Math.max(0, deadline - Date.now())), opts.signal);
      continue;
    }
    const now = judge(got.value);
    if (now.state !== 'progressing') return ok(now);
    const end = await watchOnce(conn, resource.value, namespace, name, got.value.metadata?.resourceVersion, deadline, opts.signal, judge);
    if (end.kind === 'outcome') return ok(end.outcome);
    if (end.kind === 'gone') return fail('not-found', `deployment ${JSON.stringify(name)} in namespace ${JSON.stringify(namespace)} was deleted during the rollout`, { status: 404 });
    if (end.kind === 'error') {
      if (++transientFailures > 5) return fail('unreachable', end.message);
      await pause(Math.min(1000 * transientFailures, Math.max(0, deadline - Date.now())), opts.signal);
    }
  }
}

function watchOnce(
  conn: Conn,
  resource: ApiResource,
  namespace: string,
  name: string,
  resourceVersion: string | undefined,
  deadline: number,
  signal: AbortSignal | undefined,
  judge: (d: DeploymentJson) => RolloutOutcome,
): Promise<WatchEnd> {
  return new Promise((resolve) => {
    let done = false;
    const remaining = Math.max(1, deadline - Date.now());
    const finish = (end: WatchEnd): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      stream.abort();
      resolve(end);
    };
    const onAbort = (): void => finish({ kind: 'resume' }); // the caller's loop reports the cancellation
    const timer = setTimeout(() => finish({ kind: 'resume' }), remaining);
    const what = describe('watch', resource, namespace, name);
    const stream = conn.stream(
      {
        path: collectionPath(resource, namespace),
        query: { watch: 1, fieldSelector: `metadata.name=${name}`, resourceVersion, allowWatchBookmarks: true, timeoutSeconds: Math.ceil(remaining / 1000) },
        what,
        idleTimeoutMs: remaining + 60_000,
      },
      {
        onLine: (line) => {
          let event: { type?: string; object?: DeploymentJson };
          try {
            event = JSON.parse(line) as { type?: string; object?: DeploymentJson };
          } catch {
            return;
          }
          if (event.type === 'DELETED') return finish({ kind: 'gone' });
          if (event.type === 'ERROR') {
            // 410 Gone: the GET's resourceVersion is too old; a fresh GET and watch follow.
            const s = statusBody(JSON.stringify(event.object ?? {}));
            return finish(s.code === 410 ? { kind: 'resume' } : { kind: 'error', message: `${what}: ${s.message ?? 'watch error'}` });
          }
          if ((event.type === 'ADDED' || event.type === 'MODIFIED') && event.object) {
            const outcome = judge(event.object);
            if (outcome.state !== 'progressing') finish({ kind: 'outcome', outcome });
          }
        },
        onEnd: (error) => finish(error ? { kind: 'error', message: error.message } : { kind: 'resume' }),
      },
    );
    if (signal?.aborted) finish({ kind: 'resume' });
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits `ms`, or less when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
