/** The deployed restore-size webhook as the cluster shows it (read by cluster/ops/webhook/status.ts). */
import { behaviourOf, parseCdiVersion } from '../../cdi/version.js';
import type { CdiAssessment } from './deploy.js';

export interface WebhookStatus {
  deployed: boolean;
  namespace?: string;
  image?: string;
  replicas?: { desired: number; ready: number };
  certificate?: { notAfter: string; daysLeft: number; source: string; /** Set within CERTIFICATE_WARNING_DAYS of expiry (or past it): what to do. */ warning?: string };
  configuration?: { name: string; present: boolean; ordersAfterCdi: boolean; cdiConfigurationPresent: boolean };
  /** Plain-language summary for a notification or the explorer. */
  summary: string;
}

export type WebhookStatusResult = { ok: true; status: WebhookStatus } | { ok: false; message: string };

/** Whether the CDI version still inflates snapshot restores (< v1.64, CDI #3973), in a sentence naming the source. */
export function assessCdi(version: string | undefined, source: string): CdiAssessment {
  const parsed = version ? parseCdiVersion(version) : undefined;
  if (!parsed?.ok) {
    return {
      ...(version ? { version } : {}),
      inflatesSnapshotRestores: true,
      note: `The CDI version is unknown${version ? ` ("${version}" does not parse)` : ''}: assuming it still inflates VolumeSnapshot restores (CDI before v1.64).`,
    };
  }
  const b = behaviourOf(parsed);
  const inflates = !b.skipsSnapshotSources;
  return {
    version: parsed.text,
    inflatesSnapshotRestores: inflates,
    note: b.snapshotSkipUncertain
      ? `CDI ${parsed.text} (${source}) may inflate PVCs restored from VolumeSnapshots: it is newer than the last tag known of its line, and patches cut after 2025-12-11 carry the fix (CDI #3973 backports); the webhook shrinks them back to restoreSize if it does.`
      : inflates
      ? `CDI ${parsed.text} (${source}) inflates PVCs restored from VolumeSnapshots; the webhook shrinks them back to restoreSize.`
      : `CDI ${parsed.text} (${source}) no longer inflates PVCs restored from VolumeSnapshots (fixed in v1.64.0, CDI #3973): this cluster does not need the webhook.`,
  };
}

/** A serving certificate this close to its end is warned about (status, explorer), with renewal by webhook-rotate. */
export const CERTIFICATE_WARNING_DAYS = 30;

/**
 * The warning for a certificate with `left` days, or undefined. Self-signed certificates are renewed only by the
 * `webhook-rotate` operation; cert-manager and service-ca renew theirs, so only one past its end is worth a word.
 */
export function certificateWarning(left: number, selfSigned: boolean): string | undefined {
  const renew = 'renew it with the webhook-rotate operation (KubeVirt Storage: Rotate Restore-Size Webhook Certificate, or kvstorage apply webhook-rotate)';
  if (selfSigned) {
    if (left < 0) return `the serving certificate has expired: the API server cannot call the webhook, so no restore PVC is shrunk; ${renew}`;
    if (left <= CERTIFICATE_WARNING_DAYS) return `the serving certificate expires in ${left} day${left === 1 ? '' : 's'}: ${renew}`;
    return undefined;
  }
  return left < 0 ? 'the serving certificate has expired although its issuer should have renewed it: check the issuer' : undefined;
}

export function daysLeft(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
}
