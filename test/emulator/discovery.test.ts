import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { raw } from './helpers.js';
import { startEmulator, type Emulator } from './index.js';

describe('discovery', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      withoutGroups: ['cert-manager.io', 'cdi.kubevirt.io'],
      resources: [{ group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true, shortNames: ['wd'] }],
      version: { major: '1', minor: '29', gitVersion: 'v1.29.4' },
    });
  });
  after(() => emu.close());

  it('reports /version', async () => {
    const v = await raw(emu, { path: '/version' });
    assert.equal(v.json.gitVersion, 'v1.29.4');
    assert.equal(v.json.minor, '29');
  });

  it('serves /api and /api/v1 with subresources', async () => {
    assert.deepEqual((await raw(emu, { path: '/api' })).json.versions, ['v1']);
    const v1 = (await raw(emu, { path: '/api/v1' })).json;
    assert.equal(v1.kind, 'APIResourceList');
    assert.equal(v1.groupVersion, 'v1');
    const names = v1.resources.map((r: { name: string }) => r.name);
    for (const n of ['namespaces', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'persistentvolumes', 'configmaps', 'secrets', 'services', 'serviceaccounts', 'pods', 'events']) assert.ok(names.includes(n), n);
    assert.ok(!names.includes('configmaps/status'));
    const pvc = v1.resources.find((r: { name: string }) => r.name === 'persistentvolumeclaims');
    assert.deepEqual(pvc, { name: 'persistentvolumeclaims', singularName: 'persistentvolumeclaim', namespaced: true, kind: 'PersistentVolumeClaim', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['pvc'] });
  });

  it('lists groups with preferred versions, leaving out withoutGroups and adding extra resources', async () => {
    const groups = (await raw(emu, { path: '/apis' })).json;
    assert.equal(groups.kind, 'APIGroupList');
    const byName = new Map(groups.groups.map((g: { name: string }) => [g.name, g]));
    for (const g of ['apps', 'policy', 'rbac.authorization.k8s.io', 'admissionregistration.k8s.io', 'storage.k8s.io', 'apiextensions.k8s.io', 'snapshot.storage.k8s.io', 'kubevirt.io', 'snapshot.kubevirt.io', 'hco.kubevirt.io', 'storage.maurice.fr', 'example.com']) assert.ok(byName.has(g), g);
    assert.ok(!byName.has('cert-manager.io'));
    assert.ok(!byName.has('cdi.kubevirt.io'));
    const hco = byName.get('hco.kubevirt.io') as { versions: { version: string }[]; preferredVersion: { groupVersion: string } };
    assert.deepEqual(hco.versions.map((v) => v.version), ['v1', 'v1beta1']);
    assert.equal(hco.preferredVersion.groupVersion, 'hco.kubevirt.io/v1');
    const one = (await raw(emu, { path: '/apis/snapshot.storage.k8s.io' })).json;
    assert.equal(one.kind, 'APIGroup');
    assert.equal(one.preferredVersion.version, 'v1');
    const gv = (await raw(emu, { path: '/apis/snapshot.storage.k8s.io/v1' })).json;
    const scoped = Object.fromEntries(gv.resources.filter((r: { name: string }) => !r.name.includes('/')).map((r: { name: string; namespaced: boolean }) => [r.name, r.namespaced]));
    assert.deepEqual(scoped, { volumesnapshots: true, volumesnapshotcontents: false, volumesnapshotclasses: false });
    assert.equal((await raw(emu, { path: '/apis/cdi.kubevirt.io' })).status, 404);
    assert.equal((await raw(emu, { path: '/apis/cdi.kubevirt.io/v1beta1' })).status, 404);
    assert.equal((await raw(emu, { path: '/apis/cdi.kubevirt.io/v1beta1/storageprofiles' })).status, 404);
    const widgets = await raw(emu, { method: 'POST', path: '/apis/example.com/v1/namespaces/default/widgets', body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } } });
    assert.equal(widgets.status, 201);
  });

  it('shares objects between the versions of a resource', async () => {
    const hco = { apiVersion: 'hco.kubevirt.io/v1beta1', kind: 'HyperConverged', metadata: { name: 'kubevirt-hyperconverged', namespace: 'openshift-cnv' }, spec: {} };
    emu.store.create(hco);
    const v1 = await raw(emu, { path: '/apis/hco.kubevirt.io/v1/namespaces/openshift-cnv/hyperconvergeds/kubevirt-hyperconverged' });
    assert.equal(v1.status, 200);
    assert.equal(v1.json.apiVersion, 'hco.kubevirt.io/v1');
  });

  it('answers health endpoints', async () => {
    const h = await raw(emu, { path: '/readyz' });
    assert.equal(h.status, 200);
    assert.equal(h.text, 'ok');
  });
});

describe('authentication and authorization', () => {
  let emu: Emulator;
  const pvcs = '/api/v1/namespaces/default/persistentvolumeclaims';
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  it('answers 401 for a bad or missing token, even for discovery', async () => {
    for (const user of ['bad', 'none'] as const) {
      const r = await raw(emu, { path: '/api', user });
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  it('lets readonly get/list/watch but not write, with kube-shaped 403 messages', async () => {
    assert.equal((await raw(emu, { path: pvcs, user: 'readonly' })).status, 200);
    const c = await raw(emu, { method: 'POST', path: pvcs, user: 'readonly', body: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'x' } } });
    assert.equal(c.status, 403);
    assert.equal(c.json.reason, 'Forbidden');
    assert.equal(c.json.message, 'persistentvolumeclaims is forbidden: User "readonly" cannot create resource "persistentvolumeclaims" in API group "" in the namespace "default"');
    const d = await raw(emu, { method: 'DELETE', path: '/apis/storage.k8s.io/v1/storageclasses/fast', user: 'readonly' });
    assert.equal(d.json.message, 'storageclasses.storage.k8s.io "fast" is forbidden: User "readonly" cannot delete resource "storageclasses" in API group "storage.k8s.io" at the cluster scope');
    assert.deepEqual(d.json.details, { name: 'fast', group: 'storage.k8s.io', kind: 'storageclasses' });
  });

  it('gives forbidden nothing but discovery', async () => {
    assert.equal((await raw(emu, { path: '/apis', user: 'forbidden' })).status, 200);
    assert.equal((await raw(emu, { path: '/version', user: 'forbidden' })).status, 200);
    const l = await raw(emu, { path: '/apis/snapshot.storage.k8s.io/v1/volumesnapshots', user: 'forbidden' });
    assert.equal(l.status, 403);
    assert.equal(l.json.message, 'volumesnapshots.snapshot.storage.k8s.io is forbidden: User "forbidden" cannot list resource "volumesnapshots" in API group "snapshot.storage.k8s.io" at the cluster scope');
  });

  it('records every request with its user', async () => {
    const n = emu.requests.length;
    await raw(emu, { path: `${pvcs}?limit=1`, user: 'readonly' });
    assert.deepEqual(emu.requests.slice(n), [{ method: 'GET', path: pvcs, query: 'limit=1', user: 'readonly' }]);
  });
});
