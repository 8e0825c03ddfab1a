/**
 * The restore-size webhook deploy as an operation: from what was read off the cluster (platform, CDI, the
 * namespace, TLS material, a snapshot to verify with) and the user's options, the Plan the engine runs. The
 * manifests are `manifests.ts`; this decides the order, the words, the advice and the verification.
 */
import { mutableImageWarning } from './image.js';
import { networkPolicyNote, type ApiServerPeers } from './networkPolicy.js';
import { base64 } from './tls.js';
import { planWebhook, WEBHOOK_LABELS, CDI_PVC_WEBHOOK_CONFIGURATION, type SelfSignedMaterial, type TlsMode, type KubeObject as ManifestObject } from './manifests.js';
import { kinds, LABEL } from '../../kinds/index.js';
import type { Check, KubeObject, Phase, Plan, PlanResult, PlanTarget, Question, Write } from '../types.js';

export const WEBHOOK_OPERATION = 'webhook';
/** On a Namespace the deploy created: uninstall may delete it (and only then). */
export const CREATED_NAMESPACE_ANNOTATION = 'kubevirt-storage-tools.io/created-by';
export const FALLBACK_NAMESPACE = 'kubevirt-storage';
export const TLS_MODES: readonly TlsMode[] = ['openshift-service-ca', 'cert-manager', 'self-signed'];

export interface Platform {
  /** OpenShift API groups served, or the service-ca operator's namespace present. */
  openshiftServiceCa: boolean;
  /** cert-manager.io/v1 Issuer and Certificate served. */
  certManager: boolean;
  cdiServed: boolean;
  /** CDI's PVC webhook configuration exists. */
  cdiConfigurationPresent: boolean;
  /** The namespace of the Service CDI's PVC webhook calls, when its configuration exists. */
  cdiNamespace?: string;
}

export interface CdiAssessment {
  version?: string;
  /** Whether CDI still inflates PVCs restored from VolumeSnapshots (before v1.64, CDI #3973). */
  inflatesSnapshotRestores: boolean;
  note: string;
}

/** What the plan needs from the cluster, read by cluster/ops/webhook. */
export interface WebhookDeployInputs {
  target: PlanTarget;
  platform: Platform;
  /** The namespace chosen (`namespaceFor`) and whether it exists. */
  namespace: string;
  namespaceExists: boolean;
  tlsMode: TlsMode;
  image?: string;
  replicas?: number;
  cdi: CdiAssessment;
  /** Self-signed mode: the serving material, the CA key when known, and a note on where it came from. */
  selfSigned?: { material: SelfSignedMaterial; caPrivateKeyPem?: string; note: string; legacyCaSecret?: boolean };
  /**
   * Self-signed mode: where the CA key goes. 'none' (default): nowhere, it signed the serving certificate and is
   * dropped (rotation then makes a new CA, trusted beside the old one). 'cluster': a Secret in a namespace of its
   * own (`caKeyNamespace`), readable only by whom a Role there is bound to (and cluster admins).
   */
  caKey?: 'none' | 'cluster';
  /** Whether the CA key's namespace exists already. */
  caKeyNamespaceExists?: boolean;
  /** Where the API server calls from, for the NetworkPolicy (`sources` says how that was found), or why there is none. */
  networkPolicy?: { peers: ApiServerPeers; sources: string } | { skipped: string };
  /** A ready VolumeSnapshot with a restoreSize to verify with, or why there is none. */
  verifyWith: { namespace: string; name: string; restoreSize: string; askBytes: string } | { skipped: string };
}

/** The TLS mode asked for, else the best the platform offers; or why the one asked for cannot be used. */
export function chooseTls(platform: Platform, requested: string | undefined): { ok: true; mode: TlsMode } | { ok: false; message: string } {
  if (requested !== undefined && !(TLS_MODES as readonly string[]).includes(requested)) return { ok: false, message: `Unknown TLS mode "${requested}"; use one of ${TLS_MODES.join(', ')}.` };
  if (requested === 'cert-manager' && !platform.certManager) return { ok: false, message: 'cert-manager is not installed: the cluster does not serve cert-manager.io/v1 Issuers and Certificates.' };
  if (requested === 'openshift-service-ca' && !platform.openshiftServiceCa) return { ok: false, message: 'This is not OpenShift: no service-ca operator (neither the OpenShift API groups nor the openshift-service-ca namespace were found).' };
  return { ok: true, mode: (requested as TlsMode | undefined) ?? (platform.openshiftServiceCa ? 'openshift-service-ca' : platform.certManager ? 'cert-manager' : 'self-signed') };
}

