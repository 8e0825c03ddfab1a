// The seed's scenario end to end through real HTTPS admission in the API emulator: a CDI-like webhook named
// `cdi-api-pvc-mutate` inflating like CDI v1.63 (overhead 0.06: 20Mi → 22229812 bytes, core/cdi/size.ts),
// then THIS project's webhook server (createWebhookServer over the cluster-backed snapshot source, reading
// the emulator through cluster/) behind the plan's MutatingWebhookConfiguration, in name order with
// reinvocation. The stored restore PVC asks for exactly restoreSize; without CDI's webhook there is nothing
// to shrink; with the snapshot missing the webhook fails open.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requiredSpace } from '../../core/cdi/size.js';
import { parseQuantity } from '../../core/quantity.js';
import { planWebhook, webhookDnsNames, type WebhookPlan } from '../../core/ops/webhook/manifests.js';
import { generateSelfSignedTls } from '../../core/ops/webhook/selfSigned.js';
import { clusterSnapshots } from '../../webhook/clusterSnapshots.js';
import { createWebhookServer, type WebhookServer } from '../../webhook/server.js';
import type { SnapshotSource } from '../../webhook/snapshotSource.js';
import { cdiPvcMutate, mwc, pvcRule, storageOf } from '../emulator/admissionFixtures.js';
import { raw, startWebhook, type TestWebhook } from '../emulator/helpers.js';
import { createCa, startEmulator, type Emulator } from '../emulator/index.js';
import { captureLog, LABEL, until } from './helpers.js';

const NAMESPACE = 'kvs-system';
const SNAPSHOT = 'vmsnapshot-tpm';
const RESTORE_SIZE = '20Mi';
const INFLATED = '22229812';

