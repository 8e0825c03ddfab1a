// The cluster-backed snapshot source against the API emulator over HTTPS (the real cluster/ code): readiness
// once the watch cache has synced, cache hits without requests, a direct GET on a miss or a snapshot without
// restoreSize, failures as values. Then the plan's MutatingWebhookConfiguration (self-signed mode) in the
// emulator, calling the real server: a labelled restore PVC is stored at restoreSize.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planWebhook, webhookDnsNames } from '../../core/ops/webhook/manifests.js';
import { generateSelfSignedTls } from '../../core/ops/webhook/selfSigned.js';
import { clusterSnapshots } from '../../webhook/clusterSnapshots.js';
import { createWebhookServer } from '../../webhook/server.js';
import type { SnapshotSource } from '../../webhook/snapshotSource.js';
import { startEmulator, type Emulator, type EmulatorUser } from '../emulator/index.js';
import { captureLog, LABEL, until } from './helpers.js';

const VS = 'snapshot.storage.k8s.io/v1';

function vs(namespace: string, name: string, restoreSize?: string): object {
  return {
    apiVersion: VS,
    kind: 'VolumeSnapshot',
    metadata: { namespace, name },
    spec: { source: { persistentVolumeClaimName: 'src' } },
    ...(restoreSize ? { status: { readyToUse: true, restoreSize } } : {}),
  };
}

