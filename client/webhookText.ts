/**
 * The words of the restore-size webhook's status: the TLS mode a status names, whether it is healthy, and the
 * details as markdown. Pure (no vscode), so test/unit checks them without an editor.
 */
import type { WebhookStatus, WebhookTlsMode } from '../protocol/webhook.js';
import { plural } from './operations/text.js';

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
