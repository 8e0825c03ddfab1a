/**
 * The words of the restore-size webhook commands: outcome summaries, the confirmation, the result of a
 * deploy, the TLS choices and the status details. Pure (no vscode), so test/unit checks them without an editor.
 */
import type {
  WebhookApplyResult,
  WebhookObjectOutcome,
  WebhookPlan,
  WebhookStatus,
  WebhookTlsMode,
} from '../protocol/webhook.js';

type Action = WebhookObjectOutcome['action'];

const actionOrder: readonly Action[] = ['create', 'update', 'unchanged', 'delete'];
const future: Record<Action, string> = { create: 'to create', update: 'to update', unchanged: 'unchanged', delete: 'to remove' };
const past: Record<Action, string> = { create: 'created', update: 'updated', unchanged: 'unchanged', delete: 'removed' };

/** `n thing(s)`, with thousands separators. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** `Kind namespace/name` (`Kind name` for cluster-scoped objects). */
export function objectLabel(o: { kind: string; namespace?: string; name: string }): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** How many objects per action, in a fixed order, without zero counts. */
export function countOutcomes(outcomes: readonly WebhookObjectOutcome[]): Array<{ action: Action; count: number }> {
  return actionOrder.map((action) => ({ action, count: outcomes.filter((o) => o.action === action).length })).filter((c) => c.count > 0);
}

/**
 * `3 to create, 1 to update, 4 unchanged` (`tense: 'future'`, a dry run) or `3 created, …` (`'past'`);
 * `nothing` when there are no outcomes.
 */
export function outcomeSummary(outcomes: readonly WebhookObjectOutcome[], tense: 'future' | 'past'): string {
  const words = tense === 'future' ? future : past;
  const counts = countOutcomes(outcomes);
  return counts.length === 0 ? 'nothing' : counts.map((c) => `${c.count} ${words[c.action]}`).join(', ');
}

/** One line per object: `create  ServiceAccount ns/name`, aligned. */
export function outcomeLines(outcomes: readonly WebhookObjectOutcome[]): string[] {
  const width = Math.max(0, ...outcomes.map((o) => o.action.length));
  return outcomes.map((o) => `${o.action.padEnd(width)}  ${objectLabel(o)}`);
}

/** The confirmation beside the preview: what will be applied where, and what the dry run said. */
export function applyQuestion(plan: WebhookPlan, context: string, outcomes: readonly WebhookObjectOutcome[]): string {
  const where = `${context}/${plan.namespace}`;
  const changes = outcomes.filter((o) => o.action === 'create' || o.action === 'update').length;
  const dryRun = `The server-side dry run passed: ${outcomeSummary(outcomes, 'future')}.`;
  if (changes === 0 && outcomes.length > 0) return `Every one of the ${plural(plan.objects.length, 'object')} is already in ${where} as planned. ${dryRun} Apply anyway (and verify)?`;
  return `Apply these ${plural(plan.objects.length, 'object')} to ${where}? ${dryRun}`;
}

/** The header of the preview document: YAML comments above the exact manifests. */
export function previewHeader(plan: WebhookPlan, context: string, outcomes?: readonly WebhookObjectOutcome[]): string {
  const lines = [
    `Restore-size webhook, plan ${plan.planId}: ${plural(plan.objects.length, 'object')} for context ${context}, namespace ${plan.namespace}`,
    `image ${plan.image} · TLS ${tlsModeLabel(plan.tlsMode)} · CDI ${plan.cdi.version ?? 'version unknown'}${plan.cdi.inflatesSnapshotRestores ? '' : ' (no longer inflates snapshot restores)'}`,
    ...(outcomes
      ? ['Server-side dry run (dryRun=All):', ...outcomeLines(outcomes).map((l) => `  ${l}`)]
      : ['Server-side dry run: running…']),
    'Read-only preview: apply it with the confirmation beside it; secrets\' key material is redacted here.',
  ];
  return `${lines.map((l) => `# ${l}`).join('\n')}\n`;
}

/** The preview document: the header, then the plan's YAML unchanged. */
export function previewText(plan: WebhookPlan, context: string, outcomes?: readonly WebhookObjectOutcome[]): string {
  return `${previewHeader(plan, context, outcomes)}${plan.yaml.startsWith('---') ? '' : '---\n'}${plan.yaml}`;
}

const tlsLabels: Record<WebhookTlsMode, string> = {
  'openshift-service-ca': 'OpenShift service CA',
  'cert-manager': 'cert-manager',
  'self-signed': 'self-signed',
};

export function tlsModeLabel(mode: WebhookTlsMode): string {
  return tlsLabels[mode];
}

export interface TlsChoice {
  mode: WebhookTlsMode;
  label: string;
  description: string;
  detail: string;
}

