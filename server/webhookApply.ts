/**
 * Server-side dry-run and apply of webhook objects, one object at a time under one field manager, with a
 * per-object outcome. Shared by deploy (webhookDeploy.ts) and rotate.
 *
 * Change detection: before each dry-run the live object is read. Absent → `create`. Present → the dry-run's
 * answer (what the API server would store: defaulted, admitted, merged with other managers' fields) is
 * compared with the live object, ignoring what every write changes (resourceVersion, generation, the
 * managedFields timestamps) and `status` (controllers move it between the two reads): equal → `unchanged`,
 * else `update`. The resourceVersion of the answer cannot tell: a dry-run update answers with the live
 * resourceVersion whether or not it would change anything, and an apply that changes nothing is not stored
 * at all (kube's no-op detection), so applying an `unchanged` object leaves its resourceVersion as it is.
 */
import type { ClusterConnection } from '../cluster/connection.js';
import type { ClusterError } from '../cluster/errors.js';
import type { KubeObject as ClusterObject } from '../cluster/paths.js';
import type { KubeObject } from '../core/webhookPlan.js';
import type { WebhookObjectOutcome } from '../protocol/webhook.js';

/** The one field manager of everything the tools apply. */
export const FIELD_MANAGER = 'kubevirt-storage-tools';

export type Step = 'dry-run' | 'apply' | 'rollout' | 'verify' | 'uninstall' | 'rotate';

/** What a long operation reports to and hears from its caller. */
export interface RunHooks {
  progress: (step: Step, message: string) => void;
  signal?: AbortSignal;
}

export type ObjectsResult = { ok: true; outcomes: WebhookObjectOutcome[] } | { ok: false; message: string; failed: KubeObject; error: ClusterError };

export function label(o: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

export function outcome(o: KubeObject, action: WebhookObjectOutcome['action']): WebhookObjectOutcome {
  return { kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name, action };
}

/** Dry-runs each object in order (server-side apply, `dryRun=All`); the first failure stops. Stores nothing. */
export async function dryRunObjects(conn: ClusterConnection, objects: readonly KubeObject[], hooks?: RunHooks): Promise<ObjectsResult> {
  const outcomes: WebhookObjectOutcome[] = [];
  for (const [i, o] of objects.entries()) {
    hooks?.progress('dry-run', `Dry run ${i + 1}/${objects.length}: ${label(o)}`);
    const live = await conn.get(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);
    if (!live.ok && live.error.kind !== 'not-found') return failure(conn, o, live.error, 'get', 'dry run', i, objects.length);
    const answer = await conn.apply([o], { fieldManager: FIELD_MANAGER, dryRun: true });
    if (!answer.ok) return failure(conn, o, answer.error, live.ok ? 'patch' : 'patch and create', 'dry run', i, objects.length);
    const action = !live.ok ? 'create' : sameContent(live.value, answer.value[0]) ? 'unchanged' : 'update';
    outcomes.push(outcome(o, action));
  }
  return { ok: true, outcomes };
}

/** Applies one object for real. */
export async function applyObject(conn: ClusterConnection, o: KubeObject, index: number, total: number): Promise<ObjectsResult> {
  const r = await conn.apply([o], { fieldManager: FIELD_MANAGER });
  if (!r.ok) return failure(conn, o, r.error, 'patch', 'apply', index, total);
  return { ok: true, outcomes: [] };
}

async function failure(conn: ClusterConnection, o: KubeObject, error: ClusterError, verb: string, phase: string, index: number, total: number): Promise<ObjectsResult> {
  let hint = '';
  if (error.kind === 'forbidden') {
    const r = await conn.resource(o.apiVersion, o.kind);
    const resource = r.ok ? (r.value.group ? `${r.value.plural}.${r.value.group}` : r.value.plural) : o.kind;
    const where = o.metadata.namespace ? `in namespace ${o.metadata.namespace}` : 'at the cluster scope';
    hint = ` Missing permission: ${verb} ${resource} ${where}.`;
  } else if (error.kind === 'conflict' && error.status === 409) {
    hint = ` Another field manager owns fields this deploy sets; change them back or remove that manager's ownership, then deploy again.`;
  }
  // cluster/apply.ts names the object and its place in the (one-object) batch; this message says both already.
  const why = error.message.replace(/^.*? \(object 1 of 1\): /, '').replace(/; nothing was changed$/, '');
  return { ok: false, failed: o, error, message: `The ${phase} failed at ${label(o)} (object ${index + 1} of ${total}): ${why}.${hint}` };
}

/** Deep equality of the stored content, ignoring what every write touches; see the module comment. */
export function sameContent(live: ClusterObject, next: ClusterObject | undefined): boolean {
  return next !== undefined && canonical(strip(live)) === canonical(strip(next));
}

function strip(o: ClusterObject): unknown {
  const { status: _status, ...rest } = o;
  const meta = { ...(o.metadata ?? {}) };
  delete meta.resourceVersion;
  delete meta.generation;
  if (Array.isArray(meta['managedFields'])) {
    meta['managedFields'] = (meta['managedFields'] as Record<string, unknown>[]).map(({ time: _time, ...m }) => m);
  }
  return { ...rest, metadata: meta };
}

/** JSON with object keys sorted, so that key order does not count as a change. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/** Names of objects, for messages: "Namespace x, ServiceAccount x/y". */
export function names(objects: readonly KubeObject[]): string {
  return objects.length === 0 ? 'nothing' : objects.map(label).join(', ');
}
