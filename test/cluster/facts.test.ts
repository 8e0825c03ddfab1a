/** Contract tests of cluster/clusterFacts.ts and cluster/live.ts: facts from the caches, change notification, states. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect as netConnect, createServer, type Socket } from 'node:net';
import { parse, stringify } from 'yaml';
import { analyze } from '../../core/workspace.js';
import { defaultSettings } from '../../core/types.js';
import { startLiveCluster, type LiveCluster } from '../../cluster/live.js';
import type { KubeObject } from '../../cluster/paths.js';
import { needsGroups, needsUser, describeTargets, waitFor, type TestTarget } from './target.js';

describeTargets('cluster/facts', (spec) => {
  let target: TestTarget;
  let live: LiveCluster;
  let sc: string;

  const snapshot = (ns: string, name: string): KubeObject => ({
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot',
    metadata: { name, namespace: ns },
    spec: { volumeSnapshotClassName: 'csi-snap', source: { persistentVolumeClaimName: 'disk' } },
  });

  before(async () => {
    target = await spec.start();
    sc = `${target.prefix}nas`;
    await target.upsert({
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
      metadata: { name: sc, annotations: { 'storageclass.kubevirt.io/is-default-virt-class': 'true' } },
      provisioner: 'csi.trident.netapp.io', parameters: { backendType: 'ontap-nas' },
    });
    if (await target.serves('snapshot.storage.k8s.io')) {
      await target.upsert(snapshot(target.namespace, 'tpm-snap'));
      await target.patchStatus('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', target.namespace, 'tpm-snap', { readyToUse: true, restoreSize: '20Mi' });
    }
    if (await target.serves('cdi.kubevirt.io')) {
      await target.upsert({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: sc, annotations: { 'cdi.kubevirt.io/minimumSupportedPvcSize': '1Gi' } }, spec: {} });
      await target.patchStatus('cdi.kubevirt.io/v1beta1', 'StorageProfile', undefined, sc, { claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }] });
      if (target.kind !== 'cluster') {
        // A real cluster's CDIConfig and CDI CR belong to CDI; only the emulator and the test API server get ours.
        await target.upsert({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDIConfig', metadata: { name: 'config' }, spec: {} });
        await target.patchStatus('cdi.kubevirt.io/v1beta1', 'CDIConfig', undefined, 'config', { filesystemOverhead: { global: '0.06', storageClass: { [sc]: '0.08' } } });
        await target.upsert({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDI', metadata: { name: 'cdi' }, spec: {} });
        await target.patchStatus('cdi.kubevirt.io/v1beta1', 'CDI', undefined, 'cdi', { observedVersion: 'v1.63.1' });
      }
    }
    live = startLiveCluster({ kubeconfigPath: target.kubeconfigFile({ contextName: 'facts' }), env: {}, debounceMs: 20 });
    await live.ready();
  });

  after(async () => {
    live?.dispose();
    await target.close();
  });

  test('facts: connected with the context once synced; answers from the caches with the cluster as source', async (t) => {
    assert.deepEqual(live.facts.state, { kind: 'connected', context: 'facts' });
    const cls = live.facts.storageClass(sc);
    assert.equal(cls?.provisioner, 'csi.trident.netapp.io');
    assert.equal(cls?.isDefaultVirt, true);
    assert.deepEqual(cls?.source, { kind: 'cluster', context: 'facts' });
    assert.ok(live.facts.storageClasses().some((c) => c.name === sc));
    assert.equal(live.facts.storageClass('no-such-class'), undefined);
    if (await needsGroups(t, target, 'snapshot.storage.k8s.io', 'cdi.kubevirt.io')) return;
    const snap = live.facts.volumeSnapshot(target.namespace, 'tpm-snap');
    assert.equal(snap?.restoreSizeBytes, 20n * 1024n * 1024n);
    assert.equal(snap?.readyToUse, true);
    assert.equal(snap?.volumeSnapshotClassName, 'csi-snap');
    assert.equal(live.facts.volumeSnapshot(target.namespace, 'absent'), undefined);
    const profile = live.facts.storageProfile(sc);
    assert.equal(profile?.claimPropertySetsFrom, 'status');
    assert.equal(profile?.minimumSupportedPvcSizeBytes, 1024n ** 3n);
    if (target.kind !== 'cluster') {
      assert.deepEqual(live.facts.cdiConfig(), { globalOverhead: '0.06', storageClassOverhead: { [sc]: '0.08' }, source: { kind: 'cluster', context: 'facts' } });
      assert.equal(live.facts.cdiVersion()?.version, 'v1.63.1');
    }
    // The same fact object while the API object is unchanged (core memoises on identity).
    assert.equal(live.facts.volumeSnapshot(target.namespace, 'tpm-snap'), snap);
  });

  test('facts: a live PVC\'s content type annotation reaches its fact (CDI\'s clone sizing reads it); none is kubevirt', async () => {
    const ns = target.namespace;
    const pvc = (name: string, annotations: Record<string, string>): KubeObject => ({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: ns, annotations },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'none-here', resources: { requests: { storage: '1Gi' } } },
    });
    // With a last-applied annotation too: the cache drops that one (cluster/slim.ts), not the others.
    await target.upsert(pvc('archive-src', { 'cdi.kubevirt.io/storage.contentType': 'archive', 'kubectl.kubernetes.io/last-applied-configuration': '{}' }), pvc('plain-src', {}));
    const typeOf = (name: string) => live.facts.claimObject?.('PersistentVolumeClaim', ns, name)?.contentType;
    await waitFor('both PVC facts', () => typeOf('archive-src') !== undefined && typeOf('plain-src') !== undefined, 10_000);
    assert.deepEqual([typeOf('archive-src'), typeOf('plain-src')], ['archive', 'kubevirt']);
  });

  test('facts: a PVC restoring a snapshot that exists only in the cluster gets the same diagnostic as with the workspace', async (t) => {
    if (await needsGroups(t, target, 'snapshot.storage.k8s.io')) return;
    const text = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: restore, namespace: ${target.namespace} }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ${sc}
  dataSource: { apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: tpm-snap }
  resources: { requests: { storage: 10Mi } }
`;
    const withCluster = analyze([{ file: 'pvc.yaml', text }], defaultSettings, live.facts.view()).map((f) => f.rule);
    assert.ok(withCluster.includes('restore-size-too-small'), JSON.stringify(withCluster));
    const without = analyze([{ file: 'pvc.yaml', text }], defaultSettings).map((f) => f.rule);
    assert.ok(without.includes('snapshot-not-found'), JSON.stringify(without));
  });

  test('facts: onDidChange fires and generation grows when a snapshot\'s restoreSize changes', async (t) => {
    if (await needsGroups(t, target, 'snapshot.storage.k8s.io')) return;
    const seen: number[] = [];
    const sub = live.facts.onDidChange((g) => seen.push(g));
    try {
      const g0 = live.facts.generation;
      const view0 = live.facts.view();
      assert.equal(live.facts.view(), view0, 'the view is stable while nothing changes');
      await target.patchStatus('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', target.namespace, 'tpm-snap', { restoreSize: '21Mi' });
      const resized = (): boolean => live.facts.volumeSnapshot(target.namespace, 'tpm-snap')?.restoreSizeBytes === 21n * 1024n * 1024n;
      // A notification for the generation that has the new size (an earlier one may be for other changes).
      await waitFor('onDidChange after the resize', () => resized() && seen.at(-1) === live.facts.generation);
      assert.ok(live.facts.generation > g0);
      assert.notEqual(live.facts.view(), view0, 'a new view after a change');
      // Debounced: a burst of changes is one notification (or very few), not one per event.
      const before = seen.length;
      for (let i = 0; i < 20; i++) await target.upsert(snapshot(target.namespace, `burst-${i}`));
      await waitFor('the burst', () => live.facts.volumeSnapshot(target.namespace, 'burst-19') !== undefined);
      await waitFor('its notification', () => seen.length > before && seen.at(-1) === live.facts.generation);
      assert.ok(seen.length - before < 20, `${seen.length - before} notifications for 20 changes`);
    } finally {
      sub.dispose();
    }
  });

  test('facts: a user without rights gives one clear unavailable state', async (t) => {
    if (needsUser(t, target, 'forbidden')) return;
    const denied = startLiveCluster({ kubeconfigPath: target.kubeconfigFile({ user: 'forbidden' }), env: {}, backoff: { initialMs: 5000 } });
    try {
      await denied.ready();
      const s = denied.facts.state;
      assert.equal(s.kind, 'unavailable');
      assert.match(s.kind === 'unavailable' ? s.reason : '', /forbidden/);
      assert.equal(denied.facts.storageClass(sc), undefined);
    } finally {
      denied.dispose();
    }
  });

  test('facts: an unreachable server is unavailable with the reason, and it connects once the server is up', async () => {
    // Reserve a port, point a kubeconfig at it, and only later forward it to the target.
    const proxy = createServer();
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as { port: number }).port;
    await new Promise<void>((r) => proxy.close(() => r()));
    const file = target.kubeconfigFile({ contextName: 'late' });
    const cfg = parse(readFileSync(file, 'utf8')) as { clusters: { cluster: { server: string } }[] };
    const upstream = new URL(cfg.clusters[0]!.cluster.server);
    // Same host (the certificate names it), another port.
    for (const c of cfg.clusters) c.cluster.server = `${upstream.protocol}//${upstream.hostname}:${port}`;
    writeFileSync(file, stringify(cfg));
    const late = startLiveCluster({ kubeconfigPath: file, env: {}, backoff: { initialMs: 20, maxMs: 100 }, timeoutMs: 2000 });
    const sockets = new Set<Socket>();
    const forward = createServer((sock) => {
      const up = netConnect(Number(upstream.port), upstream.hostname);
      sockets.add(sock).add(up);
      sock.pipe(up).pipe(sock);
      sock.on('error', () => up.destroy());
      up.on('error', () => sock.destroy());
    });
    try {
      await waitFor('the unavailable state', () => live.facts.state.kind === 'connected' && late.facts.state.kind === 'unavailable' && /cannot reach/.test((late.facts.state as { reason: string }).reason));
      await new Promise<void>((r) => forward.listen(port, '127.0.0.1', r));
      await waitFor('connected after the server came up', () => late.facts.state.kind === 'connected', 10_000);
      assert.equal(late.facts.storageClass(sc)?.name, sc);
    } finally {
      late.dispose();
      forward.close();
      for (const x of sockets) x.destroy();
    }
  });
});
