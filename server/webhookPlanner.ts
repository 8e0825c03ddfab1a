/**
 * Planning a deploy of the restore-size webhook: what the cluster is (OpenShift's service-ca, cert-manager,
 * CDI and its namespace and version), the manifests (core/webhookPlan.ts) for the chosen options, and the
 * plans kept by id so that dry-run and apply use exactly what the user previewed.
 */
import { stringify } from 'yaml';
import type { ClusterConnection } from '../cluster/connection.js';
import { discover } from '../cluster/discovery.js';
import type { KubeObject as ClusterObject } from '../cluster/paths.js';
import { parseCdiVersion, cdiBehaviour } from '../core/cdi/version.js';
import {
  CDI_PVC_WEBHOOK_CONFIGURATION,
  DEFAULT_WEBHOOK_NAME,
  planWebhook,
  WEBHOOK_LABELS,
  webhookDnsNames,
  type KubeObject,
  type TlsMode,
  type WebhookPlan as CorePlan,
} from '../core/webhookPlan.js';
import type { WebhookPlan, WebhookPlanParams } from '../protocol/webhook.js';
import { caSecret, redacted, selfSignedFor, withCaSecret } from './webhookTls.js';

/** On a Namespace the deploy created: uninstall may delete it (and only then). */
export const CREATED_NAMESPACE_ANNOTATION = 'kubevirt-storage-tools.io/created-by';
export const FALLBACK_NAMESPACE = 'kubevirt-storage';

export interface Platform {
  /** OpenShift API groups served, or the service-ca operator's namespace present. */
  openshiftServiceCa: boolean;
  /** cert-manager.io/v1 Issuer and Certificate served. */
  certManager: boolean;
  cdiServed: boolean;
  /** CDI's PVC webhook configuration exists. */
  cdiConfigurationPresent: boolean;
  /** Where CDI runs: its webhook's Service namespace, else the usual one for the platform. */
  cdiNamespace?: string;
}

/** Detection by discovery and GETs; what cannot be read counts as absent. */
export async function detectPlatform(conn: ClusterConnection): Promise<{ ok: true; platform: Platform } | { ok: false; message: string }> {
  const d = await discover(conn, ['cert-manager.io']);
  if (!d.ok) return { ok: false, message: d.error.message };
  const openshiftGroups = d.value.served('config.openshift.io') || d.value.served('route.openshift.io');
  const serviceCaNamespace = openshiftGroups ? true : (await conn.get('v1', 'Namespace', undefined, 'openshift-service-ca')).ok;
  const certManager =
    d.value.served('cert-manager.io', 'v1') &&
    (await conn.resource('cert-manager.io/v1', 'Issuer')).ok &&
    (await conn.resource('cert-manager.io/v1', 'Certificate')).ok;
  const cdiMwc = await conn.get<ClusterObject & { webhooks?: { clientConfig?: { service?: { namespace?: string } } }[] }>(
    'admissionregistration.k8s.io/v1',
    'MutatingWebhookConfiguration',
    undefined,
    CDI_PVC_WEBHOOK_CONFIGURATION,
  );
  const cdiServed = d.value.served('cdi.kubevirt.io');
  const fromMwc = cdiMwc.ok ? cdiMwc.value.webhooks?.[0]?.clientConfig?.service?.namespace : undefined;
  const cdiNamespace = fromMwc ?? (cdiServed ? (serviceCaNamespace ? 'openshift-cnv' : 'cdi') : undefined);
  return {
    ok: true,
    platform: { openshiftServiceCa: serviceCaNamespace, certManager, cdiServed, cdiConfigurationPresent: cdiMwc.ok, ...(cdiNamespace ? { cdiNamespace } : {}) },
  };
}

/** Whether the CDI version still inflates snapshot restores (< v1.64, CDI #3973), for the preview's header. */
export function assessCdi(version: string | undefined, source: string): WebhookPlan['cdi'] {
  const parsed = version ? parseCdiVersion(version) : undefined;
  if (!parsed?.ok) {
    return {
      ...(version ? { version } : {}),
      inflatesSnapshotRestores: true,
      note: `The CDI version is unknown${version ? ` ("${version}" does not parse)` : ''}: assuming it still inflates VolumeSnapshot restores (CDI before v1.64).`,
    };
  }
  const inflates = !cdiBehaviour(parsed.major, parsed.minor).skipsSnapshotSources;
  return {
    version: parsed.text,
    inflatesSnapshotRestores: inflates,
    note: inflates
      ? `CDI ${parsed.text} (${source}) inflates PVCs restored from VolumeSnapshots; the webhook shrinks them back to restoreSize.`
      : `CDI ${parsed.text} (${source}) no longer inflates PVCs restored from VolumeSnapshots (fixed in v1.64.0, CDI #3973): this cluster does not need the webhook.`,
  };
}

export interface PlanInputs {
  params: WebhookPlanParams;
  /** `kubevirtStorage.webhook.*`, read by the caller. */
  settings: { image?: string; namespace?: string };
  cdiVersion?: { version: string; source: string };
  now: Date;
}

/** A plan as the server keeps it: the exact objects to apply, secrets unredacted. */
export interface StoredPlan {
  summary: WebhookPlan;
  core: CorePlan;
  /** In apply order: the Namespace when the deploy creates it, RBAC, TLS, Service, Deployment, PDB, MWC last. */
  objects: KubeObject[];
  createsNamespace: boolean;
  /** The cluster it was made for: apply refuses another. */
  target: { context: string; server: string };
}

