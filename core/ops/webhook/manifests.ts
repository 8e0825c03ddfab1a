/**
 * The restore-size webhook's manifests as plain objects: what "Deploy restore-size webhook" previews,
 * dry-runs and applies, and what uninstall removes (every object carries `WEBHOOK_LABELS`).
 *
 * Modelled on grandeit/pvc-shrink-ray deploy/ at 13b399d (RBAC, Service 443→8443, Deployment with
 * required anti-affinity, PDB, MutatingWebhookConfiguration after CDI's), with three TLS modes and two
 * images: the public pvc-shrink-ray image (certificates at /cert/server/certs, only /healthz) and this
 * project's own (`node dist/webhook.js`, /readyz once its snapshot cache has synced).
 *
 * Pure: the self-signed mode takes the certificate material as data; `webhookPlan/selfSigned.ts` makes it.
 */
import { cdiPvcWebhookName } from '../../cdi/webhook.js';
import { LABEL } from '../../kinds/index.js';
import { networkPolicyObject, toCidr, type ApiServerPeers } from './networkPolicy.js';
import { tlsObjects, type TlsContext } from './tls.js';

export type TlsMode = 'openshift-service-ca' | 'cert-manager' | 'self-signed';
export type ImageKind = 'pvc-shrink-ray' | 'kubevirt-storage';

export const DEFAULT_WEBHOOK_IMAGE = 'ghcr.io/grandeit/pvc-shrink-ray:latest';
export const DEFAULT_WEBHOOK_NAME = 'kubevirt-storage-restore-size';
/** CDI's PVC-rendering webhook configuration; ours must run after it, and the API server orders by name. */
export const CDI_PVC_WEBHOOK_CONFIGURATION = cdiPvcWebhookName;
export const WEBHOOK_LABELS = {
  [LABEL.appManagedBy]: 'kubevirt-storage-tools',
  [LABEL.appPartOf]: 'restore-size-webhook',
} as const;
/** Label selector of everything the deploy creates: `kubectl get ... -l <this>`. */
export const WEBHOOK_SELECTOR = Object.entries(WEBHOOK_LABELS).map(([k, v]) => `${k}=${v}`).join(',');
/** Where both images read their serving certificate (upstream hard-codes it; ours takes it as args). */
export const CERT_MOUNT_PATH = '/cert/server/certs';
export const CONTAINER_PORT = 8443;


export interface SelfSignedMaterial {
  /** PEM of the CA that signed the serving certificate; becomes the MWC's `caBundle`. */
  caCertificatePem: string;
  /** PEM of the serving certificate (DNS names of the Service). */
  certificatePem: string;
  /** PEM (PKCS#8) of the serving certificate's private key. */
  privateKeyPem: string;
}