/**
 * The TLS modes this cluster allows, the plan's (detected) one first. Self-signed is always possible; the others
 * only when detection found them. One choice means there is nothing to ask.
 */
export function tlsChoices(plan: WebhookPlan): TlsChoice[] {
  const possible: WebhookTlsMode[] = [
    ...(plan.platform.openshiftServiceCa ? (['openshift-service-ca'] as const) : []),
    ...(plan.platform.certManager ? (['cert-manager'] as const) : []),
    'self-signed',
  ];
  const modes = [plan.tlsMode, ...possible.filter((m) => m !== plan.tlsMode)];
  const details: Record<WebhookTlsMode, string> = {
    'openshift-service-ca': 'Detected OpenShift\'s service-ca operator: it issues, injects and rotates the certificate.',
    'cert-manager': 'Detected cert-manager: an Issuer and Certificates, with the CA injected by its cainjector.',
    'self-signed': 'The extension makes a CA and a serving certificate and stores them in a Secret; rotate them with a command.',
  };
  return modes.map((mode) => ({
    mode,
    label: tlsModeLabel(mode),
    description: mode === plan.tlsMode ? 'detected default' : '',
    detail: details[mode],
  }));
}

export interface ResultMessage {
  severity: 'info' | 'warning' | 'error';
  text: string;
}

/** The end of a deploy: verified, applied without verification (and why), or failed (and what was applied). */
export function applyResultMessage(result: WebhookApplyResult, where: string): ResultMessage {
  if (!result.ok) {
    const applied = (result.outcomes ?? []).filter((o) => o.action !== 'unchanged');
    // The server's message usually names what was and was not applied; say it only when it does not.
    const named = /\bapplied:|nothing was applied|nothing is left applied/i.test(result.message);
    const what = named ? '' : applied.length > 0 ? ` Applied before it stopped: ${applied.map(objectLabel).join(', ')}.` : ' Nothing was changed.';
    const hint = applied.length > 0 ? ' Deploy again to finish, or Uninstall to remove what was applied.' : '';
    return { severity: 'error', text: `Deploying the restore-size webhook to ${where} stopped: ${result.message.replace(/\.$/, '')}.${what}${hint}` };
  }
  const done = `The restore-size webhook is deployed to ${where} (${outcomeSummary(result.outcomes, 'past')})`;
  return result.verified
    ? { severity: 'info', text: `${done} and verified: ${result.verification}` }
    : { severity: 'warning', text: `${done}, but verification was skipped: ${result.verification}` };
}

/** The TLS mode a status's certificate source names, when it names one. */
export function tlsModeOfStatus(status: WebhookStatus): WebhookTlsMode | undefined {
  const source = status.certificate?.source ?? '';
  if (/service-ca|openshift/i.test(source)) return 'openshift-service-ca';
  if (/cert-manager/i.test(source)) return 'cert-manager';
  if (/self-signed|selfsigned/i.test(source)) return 'self-signed';
  return undefined;
}

/** Whether the status shows a webhook that is deployed and working: ready replicas, configuration after CDI's. */
export function statusHealthy(status: WebhookStatus): boolean {
  if (!status.deployed) return false;
  const replicasOk = !status.replicas || (status.replicas.ready > 0 && status.replicas.ready >= status.replicas.desired);
  const configOk = !status.configuration || (status.configuration.present && status.configuration.ordersAfterCdi);
  const certOk = !status.certificate || status.certificate.daysLeft > 7;
  return replicasOk && configOk && certOk;
}

/** The status details as markdown, for the "Show Details" view. */
export function statusMarkdown(status: WebhookStatus, context: string | undefined): string {
  const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
  const rows: Array<[string, string]> = [
    ['Deployed', yesNo(status.deployed)],
    ...(status.namespace ? [['Namespace', `\`${status.namespace}\``] as [string, string]] : []),
    ...(status.image ? [['Image', `\`${status.image}\``] as [string, string]] : []),
    ...(status.replicas ? [['Replicas ready', `${status.replicas.ready} of ${status.replicas.desired}`] as [string, string]] : []),
    ...(status.certificate
      ? [['Certificate', `expires ${status.certificate.notAfter} (${plural(status.certificate.daysLeft, 'day')} left) · ${status.certificate.source}`] as [string, string]]
      : []),
  ];
  const c = status.configuration;
  if (c) {
    rows.push(['Webhook configuration', `\`${c.name}\` ${c.present ? 'present' : 'missing'}`]);
    rows.push(['Ordered after CDI\'s', c.cdiConfigurationPresent ? yesNo(c.ordersAfterCdi) : `${yesNo(c.ordersAfterCdi)} (CDI's \`cdi-api-pvc-mutate\` is not in the cluster)`]);
  }
  const table = ['| What | State |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)];
  return [`# Restore-size webhook${context ? ` in ${context}` : ''}`, '', status.summary, '', ...table, ''].join('\n');
}
