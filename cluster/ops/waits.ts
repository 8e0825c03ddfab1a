/** The waits of a plan's phase: a rollout, a condition, a phase of a custom resource, an object gone. */
import { getAt } from '../../core/ops/fields.js';
import { refLabel } from '../../core/ops/journal.js';
import type { Wait } from '../../core/ops/types.js';
import type { ClusterConnection } from '../connection.js';
import type { KubeObject } from '../paths.js';
import { waitForRollout } from '../rollout.js';
import { waitForObject, type Judge } from '../watchObject.js';

export type WaitResult = { ok: true; message: string } | { ok: false; cancelled: boolean; message: string };

type Conn = Pick<ClusterConnection, 'get' | 'resource' | 'stream'>;

export function describeWait(w: Wait): string {
  const what = refLabel(w.target);
  switch (w.kind) {
    case 'rollout':
      return `wait for ${what} to roll out`;
    case 'condition':
      return `wait for ${what} to have condition ${w.type}=${w.status}`;
    case 'phase':
      return `wait for ${what} to reach ${(w.path ?? ['status', 'phase']).join('.')} ${w.phases.join(' or ')}`;
    case 'gone':
      return `wait for ${what} to be gone`;
  }
}

function judgeOf(w: Exclude<Wait, { kind: 'rollout' }>): Judge<KubeObject> {
  const what = refLabel(w.target);
  switch (w.kind) {
    case 'gone':
      return (o) => (o ? { done: false, message: `${what} still exists${o.metadata?.deletionTimestamp ? ' (terminating)' : ''}` } : { done: true, ok: true, message: `${what} is gone` });
    case 'condition':
      return (o) => {
        if (!o) return { done: true, ok: false, message: `${what} does not exist` };
        const conditions = getAt(o, ['status', 'conditions']);
        const c = Array.isArray(conditions) ? (conditions as { type?: string; status?: string; message?: string }[]).find((x) => x.type === w.type) : undefined;
        return c?.status === w.status
          ? { done: true, ok: true, message: `${what}: ${w.type}=${w.status}` }
          : { done: false, message: `${what}: ${w.type}=${c?.status ?? 'unset'}${c?.message ? ` (${c.message})` : ''}` };
      };
    case 'phase':
      return (o) => {
        if (!o) return w.appears ? { done: false, message: `${what} does not exist yet` } : { done: true, ok: false, message: `${what} does not exist` };
        const path = w.path ?? ['status', 'phase'];
        const phase = getAt(o, path);
        const text = typeof phase === 'string' ? phase : '(unset)';
        const message = getAt(o, ['status', 'message']);
        const tail = typeof message === 'string' && message ? `: ${message}` : '';
        if (typeof phase === 'string' && w.phases.includes(phase)) return { done: true, ok: true, message: `${what} is ${phase}${tail}` };
        if (typeof phase === 'string' && w.failPhases?.includes(phase)) return { done: true, ok: false, message: `${what} is ${phase}${tail}` };
        return { done: false, message: `${what}: ${path.join('.')} ${text}${tail}` };
      };
  }
}

export async function runWait(conn: Conn, w: Wait, signal: AbortSignal | undefined, progress: (message: string) => void): Promise<WaitResult> {
  const timeoutMs = w.timeoutSeconds * 1000;
  if (w.kind === 'rollout') {
    const r = await waitForRollout(conn, w.target.namespace ?? '', w.target.name, { timeoutMs, signal, onProgress: (o) => progress(`${refLabel(w.target)}: ${o.message}`) });
    if (!r.ok) return { ok: false, cancelled: false, message: `Waiting for the rollout failed: ${r.error.message}` };
    if (r.value.state === 'complete') return { ok: true, message: r.value.message };
    return { ok: false, cancelled: r.value.state === 'cancelled', message: r.value.state === 'cancelled' ? `Cancelled: ${r.value.message}` : `The rollout did not complete: ${r.value.message}` };
  }
  const r = await waitForObject(conn, w.target.apiVersion, w.target.kind, w.target.namespace, w.target.name, judgeOf(w), { timeoutMs, signal, onProgress: progress, what: refLabel(w.target), goal: describeWait(w).replace(/^wait for \S+ \S+ to /, '') });
  if (!r.ok) return { ok: false, cancelled: false, message: `Waiting failed: ${r.error.message}` };
  if (r.value.state === 'done') return r.value.ok ? { ok: true, message: r.value.message } : { ok: false, cancelled: false, message: r.value.message };
  return { ok: false, cancelled: r.value.state === 'cancelled', message: r.value.message };
}
