/**
 * The deployed restore-size webhook as the cluster shows it: found by WEBHOOK_LABELS (never by name alone),
 * its status (replicas, certificate expiry, configuration order), and the uninstall plan, which removes
 * exactly the labelled objects of the kinds the deploy creates; a Namespace only when the deploy created it.
 */
import { ANNOTATION, apiVersionOf, kinds } from '../../../core/kinds/index.js';
import { CREATED_NAMESPACE_ANNOTATION } from '../../../core/ops/webhook/deploy.js';
import { CDI_PVC_WEBHOOK_CONFIGURATION, sortsAfterCdi, WEBHOOK_SELECTOR, type TlsMode } from '../../../core/ops/webhook/manifests.js';
import { certificateWarning, daysLeft, type WebhookStatus, type WebhookStatusResult } from '../../../core/ops/webhook/status.js';
import type { ObjectRef } from '../../../core/ops/types.js';
import type { ClusterConnection } from '../../connection.js';
import type { KubeObject as ClusterObject } from '../../paths.js';
import { secretText } from './detect.js';

type Conn = Pick<ClusterConnection, 'get' | 'list' | 'resource' | 'context'>;

/** Every kind a deploy creates, in apply order (uninstall deletes in reverse). */
export const DEPLOYED_KINDS: readonly [apiVersion: string, kind: string][] = (
  [
    'Namespace',
    'ServiceAccount',
    'ClusterRole',
    'ClusterRoleBinding',
    'Role',
    'Secret',
    'Issuer',
    'Certificate',
    'Service',
    'NetworkPolicy',
    'Deployment',
    'PodDisruptionBudget',
    'MutatingWebhookConfiguration',
  ] as const
).map((kind) => [apiVersionOf(kinds[kind]), kind]);

type Mwc = ClusterObject & { webhooks?: { clientConfig?: { caBundle?: string; service?: { name?: string; namespace?: string } } }[] };
type DeploymentJson = ClusterObject & {
  spec?: { replicas?: number; template?: { spec?: { volumes?: { name?: string; secret?: { secretName?: string } }[]; containers?: { image?: string }[] } } };
  status?: { readyReplicas?: number };
};

export interface Deployed {
  name: string;
  namespace: string;
  configuration?: Mwc;
  deployment?: DeploymentJson;
  tlsMode: TlsMode;
}