/** KubeVirt's restore PVC of the seed: labelled, dataSource and dataSourceRef to the snapshot, asking for restoreSize. */
function restorePvc(name: string, snapshot = SNAPSHOT): Record<string, unknown> {
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

describe('the restore-size chain: CDI inflates, this webhook shrinks back to restoreSize', () => {
  let emu: Emulator;
  let dir: string;
  let snapshots: SnapshotSource;
  let ours: WebhookServer;
  let cdi: TestWebhook;
  let plan: WebhookPlan;
  const cdiSaw: string[] = [];
  const log = captureLog();

  before(async () => {
    emu = await startEmulator();
    dir = mkdtempSync(join(tmpdir(), 'kvs-chain-'));
    writeFileSync(join(dir, 'config'), emu.kubeconfig());
    emu.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    emu.store.create({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshot',
      metadata: { name: SNAPSHOT, namespace: 'vms' },
      spec: { source: { persistentVolumeClaimName: 'persistent-state-for-vm' } },
      status: { readyToUse: true, restoreSize: RESTORE_SIZE },
    });

    // This project's server, its certificate from the plan's self-signed material, snapshots from the emulator.
    const tls = await generateSelfSignedTls({ dnsNames: webhookDnsNames(NAMESPACE), now: new Date(), crypto: globalThis.crypto });
    const planned = planWebhook({ namespace: NAMESPACE, tlsMode: 'self-signed', selfSigned: tls });
    assert.ok(planned.ok);
    plan = planned.plan;
    snapshots = clusterSnapshots({ kubeconfigPath: join(dir, 'config'), logger: log.logger });
    ours = createWebhookServer({ tls: { cert: tls.certificatePem, key: tls.privateKeyPem }, snapshots, logger: log.logger });
    const address = await ours.listen(0, '127.0.0.1');
    await until(() => snapshots.ready(), 'the snapshot cache to sync');
    emu.services.register(NAMESPACE, plan.serviceName, 443, `https://127.0.0.1:${address.port}`);
    emu.store.create(plan.objects.find((o) => o.kind === 'MutatingWebhookConfiguration')!);

    // CDI's webhook as CDI v1.63 creates it (facts §3.2): Fail, Never, matchLabels on the label.
    const ca = await createCa('cdi-test-ca');
    cdi = await startWebhook(ca, ['cdi-api.cdi.svc'], (r) => {
      const storage = storageOf(r.object)!;
      cdiSaw.push(storage);
      return { patch: [{ op: 'replace', path: '/spec/resources/requests/storage', value: cdiInflate(storage) }] };
    });
    emu.services.register('cdi', 'cdi-api', 443, cdi.url);
  });

  beforeEach(() => {
    emu.store.upsert(cdiPvcMutate(cdi.caBundle));
    emu.webhookCalls.length = 0;
    cdiSaw.length = 0;
  });
  afterEach(() => {
    emu.store.delete('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, 'cdi-api-pvc-mutate');
  });
  after(async () => {
    snapshots.close();
    await ours.shutdown(1000);
    await cdi.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = async (body: Record<string, unknown>): Promise<string | undefined> => {
    const r = await raw(emu, { method: 'POST', path: '/api/v1/namespaces/vms/persistentvolumeclaims', body });
    assert.equal(r.status, 201, r.text);
    const name = (body['metadata'] as { name: string }).name;
    return storageOf(emu.store.get('v1', 'PersistentVolumeClaim', 'vms', name));
  };
  const calls = (): string[] => emu.webhookCalls.map((c) => `${c.configuration}#${c.round}:${c.outcome}`);

  test('the seed: 20Mi restore, CDI makes it 22229812 bytes, the webhook sets it back: stored at exactly 20Mi', async () => {
    assert.equal(cdiInflate(RESTORE_SIZE), INFLATED, 'CDI v1.63 arithmetic with overhead 0.06');
    assert.equal(await create(restorePvc('restore-tpm')), RESTORE_SIZE);
    assert.deepEqual(cdiSaw, [RESTORE_SIZE]);
    assert.deepEqual(calls(), ['cdi-api-pvc-mutate#1:patched', `${plan.webhookConfigurationName}#1:patched`], 'name order: CDI first; nothing changed after ours, so no second round');
    const patched = log.lines.filter((l) => l.event === 'pvc-patched').map((l) => ({ namespace: l.namespace, name: l.name, from: l.from, to: l.to }));
    assert.deepEqual(patched, [{ namespace: 'vms', name: 'restore-tpm', from: INFLATED, to: RESTORE_SIZE }], 'one structured log line for the patch');
  });

  test('reinvocation: a later webhook inflating again makes the API server call ours a second time', async () => {
    const ca = await createCa('late-ca');
    const late = await startWebhook(ca, [], (r) => (storageOf(r.object) === '30Mi' ? {} : { patch: [{ op: 'replace', path: '/spec/resources/requests/storage', value: '30Mi' }] }));
    emu.store.create(mwc('zz-late-inflater', { name: 'late.example.com', clientConfig: { url: `${late.url}/mutate`, caBundle: late.caBundle }, rules: [pvcRule()], sideEffects: 'None', admissionReviewVersions: ['v1'], reinvocationPolicy: 'Never' }));
    try {
      assert.equal(await create(restorePvc('restore-tpm-late')), RESTORE_SIZE);
      assert.deepEqual(calls(), ['cdi-api-pvc-mutate#1:patched', `${plan.webhookConfigurationName}#1:patched`, 'zz-late-inflater#1:patched', `${plan.webhookConfigurationName}#2:patched`]);
    } finally {
      emu.store.delete('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, 'zz-late-inflater');
      await late.close();
    }
  });

  test('without CDI’s webhook there is nothing to shrink: allowed unchanged at 20Mi', async () => {
    emu.store.delete('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, 'cdi-api-pvc-mutate');
    assert.equal(await create(restorePvc('restore-no-cdi')), RESTORE_SIZE);
    assert.deepEqual(calls(), [`${plan.webhookConfigurationName}#1:allowed`]);
    assert.deepEqual(cdiSaw, []);
  });

  test('the snapshot missing: the webhook fails open and the PVC is stored as CDI rendered it', async () => {
    assert.equal(await create(restorePvc('restore-missing', 'no-such-snapshot')), INFLATED);
    assert.deepEqual(calls(), ['cdi-api-pvc-mutate#1:patched', `${plan.webhookConfigurationName}#1:allowed`]);
  });
});
