/**
 * What the webhook deploy reads off the cluster: the platform (OpenShift's service-ca, cert-manager, CDI and
 * its PVC webhook), the namespace, the TLS material already there, and a ready VolumeSnapshot to verify with.
 * What cannot be read counts as absent, and says so where it matters.
 */
import { CDI_PVC_WEBHOOK_CONFIGURATION, type SelfSignedMaterial } from '../../../core/ops/webhook/manifests.js';
import { caKeyNamespace, caSecretName, type Platform } from '../../../core/ops/webhook/deploy.js';
import { KONNECTIVITY_AGENT, toCidr, type ApiServerPeers } from '../../../core/ops/webhook/networkPolicy.js';
import { daysLeft } from '../../../core/ops/webhook/status.js';
import { LABEL } from '../../../core/kinds/index.js';
import { parseQuantity } from '../../../core/quantity.js';
import type { ClusterConnection } from '../../connection.js';
import { discover } from '../../discovery.js';
import type { KubeObject } from '../../paths.js';

type Conn = Pick<ClusterConnection, 'get' | 'list' | 'resource' | 'request' | 'namespace'>;

/** Detection by discovery and GETs. */
export async function detectPlatform(conn: Conn): Promise<{ ok: true; platform: Platform } | { ok: false; message: string }> {
  const d = await discover(conn, ['cert-manager.io']);
  if (!d.ok) return { ok: false, message: d.error.message };
  const openshiftGroups = d.value.served('config.openshift.io') || d.value.served('route.openshift.io');
  const serviceCaNamespace = openshiftGroups ? true : (await conn.get('v1', 'Namespace', undefined, 'openshift-service-ca')).ok;
  const certManager = d.value.served('cert-manager.io', 'v1') && (await conn.resource('cert-manager.io/v1', 'Issuer')).ok && (await conn.resource('cert-manager.io/v1', 'Certificate')).ok;
  const cdiMwc = await conn.get<KubeObject & { webhooks?: { clientConfig?: { service?: { namespace?: string } } }[] }>('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, CDI_PVC_WEBHOOK_CONFIGURATION);
  const cdiServed = d.value.served('cdi.kubevirt.io');
  const cdiNamespace = cdiMwc.ok ? cdiMwc.value.webhooks?.[0]?.clientConfig?.service?.namespace : undefined;
  return { ok: true, platform: { openshiftServiceCa: serviceCaNamespace, certManager, cdiServed, cdiConfigurationPresent: cdiMwc.ok, ...(cdiNamespace ? { cdiNamespace } : {}) } };
}

/** Serving certificates are renewed at plan time when they have fewer days left than this. */
export const RENEW_BEFORE_DAYS = 30;

type SecretJson = KubeObject & { data?: Record<string, string> };

/** A Secret's `data` entry as text, or undefined. */
export function secretText(secret: SecretJson | undefined, key: string): string | undefined {
  const data = secret?.data;
  const v = data && Object.hasOwn(data, key) ? data[key] : undefined;
  return typeof v === 'string' && v !== '' ? Buffer.from(v, 'base64').toString('utf8') : undefined;
}

async function readSecret(conn: Pick<Conn, 'get'>, namespace: string, name: string): Promise<{ secret?: SecretJson; problem?: string }> {
  const r = await conn.get<SecretJson>('v1', 'Secret', namespace, name);
  if (r.ok) return { secret: r.value };
  return r.error.kind === 'not-found' ? {} : { problem: r.error.message };
}

export interface SelfSignedChoice {
  material: SelfSignedMaterial;
  /** The CA key, when known (found in the cluster, or just generated): the deploy stores it only if asked to. */
  caPrivateKeyPem?: string;
  note: string;
  /** A CA Secret an earlier deploy left in the webhook's own namespace (the deploy removes it from there). */
  legacyCaSecret?: boolean;
}

const selfSignedModule = () => import('../../../core/ops/webhook/selfSigned.js');

/**
 * The material for a self-signed plan. A serving certificate already in the cluster is kept when it carries every
 * DNS name, has more than RENEW_BEFORE_DAYS left and was issued by the CA its Secret names (so a second deploy with
 * the same options changes nothing, with or without the CA key in the cluster). Otherwise a new serving certificate
 * is signed by the CA whose key is in the cluster (its own namespace, or where an earlier deploy left it), or,
 * without one, both are made anew.
 */
export async function selfSignedFor(conn: Pick<Conn, 'get'>, namespace: string, name: string, tlsSecretName: string, dnsNames: string[], now: Date): Promise<SelfSignedChoice> {
  const { describeCertificate, generateSelfSignedTls } = await selfSignedModule();
  const [serving, own, legacy] = await Promise.all([
    readSecret(conn, namespace, tlsSecretName),
    readSecret(conn, caKeyNamespace(name), caSecretName(name)),
    readSecret(conn, namespace, caSecretName(name)),
  ]);
  const ca = own.secret ? own : legacy;
  const caCert = secretText(ca.secret, 'ca.crt');
  const caKey = secretText(ca.secret, 'ca.key');
  const caInfo = caCert ? describeCertificate(caCert) : undefined;
  const caUsable = caCert && caKey && caInfo?.ok && caInfo.isCa && daysLeft(caInfo.notAfter, now) > RENEW_BEFORE_DAYS;
  const legacyCaSecret = legacy.secret !== undefined;
  const cert = secretText(serving.secret, 'tls.crt');
  const key = secretText(serving.secret, 'tls.key');
  const servedCa = secretText(serving.secret, 'ca.crt');
  const servedCaInfo = servedCa ? describeCertificate(servedCa) : undefined;
  if (cert && key && servedCa && servedCaInfo?.ok) {
    const info = describeCertificate(cert);
    if (info.ok && info.issuer === servedCaInfo.subject && dnsNames.every((n) => info.dnsNames.includes(n)) && daysLeft(info.notAfter, now) > RENEW_BEFORE_DAYS) {
      return {
        material: { caCertificatePem: servedCa, certificatePem: cert, privateKeyPem: key },
        ...(caUsable && caCert === servedCa ? { caPrivateKeyPem: caKey } : {}),
        legacyCaSecret,
        note: `The serving certificate already in Secret ${namespace}/${tlsSecretName} is kept (valid until ${info.notAfter.toISOString()}).`,
      };
    }
  }
  const unreadable = [serving.problem, own.problem, legacy.problem].filter((p): p is string => p !== undefined);
  const why = unreadable.length > 0 ? ` (the existing Secrets could not be read: ${unreadable.join('; ')})` : '';
  const generated = await generateSelfSignedTls({ dnsNames, now, crypto: globalThis.crypto, ...(caUsable ? { ca: { certificatePem: caCert, privateKeyPem: caKey } } : {}) });
  return {
    material: generated,
    caPrivateKeyPem: generated.caPrivateKeyPem,
    legacyCaSecret,
    note: caUsable
      ? `A new serving certificate (valid until ${generated.notAfter.toISOString()}) is signed by the existing CA in Secret ${own.secret ? caKeyNamespace(name) : namespace}/${caSecretName(name)}.`
      : `A new CA and serving certificate were generated (the serving certificate is valid until ${generated.notAfter.toISOString()})${why}.`,
  };
}

const MI = 1n << 20n;

interface SnapshotJson {
  metadata?: { name?: string; namespace?: string };
  status?: { readyToUse?: boolean; restoreSize?: unknown };
}

/** A ready VolumeSnapshot with a positive restoreSize: the connection's namespace, the webhook's, then any. */
export async function verificationSnapshot(conn: Conn, namespace: string): Promise<{ namespace: string; name: string; restoreSize: string; askBytes: string } | { skipped: string }> {
  const served = await conn.resource('snapshot.storage.k8s.io/v1', 'VolumeSnapshot');
  if (!served.ok && served.error.kind === 'not-found') return { skipped: 'the cluster does not serve VolumeSnapshots (snapshot.storage.k8s.io/v1).' };
  const scopes = [...new Set([conn.namespace, namespace])];
  let lastError = '';
  for (const scope of [...scopes, undefined]) {
    const r = await conn.list<SnapshotJson>('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', scope);
    if (!r.ok) {
      lastError = r.error.message;
      continue;
    }
    for (const s of r.value.items) {
      const text = typeof s.status?.restoreSize === 'string' ? s.status.restoreSize : undefined;
      const q = text ? parseQuantity(text) : undefined;
      if (s.status?.readyToUse === true && q?.ok && q.quantity.bytes > 0n && s.metadata?.name) {
        return { namespace: s.metadata.namespace ?? scope ?? conn.namespace, name: s.metadata.name, restoreSize: text!, askBytes: (q.quantity.bytes + MI).toString() };
      }
    }
  }
  const where = scopes.map((s) => `"${s}"`).join(' or ');
  return { skipped: `no ready VolumeSnapshot with a restoreSize in namespace ${where} or any namespace you can list${lastError ? ` (${lastError})` : ''}. The webhook is deployed but not proven; create a VolumeSnapshot and deploy again to verify.` };
}

interface EndpointSliceJson {
  addressType?: string;
  endpoints?: { addresses?: string[] }[];
}

/**
 * Where the API server calls webhooks from (core/ops/webhook/networkPolicy.ts says why these): the addresses of the
 * `kubernetes` Service's EndpointSlices, konnectivity agents in kube-system, and the CIDRs the user gave. What
 * cannot be read is left out and said in `sources`.
 */
export async function apiServerPeers(conn: Pick<Conn, 'list'>, given: readonly string[]): Promise<{ ok: true; peers: ApiServerPeers; sources: string } | { ok: false; message: string }> {
  const cidrs: string[] = [];
  for (const g of given) {
    const cidr = toCidr(g);
    if (!cidr) return { ok: false, message: `--api-server-cidr "${g}" is not an IP address or CIDR.` };
    cidrs.push(cidr);
  }
  const said: string[] = given.length > 0 ? ['as given'] : [];
  const slices = await conn.list<EndpointSliceJson & KubeObject>('discovery.k8s.io/v1', 'EndpointSlice', 'default', { labelSelector: `${LABEL.serviceName}=kubernetes` });
  if (slices.ok) {
    const found = slices.value.items
      .filter((s) => s.addressType === 'IPv4' || s.addressType === 'IPv6')
      .flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses ?? []))
      .map((a) => toCidr(a))
      .filter((c): c is string => c !== undefined);
    cidrs.push(...found);
    if (found.length > 0) said.push("the kubernetes Service's endpoints");
  } else said.push(`the kubernetes Service's endpoints could not be read (${slices.error.message})`);
  const agents = await conn.list('v1', 'Pod', KONNECTIVITY_AGENT.namespace, { labelSelector: `${LABEL.k8sApp}=${KONNECTIVITY_AGENT.label}` });
  const konnectivity = agents.ok && agents.value.items.length > 0;
  if (konnectivity) said.push('konnectivity agents found in kube-system');
  return { ok: true, peers: { cidrs: [...new Set(cidrs)], konnectivity }, sources: said.join('; ') };
}
