/**
 * The GCP golden-image checklist's request (protocol/gcpImages.ts): the connected cluster read once, the pure
 * detection, plan and verification, converted for the page. Changes go through the operations requests.
 */
import { assessGcpImages, gcpImagesOperation } from '../cluster/ops/gcpImages/operation.js';
import { checkOptions } from '../cluster/ops/registry.js';
import type { GcpImagesPlan } from '../core/ops/gcpImages/plan.js';
import { writeDoc } from '../core/ops/preview.js';
import { refLabel } from '../core/ops/journal.js';
import type { Write } from '../core/ops/types.js';
import { gcpImagesDetectRequest, type GcpImagesView, type GcpImagesWriteView } from '../protocol/gcpImages.js';
import type { ServerContext } from './context.js';
import { operationContextOf } from './operations.js';

function writeView(w: Write): GcpImagesWriteView {
  const d = writeDoc(w, []);
  const label =
    w.action === 'apply' || w.action === 'create' ? refLabel({ kind: w.object.kind, ...(w.object.metadata.namespace ? { namespace: w.object.metadata.namespace } : {}), name: w.object.metadata.name ?? '' })
    : w.action === 'deleteSelected' ? `every ${w.kind} in namespace ${w.namespace ?? ''} selected by ${w.labelSelector}`
    : refLabel(w.target);
  return { label, action: w.action, text: d.body ? `# ${d.title}\n${d.body}` : `# ${d.title}\n` };
}

export function gcpImagesView(context: string, a: GcpImagesPlan): GcpImagesView {
  const plan = a.result.ok ? a.result.plan : undefined;
  const d = a.detection;
  return {
    context,
    ...(d.blocked ? { blocked: d.blocked } : {}),
    steps: d.steps.map((s) => ({ step: s.step, id: s.id, title: s.title, state: s.state, reason: s.reason, writes: (plan?.phases.find((p) => p.id === s.id)?.writes ?? []).map(writeView) })),
    problems: d.problems,
    notes: d.notes,
    plan: a.result.ok ? { ok: true, title: a.result.plan.title, ...(a.result.plan.advice ? { advice: a.result.plan.advice } : {}) } : { ok: false, message: a.result.message },
    verification: { state: d.verification.state, summary: d.verification.summary, checks: d.verification.items.map((i) => ({ id: i.id, title: i.title, state: i.state, message: i.message })) },
  };
}

export function registerGcpImages(context: ServerContext): void {
  context.connection.onRequest(gcpImagesDetectRequest, async (params) => {
    try {
      const c = context.cluster()?.connection;
      if (!c) return { ok: false as const, message: 'No cluster is connected: select a context (kubevirtStorage.cluster.*) and try again.' };
      const checked = checkOptions(gcpImagesOperation, params?.options ?? {});
      if (!checked.ok) return { ok: false as const, message: checked.message };
      const a = await assessGcpImages(c, checked.values, operationContextOf(context, c));
      return a.ok ? { ok: true as const, view: gcpImagesView(c.context, a.assessed) } : a;
    } catch (error) {
      context.health.logOnce('Reading the GCP golden-image workaround', error);
      return { ok: false as const, message: `Reading the GCP golden-image workaround failed unexpectedly: ${error instanceof Error ? error.message : String(error)}` };
    }
  });
}
