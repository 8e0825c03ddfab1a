// The seed's scenario end to end through real HTTPS admission, on every target (the API emulator and the real
// kube-apiserver of test/apiserver): a CDI-like webhook named `cdi-api-pvc-mutate` inflating like CDI v1.63
// (overhead 0.06: 20Mi → 22229812 bytes, core/cdi/size.ts), then THIS project's webhook server (createWebhookServer
// over the cluster-backed snapshot source, reading the target through cluster/) behind the plan's Service and
// MutatingWebhookConfiguration, in name order with reinvocation. Both webhooks are served from this process and
// reached through their Services (target.routeService). The stored restore PVC asks for exactly restoreSize;
// without CDI's webhook there is nothing to shrink; with the snapshot missing the webhook fails open; and the API
// server's own defaulting (facts §0.3) happens before any webhook.
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterConnection } from '../../cluster/connection.js';
import type { KubeObject } from '../../cluster/paths.js';
import { requiredSpace } from '../../core/cdi/size.js';
import { parseQuantity } from '../../core/quantity.js';
import { planWebhook, webhookDnsNames, type WebhookPlan } from '../../core/ops/webhook/manifests.js';
import { generateSelfSignedTls } from '../../core/ops/webhook/selfSigned.js';
import { clusterSnapshots } from '../../webhook/clusterSnapshots.js';
import { jsonLogger } from '../../webhook/log.js';
import { createWebhookServer, type WebhookServer } from '../../webhook/server.js';
import type { SnapshotSource } from '../../webhook/snapshotSource.js';
import { describeTargets, connectAdmin, type TestTarget } from '../cluster/target.js';
import { cdiPvcMutate, mwc, pvcRule, storageOf } from '../emulator/admissionFixtures.js';
import { startWebhook, type AdmissionReviewRequest, type TestWebhook } from '../emulator/helpers.js';
import { createCa } from '../emulator/index.js';
import { LABEL, until } from './helpers.js';

const NAMESPACE = 'kvs-system';
const SNAPSHOT = 'vmsnapshot-tpm';
const RESTORE_SIZE = '20Mi';
const INFLATED = '22229812';
const MWC = 'admissionregistration.k8s.io/v1';

/** KubeVirt's restore PVC of the seed: labelled, dataSource and dataSourceRef to the snapshot, asking for restoreSize. */
function restorePvc(name: string, snapshot = SNAPSHOT): KubeObject {
  const source = { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: snapshot };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'vms', labels: { [LABEL]: 'true' } },
    spec: { accessModes: ['ReadWriteOnce'], dataSource: source, dataSourceRef: source, resources: { requests: { storage: RESTORE_SIZE } } },
  };
}

/** CDI v1.63's RenderPvc size step for a Filesystem PVC: ceil(RoundUp(size, 1Mi) × 1.06), as a plain byte count. */
function cdiInflate(storage: string): string {
  const q = parseQuantity(storage);
  assert.ok(q.ok);
  const r = requiredSpace(q.quantity.bytes, '0.06', 'multiply');
  assert.ok(r.ok);
  return r.bytes.toString();
}

const service = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' }] },
});