/**
 * The namespace: the option, the setting, CDI's (only when its PVC webhook configuration names it), else
 * `kubevirt-storage`. Never guessed from the platform: a guess creates a namespace nobody asked for.
 */
export function namespaceFor(platform: Platform, option: string | undefined): { namespace: string; why: string } {
  if (option?.trim()) return { namespace: option.trim(), why: 'as asked' };
  if (platform.cdiNamespace) return { namespace: platform.cdiNamespace, why: `CDI's namespace (the Service ${CDI_PVC_WEBHOOK_CONFIGURATION} calls)` };
  return { namespace: FALLBACK_NAMESPACE, why: `CDI's PVC webhook configuration ${CDI_PVC_WEBHOOK_CONFIGURATION} was not found, so CDI's namespace is unknown` };
}

const tlsLabels: Record<TlsMode, string> = {
  'openshift-service-ca': 'OpenShift service-ca',
  'cert-manager': 'cert-manager',
  'self-signed': 'self-signed',
};

function questions(platform: Platform, chosen: TlsMode): Question[] {
  const choices = TLS_MODES.filter((m) => (m === 'openshift-service-ca' ? platform.openshiftServiceCa : m === 'cert-manager' ? platform.certManager : true)).map((m) => ({
    value: m,
    label: tlsLabels[m],
    detail:
      m === 'openshift-service-ca' ? 'OpenShift issues and rotates the serving certificate and injects its CA.'
      : m === 'cert-manager' ? 'cert-manager issues and renews the certificate; its cainjector sets the caBundle.'
      : 'The tools make a CA and a serving certificate (valid one year): rotate them before they expire.',
  }));
  return choices.length > 1 ? [{ option: 'tls', prompt: 'Serving certificate for the webhook', chosen, choices }] : [];
}

function namespaceObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...WEBHOOK_LABELS }, annotations: { [CREATED_NAMESPACE_ANNOTATION]: 'kubevirt-storage-tools deploy' } } };
}

/** The CA's own Secret (certificate and key), never mounted by the pods. */
export function caSecretName(name: string): string {
  return `${name}-ca`;
}

/**
 * The namespace of the CA key, when the user chooses to keep it in the cluster: its own, so that what may read
 * Secrets in the webhook's namespace (CDI's, by default, shared with CDI's components) cannot read it.
 */
export function caKeyNamespace(name: string): string {
  return `${name}-ca`;
}

/** The Role that may read and rotate the CA Secret (bind it to whoever rotates the certificate). */
export function caKeyRoleName(name: string): string {
  return `${name}-ca-rotator`;
}

export function caSecretObject(name: string, namespace: string, labels: Record<string, string>, caCertificatePem: string, caPrivateKeyPem: string): ManifestObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: caSecretName(name), namespace, labels: { ...labels } },
    type: 'Opaque',
    data: { 'ca.crt': base64(caCertificatePem), 'ca.key': base64(caPrivateKeyPem) },
  };
}

/** The CA key's namespace objects: its Secret and a Role limited to that one Secret. */
export function caKeyObjects(name: string, labels: Record<string, string>, caCertificatePem: string, caPrivateKeyPem: string): ManifestObject[] {
  const namespace = caKeyNamespace(name);
  return [
    caSecretObject(name, namespace, labels, caCertificatePem, caPrivateKeyPem),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: caKeyRoleName(name), namespace, labels: { ...labels } },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [caSecretName(name)], verbs: ['get', 'update', 'patch'] }],
    },
  ];
}

const apply = (o: ManifestObject) => ({ action: 'apply' as const, object: o as KubeObject });

