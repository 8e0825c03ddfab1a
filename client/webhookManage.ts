/**
 * `kubevirtStorage.webhookStatus`: the status in a notification (details as markdown), with Deploy or Undo to
 * follow. Deploy, uninstall and rotation are operations (client/operations/).
 */
import { commands, ProgressLocation, window } from 'vscode';
import { webhookStatusRequest, type WebhookStatus } from '../protocol/webhook.js';
import { commandIds } from './commands.js';
import { ask, connectedContext, type OperationDeps } from './operations/deps.js';
import { statusHealthy, statusMarkdown } from './webhookText.js';

/** The operation deps plus where a status the server answered goes (it sets the context keys). */
export interface WebhookDeps extends OperationDeps {
  observed(status: WebhookStatus): void;
}

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
