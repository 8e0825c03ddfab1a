/**
 * The restore-size admission webhook (issue 5). The server plans, dry-runs, applies, verifies and removes; the
 * client previews, confirms and shows progress. A plan is kept by id so that apply applies exactly what the
 * user previewed.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

export type WebhookTlsMode = 'openshift-service-ca' | 'cert-manager' | 'self-signed';

export interface WebhookPlanParams {
  /** Default: the setting kubevirtStorage.webhook.namespace, else the platform's CDI namespace guess. */
  namespace?: string;
  /** Default: the setting kubevirtStorage.webhook.image. */
  image?: string;
  replicas?: number;
  /** Default: detected (service-ca on OpenShift, cert-manager when served, else self-signed). */
  tlsMode?: WebhookTlsMode;
}

export interface WebhookPlan {
  planId: string;
  namespace: string;
  image: string;
  tlsMode: WebhookTlsMode;
  /** What detection found, for the preview's header. */
  platform: { openshiftServiceCa: boolean; certManager: boolean };
  /** The CDI version seen and whether it still inflates snapshot restores (< v1.64). */
  cdi: { version?: string; inflatesSnapshotRestores: boolean; note: string };
  /** The exact manifests, as a multi-document YAML for the preview editor (secrets' key material redacted). */
  yaml: string;
  objects: { apiVersion: string; kind: string; namespace?: string; name: string }[];
}

export type WebhookPlanResult = { ok: true; plan: WebhookPlan } | { ok: false; message: string };

/** Request `kubevirtStorage/webhook/plan`: detect the platform and CDI version, build the manifests. */
export const webhookPlanRequest = new RequestType<WebhookPlanParams, WebhookPlanResult, void>('kubevirtStorage/webhook/plan');

export interface WebhookPlanRef {
  planId: string;
}

export interface WebhookObjectOutcome {
  kind: string;
  namespace?: string;
  name: string;
  action: 'create' | 'update' | 'unchanged' | 'delete';
}

export type WebhookDryRunResult = { ok: true; outcomes: WebhookObjectOutcome[] } | { ok: false; message: string };

/** Request `kubevirtStorage/webhook/dryRun`: server-side dry-run of a plan (`dryRun=All`, server-side apply). */
export const webhookDryRunRequest = new RequestType<WebhookPlanRef, WebhookDryRunResult, void>('kubevirtStorage/webhook/dryRun');

export type WebhookApplyResult =
  | { ok: true; outcomes: WebhookObjectOutcome[]; verified: boolean; verification: string }
  | { ok: false; message: string; outcomes?: WebhookObjectOutcome[] };

/**
 * Request `kubevirtStorage/webhook/apply`: server-side apply under one field manager, wait for the rollout, then
 * verify with a dry-run create of a labelled restore PVC that the webhook patches it. Cancellable; progress
 * arrives as `kubevirtStorage/webhook/progress` notifications.
 */
export const webhookApplyRequest = new RequestType<WebhookPlanRef, WebhookApplyResult, void>('kubevirtStorage/webhook/apply');

export interface WebhookProgressParams {
  planId: string;
  step: 'dry-run' | 'apply' | 'rollout' | 'verify' | 'uninstall' | 'rotate';
  message: string;
}

/** Notification `kubevirtStorage/webhook/progress` (server → client) while a dry run, apply, uninstall or rotation runs. */
export const webhookProgressNotification = new NotificationType<WebhookProgressParams>('kubevirtStorage/webhook/progress');

export interface WebhookStatus {
  deployed: boolean;
  namespace?: string;
  image?: string;
  replicas?: { desired: number; ready: number };
  certificate?: { notAfter: string; daysLeft: number; source: string };
  configuration?: { name: string; present: boolean; ordersAfterCdi: boolean; cdiConfigurationPresent: boolean };
  /** Plain-language summary for a notification or the explorer. */
  summary: string;
}

export type WebhookStatusResult = { ok: true; status: WebhookStatus } | { ok: false; message: string };

/** Request `kubevirtStorage/webhook/status` (no params; any a client sends are ignored). */
export const webhookStatusRequest = new RequestType0<WebhookStatusResult, void>('kubevirtStorage/webhook/status');

export interface WebhookUninstallParams {
  dryRun?: boolean;
}

export type WebhookUninstallResult = { ok: true; outcomes: WebhookObjectOutcome[] } | { ok: false; message: string };

/** Request `kubevirtStorage/webhook/uninstall`: removes exactly the objects the deploy created (by label). */
export const webhookUninstallRequest = new RequestType<WebhookUninstallParams, WebhookUninstallResult, void>('kubevirtStorage/webhook/uninstall');

export type WebhookRotateResult = { ok: true; notAfter: string } | { ok: false; message: string };

/**
 * Request `kubevirtStorage/webhook/rotate` (no params; any a client sends are ignored): a new self-signed serving
 * certificate (and caBundle); self-signed mode only. Cancellable.
 */
export const webhookRotateRequest = new RequestType0<WebhookRotateResult, void>('kubevirtStorage/webhook/rotate');