function verification(inputs: WebhookDeployInputs): Check {
  const v = inputs.verifyWith;
  if ('skipped' in v) return { kind: 'skipped', reason: v.skipped };
  const source = { apiGroup: kinds.VolumeSnapshot.group, kind: 'VolumeSnapshot', name: v.name };
  return {
    kind: 'dryRunCreate',
    describe: `a dry-run restore PVC from VolumeSnapshot ${v.namespace}/${v.name} asking for ${v.askBytes} bytes (restoreSize ${v.restoreSize} + 1Mi)`,
    object: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { generateName: 'kubevirt-storage-webhook-verify-', namespace: v.namespace, labels: { [LABEL.applyStorageProfile]: 'true' } },
      spec: { accessModes: ['ReadWriteOnce'], dataSource: source, dataSourceRef: source, resources: { requests: { storage: v.askBytes } } },
    },
    expect: [{ path: ['spec', 'resources', 'requests', 'storage'], equals: v.restoreSize, quantity: true, says: `the webhook set the request to restoreSize ${v.restoreSize}` }],
    // An API server picks up a new MutatingWebhookConfiguration through an informer, moments later.
    retrySeconds: 20,
  };
}

export function planWebhookDeploy(inputs: WebhookDeployInputs): PlanResult {
  const { namespace, tlsMode, platform } = inputs;
  const planned = planWebhook({
    namespace,
    tlsMode,
    ...(inputs.image ? { image: inputs.image } : {}),
    ...(inputs.replicas !== undefined ? { replicas: inputs.replicas } : {}),
    ...(inputs.selfSigned ? { selfSigned: inputs.selfSigned.material } : {}),
    ...(inputs.networkPolicy && 'peers' in inputs.networkPolicy ? { networkPolicy: inputs.networkPolicy.peers } : {}),
  });
  if (!planned.ok) return { ok: false, message: `The plan is not sound: ${planned.errors.join('; ')}` };
  const core = planned.plan;
  const caKey = inputs.caKey === 'cluster' ? inputs.selfSigned?.caPrivateKeyPem : undefined;
  const labels = core.objects.find((o) => o.kind === 'Secret')?.metadata.labels ?? core.objects[0]!.metadata.labels;
  const caObjects = caKey && inputs.selfSigned ? caKeyObjects(core.name, labels, inputs.selfSigned.material.caCertificatePem, caKey) : [];
  const objects = core.objects;
  const caNamespace = caKeyNamespace(core.name);
  // A CA key an earlier deploy kept in the webhook's own namespace does not stay there.
  const legacy: Write[] = inputs.selfSigned?.legacyCaSecret
    ? [{ action: 'delete', target: { apiVersion: 'v1', kind: 'Secret', namespace, name: caSecretName(core.name) }, undo: { kind: 'recreate' } }]
    : [];
  const kinds = (...k: string[]) => objects.filter((o) => k.includes(o.kind));
  const tls = [...objects.filter((o) => o.kind === 'Secret' || o.apiVersion.startsWith('cert-manager.io/')), ...caObjects];
  const deployment = objects.find((o) => o.kind === 'Deployment')!;
  const newNamespaces = [...(inputs.namespaceExists ? [] : [namespace]), ...(caObjects.length > 0 && !inputs.caKeyNamespaceExists ? [caNamespace] : [])];
  const phases: Phase[] = [
    ...(newNamespaces.length === 0 ? [] : [{ id: 'namespace', title: 'Namespace', why: `Namespace ${newNamespaces.join(' and ')} ${newNamespaces.length === 1 ? 'does' : 'do'} not exist: the deploy creates ${newNamespaces.length === 1 ? 'it' : 'them'} (annotated ${CREATED_NAMESPACE_ANNOTATION}), and undo or uninstall deletes ${newNamespaces.length === 1 ? 'it' : 'them'} again.`, writes: newNamespaces.map((n) => apply(namespaceObject(n) as ManifestObject)) }]),
    { id: 'access', title: 'Access', why: 'The webhook runs as its own ServiceAccount, which may only get, list and watch VolumeSnapshots: it reads their restoreSize.', writes: kinds('ServiceAccount', 'ClusterRole', 'ClusterRoleBinding').map(apply) },
    ...(tls.length + legacy.length > 0 ? [{ id: 'tls', title: 'Serving certificate', why: tlsWhy(tlsMode, caObjects.length > 0 ? caNamespace : undefined), writes: [...tls.map(apply), ...legacy] }] : []),
    {
      id: 'workload',
      title: 'Webhook pods',
      why: `The webhook's ${core.replicas} pod${core.replicas === 1 ? '' : 's'} (image ${core.image})${core.replicas >= 2 ? ', spread across nodes with a PodDisruptionBudget,' : ''} behind the Service the API server calls; the deploy waits for the rollout.`,
      writes: kinds('Service', 'NetworkPolicy', 'Deployment', 'PodDisruptionBudget').map(apply),
      waits: [{ kind: 'rollout', target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: deployment.metadata.name }, timeoutSeconds: 300 }],
    },
    {
      id: 'configuration',
      title: 'Webhook configuration',
      why: `Registered last, after the rollout, so the API server never calls a webhook that is not serving; ${core.name} sorts after ${CDI_PVC_WEBHOOK_CONFIGURATION}, so it runs after CDI's.`,
      writes: kinds('MutatingWebhookConfiguration').map(apply),
    },
  ];
  const advice = !inputs.cdi.inflatesSnapshotRestores
    ? `${inputs.cdi.note} The webhook has nothing to correct on this cluster.`
    : platform.cdiServed && !platform.cdiConfigurationPresent
      ? `CDI's PVC webhook (${CDI_PVC_WEBHOOK_CONFIGURATION}) is not configured on this cluster (before CDI v1.66 it exists only with the WebhookPvcRendering feature gate): nothing inflates restore PVCs for this webhook to undo.`
      : undefined;
  const imageWarning = mutableImageWarning(core.image);
  const notes = [
    ...(imageWarning ? [imageWarning] : []),
    inputs.cdi.note,
    ...(inputs.selfSigned ? [inputs.selfSigned.note] : []),
    ...(inputs.selfSigned && caObjects.length > 0
      ? [`The CA key is kept in Secret ${caNamespace}/${caSecretName(core.name)}, in a namespace of its own: only cluster admins, and whoever you bind the Role ${caKeyRoleName(core.name)} there to, can read it. Rotation signs new serving certificates with it.`]
      : inputs.selfSigned && inputs.caKey === 'cluster'
        ? ['The CA key is not known (an earlier deploy did not keep it), so it cannot be kept now: rotate (webhook-rotate) to make a new CA, or uninstall and deploy again with --ca-key cluster.']
      : inputs.selfSigned
        ? [`The CA key is not stored in the cluster: it signs the serving certificate and is dropped. Rotation (webhook-rotate) then makes a new CA, trusted next to the old one. To keep the key, in a namespace of its own, deploy with --ca-key cluster.`]
        : []),
    ...(legacy.length > 0 ? [`An earlier deploy kept the CA key in Secret ${namespace}/${caSecretName(core.name)}, next to the webhook: the deploy deletes it there${caObjects.length > 0 ? ` (it moves to ${caNamespace})` : ''}.`] : []),
    ...(inputs.namespaceExists ? [`Namespace ${namespace} exists: the deploy adds to it, and uninstall never deletes it.`] : []),
    ...(inputs.networkPolicy === undefined ? []
      : 'skipped' in inputs.networkPolicy ? [`No NetworkPolicy: ${inputs.networkPolicy.skipped}`]
      : objects.some((o) => o.kind === 'NetworkPolicy') ? [networkPolicyNote(inputs.networkPolicy.peers, inputs.networkPolicy.sources)]
      : ['No NetworkPolicy: where the API server calls from is unknown (give --api-server-cidr).']),
    ...core.notes,
  ];
  const plan: Plan = {
    operation: WEBHOOK_OPERATION,
    title: `Deploy the restore-size webhook to namespace ${namespace} (${tlsLabels[tlsMode]} TLS)`,
    target: { ...inputs.target, namespace },
    phases,
    checks: [verification(inputs)],
    notes,
    ...(advice ? { advice } : {}),
    secretKeySuffixes: ['.key'],
  };
  return { ok: true, plan, questions: questions(platform, tlsMode) };
}

function tlsWhy(mode: TlsMode, caNamespace: string | undefined): string {
  return mode === 'cert-manager'
    ? 'cert-manager issues the serving certificate from a CA of its own, and its cainjector sets the webhook configuration\'s caBundle.'
    : `The serving certificate and its CA, made by the tools; ${caNamespace ? `the CA key goes to its own namespace ${caNamespace}, which the pods never see` : 'the CA key is not stored in the cluster'}.`;
}
