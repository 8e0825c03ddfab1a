/**
 * Asking the cluster instead of predicting: whether CDI's PVC webhook configuration exists (one GET), and what
 * the API server would store for a PVC (a server-side dry-run create, `dryRun=All`: defaulting, DefaultStorageClass
 * and the mutating webhooks run, nothing is kept). Read-like probes: nothing is created, so they do not go
 * through the operations engine; the write path is its `createObject`.
 */
import type { PvcSpecInput } from '../core/cdi/render.js';
import { cdiPvcWebhookName } from '../core/cdi/webhook.js';
import type { FactSource, LiveRenderFact, PvcWebhookFact } from '../core/facts.js';
import { apiVersionOf, factFromObject, kinds } from '../core/kinds/index.js';
import { liveAnswer, probeManifest } from '../core/probe/probe.js';
import type { KubeObject } from '../core/ops/types.js';
import type { ClusterConnection } from './connection.js';
import { fail, ok, type ClusterError, type Result } from './errors.js';
import { createObject, readObject } from './ops/writes.js';

type Conn = Pick<ClusterConnection, 'request' | 'resource' | 'namespace' | 'context'>;

const source = (conn: Conn): FactSource => ({ kind: 'cluster', context: conn.context });

/** CDI's `cdi-api-pvc-mutate` as the cluster has it, `present: false` when it has none; an error when it may not be read. */
export async function readPvcWebhook(conn: Conn): Promise<Result<PvcWebhookFact>> {
  const r = await readObject(conn, { apiVersion: apiVersionOf(kinds.MutatingWebhookConfiguration), kind: 'MutatingWebhookConfiguration', name: cdiPvcWebhookName });
  if (!r.ok) return r;
  if (!r.value) return ok({ present: false, webhooks: [], source: source(conn) });
  const fact = factFromObject('MutatingWebhookConfiguration', r.value, source(conn));
  return fact ? ok(fact) : fail('invalid', `MutatingWebhookConfiguration ${cdiPvcWebhookName}: the answer is not one`);
}

/** Why a dry run was refused by RBAC rather than by admission (the user may not create PVCs there). */
export function isCreateForbidden(e: ClusterError): boolean {
  return e.kind === 'forbidden' && !/admission webhook/i.test(e.message);
}

/**
 * What the API server stores for `input` in its namespace, asked as a dry-run create under a generated name. An
 * admission refusal (a webhook's denial, a validation error) is an answer; RBAC refusing `create` on PVCs, an
 * unreachable server or a timeout are errors.
 */
export async function probeRender(conn: Conn, input: PvcSpecInput, sentDescribe: string, now: Date): Promise<Result<LiveRenderFact>> {
  const manifest = probeManifest(input) as unknown as KubeObject;
  const r = await createObject(conn, manifest, true);
  const at = now.toISOString();
  if (r.ok) return ok(liveAnswer(input, sentDescribe, { stored: r.value }, at, source(conn)));
  if ((r.error.kind === 'invalid' || r.error.kind === 'forbidden') && !isCreateForbidden(r.error)) {
    return ok(liveAnswer(input, sentDescribe, { refused: r.error.message }, at, source(conn)));
  }
  return r;
}
