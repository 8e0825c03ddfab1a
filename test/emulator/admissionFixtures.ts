// The restore-size scenario of issue 5 for the admission tests: a CDI-like webhook that inflates a
// labelled PVC (`cdi-api-pvc-mutate`, reinvocation Never, as CDI creates it) and a pvc-shrink-ray-like
// one that shrinks it back to the snapshot's restoreSize (IfNeeded), both reached through services.
import { createCa, type CertificateAuthority } from './tls.js';
import { startWebhook, type TestWebhook } from './helpers.js';
import type { Emulator } from './types.js';

export const LABEL = 'cdi.kubevirt.io/applyStorageProfile';
export const RESTORE_SIZE = '20Mi';
/** CDI v1.63+: ceil(RoundUp(20Mi, 1Mi) × 1.06) bytes (facts §3.1). */
export const INFLATED = '22229812';

export interface Scenario {
  ca: CertificateAuthority;
  cdi: TestWebhook;
  shrink: TestWebhook;
  /** Webhook names in the order they were called, across all webhooks of the scenario. */
  order: string[];
  close(): Promise<void>;
}

export const storageOf = (o: unknown): string | undefined =>
  (o as { spec?: { resources?: { requests?: { storage?: string } } } } | undefined)?.spec?.resources?.requests?.storage;

const replaceStorage = (value: string): unknown[] => [{ op: 'replace', path: '/spec/resources/requests/storage', value }];

export function mwc(name: string, webhook: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name }, webhooks: [webhook] };
}

export function pvcRule(operations = ['CREATE']): Record<string, unknown> {
  return { operations, apiGroups: [''], apiVersions: ['v1'], resources: ['persistentvolumeclaims'], scope: '*' };
}

/** Starts both webhooks and registers their services and configurations (shrink-ray's first, to prove name order wins). */
/** CDI's own PVC webhook configuration (as its operator creates it, callbacks.go), served by a test webhook. */
export function cdiPvcMutate(caBundle: string): Record<string, unknown> {
  return mwc('cdi-api-pvc-mutate', {
    name: 'pvc-mutate.cdi.kubevirt.io',
    admissionReviewVersions: ['v1'],
    clientConfig: { service: { name: 'cdi-api', namespace: 'cdi', path: '/pvc-mutate', port: 443 }, caBundle },
    rules: [pvcRule()],
    objectSelector: { matchLabels: { [LABEL]: 'true' } },
    namespaceSelector: {},
    matchPolicy: 'Exact',
    reinvocationPolicy: 'Never',
    failurePolicy: 'Fail',
    sideEffects: 'None',
    timeoutSeconds: 10,
  });
}

export async function startScenario(emu: Emulator, shrinkPolicy: 'IfNeeded' | 'Never' = 'IfNeeded'): Promise<Scenario> {
  const ca = await createCa('webhook-test-ca');
  const order: string[] = [];
  const cdi = await startWebhook(ca, ['cdi-api.cdi.svc'], (r) => {
    order.push('cdi');
    return storageOf(r.object) === RESTORE_SIZE ? { patch: replaceStorage(INFLATED) } : {};
  });
  const shrink = await startWebhook(ca, ['pvc-shrink-ray.openshift-cnv.svc'], (r) => {
    order.push('shrink');
    const snap = emu.store.get('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', r.namespace, r.object.spec.dataSource?.name ?? '') as { status?: { restoreSize?: string } } | undefined;
    const restore = snap?.status?.restoreSize;
    return restore && storageOf(r.object) !== restore ? { patch: replaceStorage(restore) } : {};
  });
  emu.services.register('cdi', 'cdi-api', 443, cdi.url);
  emu.services.register('openshift-cnv', 'pvc-shrink-ray', undefined, shrink.url);
  const objectSelector = { matchExpressions: [{ key: LABEL, operator: 'In', values: ['true'] }] };
  emu.store.upsert(
    mwc('pvc-shrink-ray', {
      name: 'pvc.shrink.ray',
      admissionReviewVersions: ['v1', 'v1beta1'],
      clientConfig: { service: { name: 'pvc-shrink-ray', namespace: 'openshift-cnv', path: '/mutate' }, caBundle: shrink.caBundle },
      rules: [{ ...pvcRule(), scope: 'Namespaced' }],
      objectSelector,
      reinvocationPolicy: shrinkPolicy,
      failurePolicy: 'Ignore',
      sideEffects: 'None',
      timeoutSeconds: 10,
    }),
  );
  emu.store.upsert(cdiPvcMutate(cdi.caBundle));
  emu.store.upsert({
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: { name: 'vmsnapshot-tpm', namespace: 'default' },
    spec: { source: { persistentVolumeClaimName: 'persistent-state-for-vm' } },
    status: { readyToUse: true, restoreSize: RESTORE_SIZE },
  });
  return {
    ca,
    cdi,
    shrink,
    order,
    async close() {
      await cdi.close();
      await shrink.close();
    },
  };
}

/** The restore PVC of the seed's scenario: labelled, from the snapshot, asking for restoreSize. */
export function restorePvc(name: string, labelled = true): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', labels: labelled ? { [LABEL]: 'true' } : {} },
    spec: {
      accessModes: ['ReadWriteOnce'],
      dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'vmsnapshot-tpm' },
      resources: { requests: { storage: RESTORE_SIZE } },
    },
  };
}
