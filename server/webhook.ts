/**
 * The restore-size webhook's status request (protocol/webhook.ts). Deploy, uninstall and rotation run as
 * operations (server/operations.ts); after each, the code action's cached presence is dropped.
 */
import { webhookStatus } from '../cluster/ops/webhook/status.js';
import { webhookStatusRequest } from '../protocol/webhook.js';
import type { ServerContext } from './context.js';
import { webhookPresence } from './webhookCodeAction.js';

const notConnected = { ok: false as const, message: 'No cluster is connected: select a context (kubevirtStorage.cluster.*) and try again.' };

/** Registers the status request; returns what to call when a webhook operation changed the cluster. */
export function registerWebhook(context: ServerContext): { changed: () => void } {
  const presence = webhookPresence(context);
  context.connection.onRequest(webhookStatusRequest, async () => {
    try {
      const c = context.cluster()?.connection;
      return c ? await webhookStatus(c, new Date()) : notConnected;
    } catch (error) {
      context.health.logOnce('Reading the webhook status', error);
      return { ok: false as const, message: `Reading the webhook status failed unexpectedly: ${error instanceof Error ? error.message : String(error)}` };
    }
  });
  return { changed: () => presence.invalidate() };
}
