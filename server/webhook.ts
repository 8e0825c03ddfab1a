/**
 * The restore-size webhook's requests (protocol/webhook.ts, "issue 5"): plan, dryRun, apply, status, uninstall,
 * rotate. Thin: each finds the connected cluster, calls webhookPlanner/Deploy/Status/Rotate, and converts
 * LSP cancellation into an AbortSignal and progress into `kubevirtStorage/webhook/progress` notifications.
 */
import { CancellationToken } from 'vscode-languageserver/node';
import type { ClusterConnection } from '../cluster/connection.js';
import type { ServerContext } from './context.js';
import { configurationSection } from '../protocol/status.js';
import {
  webhookApplyRequest,
  webhookDryRunRequest,
  webhookPlanRequest,
  webhookProgressNotification,
  webhookRotateRequest,
  webhookStatusRequest,
  webhookUninstallRequest,
  type WebhookApplyResult,
  type WebhookDryRunResult,
  type WebhookPlanParams,
  type WebhookPlanRef,
  type WebhookPlanResult,
  type WebhookProgressParams,
  type WebhookRotateResult,
  type WebhookStatusResult,
  type WebhookUninstallParams,
  type WebhookUninstallResult,
} from '../protocol/webhook.js';
import type { RunHooks } from './webhookApply.js';
import { webhookPresence } from './webhookCodeAction.js';
import { applyPlan, dryRunPlan } from './webhookDeploy.js';
import { makePlan, PlanStore } from './webhookPlanner.js';
import { rotateWebhook } from './webhookRotate.js';
import { uninstallWebhook, webhookStatus } from './webhookStatus.js';

const notConnected = { ok: false as const, message: 'No cluster is connected: select a context (kubevirtStorage.cluster.*) and try again.' };
const settingsWaitMs = 2000;

export function registerWebhook(context: ServerContext): void {
  const { connection } = context;
  const plans = new PlanStore(5);
  const presence = webhookPresence(context);
  const conn = (): ClusterConnection | undefined => context.cluster()?.connection;
  /** Runs `work` with progress notifications and the request's cancellation as an AbortSignal. */
  const withHooks = async <T>(planId: string, token: CancellationToken | undefined, work: (hooks: RunHooks) => Promise<T>): Promise<T> => {
    const abort = new AbortController();
    if (token?.isCancellationRequested) abort.abort();
    const subscription = token?.onCancellationRequested(() => abort.abort());
    try {
      return await work({
        signal: abort.signal,
        progress: (step, message) => void connection.sendNotification(webhookProgressNotification, { planId, step, message } satisfies WebhookProgressParams),
      });
    } finally {
      subscription?.dispose();
    }
  };
  /** Runs a handler; a bug is logged once and answered as a failure rather than left unanswered. */
  const guarded = async <T>(what: string, run: () => Promise<T>, failed: (message: string) => T): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      context.health.logOnce(what, error);
      return failed(`${what} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  connection.onRequest(webhookPlanRequest, (params: WebhookPlanParams | undefined) =>
    guarded<WebhookPlanResult>('Planning the webhook deploy', async () => {
      const c = conn();
      if (!c) return notConnected;
      const live = context.cluster();
      const fact = live?.facts.cdiVersion();
      const configured = context.options().settings.cdiVersion;
      const cdiVersion = fact ? { version: fact.version, source: `CDI CR status.observedVersion on context ${c.context}` } : configured ? { version: configured, source: 'setting kubevirtStorage.cdi.version' } : undefined;
      const id = plans.nextId();
      const r = await makePlan(c, id, { params: params ?? {}, settings: await webhookSettings(context), ...(cdiVersion ? { cdiVersion } : {}), now: new Date() });
      if (!r.ok) return r;
      plans.put(r.plan);
      return { ok: true, plan: r.plan.summary };
    }, (message) => ({ ok: false, message })),
  );

  connection.onRequest(webhookDryRunRequest, (params: WebhookPlanRef, token: CancellationToken) =>
    guarded<WebhookDryRunResult>('The webhook dry run', async () => {
      const plan = plans.get(params?.planId ?? '');
      if (!plan) return { ok: false, message: `Unknown or expired plan "${params?.planId ?? ''}": plan again.` };
      const c = conn();
      return c ? withHooks(plan.summary.planId, token, (h) => dryRunPlan(c, plan, h)) : notConnected;
    }, (message) => ({ ok: false, message })),
  );

  connection.onRequest(webhookApplyRequest, (params: WebhookPlanRef, token: CancellationToken) =>
    guarded<WebhookApplyResult>('Deploying the webhook', async () => {
      const plan = plans.get(params?.planId ?? '');
      if (!plan) return { ok: false, message: `Unknown or expired plan "${params?.planId ?? ''}": plan again.` };
      const c = conn();
      if (!c) return notConnected;
      try {
        return await withHooks(plan.summary.planId, token, (h) => applyPlan(c, plan, h));
      } finally {
        presence.invalidate();
      }
    }, (message) => ({ ok: false, message })),
  );

  connection.onRequest(webhookStatusRequest, () =>
    guarded<WebhookStatusResult>('Reading the webhook status', async () => {
      const c = conn();
      return c ? webhookStatus(c, new Date()) : notConnected;
    }, (message) => ({ ok: false, message })),
  );

  connection.onRequest(webhookUninstallRequest, (params: WebhookUninstallParams | undefined, token: CancellationToken) =>
    guarded<WebhookUninstallResult>('Uninstalling the webhook', async () => {
      const c = conn();
      if (!c) return notConnected;
      try {
        return await withHooks('', token, (h) => uninstallWebhook(c, params?.dryRun === true, h));
      } finally {
        presence.invalidate();
      }
    }, (message) => ({ ok: false, message })),
  );

  // A parameterless request's handler gets (token), or (params, token) from a client that sends `{}`.
  connection.onRequest(webhookRotateRequest, (...args: unknown[]) =>
    guarded<WebhookRotateResult>('Rotating the webhook certificate', async () => {
      const token = args.find(CancellationToken.is);
      const c = conn();
      return c ? withHooks('', token, (h) => rotateWebhook(c, h, new Date())) : notConnected;
    }, (message) => ({ ok: false, message })),
  );
}

/**
 * `kubevirtStorage.webhook.image` and `.namespace`, pulled with `workspace/configuration` (the client contributes
 * them); a client that cannot answer leaves the defaults.
 */
async function webhookSettings(context: ServerContext): Promise<{ image?: string; namespace?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const section: unknown = await Promise.race([
      context.connection.workspace.getConfiguration(configurationSection),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), settingsWaitMs))),
    ]);
    const read = (key: 'image' | 'namespace'): string | undefined => {
      if (section === null || typeof section !== 'object') return undefined;
      const s = section as Record<string, unknown>;
      const nested = s['webhook'] !== null && typeof s['webhook'] === 'object' ? (s['webhook'] as Record<string, unknown>)[key] : undefined;
      const value = s[`webhook.${key}`] ?? nested;
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    };
    const image = read('image');
    const namespace = read('namespace');
    return { ...(image ? { image } : {}), ...(namespace ? { namespace } : {}) };
  } catch {
    return {};
  } finally {
    clearTimeout(timer);
  }
}
