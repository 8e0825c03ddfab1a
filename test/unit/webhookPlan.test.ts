// The webhook deploy plan: structure per TLS mode, ordering after CDI's webhook configuration, labels on
// everything, both images. Upstream reference: grandeit/pvc-shrink-ray deploy/ at 13b399d.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import {
  CDI_PVC_WEBHOOK_CONFIGURATION,
  DEFAULT_WEBHOOK_IMAGE,
  DEFAULT_WEBHOOK_NAME,
  imageKindOf,
  planWebhook,
  sortsAfterCdi,
  WEBHOOK_LABELS,
  WEBHOOK_SELECTOR,
  webhookDnsNames,
  type KubeObject,
  type WebhookPlan,
  type WebhookPlanOptions,
} from '../../core/ops/webhook/manifests.js';
import { describeCertificate, generateSelfSignedTls, type GeneratedTls } from '../../core/ops/webhook/selfSigned.js';

function plan(o: Partial<WebhookPlanOptions> = {}): WebhookPlan {
  const r = planWebhook({ namespace: 'openshift-cnv', tlsMode: 'openshift-service-ca', ...o });
  if (!r.ok) assert.fail(r.errors.join('; '));
  return r.plan;
}

function one(p: WebhookPlan, kind: string, name?: string): KubeObject & Record<string, any> {
  const found = p.objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  assert.equal(found.length, 1, `${kind} ${name ?? ''}: ${found.length} objects`);
  return found[0] as KubeObject & Record<string, any>;
}

const kinds = (p: WebhookPlan) => p.objects.map((o) => o.kind);
const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

let material: GeneratedTls;
before(async () => {
  material = await generateSelfSignedTls({ dnsNames: webhookDnsNames('kvs-system'), now: new Date('2026-01-01T00:00:00Z'), crypto: globalThis.crypto });
});

describe('ordering after CDI', () => {
  test('the default name sorts after cdi-api-pvc-mutate', () => {
    assert.ok(sortsAfterCdi(DEFAULT_WEBHOOK_NAME));
    assert.ok(DEFAULT_WEBHOOK_NAME > CDI_PVC_WEBHOOK_CONFIGURATION);
    assert.equal(plan().webhookConfigurationName, DEFAULT_WEBHOOK_NAME);
    assert.equal(one(plan(), 'MutatingWebhookConfiguration').metadata.name, DEFAULT_WEBHOOK_NAME);
  });

  test('sortsAfterCdi is a bytewise comparison, strictly after', () => {
    assert.equal(sortsAfterCdi('pvc-shrink-ray'), true);
    assert.equal(sortsAfterCdi('cdi-api-pvc-mutatf'), true);
    assert.equal(sortsAfterCdi('cdi-api-pvc-mutate-restore'), true);
    assert.equal(sortsAfterCdi('cdi-api-pvc-mutate'), false);
    assert.equal(sortsAfterCdi('cdi-api-pvc'), false);
    assert.equal(sortsAfterCdi('aaa-restore-size'), false);
    assert.equal(sortsAfterCdi('cdi-api-datavolume-mutate'), false);
  });

  test('a name that would run before CDI is refused with the reason', () => {
    const r = planWebhook({ namespace: 'x', tlsMode: 'openshift-service-ca', name: 'aaa-restore-size' });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.errors.join() : '', /must sort after "cdi-api-pvc-mutate"/);
    assert.equal(planWebhook({ namespace: 'x', tlsMode: 'openshift-service-ca', name: 'cdi-api-pvc-mutate' }).ok, false);
  });
});

