/**
 * Planning the rotation of a deployed webhook's self-signed serving certificate: a new serving certificate
 * signed by the CA in `<name>-ca` (the caBundle stays valid throughout), or, without that CA key, a new CA
 * that is added to the caBundle before the serving Secret changes (the old CA stays trusted until the next
 * rotation, so pods still serving the old certificate keep working). The objects are planned again from what
 * is deployed (core/ops/webhook/manifests.ts, so the pod-template certificate hash restarts the pvc-shrink-ray
 * image, which reads its certificate only at start; this project's image reloads the mounted files).
 */
import { caKeyNamespace, caSecretName } from '../../../core/ops/webhook/deploy.js';
import { imageKindOf, planWebhook, webhookDnsNames, type KubeObject } from '../../../core/ops/webhook/manifests.js';
import type { Plan, PlanResult, PlanTarget } from '../../../core/ops/types.js';
import type { ClusterConnection } from '../../connection.js';
import { secretText } from './detect.js';
import { findDeployed } from './status.js';

export const WEBHOOK_ROTATE_OPERATION = 'webhook-rotate';

type DeploymentJson = {
  spec?: {
    replicas?: number;
    template?: { spec?: { priorityClassName?: string; containers?: { image?: string; imagePullPolicy?: string }[] } };
  };
};

type Conn = Pick<ClusterConnection, 'get' | 'list' | 'resource' | 'context' | 'server'>;

export async function planRotation(conn: Conn, target: PlanTarget, now: Date): Promise<PlanResult> {
  const found = await findDeployed(conn);
  if (!found.ok) return found;
  const d = found.deployed;
  if (!d?.configuration || !d.deployment) return { ok: false, message: 'The restore-size webhook is not (completely) deployed: deploy it first.' };
  if (d.tlsMode !== 'self-signed') return { ok: false, message: `The webhook uses ${d.tlsMode}, which renews its certificate itself; rotation is for the self-signed mode only.` };
  const oldBundle = d.configuration.webhooks?.[0]?.clientConfig?.caBundle;
  const oldCa = oldBundle ? Buffer.from(oldBundle, 'base64').toString('utf8') : undefined;
  const spec = (d.deployment as DeploymentJson).spec;
  const container = spec?.template?.spec?.containers?.[0];
  if (!container?.image) return { ok: false, message: `Deployment ${d.namespace}/${d.name} has no container image.` };

  // The CA key, if the user chose to keep it (its own namespace), or where an earlier deploy left it.
  let caCert: string | undefined;
  let caKey: string | undefined;
  let caAt = '';
  for (const namespace of [caKeyNamespace(d.name), d.namespace]) {
    const caRead = await conn.get<{ data?: Record<string, string> }>('v1', 'Secret', namespace, caSecretName(d.name));
    if (!caRead.ok && caRead.error.kind !== 'not-found') return { ok: false, message: caRead.error.message };
    caCert = caRead.ok ? secretText(caRead.value, 'ca.crt') : undefined;
    caKey = caRead.ok ? secretText(caRead.value, 'ca.key') : undefined;
    caAt = `${namespace}/${caSecretName(d.name)}`;
    if (caCert !== undefined && caKey !== undefined) break;
  }
  const sameCa = caCert !== undefined && caKey !== undefined;

  const { generateSelfSignedTls } = await import('../../../core/ops/webhook/selfSigned.js');
  const tls = await generateSelfSignedTls({ dnsNames: webhookDnsNames(d.namespace, d.name), now, crypto: globalThis.crypto, ...(caCert !== undefined && caKey !== undefined ? { ca: { certificatePem: caCert, privateKeyPem: caKey } } : {}) });
  // A new CA is trusted next to the one the pods serve from (the first of the old bundle): they keep serving the old
  // certificate until they pick up the new one. Older CAs are dropped, so the bundle never grows past two.
  const current = oldCa ? firstPem(oldCa) : undefined;
  const bundle = sameCa || !current || current === tls.caCertificatePem.trim() ? tls.caCertificatePem : `${tls.caCertificatePem.trim()}\n${current}\n`;
  const policy = container.imagePullPolicy;
  const planned = planWebhook({
    namespace: d.namespace,
    name: d.name,
    image: container.image,
    imageKind: imageKindOf(container.image),
    replicas: spec?.replicas ?? 2,
    tlsMode: 'self-signed',
    selfSigned: { caCertificatePem: bundle, certificatePem: tls.certificatePem, privateKeyPem: tls.privateKeyPem },
    ...(spec?.template?.spec?.priorityClassName ? { priorityClassName: spec.template.spec.priorityClassName } : {}),
    ...(policy === 'Always' || policy === 'IfNotPresent' || policy === 'Never' ? { imagePullPolicy: policy } : {}),
  });
  if (!planned.ok) return { ok: false, message: `Cannot plan the rotation: ${planned.errors.join('; ')}` };
  const objects = planned.plan.objects;
  // With a new CA the configuration goes first, so that the API server trusts it before any pod serves it.
  const mwc = objects.filter((o) => o.kind === 'MutatingWebhookConfiguration');
  const ordered: KubeObject[] = sameCa ? objects : [...mwc, ...objects.filter((o) => !mwc.includes(o))];
  const plan: Plan = {
    operation: WEBHOOK_ROTATE_OPERATION,
    title: `Rotate the restore-size webhook's serving certificate in namespace ${d.namespace}`,
    target: { ...target, namespace: d.namespace },
    phases: [
      {
        id: 'rotate',
        title: 'Rotate',
        why: sameCa
          ? `A new serving certificate (valid until ${tls.notAfter.toISOString()}) signed by the CA in Secret ${caAt}; the caBundle stays valid throughout.`
          : `No CA key in the cluster: a new CA and serving certificate (valid until ${tls.notAfter.toISOString()}); the configuration trusts both CAs first, so pods still serving the old certificate keep working. The new CA key is not stored either.`,
        writes: ordered.map((o) => ({ action: 'apply' as const, object: o })),
        waits: [{ kind: 'rollout', target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: d.namespace, name: d.name }, timeoutSeconds: 300 }],
      },
    ],
    checks: [],
    notes: ['Undo restores the previous certificate, key and caBundle (kept in the journal\'s own Secret, never in a ConfigMap).'],
    secretKeySuffixes: ['.key'],
  };
  return { ok: true, plan };
}

/** The first PEM certificate of a bundle, trimmed. */
function firstPem(bundle: string): string | undefined {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(bundle);
  return m?.[0];
}
