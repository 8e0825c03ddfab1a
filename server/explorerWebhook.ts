/**
 * The explorer's "Restore-size webhook" node under the context: deployed or not, replicas ready, certificate
 * expiry. The state is the deploy command's own status (webhookStatus.ts), read with a few GETs that the
 * caches do not hold. The tree is answered synchronously, so the node shows the last status read and a read
 * starts in the background (at most one at a time, not more often than `minIntervalMs`); when its answer
 * differs, `changed` refreshes the context's children. While replicas are not all ready it re-reads on a timer,
 * so a rollout shows without a manual refresh.
 */
import type { ExplorerNode } from '../protocol/explorer.js';
import type { WebhookStatus, WebhookStatusResult } from '../protocol/webhook.js';

/** The node's id (unique: folder ids are other words, object ids contain `/`). */
export const webhookNodeId = 'restoreSizeWebhook';

const label = 'Restore-size webhook';
const why = 'A mutating admission webhook that sets restore PVCs back to their VolumeSnapshot\'s restoreSize after CDI (before v1.64) inflated them.';

function healthy(s: WebhookStatus): boolean {
  const replicas = !s.replicas || (s.replicas.ready > 0 && s.replicas.ready >= s.replicas.desired);
  const configuration = !s.configuration || (s.configuration.present && s.configuration.ordersAfterCdi);
  return replicas && configuration && !s.certificate?.warning && (s.certificate?.daysLeft ?? 1) >= 0;
}

/** The node for a status (undefined: not read yet). */
export function webhookNode(result: WebhookStatusResult | undefined): ExplorerNode {
  const base = { id: webhookNodeId, kind: 'restoreSizeWebhook' as const, label, collapsible: 'none' as const };
  if (!result) return { ...base, description: 'checking…', tooltip: why, icon: 'sync' };
  if (!result.ok) return { ...base, description: 'status unknown', tooltip: `${why}\n\nIts status cannot be read: ${result.message}`, icon: 'question', severity: 'warning' };
  const s = result.status;
  if (!s.deployed) {
    return { ...base, description: 'not deployed', tooltip: `${why}\n\n${s.summary}\nDeploy it from this item's context menu when the cluster's CDI is older than v1.64.`, icon: 'circle-slash' };
  }
  const parts = [
    s.replicas ? `${s.replicas.ready}/${s.replicas.desired} ready` : undefined,
    s.certificate ? (s.certificate.daysLeft < 0 ? 'certificate expired' : `certificate ${s.certificate.daysLeft} days left${s.certificate.warning ? ': rotate it' : ''}`) : undefined,
    s.configuration && !s.configuration.present ? 'configuration missing' : undefined,
    s.configuration?.present && !s.configuration.ordersAfterCdi ? 'runs before CDI\'s' : undefined,
  ].filter((p): p is string => p !== undefined);
  const tooltip = [
    `${why}`,
    '',
    s.summary,
    ...(s.image ? [`image: ${s.image}`] : []),
    ...(s.certificate ? [`certificate: valid until ${s.certificate.notAfter} · ${s.certificate.source}`] : []),
    ...(s.certificate?.warning ? [`⚠ ${s.certificate.warning}`] : []),
  ].join('\n');
  const broken = s.configuration?.present === false || s.configuration?.ordersAfterCdi === false || (s.certificate?.daysLeft ?? 1) < 0 || s.replicas?.ready === 0;
  const good = healthy(s);
  return {
    ...base,
    description: ['deployed', ...(s.namespace ? [s.namespace] : []), ...parts].join(' · '),
    tooltip,
    icon: good ? 'shield' : broken ? 'error' : 'warning',
    severity: good ? 'ok' : broken ? 'error' : 'warning',
  };
}

export interface WebhookNodeOptions {
  minIntervalMs?: number;
  /** Re-read period while the webhook is deployed but not all replicas are ready. */
  pendingRecheckMs?: number;
  now?: () => number;
}

/** The node's state for one live cluster; `dispose()` stops the timer and drops late answers. */
export class WebhookNodeSource {
  private result: WebhookStatusResult | undefined;
  private reading = false;
  private readAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly minIntervalMs: number;
  private readonly pendingRecheckMs: number;
  private readonly now: () => number;

  constructor(
    private readonly read: () => Promise<WebhookStatusResult>,
    private readonly changed: () => void,
    options: WebhookNodeOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 2000;
    this.pendingRecheckMs = options.pendingRecheckMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The node as last read; starts a read when none is running and the last is old enough. */
  node(): ExplorerNode {
    this.refresh(false);
    return webhookNode(this.result);
  }

  /** Reads now (unless a read runs); `force` ignores the minimum interval. */
  refresh(force: boolean): void {
    if (this.disposed || this.reading || (!force && this.now() - this.readAt < this.minIntervalMs)) return;
    this.reading = true;
    void this.read()
      .catch((error: unknown): WebhookStatusResult => ({ ok: false, message: error instanceof Error ? error.message : String(error) }))
      .then((result) => this.settle(result));
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }

  private settle(result: WebhookStatusResult): void {
    this.reading = false;
    this.readAt = this.now();
    if (this.disposed) return;
    const differs = JSON.stringify(result) !== JSON.stringify(this.result);
    this.result = result;
    clearTimeout(this.timer);
    const replicas = result.ok ? result.status.replicas : undefined;
    if (result.ok && result.status.deployed && replicas && replicas.ready < replicas.desired) {
      this.timer = setTimeout(() => this.refresh(true), this.pendingRecheckMs);
      this.timer.unref();
    }
    if (differs) this.changed();
  }
}
