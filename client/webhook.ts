/**
 * The restore-size admission webhook's commands (deploy, status, uninstall, certificate rotation), their
 * read-only documents, the server's progress notifications, and the context keys their `when` clauses read:
 * `kubevirtStorage.clusterConnected` (from the server's status notification) and
 * `kubevirtStorage.webhook.tlsMode` (once a status or a deploy told it). The cluster work is the server's.
 */
import { commands, Disposable, type ExtensionContext } from 'vscode';
import type { ClusterStatus } from '../protocol/status.js';
import { webhookProgressNotification, type WebhookStatus, type WebhookTlsMode } from '../protocol/webhook.js';
import { commandIds } from './commands.js';
import type { ClientDeps } from './deps.js';
import { describeError, logError, showFailure } from './failures.js';
import { ProgressRelay, type WebhookDeps } from './webhookDeps.js';
import { deployWebhook } from './webhookDeploy.js';
import { WebhookDocuments } from './webhookDocuments.js';
import { readStatus, rotateWebhookCertificate, uninstallWebhook, webhookStatus } from './webhookManage.js';
import { tlsModeOfStatus } from './webhookText.js';

/** Context key: a cluster is connected (the cluster commands are hidden otherwise). */
export const clusterConnectedKey = 'kubevirtStorage.clusterConnected';
/** Context key: the deployed webhook's TLS mode, when known (rotation applies to `self-signed` only). */
export const webhookTlsModeKey = 'kubevirtStorage.webhook.tlsMode';

/** Registers the webhook commands and follows the cluster for their context keys. */
export function register(_context: ExtensionContext, deps: ClientDeps): Disposable {
  const documents = new WebhookDocuments();
  const progress = new ProgressRelay(deps.output);
  let tlsMode: WebhookTlsMode | undefined;
  const setTlsMode = (mode: WebhookTlsMode | undefined): void => {
    if (mode === tlsMode) return;
    tlsMode = mode;
    void commands.executeCommand('setContext', webhookTlsModeKey, mode ?? '');
  };
  const webhook: WebhookDeps = {
    output: deps.output,
    server: deps.server,
    documents,
    cluster: () => deps.server.serverStatus?.cluster,
    progress,
    changed: () => {
      void commands.executeCommand(commandIds.refreshExplorer).then(undefined, () => undefined);
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
  follow(webhook.cluster());

  /** A command's handler: a bug in it is logged with its stack and shown once. */
  const guarded = (id: string, run: (d: WebhookDeps) => Promise<void>) => async (): Promise<void> => {
    try {
      await run(webhook);
    } catch (error) {
      logError(deps.output, id, error);
      await showFailure(deps.output, `${id}: ${describeError(error)}`);
    }
  };

  return Disposable.from(
    documents,
    deps.server.onNotification(webhookProgressNotification, (p) => progress.deliver(p)),
    deps.server.onDidChangeHealth(() => follow(webhook.cluster())),
    commands.registerCommand(commandIds.deployWebhook, guarded(commandIds.deployWebhook, deployWebhook)),
    commands.registerCommand(commandIds.webhookStatus, guarded(commandIds.webhookStatus, webhookStatus)),
    commands.registerCommand(commandIds.uninstallWebhook, guarded(commandIds.uninstallWebhook, uninstallWebhook)),
    commands.registerCommand(commandIds.rotateWebhookCertificate, guarded(commandIds.rotateWebhookCertificate, rotateWebhookCertificate)),
  );
}
