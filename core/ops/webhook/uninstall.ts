/**
 * Uninstalling the restore-size webhook as an operation: delete exactly the objects a deploy labelled, the
 * configuration first (so the API server stops calling the webhook before its pods go) and a Namespace last,
 * only when the deploy created it; then check that nothing is left. Deploying again is its undo: the
 * deletes are not recreated from the journal (that would keep private keys past an uninstall).
 */
import { refLabel } from '../journal.js';
import type { ObjectRef, Plan, PlanResult, PlanTarget } from '../types.js';

export const WEBHOOK_UNINSTALL_OPERATION = 'webhook-uninstall';

export function planWebhookUninstall(target: PlanTarget, objects: readonly ObjectRef[], keptNamespaces: readonly string[]): PlanResult {
  const order = [...objects].reverse();
  const notes = [
    ...(keptNamespaces.length > 0 ? [`Namespace${keptNamespaces.length === 1 ? '' : 's'} ${keptNamespaces.join(', ')} existed before the deploy and ${keptNamespaces.length === 1 ? 'is' : 'are'} kept.`] : []),
    'Undo does not bring the webhook back: deploy it again instead.',
  ];
  if (order.length === 0) {
    const plan: Plan = { operation: WEBHOOK_UNINSTALL_OPERATION, title: 'Uninstall the restore-size webhook: nothing is deployed', target, phases: [], checks: [], notes };
    return { ok: true, plan };
  }
  const undo = { kind: 'irreversible' as const, reason: 'deploy the webhook again to restore it' };
  const plan: Plan = {
    operation: WEBHOOK_UNINSTALL_OPERATION,
    title: `Uninstall the restore-size webhook (${order.length} object${order.length === 1 ? '' : 's'})`,
    target,
    phases: [
      {
        id: 'remove',
        title: 'Remove',
        why: `Exactly the objects the deploy labelled: ${order.map(refLabel).join(', ')}. The configuration goes first, so the API server stops calling the webhook before its pods go.`,
        writes: order.map((ref) => ({ action: 'delete' as const, target: ref, undo })),
      },
    ],
    checks: [{ kind: 'absent', targets: order, retrySeconds: 10, describe: 'none of the labelled objects is left' }],
    notes,
  };
  return { ok: true, plan };
}
