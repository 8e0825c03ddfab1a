/**
 * Rotating the self-signed serving certificate of a deployed webhook: a new serving certificate signed by the
 * CA in `<name>-ca` (the caBundle stays valid throughout), or, without that CA key, a new CA that is added
 * to the caBundle before the serving Secret changes (the old CA stays trusted until the next rotation, so
 * pods still serving the old certificate keep working). The objects are planned again from what is deployed
 * (core/webhookPlan.ts, so the pod-template certificate hash restarts the pvc-shrink-ray image, which reads
 * its certificate only at start; this project's image reloads the mounted files), then dry-run and applied
 * under the same field manager.
 */
import type { ClusterConnection } from '../cluster/connection.js';
import { imageKindOf, planWebhook, webhookDnsNames, type KubeObject } from '../core/webhookPlan.js';
import type { WebhookRotateResult } from '../protocol/webhook.js';
import { applyObject, dryRunObjects, label, type RunHooks } from './webhookApply.js';
import { findDeployed } from './webhookStatus.js';
import { caSecret, caSecretName, secretText, withCaSecret } from './webhookTls.js';

type DeploymentJson = {
  spec?: {
    replicas?: number;
    template?: { spec?: { priorityClassName?: string; volumes?: { name?: string; secret?: { secretName?: string } }[]; containers?: { image?: string; imagePullPolicy?: string }[] } };
  };
};

export async function rotateWebhook(conn: ClusterConnection, hooks: RunHooks, now: Date): Promise<WebhookRotateResult> {
  const found = await findDeployed(conn);
  if (!found.ok) return found;
  const d = found.deployed;
  if (!d?.configuration || !d.deployment) return { ok: false, message: 'The restore-size webhook is not (completely) deployed: deploy it first.' };
  if (d.tlsMode !== 'self-signed') {
    return { ok: false, message: `The webhook uses ${d.tlsMode}, which renews its certificate itself; rotation is for the self-signed mode only.` };
  }
  const oldBundle = d.configuration.webhooks?.[0]?.clientConfig?.caBundle;
  const oldCa = oldBundle ? Buffer.from(oldBundle, 'base64').toString('utf8') : undefined;
  const spec = (d.deployment as DeploymentJson).spec;
  const container = spec?.template?.spec?.containers?.[0];
  if (!container?.image) return { ok: false, message: `Deployment ${d.namespace}/${d.name} has no container image.` };

  const caRead = await conn.get<{ data?: Record<string, string> }>('v1', 'Secret', d.namespace, caSecretName(d.name));
  if (!caRead.ok && caRead.error.kind !== 'not-found') return { ok: false, message: caRead.error.message };
  const caCert = caRead.ok ? secretText(caRead.value, 'ca.crt') : undefined;
  const caKey = caRead.ok ? secretText(caRead.value, 'ca.key') : undefined;
  const sameCa = caCert !== undefined && caKey !== undefined;

  hooks.progress('rotate', sameCa ? `Signing a new serving certificate with the CA in Secret ${d.namespace}/${caSecretName(d.name)}` : 'No CA key in the cluster: making a new CA and serving certificate');
  const { generateSelfSignedTls } = await import('../core/webhookPlan/selfSigned.js');
  const dnsNames = webhookDnsNames(d.namespace, d.name);
  const tls = await generateSelfSignedTls({ dnsNames, now, crypto: globalThis.crypto, ...(sameCa ? { ca: { certificatePem: caCert, privateKeyPem: caKey } } : {}) });
  // A new CA is trusted next to the old one: pods serve the old certificate until they pick up the new one.
  const bundle = sameCa || !oldCa || oldCa.includes(tls.caCertificatePem.trim()) ? tls.caCertificatePem : `${tls.caCertificatePem.trim()}\n${oldCa.trim()}\n`;
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
  const objects = withCaSecret(planned.plan, caSecret(planned.plan, tls.caCertificatePem, tls.caPrivateKeyPem));
  // With a new CA the configuration goes first, so that the API server trusts it before any pod serves it.
  const mwc = objects.filter((o) => o.kind === 'MutatingWebhookConfiguration');
  const ordered: KubeObject[] = sameCa ? objects : [...mwc, ...objects.filter((o) => !mwc.includes(o))];

  const dry = await dryRunObjects(conn, ordered, hooks);
  if (!dry.ok) return { ok: false, message: `${dry.message} Nothing was changed.` };
  const changed = ordered.filter((_, i) => dry.outcomes[i]?.action !== 'unchanged');
  const done: KubeObject[] = [];
  for (const [i, o] of changed.entries()) {
    if (hooks.signal?.aborted) return { ok: false, message: `Cancelled after updating ${done.map(label).join(', ') || 'nothing'}; not updated: ${changed.slice(i).map(label).join(', ')}.` };
    hooks.progress('rotate', `Applying ${label(o)}`);
    const r = await applyObject(conn, o, i, changed.length);
    if (!r.ok) return { ok: false, message: `${r.message} Updated before it: ${done.map(label).join(', ') || 'nothing'}.` };
    done.push(o);
  }
  hooks.progress('rotate', `New serving certificate valid until ${tls.notAfter.toISOString()}`);
  return { ok: true, notAfter: tls.notAfter.toISOString() };
}