describe('every TLS mode', () => {
  const modes = () => [plan({ tlsMode: 'openshift-service-ca' }), plan({ tlsMode: 'cert-manager' }), plan({ tlsMode: 'self-signed', selfSigned: material })];

  test('every object carries the managed-by and part-of labels, and the Deployment its pods too', () => {
    assert.equal(WEBHOOK_SELECTOR, 'app.kubernetes.io/managed-by=kubevirt-storage-tools,app.kubernetes.io/part-of=restore-size-webhook');
    for (const p of modes()) {
      for (const o of p.objects) {
        for (const [k, v] of Object.entries(WEBHOOK_LABELS)) assert.equal(o.metadata.labels[k], v, `${o.kind} ${o.metadata.name} ${k}`);
      }
      const pod = one(p, 'Deployment').spec.template.metadata.labels;
      for (const [k, v] of Object.entries(WEBHOOK_LABELS)) assert.equal(pod[k], v);
    }
  });

  test('objects are unique by kind and name, namespaced ones in the namespace, cluster-scoped ones without', () => {
    const clusterScoped = new Set(['ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration']);
    for (const p of modes()) {
      const keys = p.objects.map((o) => `${o.kind}/${o.metadata.name}`);
      assert.equal(new Set(keys).size, keys.length, keys.join());
      for (const o of p.objects) assert.equal(o.metadata.namespace, clusterScoped.has(o.kind) ? undefined : 'openshift-cnv', `${o.kind}`);
    }
  });

  test('objects are plain JSON (no undefined fields), in apply order: RBAC, TLS, Service, Deployment, PDB, MWC last', () => {
    for (const p of modes()) {
      assert.deepEqual(JSON.parse(JSON.stringify(p.objects)), p.objects);
      const k = kinds(p);
      assert.deepEqual(k.slice(0, 3), ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);
      assert.deepEqual(k.slice(-4), ['Service', 'Deployment', 'PodDisruptionBudget', 'MutatingWebhookConfiguration']);
    }
  });

  test('RBAC: only get/list/watch on volumesnapshots, bound to the ServiceAccount the pods run as', () => {
    for (const p of modes()) {
      assert.deepEqual(one(p, 'ClusterRole').rules, [{ apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['get', 'list', 'watch'] }]);
      const binding = one(p, 'ClusterRoleBinding');
      assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: one(p, 'ClusterRole').metadata.name });
      assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: one(p, 'ServiceAccount').metadata.name, namespace: 'openshift-cnv' }]);
      assert.equal(one(p, 'Deployment').spec.template.spec.serviceAccountName, one(p, 'ServiceAccount').metadata.name);
    }
  });

  test('the MutatingWebhookConfiguration: CREATE of PVCs with the label, Ignore, IfNeeded, None, 10 s, v1, /mutate', () => {
    for (const p of modes()) {
      const mwc = one(p, 'MutatingWebhookConfiguration');
      assert.equal(mwc.apiVersion, 'admissionregistration.k8s.io/v1');
      assert.equal(mwc.webhooks.length, 1);
      const w = mwc.webhooks[0];
      assert.match(w.name, /^[a-z0-9-]+(\.[a-z0-9-]+){2,}$/, 'a fully qualified webhook name');
      assert.deepEqual(w.admissionReviewVersions, ['v1']);
      assert.deepEqual(w.rules, [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['persistentvolumeclaims'], scope: 'Namespaced' }]);
      assert.deepEqual(w.objectSelector, { matchExpressions: [{ key: 'cdi.kubevirt.io/applyStorageProfile', operator: 'In', values: ['true'] }] });
      assert.equal(w.failurePolicy, 'Ignore');
      assert.equal(w.reinvocationPolicy, 'IfNeeded');
      assert.equal(w.sideEffects, 'None');
      assert.equal(w.timeoutSeconds, 10);
      assert.equal(w.namespaceSelector, undefined, 'all namespaces, as upstream');
      assert.deepEqual(w.clientConfig.service, { name: p.serviceName, namespace: 'openshift-cnv', path: '/mutate', port: 443 });
    }
  });

  test('Service 443 -> the container port named https, selecting the Deployment pods', () => {
    for (const p of modes()) {
      const svc = one(p, 'Service');
      const dep = one(p, 'Deployment');
      assert.equal(svc.metadata.name, p.serviceName);
      assert.deepEqual(svc.spec.ports, [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }]);
      const container = dep.spec.template.spec.containers[0];
      assert.deepEqual(container.ports, [{ name: 'https', containerPort: 8443, protocol: 'TCP' }]);
      for (const [k, v] of Object.entries(svc.spec.selector as Record<string, string>)) assert.equal(dep.spec.template.metadata.labels[k], v);
      for (const [k, v] of Object.entries(dep.spec.selector.matchLabels as Record<string, string>)) assert.equal(dep.spec.template.metadata.labels[k], v);
    }
  });

  test('Deployment: 2 replicas, required anti-affinity across nodes, probes, resources, locked-down security', () => {
    for (const p of modes()) {
      const dep = one(p, 'Deployment');
      const pod = dep.spec.template.spec;
      assert.equal(dep.spec.replicas, 2);
      assert.deepEqual(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution, [
        { labelSelector: { matchLabels: dep.spec.selector.matchLabels }, topologyKey: 'kubernetes.io/hostname' },
      ]);
      assert.deepEqual(pod.securityContext, { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      const c = pod.containers[0];
      assert.deepEqual(c.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      for (const kind of ['requests', 'limits']) for (const r of ['cpu', 'memory']) assert.ok(c.resources[kind][r], `${kind}.${r}`);
      assert.deepEqual(c.livenessProbe.httpGet, { path: '/healthz', port: 'https', scheme: 'HTTPS' });
      assert.equal(c.readinessProbe.httpGet.scheme, 'HTTPS');
      assert.deepEqual(pod.volumes, [{ name: 'certs', secret: { secretName: p.tlsSecretName } }]);
      assert.deepEqual(c.volumeMounts, [{ name: 'certs', mountPath: '/cert/server/certs', readOnly: true }]);
      assert.ok(pod.terminationGracePeriodSeconds > 30, 'longer than the 30 s drain');
    }
  });

  test('PodDisruptionBudget: minAvailable 1 over the Deployment pods', () => {
    for (const p of modes()) {
      const pdb = one(p, 'PodDisruptionBudget');
      assert.equal(pdb.apiVersion, 'policy/v1');
      assert.equal(pdb.spec.minAvailable, 1);
      assert.deepEqual(pdb.spec.selector.matchLabels, one(p, 'Deployment').spec.selector.matchLabels);
    }
  });
});

describe('TLS: openshift-service-ca', () => {
  test('the Service names the Secret; the MWC asks for the CA bundle; nothing else is created', () => {
    const p = plan({ tlsMode: 'openshift-service-ca' });
    assert.deepEqual(one(p, 'Service').metadata.annotations, { 'service.beta.openshift.io/serving-cert-secret-name': p.tlsSecretName });
    assert.deepEqual(one(p, 'MutatingWebhookConfiguration').metadata.annotations, { 'service.beta.openshift.io/inject-cabundle': 'true' });
    assert.equal(one(p, 'MutatingWebhookConfiguration').webhooks[0].clientConfig.caBundle, undefined);
    assert.deepEqual(kinds(p), ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Service', 'Deployment', 'PodDisruptionBudget', 'MutatingWebhookConfiguration']);
  });
});

describe('TLS: cert-manager', () => {
  test('a self-signed Issuer, a CA Certificate, a CA Issuer, a serving Certificate into the mounted Secret; CA injected', () => {
    const p = plan({ tlsMode: 'cert-manager' });
    const issuers = p.objects.filter((o) => o.kind === 'Issuer') as (KubeObject & Record<string, any>)[];
    const certs = p.objects.filter((o) => o.kind === 'Certificate') as (KubeObject & Record<string, any>)[];
    assert.equal(issuers.length, 2);
    assert.equal(certs.length, 2);
    const selfSignedIssuer = issuers.find((i) => i.spec.selfSigned);
    const caCert = certs.find((c) => c.spec.isCA === true);
    const caIssuer = issuers.find((i) => i.spec.ca);
    const serving = certs.find((c) => !c.spec.isCA);
    assert.ok(selfSignedIssuer && caCert && caIssuer && serving);
    assert.equal(caCert.spec.issuerRef.name, selfSignedIssuer.metadata.name);
    assert.equal(caIssuer.spec.ca.secretName, caCert.spec.secretName);
    assert.equal(serving.spec.issuerRef.name, caIssuer.metadata.name);
    assert.equal(serving.spec.secretName, p.tlsSecretName);
    assert.deepEqual(serving.spec.dnsNames, p.dnsNames);
    assert.ok(serving.spec.dnsNames.includes(`${p.serviceName}.openshift-cnv.svc`));
    assert.ok(serving.spec.usages.includes('server auth'));
    // Secrets cert-manager writes carry our labels so that uninstall can find them.
    for (const c of certs) assert.deepEqual(c.spec.secretTemplate.labels[Object.keys(WEBHOOK_LABELS)[0] ?? ''], 'kubevirt-storage-tools');
    const mwc = one(p, 'MutatingWebhookConfiguration');
    assert.deepEqual(mwc.metadata.annotations, { 'cert-manager.io/inject-ca-from': `openshift-cnv/${serving.metadata.name}` });
    assert.equal(one(p, 'Service').metadata.annotations, undefined);
    // cert-manager objects come before the Deployment that mounts their Secret.
    assert.ok(kinds(p).lastIndexOf('Certificate') < kinds(p).indexOf('Deployment'));
  });
});

describe('TLS: self-signed', () => {
  test('a kubernetes.io/tls Secret with the generated pair, and the CA as caBundle', () => {
    const p = plan({ tlsMode: 'self-signed', namespace: 'kvs-system', selfSigned: material });
    const secret = one(p, 'Secret', p.tlsSecretName);
    assert.equal(secret.type, 'kubernetes.io/tls');
    assert.equal(b64(secret.data['tls.crt']), material.certificatePem);
    assert.equal(b64(secret.data['tls.key']), material.privateKeyPem);
    assert.equal(b64(secret.data['ca.crt']), material.caCertificatePem);
    assert.equal(b64(one(p, 'MutatingWebhookConfiguration').webhooks[0].clientConfig.caBundle), material.caCertificatePem);
    assert.equal(one(p, 'MutatingWebhookConfiguration').metadata.annotations, undefined);
    assert.ok(!p.objects.some((o) => JSON.stringify(o).includes(material.caPrivateKeyPem)), 'the CA key never goes into the cluster');
  });

  test('the generated certificate is signed by the CA, valid for the Service name the API server dials, for a year', () => {
    const cert = new X509Certificate(material.certificatePem);
    const ca = new X509Certificate(material.caCertificatePem);
    assert.ok(cert.verify(ca.publicKey));
    assert.ok(ca.ca);
    assert.equal(cert.ca, false);
    assert.equal(cert.checkHost('kubevirt-storage-restore-size.kvs-system.svc'), 'kubevirt-storage-restore-size.kvs-system.svc');
    assert.equal(cert.checkHost('other.kvs-system.svc'), undefined);
    const info = describeCertificate(material.certificatePem);
    assert.ok(info.ok);
    assert.equal(info.notAfter.toISOString(), '2027-01-01T00:00:00.000Z');
    assert.ok(info.notBefore < new Date('2026-01-01T00:00:00Z'), 'back-dated for clock skew');
    assert.deepEqual(info.dnsNames, webhookDnsNames('kvs-system'));
    assert.equal(info.isCa, false);
    assert.equal(describeCertificate('nope').ok, false);
  });

  test('rotation under the same CA keeps caBundle valid', async () => {
    const next = await generateSelfSignedTls({
      dnsNames: webhookDnsNames('kvs-system'),
      now: new Date('2026-06-01T00:00:00Z'),
      crypto: globalThis.crypto,
      ca: { certificatePem: material.caCertificatePem, privateKeyPem: material.caPrivateKeyPem },
    });
    assert.equal(next.caCertificatePem, material.caCertificatePem);
    assert.notEqual(next.serialNumber, material.serialNumber);
    assert.ok(new X509Certificate(next.certificatePem).verify(new X509Certificate(material.caCertificatePem).publicKey));
  });

  test('without material, or with something that is not PEM, the plan is refused', () => {
    const none = planWebhook({ namespace: 'x', tlsMode: 'self-signed' });
    assert.equal(none.ok, false);
    assert.match(!none.ok ? none.errors.join() : '', /needs a generated CA/);
    const bad = planWebhook({ namespace: 'x', tlsMode: 'self-signed', selfSigned: { ...material, privateKeyPem: 'secret' } });
    assert.match(!bad.ok ? bad.errors.join() : '', /privateKeyPem is not a PEM private key/);
  });

  test('with the pvc-shrink-ray image, a new certificate changes the pod template (it only reads certificates at start)', async () => {
    const other = await generateSelfSignedTls({ dnsNames: webhookDnsNames('kvs-system'), now: new Date(), crypto: globalThis.crypto });
    const hash = (m: GeneratedTls, image?: string) => one(plan({ tlsMode: 'self-signed', selfSigned: m, image }), 'Deployment').spec.template.metadata.annotations;
    assert.notDeepEqual(hash(material), hash(other));
    assert.equal(hash(material, 'ghcr.io/example/kubevirt-storage-webhook:0.1.0'), undefined, 'this project’s image reloads certificates itself');
  });
});

describe('images', () => {
  test('imageKindOf: pvc-shrink-ray by repository name, whatever the registry, tag or digest', () => {
    assert.equal(imageKindOf(DEFAULT_WEBHOOK_IMAGE), 'pvc-shrink-ray');
    assert.equal(imageKindOf('quay.io/me/pvc-shrink-ray:v1.2'), 'pvc-shrink-ray');
    assert.equal(imageKindOf('registry:5000/pvc-shrink-ray'), 'pvc-shrink-ray');
    assert.equal(imageKindOf('ghcr.io/grandeit/pvc-shrink-ray@sha256:abcd'), 'pvc-shrink-ray');
    assert.equal(imageKindOf('ghcr.io/me/kubevirt-storage-webhook:0.1.0'), 'kubevirt-storage');
    assert.equal(imageKindOf('ghcr.io/pvc-shrink-ray/webhook:1'), 'kubevirt-storage');
  });

  test('the default image is pvc-shrink-ray: certificates at /cert/server/certs, no args, /healthz for readiness, GOMEMLIMIT', () => {
    const p = plan();
    assert.equal(p.image, DEFAULT_WEBHOOK_IMAGE);
    assert.equal(p.imageKind, 'pvc-shrink-ray');
    const c = one(p, 'Deployment').spec.template.spec.containers[0];
    assert.equal(c.image, DEFAULT_WEBHOOK_IMAGE);
    assert.equal(c.imagePullPolicy, 'Always');
    assert.equal(c.args, undefined);
    assert.equal(c.readinessProbe.httpGet.path, '/healthz');
    assert.deepEqual(c.env, [{ name: 'GOMEMLIMIT', value: '55MiB' }]);
    assert.deepEqual(c.resources, { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '64Mi' } });
  });

  test('this project’s image: cert args pointing into the mount, /readyz for readiness, more memory', () => {
    const p = plan({ image: 'ghcr.io/me/kubevirt-storage-webhook:0.1.0' });
    assert.equal(p.imageKind, 'kubevirt-storage');
    const c = one(p, 'Deployment').spec.template.spec.containers[0];
    assert.deepEqual(c.args, ['--cert', '/cert/server/certs/tls.crt', '--key', '/cert/server/certs/tls.key', '--port', '8443']);
    assert.equal(c.readinessProbe.httpGet.path, '/readyz');
    assert.equal(c.livenessProbe.httpGet.path, '/healthz');
    assert.equal(c.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(c.env, [{ name: 'MALLOC_ARENA_MAX', value: '2' }], 'glibc arenas bounded: RSS under connection churn (bench/webhookSlow.ts)');
  });

  test('an explicit imageKind wins over the name', () => {
    assert.equal(plan({ image: 'registry.local/mirror/webhook:1', imageKind: 'pvc-shrink-ray' }).imageKind, 'pvc-shrink-ray');
  });
});

describe('options', () => {
  test('one replica: no PDB (minAvailable 1 of 1 would block drains), surge rollout, and a note saying so', () => {
    const p = plan({ replicas: 1 });
    assert.ok(!kinds(p).includes('PodDisruptionBudget'));
    assert.equal(one(p, 'Deployment').spec.replicas, 1);
    assert.deepEqual(one(p, 'Deployment').spec.strategy.rollingUpdate, { maxUnavailable: 0, maxSurge: 1 });
    assert.ok(p.notes.some((n) => /no PodDisruptionBudget/.test(n)));
  });

  test('several replicas roll one at a time without needing a spare node', () => {
    assert.deepEqual(one(plan({ replicas: 3 }), 'Deployment').spec.strategy.rollingUpdate, { maxUnavailable: 1, maxSurge: 0 });
  });

  test('a custom name names every object, and priorityClassName is passed through', () => {
    const p = plan({ name: 'restore-size', priorityClassName: 'system-cluster-critical' });
    for (const o of p.objects) assert.match(o.metadata.name, /^restore-size/);
    assert.equal(one(p, 'Deployment').spec.template.spec.priorityClassName, 'system-cluster-critical');
    assert.equal(one(plan(), 'Deployment').spec.template.spec.priorityClassName, undefined);
  });

  test('bad options are refused with every reason', () => {
    const r = planWebhook({ namespace: 'Bad_NS', tlsMode: 'cert-manager', replicas: 0, name: 'Upper', image: 'a b' });
    assert.equal(r.ok, false);
    const errors = !r.ok ? r.errors.join('\n') : '';
    assert.match(errors, /namespace "Bad_NS"/);
    assert.match(errors, /replicas must be/);
    assert.match(errors, /name "Upper"/);
    assert.match(errors, /whitespace/);
    assert.equal(planWebhook({ namespace: 'x', tlsMode: 'magic' as never }).ok, false);
    assert.equal(planWebhook({ namespace: 'x', tlsMode: 'cert-manager', replicas: 1.5 }).ok, false);
  });

  test('an empty image setting means the default image', () => {
    assert.equal(plan({ image: '  ' }).image, DEFAULT_WEBHOOK_IMAGE);
  });

  test('the notes explain the order after CDI and the fail-open policy', () => {
    const notes = plan().notes.join('\n');
    assert.match(notes, /after cdi-api-pvc-mutate/);
    assert.match(notes, /failurePolicy Ignore/);
  });
});
