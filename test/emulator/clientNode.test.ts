// The emulator against the real @kubernetes/client-node 1.4.0 (what cluster/ uses): typed APIs,
// CustomObjectsApi, Watch, KubernetesObjectApi with each patch type and SSA, and an informer that
// survives dropped watches and 410s.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { pvc, waitFor } from './helpers.js';
import { startEmulator, type Emulator } from './index.js';

function client(emu: Emulator, user: 'admin' | 'readonly' | 'forbidden' | 'bad' = 'admin'): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(emu.kubeconfig({ user }));
  return kc;
}

describe('@kubernetes/client-node against the emulator', () => {
  let emu: Emulator;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  before(async () => {
    emu = await startEmulator();
    kc = client(emu);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(() => emu.close());

  it('loads the kubeconfig: HTTPS with the CA, token auth, namespace and context', () => {
    const k = new k8s.KubeConfig();
    k.loadFromString(emu.kubeconfig({ namespace: 'team', contextName: 'mine' }));
    assert.equal(k.getCurrentContext(), 'mine');
    assert.equal(k.getContextObject('mine')?.namespace, 'team');
    assert.equal(k.getCurrentCluster()?.server, emu.url);
    assert.ok(k.getCurrentCluster()?.caData);
  });

  it('CoreV1Api: create, read, list with selectors, replace, delete', async () => {
    const created = await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('cn-a', '1Gi', { app: 'a' }) as k8s.V1PersistentVolumeClaim });
    assert.ok(created.metadata?.uid);
    const read = await core.readNamespacedPersistentVolumeClaim({ name: 'cn-a', namespace: 'default' });
    assert.equal(read.spec?.resources?.requests?.['storage'], '1Gi');
    const list = await core.listNamespacedPersistentVolumeClaim({ namespace: 'default', labelSelector: 'app in (a)' });
    assert.deepEqual(list.items.map((i) => i.metadata?.name), ['cn-a']);
    read.spec!.volumeName = 'pv-1';
    const replaced = await core.replaceNamespacedPersistentVolumeClaim({ name: 'cn-a', namespace: 'default', body: read });
    assert.equal(replaced.spec?.volumeName, 'pv-1');
    await assert.rejects(core.replaceNamespacedPersistentVolumeClaim({ name: 'cn-a', namespace: 'default', body: read }), (e: unknown) => e instanceof k8s.ApiException && e.code === 409);
    const deleted = await core.deleteNamespacedPersistentVolumeClaim({ name: 'cn-a', namespace: 'default' });
    assert.equal(deleted.metadata?.name, 'cn-a');
    await assert.rejects(core.readNamespacedPersistentVolumeClaim({ name: 'cn-a', namespace: 'default' }), (e: unknown) => {
      assert.ok(e instanceof k8s.ApiException);
      assert.equal(e.code, 404);
      assert.equal(JSON.parse(e.body as string).reason, 'NotFound');
      return true;
    });
  });

  it('CoreV1Api: paginates with limit/continue', async () => {
    for (let i = 0; i < 5; i++) emu.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `page-${i}`, namespace: 'paged' } });
    const names: string[] = [];
    let cont: string | undefined;
    do {
      const page = await core.listNamespacedConfigMap({ namespace: 'paged', limit: 2, ...(cont ? { _continue: cont } : {}) });
      names.push(...page.items.map((i) => i.metadata!.name!));
      cont = page.metadata?._continue;
    } while (cont);
    assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  });

  it('CoreV1Api: JSON patch by default, merge and strategic merge by header', async () => {
    await core.createNamespacedService({ namespace: 'default', body: { metadata: { name: 'svc' }, spec: { ports: [{ port: 443, targetPort: 8443 }], selector: { app: 'x' } } } });
    const j = await core.patchNamespacedService({ name: 'svc', namespace: 'default', body: [{ op: 'add', path: '/metadata/labels', value: { a: '1' } }] });
    assert.equal(j.metadata?.labels?.['a'], '1');
    const m = await core.patchNamespacedService({ name: 'svc', namespace: 'default', body: { metadata: { labels: { b: '2' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    assert.deepEqual(m.metadata?.labels, { a: '1', b: '2' });
    const s = await core.patchNamespacedService({ name: 'svc', namespace: 'default', body: { spec: { ports: [{ port: 80, name: 'http' }] } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch));
    assert.deepEqual(s.spec?.ports?.map((p) => p.port), [443, 80]);
  });

  it('CustomObjectsApi: create, list, merge patch, status patch, cluster-scoped get', async () => {
    const co = kc.makeApiClient(k8s.CustomObjectsApi);
    const group = 'snapshot.storage.k8s.io';
    await co.createNamespacedCustomObject({ group, version: 'v1', namespace: 'default', plural: 'volumesnapshots', body: { apiVersion: `${group}/v1`, kind: 'VolumeSnapshot', metadata: { name: 'vs1' }, spec: { source: { persistentVolumeClaimName: 'p' } } } });
    const list = (await co.listNamespacedCustomObject({ group, version: 'v1', namespace: 'default', plural: 'volumesnapshots' })) as { items: { metadata: { name: string } }[] };
    assert.deepEqual(list.items.map((i) => i.metadata.name), ['vs1']);
    const patched = (await co.patchNamespacedCustomObject({ group, version: 'v1', namespace: 'default', plural: 'volumesnapshots', name: 'vs1', body: { metadata: { labels: { x: 'y' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))) as { metadata: { labels: object } };
    assert.deepEqual(patched.metadata.labels, { x: 'y' });
    const st = (await co.patchNamespacedCustomObjectStatus({ group, version: 'v1', namespace: 'default', plural: 'volumesnapshots', name: 'vs1', body: { status: { readyToUse: true, restoreSize: '20Mi' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))) as { status: { restoreSize: string } };
    assert.equal(st.status.restoreSize, '20Mi');
    emu.store.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDIConfig', metadata: { name: 'config' }, status: { filesystemOverhead: { global: '0.06' } } });
    const cfg = (await co.getClusterCustomObject({ group: 'cdi.kubevirt.io', version: 'v1beta1', plural: 'cdiconfigs', name: 'config' })) as { status: { filesystemOverhead: { global: string } } };
    assert.equal(cfg.status.filesystemOverhead.global, '0.06');
  });

  it('KubernetesObjectApi: create, read, list, patch with each strategy, SSA idempotence, dry-run', async () => {
    const api = k8s.KubernetesObjectApi.makeApiClient(kc);
    type Cm = k8s.KubernetesObject & { data: Record<string, string> };
    const cm: Cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace: 'default' }, data: { a: '1' } };
    await api.create(cm);
    const read = await api.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace: 'default' } });
    assert.equal((read as Cm).data.a, '1');
    const merged = await api.patch({ ...cm, data: { b: '2' } }, undefined, undefined, undefined, undefined, k8s.PatchStrategy.MergePatch);
    assert.deepEqual((merged as Cm).data, { a: '1', b: '2' });
    const strategic = await api.patch({ ...cm, data: { c: '3' } });
    assert.deepEqual((strategic as Cm).data, { a: '1', b: '2', c: '3' });
    type Sc = k8s.KubernetesObject & { parameters: Record<string, string> };
    const sc: Sc = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'ssa-sc' }, provisioner: 'csi.example.com', parameters: { type: 'ssd' } } as Sc;
    const first = await api.patch(sc, undefined, undefined, 'kvs-deploy', true, k8s.PatchStrategy.ServerSideApply);
    const second = await api.patch(sc, undefined, undefined, 'kvs-deploy', true, k8s.PatchStrategy.ServerSideApply);
    assert.equal(second.metadata?.resourceVersion, first.metadata?.resourceVersion, 'a second apply changes nothing');
    const dry = await api.patch({ ...sc, parameters: { type: 'hdd' } }, undefined, 'All', 'kvs-deploy', true, k8s.PatchStrategy.ServerSideApply);
    assert.equal((dry as Sc).parameters.type, 'hdd');
    const after = await api.read({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'ssa-sc' } });
    assert.equal((after as Sc).parameters.type, 'ssd', 'dry-run stored nothing');
    const list = await api.list('storage.k8s.io/v1', 'StorageClass');
    assert.ok(list.items.some((i) => i.metadata?.name === 'ssa-sc'));
    await api.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace: 'default' } });
  });

  it('Watch: events, bookmarks and a server-side drop', async () => {
    const rv = (await core.listNamespacedPersistentVolumeClaim({ namespace: 'default' })).metadata!.resourceVersion!;
    const seen: string[] = [];
    let done: unknown = 'open';
    await new k8s.Watch(kc).watch('/api/v1/namespaces/default/persistentvolumeclaims', { resourceVersion: rv, allowWatchBookmarks: true }, (type, obj: k8s.V1PersistentVolumeClaim) => seen.push(`${type} ${obj.metadata?.name ?? ''}`), (err) => (done = err));
    emu.store.create(pvc('watched'));
    await waitFor('ADDED', () => seen.length === 1);
    emu.sendBookmarks();
    await waitFor('BOOKMARK', () => seen.length === 2);
    assert.deepEqual(seen, ['ADDED watched', 'BOOKMARK ']);
    emu.faults.dropWatches();
    await waitFor('done', () => done !== 'open');
    assert.equal(done, null);
  });

  it('an informer re-watches after a drop and re-lists after 410', async () => {
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/inf/persistentvolumeclaims', () => core.listNamespacedPersistentVolumeClaim({ namespace: 'inf' }));
    const names = new Set<string>();
    informer.on('add', (o) => names.add(o.metadata!.name!));
    informer.on('delete', (o) => names.delete(o.metadata!.name!));
    const lists = (): number => emu.requests.filter((r) => r.path === '/api/v1/namespaces/inf/persistentvolumeclaims' && !r.query.includes('watch')).length;
    emu.store.create(pvc('i1', '1Gi', undefined, 'inf'));
    await informer.start();
    try {
      await waitFor('i1', () => names.has('i1'));
      assert.equal(lists(), 1);
      emu.faults.dropWatches();
      emu.store.create(pvc('i2', '1Gi', undefined, 'inf'));
      await waitFor('i2 after reconnect', () => names.has('i2'));
      assert.equal(lists(), 1, 'a plain drop resumes from the last resourceVersion');
      emu.faults.expireResourceVersions();
      emu.faults.dropWatches();
      emu.store.delete('v1', 'PersistentVolumeClaim', 'inf', 'i1');
      await waitFor('relist after 410', () => lists() === 2 && !names.has('i1'));
      assert.deepEqual([...names], ['i2']);
    } finally {
      await informer.stop();
    }
  });

  it('maps auth failures to 401 and 403', async () => {
    const bad = client(emu, 'bad').makeApiClient(k8s.CoreV1Api);
    await assert.rejects(bad.listNamespace(), (e: unknown) => e instanceof k8s.ApiException && e.code === 401);
    const ro = client(emu, 'readonly').makeApiClient(k8s.CoreV1Api);
    assert.ok((await ro.listNamespace()).items.length >= 4);
    await assert.rejects(ro.createNamespace({ body: { metadata: { name: 'nope' } } }), (e: unknown) => e instanceof k8s.ApiException && e.code === 403);
    const version = await client(emu, 'forbidden').makeApiClient(k8s.VersionApi).getCode();
    assert.equal(version.gitVersion, 'v1.31.0');
  });
});
