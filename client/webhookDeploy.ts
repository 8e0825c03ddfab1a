/**
 * `kubevirtStorage.deployWebhook`: plan (with the settings; TLS asked only when there is a choice), say so
 * when CDI no longer needs the webhook, preview the exact manifests, server-side dry run, confirm, apply with
 * progress (cancellable), and report what the server verified. Also the target of the server's "Deploy the
 * restore-size webhook" code action. The server does the work; this is the conversation with the user.
 */
import { commands, ProgressLocation, window, workspace, type QuickPickItem } from 'vscode';
import { configurationSection } from '../protocol/status.js';
import {
  webhookApplyRequest,
  webhookDryRunRequest,
  webhookPlanRequest,
  type WebhookPlan,
  type WebhookPlanParams,
  type WebhookTlsMode,
} from '../protocol/webhook.js';
import { commandIds } from './commands.js';
import { ask, connectedContext, notBusy, withRequestProgress, type WebhookDeps } from './webhookDeps.js';
import { applyQuestion, applyResultMessage, previewText, tlsChoices, tlsModeLabel } from './webhookText.js';

const apply = 'Apply';
const deployAnyway = 'Deploy Anyway';
const showStatus = 'Show Status';
const uninstall = 'Uninstall';

/** The plan options from the `kubevirtStorage.webhook.*` settings (empty means the server's default). */
export function planParamsFromSettings(): WebhookPlanParams {
  const config = workspace.getConfiguration(configurationSection);
  const namespace = config.get<string>('webhook.namespace', '').trim();
  const image = config.get<string>('webhook.image', '').trim();
  const replicas = config.get<number>('webhook.replicas');
  return { ...(namespace ? { namespace } : {}), ...(image ? { image } : {}), ...(typeof replicas === 'number' ? { replicas } : {}) };
}

async function planWith(deps: WebhookDeps, params: WebhookPlanParams): Promise<WebhookPlan | undefined> {
  const r = await window.withProgress({ location: ProgressLocation.Window, title: 'KubeVirt Storage: planning the restore-size webhook' }, () =>
    ask(deps, 'plan the restore-size webhook', (t) => deps.server.request(webhookPlanRequest, params, t)),
  );
  if (!r.ok) return undefined;
  if (!r.value.ok) {
    void window.showErrorMessage(`KubeVirt Storage: cannot plan the restore-size webhook: ${r.value.message}`);
    return undefined;
  }
  const plan = r.value.plan;
  deps.output.info(`Webhook plan ${plan.planId}: ${plan.objects.length} objects, namespace ${plan.namespace}, image ${plan.image}, TLS ${plan.tlsMode}; CDI: ${plan.cdi.note}`);
  return plan;
}

/** On CDI v1.64 or later the webhook has nothing to undo: say so, and go on only when the user says so. */
async function cdiStillNeedsIt(plan: WebhookPlan): Promise<boolean> {
  if (plan.cdi.inflatesSnapshotRestores) return true;
  const version = plan.cdi.version ? `CDI ${plan.cdi.version}` : 'This cluster\'s CDI';
  const choice = await window.showWarningMessage(
    `${version} no longer inflates snapshot restores`,
    {
      modal: true,
      detail: `${plan.cdi.note}\n\nSince v1.64 CDI leaves PVCs restored from a VolumeSnapshot at their requested size, so the restore-size webhook has nothing to correct there. Deploy it anyway (e.g. ahead of restores from older DataVolumes, or a mixed fleet)?`,
    },
    deployAnyway,
  );
  return choice === deployAnyway;
}

interface TlsItem extends QuickPickItem {
  mode: WebhookTlsMode;
}

