/**
 * "Deploy the restore-size webhook" on CDI inflation diagnostics, while a cluster is connected and the webhook
 * is not deployed there. Whether it is deployed is cached per server (one LIST of labelled
 * MutatingWebhookConfigurations), dropped when the cluster changes or switches and after our own deploys and
 * uninstalls, and read again on the next code action request that needs it.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import { WEBHOOK_SELECTOR } from '../core/ops/webhook/manifests.js';
import type { ServerContext } from './context.js';
import { diagnosticSource } from './diagnostics.js';

/** The client command (registered by the extension) that runs plan → preview → dry-run → apply. */
export const deployWebhookCommand = 'kubevirtStorage.deployWebhook';
export const deployWebhookTitle = 'Deploy the restore-size webhook';
const offeredOn = new Set(['cdi-restore-inflation', 'vm-restore-inflation']);
/** A code action request waits at most this long for the cluster's answer. */
const lookupWaitMs = 3000;

/** Whether the webhook is deployed on the connected cluster; undefined when not connected or unknown. */
export class WebhookPresence {
  private cached: { key: unknown; deployed: boolean | undefined } | undefined;
  private pending: Promise<boolean | undefined> | undefined;
  private epoch = 0;

  constructor(private readonly context: ServerContext) {
    context.onClusterChange(() => this.invalidate());
  }

  invalidate(): void {
    this.epoch++;
    this.cached = undefined;
    this.pending = undefined;
  }

  async deployed(): Promise<boolean | undefined> {
    const live = this.context.cluster();
    const conn = live?.connection;
    if (!live || !conn || live.facts.state.kind !== 'connected') return undefined;
    if (this.cached?.key === conn) return this.cached.deployed;
    if (!this.pending) {
      const epoch = this.epoch;
      this.pending = (async () => {
        const r = await conn.list('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, { labelSelector: WEBHOOK_SELECTOR });
        const deployed = r.ok ? r.value.items.length > 0 : undefined;
        if (epoch === this.epoch) {
          this.cached = { key: conn, deployed };
          this.pending = undefined;
        }
        return deployed;
      })();
    }
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), lookupWaitMs)));
    try {
      return await Promise.race([this.pending, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }
}

const presences = new WeakMap<ServerContext, WebhookPresence>();

/** The one presence cache of a server. */
export function webhookPresence(context: ServerContext): WebhookPresence {
  let p = presences.get(context);
  if (!p) presences.set(context, (p = new WebhookPresence(context)));
  return p;
}

/** The deploy action for each of our inflation diagnostics in `params`, when it applies. */
export async function webhookCodeActions(params: CodeActionParams, context: ServerContext): Promise<CodeAction[]> {
  const only = params.context.only;
  if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === CodeActionKind.Empty)) return [];
  const diagnostics = params.context.diagnostics.filter((d) => d.source === diagnosticSource && offeredOn.has(String(d.code)));
  if (diagnostics.length === 0) return [];
  if ((await webhookPresence(context).deployed()) !== false) return [];
  return diagnostics.map((diagnostic) => ({
    title: deployWebhookTitle,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { command: deployWebhookCommand, title: deployWebhookTitle },
  }));
}
