/**
 * The restore-size webhook's own request: its status (the explorer's node, the client's `when` clauses). Deploy,
 * uninstall and rotation are operations (protocol/operations.ts: `webhook`, `webhook-uninstall`, `webhook-rotate`).
 */
import { RequestType0 } from 'vscode-languageserver-protocol';
import type { WebhookStatus, WebhookStatusResult } from '../core/ops/webhook/status.js';

export type { WebhookStatus, WebhookStatusResult };

export type WebhookTlsMode = 'openshift-service-ca' | 'cert-manager' | 'self-signed';

/** Request `kubevirtStorage/webhook/status` (no params; any a client sends are ignored). */
export const webhookStatusRequest = new RequestType0<WebhookStatusResult, void>('kubevirtStorage/webhook/status');
