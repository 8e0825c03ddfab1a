/** The restore-size webhook's operations: deploy, uninstall, rotate the self-signed certificate. */
import { caKeyNamespace, chooseTls, namespaceFor, planWebhookDeploy, WEBHOOK_OPERATION } from '../../../core/ops/webhook/deploy.js';
import { DEFAULT_WEBHOOK_NAME, webhookDnsNames } from '../../../core/ops/webhook/manifests.js';
import type { ApiServerPeers } from '../../../core/ops/webhook/networkPolicy.js';
import { assessCdi } from '../../../core/ops/webhook/status.js';
import { planWebhookUninstall, WEBHOOK_UNINSTALL_OPERATION } from '../../../core/ops/webhook/uninstall.js';
import type { ClusterConnection } from '../../connection.js';
import type { OperationContext, OperationDefinition, StatusResult } from '../registry.js';
import { apiServerPeers, detectPlatform, selfSignedFor, verificationSnapshot } from './detect.js';
import { planRotation, WEBHOOK_ROTATE_OPERATION } from './rotate.js';
import { labelledObjects, webhookStatus } from './status.js';

const target = (conn: ClusterConnection) => ({ context: conn.context, server: conn.server });

async function status(conn: ClusterConnection, ctx: OperationContext): Promise<StatusResult> {
  const r = await webhookStatus(conn, ctx.now);
  if (!r.ok) return r;
  const s = r.status;
  const details = [
    ...(s.image ? [`image: ${s.image}`] : []),
    ...(s.replicas ? [`replicas: ${s.replicas.ready}/${s.replicas.desired} ready`] : []),
    ...(s.certificate ? [`certificate: expires ${s.certificate.notAfter} (${s.certificate.daysLeft} days; ${s.certificate.source})`] : []),
    ...(s.configuration ? [`configuration: ${s.configuration.name} ${s.configuration.present ? 'present' : 'missing'}, ${s.configuration.ordersAfterCdi ? 'after' : 'BEFORE'} cdi-api-pvc-mutate`] : []),
  ];
  return { ok: true, summary: s.summary, details, data: s };
}

export const webhookOperations: readonly OperationDefinition[] = [
  {
    id: WEBHOOK_OPERATION,
    title: 'Deploy the restore-size webhook',
    summary: 'the admission webhook that sets restore PVCs back to restoreSize after CDI inflates them (CDI < v1.64)',
    options: [
      { name: 'tls', type: 'string', choices: ['openshift-service-ca', 'cert-manager', 'self-signed'], description: 'who issues the serving certificate (default: OpenShift service-ca, else cert-manager, else self-signed)' },
      { name: 'namespace', type: 'string', description: "the webhook's namespace (default: CDI's, as its PVC webhook names it, else kubevirt-storage)", setting: 'kubevirtStorage.webhook.namespace' },
      { name: 'image', type: 'string', description: 'the container image (default: ghcr.io/grandeit/pvc-shrink-ray:latest)', setting: 'kubevirtStorage.webhook.image' },
      { name: 'replicas', type: 'integer', description: 'replicas, spread across nodes (default 2; with 1 there is no PodDisruptionBudget)', setting: 'kubevirtStorage.webhook.replicas' },
      {
        name: 'network-policy',
        type: 'string',
        choices: ['api-server', 'none'],
        description: "api-server (default): a NetworkPolicy admits only the API server to the webhook's port; none: no policy",
      },
      {
        name: 'ca-key',
        type: 'string',
        choices: ['none', 'cluster'],
        description: "self-signed TLS: none (default) keeps the CA key out of the cluster (rotation then adds a new CA); cluster keeps it in a Secret in a namespace of its own, with a Role for it",
      },
      { name: 'api-server-cidr', type: 'string', description: 'where the API server calls webhooks from, when the cluster does not show it (comma-separated CIDRs or addresses)' },
    ],
    async plan(conn, options, ctx) {
      const detected = await detectPlatform(conn);
      if (!detected.ok) return detected;
      const { platform } = detected;
      const tls = chooseTls(platform, options['tls'] as string | undefined);
      if (!tls.ok) return tls;
      const { namespace } = namespaceFor(platform, options['namespace'] as string | undefined);
      const ns = await conn.get('v1', 'Namespace', undefined, namespace);
      if (!ns.ok && ns.error.kind !== 'not-found') return { ok: false, message: `Cannot tell whether namespace ${namespace} exists: ${ns.error.message}` };
      const policyMode = (options['network-policy'] as string | undefined) ?? 'api-server';
      const given = typeof options['api-server-cidr'] === 'string' ? options['api-server-cidr'].split(',').map((c) => c.trim()).filter((c) => c !== '') : [];
      let networkPolicy: { peers: ApiServerPeers; sources: string } | { skipped: string } = { skipped: 'not asked for (--network-policy none).' };
      if (policyMode === 'api-server') {
        const peers = await apiServerPeers(conn, given);
        if (!peers.ok) return peers;
        networkPolicy = peers;
      }
      const selfSigned = tls.mode === 'self-signed' ? await selfSignedFor(conn, namespace, DEFAULT_WEBHOOK_NAME, `${DEFAULT_WEBHOOK_NAME}-certs`, webhookDnsNames(namespace), ctx.now) : undefined;
      const caKey = options['ca-key'] === 'cluster' ? 'cluster' : 'none';
      const caNs = caKey === 'cluster' ? await conn.get('v1', 'Namespace', undefined, caKeyNamespace(DEFAULT_WEBHOOK_NAME)) : undefined;
      if (caNs && !caNs.ok && caNs.error.kind !== 'not-found') return { ok: false, message: `Cannot tell whether namespace ${caKeyNamespace(DEFAULT_WEBHOOK_NAME)} exists: ${caNs.error.message}` };
      return planWebhookDeploy({
        target: target(conn),
        platform,
        namespace,
        namespaceExists: ns.ok,
        tlsMode: tls.mode,
        ...(typeof options['image'] === 'string' ? { image: options['image'] } : {}),
        ...(typeof options['replicas'] === 'number' ? { replicas: options['replicas'] } : {}),
        cdi: assessCdi(ctx.cdiVersion?.version, ctx.cdiVersion?.source ?? 'unknown'),
        ...(selfSigned ? { selfSigned } : {}),
        caKey,
        caKeyNamespaceExists: caNs?.ok === true,
        verifyWith: await verificationSnapshot(conn, namespace),
        networkPolicy,
      });
    },
    status,
    undoAlso: [WEBHOOK_ROTATE_OPERATION],
  },
  {
    id: WEBHOOK_UNINSTALL_OPERATION,
    title: 'Uninstall the restore-size webhook',
    summary: 'removes exactly the objects the deploy labelled (a namespace only if the deploy created it)',
    options: [],
    async plan(conn) {
      const found = await labelledObjects(conn);
      if (!found.ok) return found;
      return planWebhookUninstall(target(conn), found.objects, found.keptNamespaces);
    },
    status,
  },
  {
    id: WEBHOOK_ROTATE_OPERATION,
    title: "Rotate the restore-size webhook's certificate",
    summary: 'a new self-signed serving certificate (and CA, when its key is not in the cluster)',
    options: [],
    plan: (conn, _options, ctx) => planRotation(conn, target(conn), ctx.now),
    status,
  },
];