export interface WebhookPlanOptions {
  namespace: string;
  /** Default `DEFAULT_WEBHOOK_IMAGE` (the `kubevirtStorage.webhook.image` setting's default). */
  image?: string;
  /** Default: derived from the image name (`imageKindOf`). */
  imageKind?: ImageKind;
  /** Default 2. With 1 the PodDisruptionBudget is left out: minAvailable 1 of 1 would block every drain. */
  replicas?: number;
  tlsMode: TlsMode;
  /** Names every object; must sort after `cdi-api-pvc-mutate`. Default `DEFAULT_WEBHOOK_NAME`. */
  name?: string;
  /** Required for `self-signed`. */
  selfSigned?: SelfSignedMaterial;
  /** Upstream uses system-cluster-critical; left out by default since the webhook fails open. */
  priorityClassName?: string;
  /** Default `Always` for a `:latest` (or untagged) image, else `IfNotPresent`. */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Where the API server calls from: a NetworkPolicy then admits only it to the webhook port (networkPolicy.ts). */
  networkPolicy?: ApiServerPeers;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface WebhookPlan {
  name: string;
  namespace: string;
  image: string;
  imageKind: ImageKind;
  tlsMode: TlsMode;
  replicas: number;
  /** In apply order (the MutatingWebhookConfiguration last, so it never points at nothing); delete in reverse. */
  objects: KubeObject[];
  serviceName: string;
  /** The Secret the pods mount (created by the deploy only in self-signed mode). */
  tlsSecretName: string;
  webhookConfigurationName: string;
  /** The names a serving certificate must carry; the API server dials `<service>.<namespace>.svc`. */
  dnsNames: string[];
  /** Things the user should know about this plan, for the preview. */
  notes: string[];
}

export type WebhookPlanResult = { ok: true; plan: WebhookPlan } | { ok: false; errors: string[] };

/** `pvc-shrink-ray` for any image whose repository ends in pvc-shrink-ray, else this project's image. */
export function imageKindOf(image: string): ImageKind {
  const repository = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  return (repository.split('/').pop() ?? '') === 'pvc-shrink-ray' ? 'pvc-shrink-ray' : 'kubevirt-storage';
}

/**
 * The names a serving certificate must carry (the Service shares the plan's name). The API server dials
 * `<service>.<namespace>.svc`; the others serve in-cluster clients. Generate self-signed material with these.
 */
export function webhookDnsNames(namespace: string, name: string = DEFAULT_WEBHOOK_NAME): string[] {
  return [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`];
}

/** Whether a MutatingWebhookConfiguration named `name` runs after CDI's (the API server sorts by name, bytewise). */
export function sortsAfterCdi(name: string): boolean {
  return compareBytes(name, CDI_PVC_WEBHOOK_CONFIGURATION) > 0;
}

/** The manifests, or every reason the options cannot make a sound deployment. */
export function planWebhook(options: WebhookPlanOptions): WebhookPlanResult {
  const name = options.name ?? DEFAULT_WEBHOOK_NAME;
  const image = (options.image ?? '').trim() || DEFAULT_WEBHOOK_IMAGE;
  const replicas = options.replicas ?? 2;
  const errors = validate(options, name, image, replicas);
  if (errors.length > 0) return { ok: false, errors };

  const { namespace, tlsMode } = options;
  const imageKind = options.imageKind ?? imageKindOf(image);
  const serviceName = name;
  const tlsSecretName = `${name}-certs`;
  const dnsNames = webhookDnsNames(namespace, name);
  const meta = (objectName: string, namespaced: boolean, annotations?: Record<string, string>): KubeObject['metadata'] => ({
    name: objectName,
    ...(namespaced ? { namespace } : {}),
    labels: { ...WEBHOOK_LABELS, [LABEL.appName]: name, [LABEL.appComponent]: 'admission-webhook' },
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
  });
  const tls = tlsObjects({ name, namespace, tlsMode, tlsSecretName, serviceName, dnsNames, selfSigned: options.selfSigned, meta } satisfies TlsContext);
  const selector = { [LABEL.appName]: name, [LABEL.appComponent]: 'admission-webhook' };

  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name, true), automountServiceAccountToken: true },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(name, false),
      rules: [{ apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(name, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    ...tls.objects,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(serviceName, true, tls.serviceAnnotations),
      spec: { selector, ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }] },
    },
    ...policy(options.networkPolicy, meta(name, true), selector),
    deployment({ name, image, imageKind, replicas, selector, tlsSecretName, options, meta: meta(name, true), podAnnotations: tls.podAnnotations(imageKind) }),
    ...(replicas >= 2
      ? [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(name, true), spec: { minAvailable: 1, selector: { matchLabels: selector } } }]
      : []),
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: meta(name, false, tls.webhookAnnotations),
      webhooks: [
        {
          name: 'restore-size.webhook.kubevirt-storage-tools.io',
          admissionReviewVersions: ['v1'],
          clientConfig: { service: { name: serviceName, namespace, path: '/mutate', port: 443 }, ...(tls.caBundle ? { caBundle: tls.caBundle } : {}) },
          rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['persistentvolumeclaims'], scope: 'Namespaced' }],
          objectSelector: { matchExpressions: [{ key: LABEL.applyStorageProfile, operator: 'In', values: ['true'] }] },
          failurePolicy: 'Ignore',
          reinvocationPolicy: 'IfNeeded',
          sideEffects: 'None',
          timeoutSeconds: 10,
          matchPolicy: 'Equivalent',
        },
      ],
    },
  ];

  const notes = [
    `The MutatingWebhookConfiguration ${name} sorts after ${CDI_PVC_WEBHOOK_CONFIGURATION}, so the API server calls CDI's webhook first and this one second (and again if a later webhook changes the PVC).`,
    'failurePolicy Ignore: when the webhook is down, PVCs are created unchanged (and may still be inflated).',
    ...tls.notes,
    ...(imageKind === 'pvc-shrink-ray'
      ? ['The pvc-shrink-ray image reads its certificate once at start: after a certificate rotation its pods must be restarted. Its readiness probe is /healthz (it has no /readyz).']
      : ['This image reloads its certificate when the Secret changes and reports ready (/readyz) once its VolumeSnapshot cache has synced.']),
    ...(replicas < 2 ? ['With one replica there is no PodDisruptionBudget: it would block node drains.'] : []),
  ];
  return {
    ok: true,
    plan: { name, namespace, image, imageKind, tlsMode, replicas, objects, serviceName, tlsSecretName, webhookConfigurationName: name, dnsNames, notes },
  };
}

function policy(peers: ApiServerPeers | undefined, m: KubeObject['metadata'], selector: Record<string, string>): KubeObject[] {
  const o = peers && networkPolicyObject({ name: m.name, namespace: m.namespace ?? '', labels: m.labels }, selector, CONTAINER_PORT, peers);
  return o ? [o as unknown as KubeObject] : [];
}

interface DeploymentInput {
  name: string;
  image: string;
  imageKind: ImageKind;
  replicas: number;
  selector: Record<string, string>;
  tlsSecretName: string;
  options: WebhookPlanOptions;
  meta: KubeObject['metadata'];
  podAnnotations: Record<string, string>;
}

function deployment(d: DeploymentInput): KubeObject {
  const upstream = d.imageKind === 'pvc-shrink-ray';
  const probe = (path: string, initialDelaySeconds: number, periodSeconds: number) => ({
    httpGet: { path, port: 'https', scheme: 'HTTPS' },
    initialDelaySeconds,
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold: 3,
  });
  const container = {
    name: 'webhook',
    image: d.image,
    imagePullPolicy: d.options.imagePullPolicy ?? (floatingTag(d.image) ? 'Always' : 'IfNotPresent'),
    ...(upstream
      ? { env: [{ name: 'GOMEMLIMIT', value: '55MiB' }] }
      : {
          args: ['--cert', `${CERT_MOUNT_PATH}/tls.crt`, '--key', `${CERT_MOUNT_PATH}/tls.key`, '--port', String(CONTAINER_PORT)],
          // glibc's per-thread arenas keep freed TLS buffers: under connection churn RSS would climb far above the
          // heap (bench/webhookSlow.ts: 237 MiB without, 146 MiB with, at 300 slow 1 MiB clients).
          env: [{ name: 'MALLOC_ARENA_MAX', value: '2' }],
        }),
    ports: [{ name: 'https', containerPort: CONTAINER_PORT, protocol: 'TCP' }],
    volumeMounts: [{ name: 'certs', mountPath: CERT_MOUNT_PATH, readOnly: true }],
    // Upstream's figures for its Go binary; Node needs more headroom (measured in bench/README.md "Webhook").
    resources: upstream
      ? { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '64Mi' } }
      : { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    livenessProbe: probe('/healthz', 10, 10),
    readinessProbe: probe(upstream ? '/healthz' : '/readyz', 5, 5),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: d.meta,
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: d.selector },
      // With required anti-affinity a surge pod needs a spare node; replacing one pod at a time does not.
      strategy: d.replicas >= 2 ? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { ...d.meta.labels, ...d.selector }, ...(Object.keys(d.podAnnotations).length > 0 ? { annotations: d.podAnnotations } : {}) },
        spec: {
          serviceAccountName: d.name,
          ...(d.options.priorityClassName ? { priorityClassName: d.options.priorityClassName } : {}),
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: d.selector }, topologyKey: LABEL.hostname }],
            },
          },
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          terminationGracePeriodSeconds: 40, // the server drains for up to 30 s after SIGTERM
          containers: [container],
          volumes: [{ name: 'certs', secret: { secretName: d.tlsSecretName } }],
        },
      },
    },
  };
}

