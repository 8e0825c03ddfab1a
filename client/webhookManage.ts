/**
 * `kubevirtStorage.webhookStatus`, `kubevirtStorage.uninstallWebhook` and `kubevirtStorage.rotateWebhookCertificate`:
 * the status in a notification (details as markdown); uninstall as dry run, confirm, remove, verify; rotation
 * (self-signed mode) as confirm, rotate, verify. The server does the work.
 */
import { commands, ProgressLocation, window } from 'vscode';
import {
  webhookRotateRequest,
  webhookStatusRequest,
  webhookUninstallRequest,
  type WebhookStatus,
  type WebhookUninstallParams,
} from '../protocol/webhook.js';
import { commandIds } from './commands.js';
import { ask, connectedContext, notBusy, withRequestProgress, type WebhookDeps } from './webhookDeps.js';
import { objectLabel, outcomeLines, plural, statusHealthy, statusMarkdown, tlsModeLabel, tlsModeOfStatus } from './webhookText.js';

const showDetails = 'Show Details';
const deploy = 'Deploy…';

/** The status from the server (shown as a failure when it cannot be read), also handed to `observed`. */
export async function readStatus(deps: WebhookDeps, quiet = false): Promise<WebhookStatus | undefined> {
  const r = await window.withProgress({ location: ProgressLocation.Window, title: 'KubeVirt Storage: reading the restore-size webhook status' }, () =>
    quiet ? deps.server.request(webhookStatusRequest).then((value) => ({ ok: true as const, value, cancelled: false }), () => ({ ok: false as const, cancelled: false }))
    : ask(deps, 'read the restore-size webhook status', (t) => deps.server.request(webhookStatusRequest, t)),
  );
  if (!r.ok) return undefined;
  if (!r.value.ok) {
    if (!quiet) void window.showWarningMessage(`KubeVirt Storage: cannot read the restore-size webhook status: ${r.value.message}`);
    return undefined;
  }
  deps.observed(r.value.status);
  return r.value.status;
}

async function showStatusDetails(deps: WebhookDeps, status: WebhookStatus, context: string): Promise<void> {
  const name = `restore-size-webhook-${context}.md`;
  const uri = deps.documents.set(name, statusMarkdown(status, context));
  // Rendered by the built-in markdown extension; its source where that is disabled.
  try {
    await commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await deps.documents.show(name, statusMarkdown(status, context), 'markdown');
  }
}

export async function webhookStatus(deps: WebhookDeps): Promise<void> {
  const context = connectedContext(deps);
  if (!context) return;
  const status = await readStatus(deps);
  if (!status) return;
  const text = `KubeVirt Storage (${context}): ${status.summary}`;
  deps.output.info(text);
  const shown =
    !status.deployed ? window.showInformationMessage(text, showDetails, deploy)
    : statusHealthy(status) ? window.showInformationMessage(text, showDetails)
    : window.showWarningMessage(text, showDetails);
  void shown.then((choice) => {
    if (choice === showDetails) return showStatusDetails(deps, status, context);
    if (choice === deploy) return commands.executeCommand(commandIds.deployWebhook);
    return undefined;
  });
}

