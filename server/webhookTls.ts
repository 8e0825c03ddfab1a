/**
 * Self-signed TLS for the restore-size webhook: reuse what the cluster already holds, or make new material.
 *
 * Where the CA key lives: in its own Secret, `<name>-ca` (`ca.crt`, `ca.key`), next to the serving Secret
 * `<name>-certs` in the webhook's namespace, labelled like everything else the deploy creates. The pods do
 * not mount it (they need only the serving pair), so a compromised webhook pod does not leak the CA key.
 * Trade-off: anyone who may read Secrets in that namespace can sign certificates that this one
 * MutatingWebhookConfiguration trusts (its caBundle is the CA's only trust anchor; nothing else in the
 * cluster trusts it). Such a reader can already take the serving key itself, so keeping the CA key in the
 * cluster adds little exposure, and it buys rotation from any machine with the same caBundle: the API server
 * keeps trusting the serving certificate through the switch, without a window where webhook calls fail (and,
 * with failurePolicy Ignore, PVCs pass unshrunk). Without the CA key (the Secret deleted), rotation makes a
 * new CA and trusts both CAs until the next rotation.
 */
import type { ClusterConnection } from '../cluster/connection.js';
import type { KubeObject as ClusterObject } from '../cluster/paths.js';
import type { KubeObject, SelfSignedMaterial, WebhookPlan } from '../core/webhookPlan.js';

/** The Secret holding the CA key, not mounted by the pods. */
export function caSecretName(name: string): string {
  return `${name}-ca`;
}

/** Serving certificates are renewed at plan time when they have fewer days left than this. */
export const RENEW_BEFORE_DAYS = 30;

export interface SelfSignedChoice {
  material: SelfSignedMaterial;
  /** The CA key, when known: it goes into the CA Secret. */
  caPrivateKeyPem?: string;
  /** For the plan's notes. */
  note: string;
}

type SecretJson = ClusterObject & { data?: Record<string, string> };

/** A Secret's `data` entry as text, or undefined. */
export function secretText(secret: SecretJson | undefined, key: string): string | undefined {
  const data = secret?.data;
  const v = data && Object.hasOwn(data, key) ? data[key] : undefined;
  return typeof v === 'string' && v !== '' ? Buffer.from(v, 'base64').toString('utf8') : undefined;
}

/** A Secret, or undefined when it is absent or cannot be read (the reason, if any, in `problem`). */
async function readSecret(conn: Pick<ClusterConnection, 'get'>, namespace: string, name: string): Promise<{ secret?: SecretJson; problem?: string }> {
  const r = await conn.get<SecretJson>('v1', 'Secret', namespace, name);
  if (r.ok) return { secret: r.value };
  return r.error.kind === 'not-found' ? {} : { problem: r.error.message };
}

const selfSignedModule = () => import('../core/webhookPlan/selfSigned.js');

/**
 * The material for a self-signed plan. A serving certificate already in the cluster is reused when it
 * carries every DNS name, has more than RENEW_BEFORE_DAYS left and was signed by the CA whose key is in the
 * CA Secret, so a second deploy with the same options changes nothing. Otherwise a new serving certificate is
 * signed by that CA, or, without its key, both are made anew.
 */
export async function selfSignedFor(
  conn: Pick<ClusterConnection, 'get'>,
  namespace: string,
  name: string,
  tlsSecretName: string,
  dnsNames: string[],
  now: Date,
): Promise<SelfSignedChoice> {
  const { describeCertificate, generateSelfSignedTls } = await selfSignedModule();
  const [serving, ca] = await Promise.all([readSecret(conn, namespace, tlsSecretName), readSecret(conn, namespace, caSecretName(name))]);
  const caCert = secretText(ca.secret, 'ca.crt');
  const caKey = secretText(ca.secret, 'ca.key');
  const caInfo = caCert ? describeCertificate(caCert) : undefined;
  const caUsable = caCert && caKey && caInfo?.ok && caInfo.isCa && daysLeft(caInfo.notAfter, now) > RENEW_BEFORE_DAYS;
  const cert = secretText(serving.secret, 'tls.crt');
  const key = secretText(serving.secret, 'tls.key');
  if (caUsable && cert && key && secretText(serving.secret, 'ca.crt') === caCert) {
    const info = describeCertificate(cert);
    if (info.ok && info.issuer === caInfo.subject && dnsNames.every((n) => info.dnsNames.includes(n)) && daysLeft(info.notAfter, now) > RENEW_BEFORE_DAYS) {
      return {
        material: { caCertificatePem: caCert, certificatePem: cert, privateKeyPem: key },
        caPrivateKeyPem: caKey,
        note: `The serving certificate already in Secret ${namespace}/${tlsSecretName} is kept (valid until ${info.notAfter.toISOString()}).`,
      };
    }
  }
  const unreadable = [serving.problem, ca.problem].filter((p): p is string => p !== undefined);
  const why = unreadable.length > 0 ? ` (the existing Secrets could not be read: ${unreadable.join('; ')})` : '';
  const generated = await generateSelfSignedTls({
    dnsNames,
    now,
    crypto: globalThis.crypto,
    ...(caUsable ? { ca: { certificatePem: caCert, privateKeyPem: caKey } } : {}),
  });
  return {
    material: generated,
    caPrivateKeyPem: generated.caPrivateKeyPem,
    note: caUsable
      ? `A new serving certificate (valid until ${generated.notAfter.toISOString()}) is signed by the existing CA in Secret ${namespace}/${caSecretName(name)}.`
      : `A new CA and serving certificate were generated (the serving certificate is valid until ${generated.notAfter.toISOString()})${why}; the CA key is kept in Secret ${namespace}/${caSecretName(name)}, which the pods do not mount.`,
  };
}

/** The Secret holding the CA (certificate and key), labelled like the plan's objects; applied right after the serving Secret. */
export function caSecret(plan: WebhookPlan, caCertificatePem: string, caPrivateKeyPem: string): KubeObject {
  const tlsSecret = plan.objects.find((o) => o.kind === 'Secret');
  const labels = { ...(tlsSecret?.metadata.labels ?? plan.objects[0]?.metadata.labels ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: caSecretName(plan.name), namespace: plan.namespace, labels },
    type: 'Opaque',
    data: { 'ca.crt': Buffer.from(caCertificatePem).toString('base64'), 'ca.key': Buffer.from(caPrivateKeyPem).toString('base64') },
  };
}

/** The plan's objects with the CA Secret inserted after the serving Secret. */
export function withCaSecret(plan: WebhookPlan, ca: KubeObject | undefined): KubeObject[] {
  if (!ca) return [...plan.objects];
  const i = plan.objects.findIndex((o) => o.kind === 'Secret');
  return i < 0 ? [...plan.objects, ca] : [...plan.objects.slice(0, i + 1), ca, ...plan.objects.slice(i + 1)];
}

export function daysLeft(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
}

/** A copy for the preview: private keys in Secrets replaced by a placeholder. */
export function redacted(o: KubeObject): KubeObject {
  if (o.kind !== 'Secret' || typeof o['data'] !== 'object' || o['data'] === null) return o;
  const data = Object.fromEntries(
    Object.entries(o['data'] as Record<string, string>).map(([k, v]) => [k, k.endsWith('.key') ? '<redacted: private key, kept by the language server>' : v]),
  );
  return { ...o, data };
}
