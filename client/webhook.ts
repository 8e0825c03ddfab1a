/**
 * The restore-size admission webhook's commands: deploy, uninstall and certificate rotation as operations (the
 * one conversation in client/operations/), status as a notification with details, and the context keys their
 * `when` clauses read: `kubevirtStorage.clusterConnected` (from the server's status notification) and
 * `kubevirtStorage.webhook.tlsMode` (once a status told it). The cluster work is the server's.
 */
import { commands, Disposable, type ExtensionContext } from 'vscode';
import type { ClusterStatus } from '../protocol/status.js';
import type { WebhookStatus, WebhookTlsMode } from '../protocol/webhook.js';
import { commandIds } from './commands.js';
import type { ClientDeps } from './deps.js';
import { guardedCommand } from './failures.js';
import { runOperation, undoOperation, type OperationWords } from './operations/conversation.js';
import type { OperationDeps } from './operations/deps.js';
import { readStatus, webhookStatus, type WebhookDeps } from './webhookManage.js';
import { tlsModeOfStatus } from './webhookText.js';

/** Context key: a cluster is connected (the cluster commands are hidden otherwise). */
export const clusterConnectedKey = 'kubevirtStorage.clusterConnected';
/** Context key: the deployed webhook's TLS mode, when known (rotation applies to `self-signed` only). */
export const webhookTlsModeKey = 'kubevirtStorage.webhook.tlsMode';

const showStatus = { label: 'Show Status', command: commandIds.webhookStatus };
export const webhookWords = {
  deploy: { operation: 'webhook', doing: 'Deploying the restore-size webhook', verb: 'Deploy', followUps: [showStatus] },
  uninstall: { operation: 'webhook-uninstall', doing: 'Uninstalling the restore-size webhook', verb: 'Uninstall' },
  rotate: { operation: 'webhook-rotate', doing: "Rotating the restore-size webhook's certificate", verb: 'Rotate', followUps: [showStatus] },
} satisfies Record<string, OperationWords>;

/** Registers the webhook commands and follows the cluster for their context keys. */
export function register(_context: ExtensionContext, deps: ClientDeps, ops: OperationDeps): Disposable {
  let tlsMode: WebhookTlsMode | undefined;
  const setTlsMode = (mode: WebhookTlsMode | undefined): void => {
    if (mode === tlsMode) return;
    tlsMode = mode;
    void commands.executeCommand('setContext', webhookTlsModeKey, mode ?? '');
  };
  const webhook: WebhookDeps = {
    ...ops,
    changed: (operation) => {
      ops.changed(operation);
      void readStatus(webhook, true);
    },
    observed: (status: WebhookStatus) => setTlsMode(status.deployed ? tlsModeOfStatus(status) : undefined),
  };

  // The key follows the status notification; on every newly connected context the webhook's mode is read
  // again, quietly (a GET or two on the cluster), so rotation shows only where it applies.
  let connectedTo: string | undefined;
  const follow = (cluster: ClusterStatus | undefined): void => {
    const now = cluster?.state === 'connected' ? (cluster.context ?? '') : undefined;
    if (now === connectedTo) return;
    connectedTo = now;
    void commands.executeCommand('setContext', clusterConnectedKey, now !== undefined);
    setTlsMode(undefined);
    if (now !== undefined) void readStatus(webhook, true);
  };
  follow(ops.cluster());

  const guarded = (id: string, run: () => Promise<unknown>) => guardedCommand(deps.output, id, run);

  return Disposable.from(
    deps.server.onDidChangeHealth(() => follow(ops.cluster())),
    commands.registerCommand(commandIds.deployWebhook, guarded(commandIds.deployWebhook, () => runOperation(webhook, webhookWords.deploy))),
    commands.registerCommand(commandIds.webhookStatus, guarded(commandIds.webhookStatus, () => webhookStatus(webhook))),
    commands.registerCommand(commandIds.uninstallWebhook, guarded(commandIds.uninstallWebhook, () => runOperation(webhook, webhookWords.uninstall))),
    commands.registerCommand(commandIds.rotateWebhookCertificate, guarded(commandIds.rotateWebhookCertificate, () => runOperation(webhook, webhookWords.rotate))),
    commands.registerCommand(commandIds.undoWebhook, guarded(commandIds.undoWebhook, () => undoOperation(webhook, 'webhook'))),
  );
}