/** Our configuration (or, after a partial deploy, our Deployment); undefined when neither exists. */
export async function findDeployed(conn: Conn): Promise<{ ok: true; deployed?: Deployed } | { ok: false; message: string }> {
  const mwcs = await conn.list<Mwc>('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, { labelSelector: WEBHOOK_SELECTOR });
  if (!mwcs.ok) return { ok: false, message: mwcs.error.message };
  const configuration = mwcs.value.items[0];
  let deployment: DeploymentJson | undefined;
  let namespace = configuration?.webhooks?.[0]?.clientConfig?.service?.namespace;
  const name = configuration?.metadata?.name;
  if (namespace && name) {
    const d = await conn.get<DeploymentJson>('apps/v1', 'Deployment', namespace, name);
    if (d.ok) deployment = d.value;
    else if (d.error.kind !== 'not-found') return { ok: false, message: d.error.message };
  } else {
    const ds = await conn.list<DeploymentJson>('apps/v1', 'Deployment', undefined, { labelSelector: WEBHOOK_SELECTOR });
    if (!ds.ok) return { ok: false, message: ds.error.message };
    deployment = ds.value.items[0];
    namespace = deployment?.metadata?.namespace;
  }
  const found = configuration ?? deployment;
  if (!found?.metadata?.name || !namespace) return { ok: true };
  const annotations = configuration?.metadata?.annotations ?? {};
  const tlsMode: TlsMode = annotations[ANNOTATION.serviceCaInjectCabundle] ? 'openshift-service-ca' : annotations[ANNOTATION.certManagerInjectCaFrom] ? 'cert-manager' : 'self-signed';
  return { ok: true, deployed: { name: found.metadata.name, namespace, ...(configuration ? { configuration } : {}), ...(deployment ? { deployment } : {}), tlsMode } };
}

const tlsSources: Record<TlsMode, string> = {
  'openshift-service-ca': 'OpenShift service-ca (renewed automatically)',
  'cert-manager': 'cert-manager (renewed automatically)',
  'self-signed': 'self-signed by the extension (rotate it before it expires)',
};

export async function webhookStatus(conn: Conn, now: Date): Promise<WebhookStatusResult> {
  const found = await findDeployed(conn);
  if (!found.ok) return found;
  const cdi = await conn.get('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, CDI_PVC_WEBHOOK_CONFIGURATION);
  const cdiPresent = cdi.ok;
  const d = found.deployed;
  if (!d) {
    const why = cdiPresent ? `CDI's ${CDI_PVC_WEBHOOK_CONFIGURATION} is present` : `CDI's ${CDI_PVC_WEBHOOK_CONFIGURATION} is not present either`;
    return { ok: true, status: { deployed: false, summary: `The restore-size webhook is not deployed on context ${conn.context} (${why}).` } };
  }
  const status: WebhookStatus = { deployed: d.configuration !== undefined, namespace: d.namespace, summary: '' };
  const parts: string[] = [];
  const image = d.deployment?.spec?.template?.spec?.containers?.[0]?.image;
  if (image) status.image = image;
  if (d.deployment) {
    status.replicas = { desired: d.deployment.spec?.replicas ?? 1, ready: d.deployment.status?.readyReplicas ?? 0 };
    parts.push(`${status.replicas.ready}/${status.replicas.desired} replicas ready`);
  } else parts.push('its Deployment is missing');
  const secretName = d.deployment?.spec?.template?.spec?.volumes?.find((v) => v.name === 'certs')?.secret?.secretName ?? `${d.name}-certs`;
  const secret = await conn.get<ClusterObject & { data?: Record<string, string> }>('v1', 'Secret', d.namespace, secretName);
  const pem = secret.ok ? secretText(secret.value, 'tls.crt') : undefined;
  if (pem) {
    const { describeCertificate } = await import('../../../core/ops/webhook/selfSigned.js');
    const info = describeCertificate(pem);
    if (info.ok) {
      const left = daysLeft(info.notAfter, now);
      const warning = certificateWarning(left, d.tlsMode === 'self-signed');
      status.certificate = { notAfter: info.notAfter.toISOString(), daysLeft: left, source: tlsSources[d.tlsMode], ...(warning ? { warning } : {}) };
      parts.push(left < 0 ? `its certificate EXPIRED on ${info.notAfter.toISOString()}` : `its certificate expires ${info.notAfter.toISOString().slice(0, 10)} (${left} days)`);
      if (warning) parts.push(`WARNING: ${warning}`);
    } else parts.push(`the certificate in Secret ${secretName} cannot be read: ${info.error}`);
  } else parts.push(secret.ok || secret.error.kind === 'not-found' ? `the TLS Secret ${secretName} has no certificate yet` : `the TLS Secret cannot be read: ${secret.error.message}`);
  const ordered = sortsAfterCdi(d.name);
  status.configuration = { name: d.name, present: d.configuration !== undefined, ordersAfterCdi: ordered, cdiConfigurationPresent: cdiPresent };
  if (!d.configuration) parts.push('its MutatingWebhookConfiguration is missing, so the API server does not call it');
  else parts.push(`${d.name} runs ${ordered ? 'after' : 'BEFORE'} ${CDI_PVC_WEBHOOK_CONFIGURATION}${cdiPresent ? '' : ' (which is not present on this cluster)'}`);
  status.summary = `Restore-size webhook in namespace ${d.namespace}: ${parts.join('; ')}.`;
  return { ok: true, status };
}

/** The labelled objects of every served deployed kind, in apply order; a Namespace only if the deploy created it. */
export async function labelledObjects(conn: Conn): Promise<{ ok: true; objects: ObjectRef[]; keptNamespaces: string[] } | { ok: false; message: string }> {
  const objects: ObjectRef[] = [];
  const keptNamespaces: string[] = [];
  for (const [apiVersion, kind] of DEPLOYED_KINDS) {
    const served = await conn.resource(apiVersion, kind);
    if (!served.ok && served.error.kind === 'not-found') continue;
    const r = await conn.list(apiVersion, kind, undefined, { labelSelector: WEBHOOK_SELECTOR });
    if (!r.ok) return { ok: false, message: r.error.message };
    for (const item of r.value.items) {
      const name = item.metadata?.name;
      if (!name) continue;
      if (kind === 'Namespace' && !item.metadata?.annotations?.[CREATED_NAMESPACE_ANNOTATION]) {
        keptNamespaces.push(name);
        continue;
      }
      const namespace = item.metadata?.namespace;
      objects.push({ apiVersion, kind, ...(namespace ? { namespace } : {}), name });
    }
  }
  return { ok: true, objects, keptNamespaces };
}