export async function uninstallWebhook(deps: WebhookDeps): Promise<void> {
  const context = connectedContext(deps);
  if (!context || !notBusy(deps)) return;
  const dryRun: WebhookUninstallParams = { dryRun: true };
  const dry = await withRequestProgress(deps, `dry run of removing the restore-size webhook from ${context}`, 'dry-run the uninstall', (t) =>
    deps.server.request(webhookUninstallRequest, dryRun, t),
  );
  if (!dry.ok || dry.cancelled) return;
  if (!dry.value.ok) {
    void window.showErrorMessage(`KubeVirt Storage: the uninstall dry run in ${context} failed, so nothing was removed: ${dry.value.message}`);
    return;
  }
  const found = dry.value.outcomes.filter((o) => o.action !== 'unchanged');
  if (found.length === 0) {
    void window.showInformationMessage(`KubeVirt Storage: the restore-size webhook is not deployed in ${context}: nothing to remove.`);
    return;
  }
  const remove = 'Remove';
  const choice = await window.showWarningMessage(
    `Remove the restore-size webhook from ${context}?`,
    {
      modal: true,
      detail: `The server-side dry run would remove these ${plural(found.length, 'object')}, exactly those the deploy created:\n\n${outcomeLines(found).join('\n')}\n\nPVCs created afterwards are no longer corrected to their snapshot's restoreSize.`,
    },
    remove,
  );
  if (choice !== remove) return deps.output.info('Uninstall cancelled at the confirmation; nothing was removed');

  const removed = await withRequestProgress(deps, `removing the restore-size webhook from ${context}`, 'uninstall the restore-size webhook', (t) =>
    deps.server.request(webhookUninstallRequest, { dryRun: false }, t),
  );
  deps.changed();
  if (!removed.ok) {
    if (removed.cancelled) void window.showWarningMessage(`KubeVirt Storage: uninstalling from ${context} was cancelled; objects removed before the cancel are gone, the rest stay.`);
    return;
  }
  if (!removed.value.ok) {
    const text = `KubeVirt Storage: uninstalling the restore-size webhook from ${context} stopped: ${removed.value.message}`;
    void (removed.cancelled ? window.showWarningMessage(text) : window.showErrorMessage(text));
    return;
  }
  const gone = removed.value.outcomes.filter((o) => o.action === 'delete');
  deps.output.info(`Removed from ${context}: ${gone.map(objectLabel).join(', ') || 'nothing'}`);
  // Verify: the status must no longer find it.
  const after = await readStatus(deps, true);
  if (after?.deployed) void window.showWarningMessage(`KubeVirt Storage: removed ${plural(gone.length, 'object')} from ${context}, but the webhook still shows as deployed: ${after.summary}`);
  else void window.showInformationMessage(`KubeVirt Storage: removed the restore-size webhook from ${context} (${plural(gone.length, 'object')})${after ? '; verified: nothing of it is left' : ''}.`);
}

export async function rotateWebhookCertificate(deps: WebhookDeps): Promise<void> {
  const context = connectedContext(deps);
  if (!context || !notBusy(deps)) return;
  const before = await readStatus(deps);
  if (!before) return;
  if (!before.deployed) {
    void window.showInformationMessage(`KubeVirt Storage: the restore-size webhook is not deployed in ${context}: there is no certificate to rotate.`);
    return;
  }
  const mode = tlsModeOfStatus(before);
  if (mode && mode !== 'self-signed') {
    void window.showInformationMessage(`KubeVirt Storage: the webhook's certificate in ${context} is issued by ${tlsModeLabel(mode)}, which rotates it itself; only self-signed certificates are rotated by this command.`);
    return;
  }
  const rotate = 'Rotate';
  const current = before.certificate ? `The current certificate expires ${before.certificate.notAfter} (${plural(before.certificate.daysLeft, 'day')} left).\n\n` : '';
  const choice = await window.showWarningMessage(
    `Rotate the restore-size webhook's certificate in ${context}?`,
    { modal: true, detail: `${current}A new CA and serving certificate replace the Secret and the configuration's caBundle. Admissions during the switch fail open (the PVC is created unchanged).` },
    rotate,
  );
  if (choice !== rotate) return;
  const r = await withRequestProgress(deps, `rotating the restore-size webhook's certificate in ${context}`, 'rotate the webhook certificate', (t) =>
    deps.server.request(webhookRotateRequest, t),
  );
  deps.changed();
  if (!r.ok) return;
  if (!r.value.ok) {
    void window.showErrorMessage(`KubeVirt Storage: rotating the webhook certificate in ${context} failed: ${r.value.message}`);
    return;
  }
  const notAfter = r.value.notAfter;
  const after = await readStatus(deps, true);
  const verified = after?.certificate?.notAfter === notAfter;
  const text = `the webhook certificate in ${context} was rotated; the new one is valid until ${notAfter}`;
  if (verified || !after?.certificate) void window.showInformationMessage(`KubeVirt Storage: ${text}${verified ? ' (verified)' : ''}.`);
  else void window.showWarningMessage(`KubeVirt Storage: ${text}, but the cluster still reports a certificate valid until ${after.certificate.notAfter}.`);
}