describe('clusterSnapshots against the API emulator', () => {
  let emulator: Emulator;
  let dir: string;
  const sources: SnapshotSource[] = [];

  const kubeconfig = (user: EmulatorUser = 'admin'): string => {
    const file = join(dir, `kubeconfig-${user}`);
    writeFileSync(file, emulator.kubeconfig({ user }));
    return file;
  };
  const source = (user: EmulatorUser = 'admin') => {
    const log = captureLog();
    const s = clusterSnapshots({ kubeconfigPath: kubeconfig(user), logger: log.logger });
    sources.push(s);
    return { s, log };
  };
  const snapshotGets = (name: string) => emulator.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/volumesnapshots/${name}`)).length;

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(join(tmpdir(), 'kvs-webhook-cluster-'));
    emulator.store.create(vs('default', 'ready', '20Mi'));
    emulator.store.create(vs('default', 'pending'));
  });
  after(async () => {
    for (const s of sources) s.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('ready once the cache has synced; a cached snapshot with restoreSize is answered without a request', async () => {
    const { s, log } = source();
    await until(() => s.ready(), 'the cache to sync');
    assert.ok(log.lines.some((l) => l.event === 'snapshot-cache-synced'));
    const before = snapshotGets('ready');
    const r = await s.get('default', 'ready');
    assert.ok(r.ok);
    assert.equal((r.snapshot as { status: { restoreSize: string } }).status.restoreSize, '20Mi');
    assert.equal(snapshotGets('ready'), before, 'served from the cache');
  });

  test('a miss is a direct GET: absent is ok with no snapshot; one created a moment ago is found', async () => {
    const { s } = source();
    await until(() => s.ready(), 'the cache to sync');
    const missing = await s.get('default', 'nope');
    assert.deepEqual(missing, { ok: true });
    assert.equal(snapshotGets('nope'), 1);
    // Created now: whether or not its watch event has arrived, the lookup finds it.
    emulator.store.create(vs('default', 'fresh', '1Gi'));
    const fresh = await s.get('default', 'fresh');
    assert.ok(fresh.ok && fresh.snapshot);
  });

  test('a cached snapshot without restoreSize is read again from the API server; once the status arrives, the cache answers', async () => {
    const { s } = source();
    await until(() => s.ready(), 'the cache to sync');
    const before = snapshotGets('pending');
    const r = await s.get('default', 'pending');
    assert.ok(r.ok && r.snapshot);
    assert.equal(snapshotGets('pending'), before + 1);
    emulator.store.patchStatus(VS, 'VolumeSnapshot', 'default', 'pending', { readyToUse: true, restoreSize: '10Gi' });
    await until(async () => {
      const again = await s.get('default', 'pending');
      return again.ok && (again.snapshot as { status?: { restoreSize?: string } }).status?.restoreSize === '10Gi';
    }, 'the new status');
    const settled = snapshotGets('pending');
    await s.get('default', 'pending');
    assert.equal(snapshotGets('pending'), settled, 'now from the cache');
  });

  test('forbidden: never ready, and lookups fail as values with the API server’s reason', async () => {
    const { s, log } = source('forbidden');
    await until(() => log.lines.some((l) => l.event === 'snapshot-cache-unavailable'), 'the cache to report the failure');
    assert.equal(s.ready(), false);
    const r = await s.get('default', 'ready');
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /forbidden/i);
  });

  test('without a kubeconfig: not ready, lookups fail until connected, the failure logged once', async () => {
    const log = captureLog();
    const s = clusterSnapshots({ kubeconfigPath: join(dir, 'missing'), logger: log.logger });
    sources.push(s);
    await until(() => log.lines.some((l) => l.event === 'cluster-connect-failed'), 'the connect failure');
    assert.equal(s.ready(), false);
    assert.deepEqual(await s.get('default', 'ready'), { ok: false, error: 'not connected to the API server yet' });
    s.close();
  });

  test('the plan’s MutatingWebhookConfiguration in the emulator: a labelled restore PVC is stored at restoreSize', async () => {
    const namespace = 'kvs-system';
    emulator.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const tls = await generateSelfSignedTls({ dnsNames: webhookDnsNames(namespace), now: new Date(), crypto: globalThis.crypto });
    const planned = planWebhook({ namespace, tlsMode: 'self-signed', selfSigned: tls, image: 'ghcr.io/example/kubevirt-storage-webhook:test' });
    assert.ok(planned.ok);
    const mwc = planned.plan.objects.find((o) => o.kind === 'MutatingWebhookConfiguration');
    assert.ok(mwc);

    const { s } = source();
    const log = captureLog();
    const webhook = createWebhookServer({ tls: { cert: tls.certificatePem, key: tls.privateKeyPem }, snapshots: s, logger: log.logger });
    const address = await webhook.listen(0, '127.0.0.1');
    try {
      await until(() => s.ready(), 'the cache to sync');
      emulator.services.register(namespace, planned.plan.serviceName, 443, `https://127.0.0.1:${address.port}`);
      emulator.store.create(mwc);
      const pvc = (name: string, labels: Record<string, string>) => ({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name, namespace: 'default', labels },
        spec: {
          accessModes: ['ReadWriteOnce'],
          dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'ready' },
          resources: { requests: { storage: '22229812' } },
        },
      });
      const post = async (body: object) => {
        const res = await fetchJson(emulator, 'POST', '/api/v1/namespaces/default/persistentvolumeclaims', body);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body as { spec: { resources: { requests: { storage: string } } } };
      };
      assert.equal((await post(pvc('restore-tpm', { [LABEL]: 'true' }))).spec.resources.requests.storage, '20Mi');
      assert.equal((await post(pvc('unlabelled', {}))).spec.resources.requests.storage, '22229812', 'the objectSelector keeps the webhook out');
      assert.ok(emulator.webhookCalls.some((c) => c.configuration === planned.plan.webhookConfigurationName && c.outcome === 'patched'));
      assert.equal(log.lines.filter((l) => l.event === 'pvc-patched').length, 1);
    } finally {
      await webhook.shutdown(1000);
    }
  });
});

/** A request to the emulator as the admin, verifying its CA (the emulator's own HTTP surface, not cluster/). */
async function fetchJson(emulator: Emulator, method: string, path: string, body: object): Promise<{ status: number; body: unknown }> {
  const url = new URL(path, emulator.url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, ca: emulator.caPem, headers: { Authorization: `Bearer ${emulator.tokens.admin}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}
