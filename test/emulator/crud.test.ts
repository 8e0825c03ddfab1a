import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from './index.js';
import { pvc, raw } from './helpers.js';

const base = '/api/v1/namespaces/default/persistentvolumeclaims';

describe('emulator CRUD over HTTP', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  it('creates with uid, a global resourceVersion, creationTimestamp and generation', async () => {
    const a = await raw(emu, { method: 'POST', path: base, body: pvc('crud-a') });
    assert.equal(a.status, 201);
    assert.match(a.json.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(a.json.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(a.json.metadata.generation, 1);
    const b = await raw(emu, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crud-b' } } });
    assert.equal(Number(b.json.metadata.resourceVersion), Number(a.json.metadata.resourceVersion) + 1, 'one counter across kinds');
    assert.equal(b.json.metadata.generation, undefined, 'ConfigMaps have no generation');
    const got = await raw(emu, { path: `${base}/crud-a` });
    assert.equal(got.status, 200);
    assert.equal(got.json.kind, 'PersistentVolumeClaim');
    assert.equal(got.json.apiVersion, 'v1');
  });

  it('generates names from generateName and rejects a missing name with 422', async () => {
    const g = await raw(emu, { method: 'POST', path: base, body: { ...pvc(''), metadata: { generateName: 'gen-' } } });
    assert.equal(g.status, 201);
    assert.match(g.json.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const bad = await raw(emu, { method: 'POST', path: base, body: { ...pvc(''), metadata: {} } });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.reason, 'Invalid');
    assert.equal(bad.json.message, 'PersistentVolumeClaim "" is invalid: metadata.name: Required value: name or generateName is required');
    assert.equal(bad.json.details.causes[0].field, 'metadata.name');
    const upper = await raw(emu, { method: 'POST', path: base, body: pvc('Upper') });
    assert.equal(upper.status, 422);
  });

  it('answers 409 AlreadyExists, 404 for a missing namespace, 400 for a namespace mismatch', async () => {
    await raw(emu, { method: 'POST', path: base, body: pvc('dup') });
    const again = await raw(emu, { method: 'POST', path: base, body: pvc('dup') });
    assert.equal(again.status, 409);
    assert.equal(again.json.reason, 'AlreadyExists');
    assert.equal(again.json.message, 'persistentvolumeclaims "dup" already exists');
    assert.deepEqual(again.json.details, { name: 'dup', group: '', kind: 'persistentvolumeclaims' });
    const noNs = await raw(emu, { method: 'POST', path: '/api/v1/namespaces/nowhere/persistentvolumeclaims', body: pvc('x', '1Gi', undefined, 'nowhere') });
    assert.equal(noNs.status, 404);
    assert.equal(noNs.json.message, 'namespaces "nowhere" not found');
    const mismatch = await raw(emu, { method: 'POST', path: base, body: pvc('x', '1Gi', undefined, 'other') });
    assert.equal(mismatch.status, 400);
  });

  it('updates with resourceVersion checks: 409 Conflict on a stale one', async () => {
    // Only a Bound claim of a class that allows expansion may grow (kube's PVC validation and resize plugin).
    emu.store.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'expandable' }, provisioner: 'example.com/csi', allowVolumeExpansion: true });
    const claim = pvc('upd') as { spec: Record<string, unknown> };
    await raw(emu, { method: 'POST', path: base, body: { ...claim, spec: { ...claim.spec, storageClassName: 'expandable' } } });
    emu.store.patchStatus('v1', 'PersistentVolumeClaim', 'default', 'upd', { phase: 'Bound' });
    const obj = (await raw(emu, { path: `${base}/upd` })).json;
    obj.spec.resources.requests.storage = '2Gi';
    const u = await raw(emu, { method: 'PUT', path: `${base}/upd`, body: obj });
    assert.equal(u.status, 200);
    assert.equal(u.json.metadata.generation, 2);
    assert.notEqual(u.json.metadata.resourceVersion, obj.metadata.resourceVersion);
    const stale = await raw(emu, { method: 'PUT', path: `${base}/upd`, body: obj });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.reason, 'Conflict');
    assert.equal(stale.json.message, 'Operation cannot be fulfilled on persistentvolumeclaims "upd": the object has been modified; please apply your changes to the latest version and try again');
    const same = await raw(emu, { method: 'PUT', path: `${base}/upd`, body: u.json });
    assert.equal(same.json.metadata.resourceVersion, u.json.metadata.resourceVersion, 'a no-op update writes nothing');
    const missing = await raw(emu, { method: 'PUT', path: `${base}/nope`, body: pvc('nope') });
    assert.equal(missing.status, 404);
  });

  it('refuses unconditional updates of custom resources (422) but allows them for built-ins', async () => {
    const vsPath = '/apis/snapshot.storage.k8s.io/v1/namespaces/default/volumesnapshots';
    const vs = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'snap' }, spec: { source: { persistentVolumeClaimName: 'a' } } };
    assert.equal((await raw(emu, { method: 'POST', path: vsPath, body: vs })).status, 201);
    const r = await raw(emu, { method: 'PUT', path: `${vsPath}/snap`, body: vs });
    assert.equal(r.status, 422);
    assert.match(r.json.message, /metadata.resourceVersion: Invalid value: 0x0: must be specified for an update/);
    await raw(emu, { method: 'POST', path: base, body: pvc('uncond') });
    assert.equal((await raw(emu, { method: 'PUT', path: `${base}/uncond`, body: pvc('uncond', '1Gi', { changed: 'labels' }) })).status, 200);
  });

  it('keeps status out of main-resource writes and lets /status change only status', async () => {
    const withStatus = { ...pvc('st'), status: { phase: 'Bound' } };
    const c = await raw(emu, { method: 'POST', path: base, body: withStatus });
    assert.deepEqual(c.json.status, { phase: 'Pending' }, 'status is dropped on create, then defaulted');
    const s = await raw(emu, { method: 'PUT', path: `${base}/st/status`, body: { ...c.json, spec: { ...c.json.spec, volumeName: 'ignored' }, status: { phase: 'Bound' } } });
    assert.equal(s.status, 200);
    assert.equal(s.json.status.phase, 'Bound');
    assert.equal(s.json.spec.volumeName, undefined, 'status writes ignore spec');
    const m = await raw(emu, { method: 'PUT', path: `${base}/st`, body: { ...s.json, status: { phase: 'Lost' } } });
    assert.equal(m.json.status.phase, 'Bound', 'main writes ignore status');
    const p = await raw(emu, { method: 'PATCH', path: `${base}/st/status`, body: { status: { phase: 'Pending' } }, contentType: 'application/merge-patch+json' });
    assert.equal(p.json.status.phase, 'Pending');
    const cm = await raw(emu, { path: '/api/v1/namespaces/default/configmaps/crud-b/status' });
    assert.equal(cm.status, 404, 'ConfigMaps have no status subresource');
  });

  it('deletes: Status or object bodies, finalizers keep the object until they are gone', async () => {
    await raw(emu, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'del' } } });
    const d = await raw(emu, { method: 'DELETE', path: '/api/v1/namespaces/default/configmaps/del' });
    assert.equal(d.status, 200);
    assert.equal(d.json.kind, 'Status');
    assert.equal(d.json.status, 'Success');
    assert.equal((await raw(emu, { method: 'DELETE', path: '/api/v1/namespaces/default/configmaps/del' })).status, 404);

    await raw(emu, { method: 'POST', path: base, body: { ...pvc('fin'), metadata: { name: 'fin', finalizers: ['kubernetes.io/pvc-protection'] } } });
    const del = await raw(emu, { method: 'DELETE', path: `${base}/fin` });
    assert.equal(del.status, 200);
    assert.equal(del.json.kind, 'PersistentVolumeClaim');
    assert.ok(del.json.metadata.deletionTimestamp);
    assert.equal((await raw(emu, { path: `${base}/fin` })).status, 200, 'still there while finalizers remain');
    const rm = await raw(emu, { method: 'PATCH', path: `${base}/fin`, body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
    assert.equal(rm.status, 200);
    assert.equal((await raw(emu, { path: `${base}/fin` })).status, 404, 'gone once the last finalizer is removed');
  });

  it('honours delete preconditions', async () => {
    const c = await raw(emu, { method: 'POST', path: base, body: pvc('pre') });
    const bad = await raw(emu, { method: 'DELETE', path: `${base}/pre`, body: { preconditions: { resourceVersion: '1' } } });
    assert.equal(bad.status, 409);
    const ok = await raw(emu, { method: 'DELETE', path: `${base}/pre`, body: { preconditions: { uid: c.json.metadata.uid } } });
    assert.equal(ok.status, 200);
  });

  it('dryRun=All runs everything and stores nothing', async () => {
    const before = emu.store.list('v1', 'PersistentVolumeClaim', 'default').length;
    const c = await raw(emu, { method: 'POST', path: `${base}?dryRun=All`, body: pvc('dry') });
    assert.equal(c.status, 201);
    assert.equal(c.json.metadata.resourceVersion, undefined);
    assert.ok(c.json.metadata.uid);
    assert.equal(emu.store.get('v1', 'PersistentVolumeClaim', 'default', 'dry'), undefined);
    assert.equal(emu.store.list('v1', 'PersistentVolumeClaim', 'default').length, before);

    const real = (await raw(emu, { method: 'POST', path: base, body: pvc('dry2') })).json;
    const u = await raw(emu, { method: 'PUT', path: `${base}/dry2?dryRun=All`, body: { ...real, spec: { ...real.spec, volumeName: 'v' } } });
    assert.equal(u.json.spec.volumeName, 'v');
    const p = await raw(emu, { method: 'PATCH', path: `${base}/dry2?dryRun=All`, body: { metadata: { labels: { a: 'b' } } }, contentType: 'application/merge-patch+json' });
    assert.equal(p.json.metadata.labels.a, 'b');
    const d = await raw(emu, { method: 'DELETE', path: `${base}/dry2?dryRun=All` });
    assert.equal(d.status, 200);
    const stored = emu.store.get('v1', 'PersistentVolumeClaim', 'default', 'dry2') as { metadata: { resourceVersion: string; labels?: object }; spec: { volumeName?: string } };
    assert.equal(stored.metadata.resourceVersion, real.metadata.resourceVersion);
    assert.equal(stored.spec.volumeName, undefined);
    assert.equal(stored.metadata.labels, undefined);
    assert.equal((await raw(emu, { method: 'POST', path: `${base}?dryRun=Yes`, body: pvc('dry3') })).status, 400);
  });

  it('serves cluster-scoped objects and 404s for them under a namespace', async () => {
    const sc = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'csi.example.com' };
    const c = await raw(emu, { method: 'POST', path: '/apis/storage.k8s.io/v1/storageclasses', body: sc });
    assert.equal(c.status, 201);
    assert.equal(c.json.metadata.namespace, undefined);
    assert.equal((await raw(emu, { path: '/apis/storage.k8s.io/v1/namespaces/default/storageclasses' })).status, 404);
    assert.equal((await raw(emu, { path: '/apis/storage.k8s.io/v1/storageclasses/fast' })).json.provisioner, 'csi.example.com');
  });

  it('lists across namespaces; built-in list items carry no apiVersion/kind, custom ones do', async () => {
    emu.store.create(pvc('elsewhere', '1Gi', undefined, 'other-ns'));
    const all = await raw(emu, { path: '/api/v1/persistentvolumeclaims' });
    assert.equal(all.json.kind, 'PersistentVolumeClaimList');
    assert.ok(all.json.items.some((i: { metadata: { namespace: string } }) => i.metadata.namespace === 'other-ns'));
    assert.equal(all.json.items[0].kind, undefined);
    const vs = await raw(emu, { path: '/apis/snapshot.storage.k8s.io/v1/volumesnapshots' });
    assert.equal(vs.json.items[0].kind, 'VolumeSnapshot');
    assert.ok(emu.store.get('v1', 'Namespace', undefined, 'other-ns'), 'store.create made the namespace');
  });

  it('deleting a namespace deletes its contents', async () => {
    emu.store.create(pvc('doomed', '1Gi', undefined, 'doomed-ns'));
    const d = await raw(emu, { method: 'DELETE', path: '/api/v1/namespaces/doomed-ns' });
    assert.equal(d.status, 200);
    assert.equal(emu.store.get('v1', 'PersistentVolumeClaim', 'doomed-ns', 'doomed'), undefined);
  });

  it('moves a Secret\'s stringData into data, as kube\'s conversion does', async () => {
    const c = await raw(emu, { method: 'POST', path: '/api/v1/namespaces/default/secrets', body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' }, data: { a: 'YQ==' }, stringData: { 'tls.crt': 'PEM' } } });
    assert.deepEqual(c.json.data, { a: 'YQ==', 'tls.crt': Buffer.from('PEM').toString('base64') });
    assert.equal(c.json.stringData, undefined);
  });

  it('answers 405 for unsupported methods and 404 for unknown resources', async () => {
    assert.equal((await raw(emu, { method: 'POST', path: `${base}/x` , body: {} })).status, 405);
    const r = await raw(emu, { path: '/apis/nope.example.com/v1/things' });
    assert.equal(r.status, 404);
    assert.equal(r.json.message, 'the server could not find the requested resource');
  });
});