/** The plan with the TLS mode the user chose; the detected plan as it is when nothing else is possible. */
async function chooseTls(deps: WebhookDeps, plan: WebhookPlan, params: WebhookPlanParams, context: string): Promise<WebhookPlan | undefined> {
  const choices = tlsChoices(plan);
  if (choices.length < 2) return plan;
  const yesNo = (b: boolean): string => (b ? 'found' : 'not found');
  const picked = await window.showQuickPick<TlsItem>(
    choices.map((c) => ({ mode: c.mode, label: c.label, description: c.description, detail: c.detail })),
    {
      title: 'Deploy Restore-Size Webhook: serving certificate',
      placeHolder: `Detected on ${context}: OpenShift service-ca ${yesNo(plan.platform.openshiftServiceCa)}, cert-manager ${yesNo(plan.platform.certManager)}`,
      ignoreFocusOut: true,
    },
  );
  if (!picked) return undefined;
  return picked.mode === plan.tlsMode ? plan : planWith(deps, { ...params, tlsMode: picked.mode });
}

/** Runs the whole deploy conversation; every way out is logged, and every outcome told. */
export async function deployWebhook(deps: WebhookDeps): Promise<void> {
  const context = connectedContext(deps);
  if (!context || !notBusy(deps)) return;
  const params = planParamsFromSettings();
  const detected = await planWith(deps, params);
  if (!detected) return;
  if (!(await cdiStillNeedsIt(detected))) return deps.output.info('Deploy not started: CDI no longer inflates snapshot restores');
  const plan = await chooseTls(deps, detected, params, context);
  if (!plan) return deps.output.info('Deploy cancelled at the TLS choice');

  const where = `${context}/${plan.namespace}`;
  const preview = `${plan.planId}.yaml`;
  await deps.documents.show(preview, previewText(plan, context), 'yaml');

  const dry = await withRequestProgress(deps, `dry run of the restore-size webhook in ${where}`, 'dry-run the restore-size webhook', (t) =>
    deps.server.request(webhookDryRunRequest, { planId: plan.planId }, t),
  );
  if (!dry.ok) return;
  if (dry.cancelled) return deps.output.info(`Deploy of plan ${plan.planId} cancelled during the dry run; nothing was applied`);
  if (!dry.value.ok) {
    void window.showErrorMessage(`KubeVirt Storage: the server-side dry run in ${where} failed, so nothing was applied: ${dry.value.message}`);
    return;
  }
  const outcomes = dry.value.outcomes;
  deps.documents.set(preview, previewText(plan, context, outcomes));

  // Not modal: the user can read the preview while deciding. Dismissing it cancels.
  const choice = await window.showInformationMessage(`KubeVirt Storage: ${applyQuestion(plan, context, outcomes)}`, apply, 'Cancel');
  if (choice !== apply) return deps.output.info(`Deploy of plan ${plan.planId} cancelled at the confirmation; nothing was applied`);

  const applied = await withRequestProgress(deps, `deploying the restore-size webhook (${tlsModeLabel(plan.tlsMode)} TLS) to ${where}`, 'deploy the restore-size webhook', (t) =>
    deps.server.request(webhookApplyRequest, { planId: plan.planId }, t),
  );
  deps.changed();
  if (!applied.ok) {
    if (!applied.cancelled) return;
    void window.showWarningMessage(`KubeVirt Storage: deploying to ${where} was cancelled. Objects applied before the cancel stay in the cluster.`, showStatus, uninstall).then(follow);
    return;
  }
  const result = applyResultMessage(applied.value, where);
  // Stopped because the user cancelled: what it says is expected, not an error.
  const message = applied.cancelled && result.severity === 'error' ? { ...result, severity: 'warning' as const } : result;
  const text = `KubeVirt Storage: ${message.text}`;
  // The command is done once the work is: the message stays for the user, nobody awaits it.
  if (message.severity === 'info') {
    deps.output.info(message.text);
    void window.showInformationMessage(text, showStatus).then(follow);
  } else if (message.severity === 'warning') {
    deps.output.warn(message.text);
    void window.showWarningMessage(text, ...(applied.value.ok ? [showStatus] : [showStatus, uninstall])).then(follow);
  } else {
    deps.output.error(message.text);
    void window.showErrorMessage(text, showStatus, uninstall).then(follow);
  }
}

function follow(choice: string | undefined): void {
  if (choice === showStatus) void commands.executeCommand(commandIds.webhookStatus);
  else if (choice === uninstall) void commands.executeCommand(commandIds.uninstallWebhook);
}