const tlsModes: readonly TlsMode[] = ['openshift-service-ca', 'cert-manager', 'self-signed'];

/** Detects, chooses and builds; `id` names the plan. */
export async function makePlan(conn: ClusterConnection, id: string, input: PlanInputs): Promise<{ ok: true; plan: StoredPlan } | { ok: false; message: string }> {
  const detected = await detectPlatform(conn);
  if (!detected.ok) return detected;
  const { platform } = detected;
  const { params, settings } = input;
  const requested = params.tlsMode;
  if (requested !== undefined && !tlsModes.includes(requested)) return { ok: false, message: `Unknown TLS mode "${String(requested)}"; use one of ${tlsModes.join(', ')}.` };
  if (requested === 'cert-manager' && !platform.certManager) return { ok: false, message: 'cert-manager is not installed: the cluster does not serve cert-manager.io/v1 Issuers and Certificates.' };
  if (requested === 'openshift-service-ca' && !platform.openshiftServiceCa) return { ok: false, message: 'This is not OpenShift: no service-ca operator (neither the OpenShift API groups nor the openshift-service-ca namespace were found).' };
  const tlsMode: TlsMode = requested ?? (platform.openshiftServiceCa ? 'openshift-service-ca' : platform.certManager ? 'cert-manager' : 'self-signed');
  const namespace = params.namespace?.trim() || settings.namespace?.trim() || platform.cdiNamespace || FALLBACK_NAMESPACE;
  const image = params.image?.trim() || settings.image?.trim() || undefined;

  const ns = await conn.get('v1', 'Namespace', undefined, namespace);
  if (!ns.ok && ns.error.kind !== 'not-found') return { ok: false, message: `Cannot tell whether namespace ${namespace} exists: ${ns.error.message}` };
  const createsNamespace = !ns.ok;

  const notes: string[] = [];
  let selfSigned: Awaited<ReturnType<typeof selfSignedFor>> | undefined;
  if (tlsMode === 'self-signed') {
    selfSigned = await selfSignedFor(conn, namespace, DEFAULT_WEBHOOK_NAME, `${DEFAULT_WEBHOOK_NAME}-certs`, webhookDnsNames(namespace), input.now);
    notes.push(selfSigned.note);
  }
  const planned = planWebhook({ namespace, tlsMode, ...(image ? { image } : {}), ...(params.replicas !== undefined ? { replicas: params.replicas } : {}), ...(selfSigned ? { selfSigned: selfSigned.material } : {}) });
  if (!planned.ok) return { ok: false, message: `The plan is not sound: ${planned.errors.join('; ')}` };
  const core = planned.plan;
  const ca = selfSigned?.caPrivateKeyPem ? caSecret(core, selfSigned.material.caCertificatePem, selfSigned.caPrivateKeyPem) : undefined;
  const objects = [...(createsNamespace ? [namespaceObject(namespace)] : []), ...withCaSecret(core, ca)];
  if (createsNamespace) notes.push(`Namespace ${namespace} does not exist: the deploy creates it (annotated ${CREATED_NAMESPACE_ANNOTATION}), and uninstall deletes it again.`);
  else notes.push(`Namespace ${namespace} exists: the deploy adds to it, and uninstall never deletes it.`);

  const cdi = assessCdi(input.cdiVersion?.version, input.cdiVersion?.source ?? 'unknown');
  if (!platform.cdiConfigurationPresent) notes.push(`CDI's PVC webhook (${CDI_PVC_WEBHOOK_CONFIGURATION}) is not configured on this cluster: nothing inflates restore PVCs for this webhook to undo.`);
  const summary: WebhookPlan = {
    planId: id,
    namespace,
    image: core.image,
    tlsMode,
    platform: { openshiftServiceCa: platform.openshiftServiceCa, certManager: platform.certManager },
    cdi,
    yaml: previewYaml(objects, [cdi.note, ...notes, ...core.notes]),
    objects: objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name })),
  };
  return { ok: true, plan: { summary, core, objects, createsNamespace, target: { context: conn.context, server: conn.server } } };
}

function namespaceObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...WEBHOOK_LABELS }, annotations: { [CREATED_NAMESPACE_ANNOTATION]: 'kubevirt-storage-tools deploy' } } };
}

/** The multi-document YAML of the preview: notes as a leading comment, one document per object, keys redacted. */
export function previewYaml(objects: KubeObject[], notes: string[]): string {
  const head = notes.map((n) => `# ${n}`).join('\n');
  const docs = objects.map((o, i) => `# ${i + 1}/${objects.length}: ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}\n${stringify(redacted(o), { lineWidth: 0 })}`);
  return `${head}\n${docs.join('---\n')}`;
}

/** The last `capacity` plans by id. */
export class PlanStore {
  private readonly plans = new Map<string, StoredPlan>();
  private counter = 0;

  constructor(private readonly capacity = 5) {}

  nextId(): string {
    this.counter++;
    return `plan-${this.counter}-${Math.random().toString(36).slice(2, 8)}`;
  }

  put(plan: StoredPlan): void {
    this.plans.set(plan.summary.planId, plan);
    while (this.plans.size > this.capacity) this.plans.delete(this.plans.keys().next().value as string);
  }

  get(id: string): StoredPlan | undefined {
    return this.plans.get(id);
  }
}