describeTargets('the restore-size chain: CDI inflates, this webhook shrinks back to restoreSize', (spec) => {
  let target: TestTarget;
  let conn: ClusterConnection;
  let snapshots: SnapshotSource;
  let ours: WebhookServer;
  let cdi: TestWebhook;
  let plan: WebhookPlan;
  /** Every webhook call in order, as `<configuration>:<patched|allowed>`, told by the webhooks themselves. */
  const journal: string[] = [];
  /** What CDI's webhook was sent: the PVC as the API server had it before any webhook. */
  const cdiSaw: AdmissionReviewRequest[] = [];
  const patched: Record<string, unknown>[] = [];
  let probes = 0;

  /** A dry-run create of a labelled restore PVC: reaches every matching webhook and stores nothing. */
  const probe = async (): Promise<void> => {
    const r = await conn.request({ method: 'POST', path: '/api/v1/namespaces/vms/persistentvolumeclaims?dryRun=All', body: JSON.stringify(restorePvc(`probe-${++probes}`)), what: 'probe the webhooks' });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
  };
  /**
   * Waits until the webhook configurations in force are those expected: kube-apiserver picks up a change through
   * an informer, a moment later (the emulator at once). Probes until a probe's calls match, then forgets them.
   */
  const settle = async (expected: string[]): Promise<void> => {
    await until(async () => {
      journal.length = 0;
      await probe();
      return journal.map((c) => c.split(':')[0]).join() === expected.join();
    }, `the webhooks in force to be ${expected.join(', ') || 'none'}`);
    journal.length = 0;
    cdiSaw.length = 0;
    patched.length = 0;
  };

  before(async () => {
    target = await spec.start();
    conn = await connectAdmin(target);
    await target.seed(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
      {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: { name: SNAPSHOT, namespace: 'vms' },
        spec: { source: { persistentVolumeClaimName: 'persistent-state-for-vm' } },
        status: { readyToUse: true, restoreSize: RESTORE_SIZE },
      },
    );

    // This project's server, its certificate from the plan's self-signed material, snapshots from the target.
    const tls = await generateSelfSignedTls({ dnsNames: webhookDnsNames(NAMESPACE), now: new Date(), crypto: globalThis.crypto });
    const planned = planWebhook({ namespace: NAMESPACE, tlsMode: 'self-signed', selfSigned: tls });
    assert.ok(planned.ok);
    plan = planned.plan;
    const logger = jsonLogger({
      level: 'debug',
      write: (line) => {
        const l = JSON.parse(line) as Record<string, unknown>;
        if (l.event === 'pvc-patched') journal.push(`${plan.webhookConfigurationName}:patched`), patched.push(l);
        if (l.event === 'pvc-allowed-unchanged') journal.push(`${plan.webhookConfigurationName}:allowed`);
      },
    });
    snapshots = clusterSnapshots({ kubeconfigPath: target.kubeconfigFile(), logger });
    ours = createWebhookServer({ tls: { cert: tls.certificatePem, key: tls.privateKeyPem }, snapshots, logger });
    const address = await ours.listen(0, '127.0.0.1');
    await until(() => snapshots.ready(), 'the snapshot cache to sync');
    await target.seed(plan.objects.find((o) => o.kind === 'Service')!);
    await target.routeService(NAMESPACE, plan.serviceName, 443, address.port);
    await target.seed(plan.objects.find((o) => o.kind === 'MutatingWebhookConfiguration')!);

    // CDI's webhook as CDI v1.63 creates it (facts §3.2): Fail, Never, matchLabels on the label.
    const ca = await createCa('cdi-test-ca');
    cdi = await startWebhook(ca, ['cdi-api.cdi.svc'], (r) => {
      const storage = storageOf(r.object)!;
      cdiSaw.push(r);
      journal.push('cdi-api-pvc-mutate:patched');
      return { patch: [{ op: 'replace', path: '/spec/resources/requests/storage', value: cdiInflate(storage) }] };
    });
    await target.seed(service('cdi', 'cdi-api'));
    await target.routeService('cdi', 'cdi-api', 443, cdi.port);
  });

  beforeEach(async () => {
    await target.seed(cdiPvcMutate(cdi.caBundle));
    await settle(['cdi-api-pvc-mutate', plan.webhookConfigurationName]);
  });
  afterEach(async () => {
    await target.remove(MWC, 'MutatingWebhookConfiguration', undefined, 'cdi-api-pvc-mutate');
  });
  after(async () => {
    snapshots?.close();
    await ours?.shutdown(1000);
    await cdi?.close();
    await target?.close();
  });

  const create = async (body: KubeObject): Promise<KubeObject> => {
    const r = await conn.request({ method: 'POST', path: '/api/v1/namespaces/vms/persistentvolumeclaims', body: JSON.stringify(body), what: 'create the PVC' });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    const stored = await conn.get('v1', 'PersistentVolumeClaim', 'vms', body.metadata!.name!);
    assert.ok(stored.ok, stored.ok ? '' : stored.error.message);
    return stored.value;
  };

  test('the seed: 20Mi restore, CDI makes it 22229812 bytes, the webhook sets it back: stored at exactly 20Mi', async () => {
    assert.equal(cdiInflate(RESTORE_SIZE), INFLATED, 'CDI v1.63 arithmetic with overhead 0.06');
    assert.equal(storageOf(await create(restorePvc('restore-tpm'))), RESTORE_SIZE);
    assert.deepEqual(cdiSaw.map((r) => storageOf(r.object)), [RESTORE_SIZE]);
    assert.deepEqual(journal, ['cdi-api-pvc-mutate:patched', `${plan.webhookConfigurationName}:patched`], 'name order: CDI first; nothing changed after ours, so no second call');
    const lines = patched.map((l) => ({ namespace: l.namespace, name: l.name, from: l.from, to: l.to }));
    assert.deepEqual(lines, [{ namespace: 'vms', name: 'restore-tpm', from: INFLATED, to: RESTORE_SIZE }], 'one structured log line for the patch');
  });

  test('reinvocation: a later webhook inflating again makes the API server call ours a second time', async () => {
    const ca = await createCa('late-ca');
    const late = await startWebhook(ca, [], (r) => {
      const done = storageOf(r.object) === '30Mi';
      journal.push(`zz-late-inflater:${done ? 'allowed' : 'patched'}`);
      return done ? {} : { patch: [{ op: 'replace', path: '/spec/resources/requests/storage', value: '30Mi' }] };
    });
    await target.seed(mwc('zz-late-inflater', { name: 'late.example.com', clientConfig: { url: `${late.url}/mutate`, caBundle: late.caBundle }, rules: [pvcRule()], sideEffects: 'None', admissionReviewVersions: ['v1'], reinvocationPolicy: 'Never' }));
    try {
      await settle(['cdi-api-pvc-mutate', plan.webhookConfigurationName, 'zz-late-inflater', plan.webhookConfigurationName]);
      assert.equal(storageOf(await create(restorePvc('restore-tpm-late'))), RESTORE_SIZE);
      assert.deepEqual(journal, ['cdi-api-pvc-mutate:patched', `${plan.webhookConfigurationName}:patched`, 'zz-late-inflater:patched', `${plan.webhookConfigurationName}:patched`]);
    } finally {
      await target.remove(MWC, 'MutatingWebhookConfiguration', undefined, 'zz-late-inflater');
      await late.close();
    }
  });

  test('without CDI’s webhook there is nothing to shrink: allowed unchanged at 20Mi', async () => {
    await target.remove(MWC, 'MutatingWebhookConfiguration', undefined, 'cdi-api-pvc-mutate');
    await settle([plan.webhookConfigurationName]);
    assert.equal(storageOf(await create(restorePvc('restore-no-cdi'))), RESTORE_SIZE);
    assert.deepEqual(journal, [`${plan.webhookConfigurationName}:allowed`]);
    assert.deepEqual(cdiSaw, []);
  });

  test('the snapshot missing: the webhook fails open and the PVC is stored as CDI rendered it', async () => {
    assert.equal(storageOf(await create(restorePvc('restore-missing', 'no-such-snapshot'))), INFLATED);
    assert.deepEqual(journal, ['cdi-api-pvc-mutate:patched', `${plan.webhookConfigurationName}:allowed`]);
  });

  test('facts §0.3: a labelled PVC with no class and no volumeMode reaches CDI’s webhook with the default class and Filesystem', async () => {
    const defaultClass = { 'storageclass.kubernetes.io/is-default-class': 'true' };
    await target.seed(
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'older-default', annotations: defaultClass }, provisioner: 'csi.trident.netapp.io' },
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'not-default' }, provisioner: 'csi.trident.netapp.io' },
    );
    try {
      // kube-apiserver's DefaultStorageClass plugin reads classes through an informer: probe until it has the new one.
      await until(async () => {
        cdiSaw.length = 0;
        await probe();
        return (cdiSaw[0]?.object as { spec?: { storageClassName?: string } } | undefined)?.spec?.storageClassName === 'older-default';
      }, 'the DefaultStorageClass plugin to see older-default');
      journal.length = 0;
      cdiSaw.length = 0;
      patched.length = 0;
      const stored = await create(restorePvc('restore-defaults'));
      const seen = cdiSaw[0]?.object as { spec: { storageClassName?: string; volumeMode?: string } } | undefined;
      assert.deepEqual([seen?.spec.storageClassName, seen?.spec.volumeMode], ['older-default', 'Filesystem'], 'CDI’s webhook already sees both');
      const s = stored.spec as { storageClassName?: string; volumeMode?: string };
      assert.deepEqual([s.storageClassName, s.volumeMode], ['older-default', 'Filesystem']);
      assert.equal(storageOf(stored), RESTORE_SIZE);
    } finally {
      await target.remove('storage.k8s.io/v1', 'StorageClass', undefined, 'older-default');
      await target.remove('storage.k8s.io/v1', 'StorageClass', undefined, 'not-default');
    }
  });
});