/** `:latest` or no tag at all (and no digest): the image can change under the same name. */
function floatingTag(image: string): boolean {
  if (image.includes('@')) return false;
  const last = image.split('/').pop() ?? '';
  return !last.includes(':') || last.endsWith(':latest');
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function validate(o: WebhookPlanOptions, name: string, image: string, replicas: number): string[] {
  const errors: string[] = [];
  if (!DNS_LABEL.test(o.namespace) || o.namespace.length > 63) errors.push(`namespace "${o.namespace}" is not a valid namespace name (lowercase letters, digits and "-", at most 63)`);
  // The Service shares the name, and Service names are DNS-1035 labels; "-selfsigned" is the longest suffix added.
  if (!DNS_LABEL.test(name) || name.length > 52) errors.push(`name "${name}" must be a DNS label of at most 52 characters (it names the Service and derived objects)`);
  if (!sortsAfterCdi(name)) errors.push(`name "${name}" must sort after "${CDI_PVC_WEBHOOK_CONFIGURATION}": the API server calls mutating webhooks in name order and this one must run after CDI's`);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 10) errors.push(`replicas must be a whole number from 1 to 10, not ${replicas}`);
  if (/\s/.test(image)) errors.push(`image "${image}" contains whitespace`);
  for (const cidr of o.networkPolicy?.cidrs ?? []) if (toCidr(cidr) !== cidr) errors.push(`"${cidr}" is not a CIDR (a.b.c.d/n or an IPv6 address/n)`);
  if (!['openshift-service-ca', 'cert-manager', 'self-signed'].includes(o.tlsMode)) errors.push(`unknown TLS mode "${String(o.tlsMode)}"`);
  if (o.tlsMode === 'self-signed') {
    const m = o.selfSigned;
    if (!m) errors.push('the self-signed TLS mode needs a generated CA and serving certificate');
    else {
      for (const [field, label] of [['caCertificatePem', 'CERTIFICATE'], ['certificatePem', 'CERTIFICATE'], ['privateKeyPem', 'PRIVATE KEY']] as const) {
        if (!m[field].includes(`-----BEGIN ${label}-----`)) errors.push(`selfSigned.${field} is not a PEM ${label.toLowerCase()}`);
      }
    }
  }
  return errors;
}

/** Compares as Go compares strings (bytes of UTF-8); for the ASCII of valid names, code units agree. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
