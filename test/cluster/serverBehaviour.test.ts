/**
 * What kube-apiserver does that the product depends on, one test per disagreement found between the emulator and
 * the real API server (test/apiserver). Where the emulator was fixed the test runs on both; where the emulator
 * departs (listed in test/emulator/README.md) it runs on real servers only and says so on the emulator.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterConnection } from '../../cluster/connection.js';
import type { KubeObject } from '../../cluster/paths.js';
import { describeTargets, waitFor, connectAdmin, realServerOnly, type TestTarget } from './target.js';

const DEFAULT = { 'storageclass.kubernetes.io/is-default-class': 'true' };

describeTargets('what the API server does itself', (spec) => {
  let target: TestTarget;
  let conn: ClusterConnection;
  let n = 0;

  before(async () => {
    target = await spec.start();
    conn = await connectAdmin(target);
  });
  after(async () => {
    await target?.close();
  });

  const post = async (path: string, body: KubeObject) => conn.request({ method: 'POST', path, body: JSON.stringify(body), what: `create ${body.kind} ${body.metadata?.name}` });
  const pvc = (spec: Record<string, unknown> = {}, name = `claim-${++n}`): KubeObject => ({
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: target.namespace },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  });
  const createPvc = async (body: KubeObject): Promise<{ spec: Record<string, unknown>; status?: { phase?: string }; metadata: { finalizers?: string[] } }> => {
    const r = await post(`/api/v1/namespaces/${target.namespace}/persistentvolumeclaims`, body);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return JSON.parse(r.value.text);
  };

  test('a PVC: volumeMode defaults to Filesystem, status.phase to Pending; DefaultStorageClass picks the newest default class, by name within a second', async () => {
    // No default class yet: the class stays unset ("" is a class of its own, never defaulted).
    const bare = await createPvc(pvc());
    assert.deepEqual([bare.spec['storageClassName'], bare.spec['volumeMode'], bare.status?.phase], [undefined, 'Filesystem', 'Pending']);
    // Created one after the other, most likely within one second (creation timestamps have second resolution): the
    // newest wins, and within a second the first by name, so `a-second` either way. Read back what the server stored
    // rather than assume the clock did not tick between the two creations.
    const classes = [`${target.prefix}z-first`, `${target.prefix}a-second`];
    for (const name of classes) {
      await target.seed({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, annotations: DEFAULT }, provisioner: 'example.com/csi' });
    }
    try {
      const created = await Promise.all(classes.map(async (name) => {
        const r = await conn.request({ method: 'GET', path: `/apis/storage.k8s.io/v1/storageclasses/${name}`, what: `get StorageClass ${name}` });
        assert.ok(r.ok, r.ok ? '' : r.error.message);
        return { name, at: Date.parse(JSON.parse(r.value.text).metadata.creationTimestamp) };
      }));
      assert.ok(created[1]!.at >= created[0]!.at, 'created in order');
      const expected = `${target.prefix}a-second`;
      // The admission plugin reads classes from an informer: wait (dry runs) until it has seen both.
      let seen: unknown;
      await waitFor(`the defaulted class to become ${expected}`, async () => {
        const r = await post(`/api/v1/namespaces/${target.namespace}/persistentvolumeclaims?dryRun=All`, pvc({ volumeMode: 'Block' }, 'probe'));
        seen = r.ok ? JSON.parse(r.value.text).spec.storageClassName : r.error.message;
        return seen === expected;
      }).catch((e: Error) => assert.fail(`${e.message}; the last dry run gave ${String(seen)}`));
      const defaulted = await createPvc(pvc({ volumeMode: 'Block' }));
      assert.deepEqual([defaulted.spec['storageClassName'], defaulted.spec['volumeMode']], [expected, 'Block']);
      const empty = await createPvc(pvc({ storageClassName: '' }));
      assert.equal(empty.spec['storageClassName'], '', 'an explicit empty class is not defaulted');
    } finally {
      await target.remove('storage.k8s.io/v1', 'StorageClass', undefined, `${target.prefix}z-first`);
      await target.remove('storage.k8s.io/v1', 'StorageClass', undefined, `${target.prefix}a-second`);
    }
  });

  test('a PVC: a storage request is required and must be greater than zero (what a webhook leaves without a size is refused), dry run or not', async () => {
    const path = `/api/v1/namespaces/${target.namespace}/persistentvolumeclaims`;
    const none = await post(path, pvc({ resources: {} }, 'no-size'));
    assert.equal(!none.ok && none.error.kind, 'invalid');
    assert.match(!none.ok ? none.error.message : '', /PersistentVolumeClaim "no-size" is invalid: spec\.resources\[storage\]: Required value$/);
    for (const [name, storage] of [['zero', '0'], ['zero-gi', '0Gi']] as const) {
      const zero = await conn.request({ method: 'POST', path: `${path}?dryRun=All`, body: JSON.stringify(pvc({ resources: { requests: { storage } } }, name)), what: `create ${name}` });
      assert.equal(!zero.ok && zero.error.kind, 'invalid', storage);
      assert.match(!zero.ok ? zero.error.message : '', new RegExp(`PersistentVolumeClaim "${name}" is invalid: spec\\.resources\\[storage\\]: Invalid value: "0": must be greater than zero$`), storage);
    }
  });

  test('a PVC: the spec of an unbound claim is immutable (a resize is 422); a Bound one grows only if its class allows expansion (403)', async () => {
    const name = `resize-${++n}`;
    const fixed = `${target.prefix}fixed`;
    const growing = `${target.prefix}growing`;
    await target.seed(
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: fixed }, provisioner: 'example.com/csi' },
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: growing }, provisioner: 'example.com/csi', allowVolumeExpansion: true },
    );
    await createPvc(pvc({ storageClassName: fixed }, name));
    const path = `/api/v1/namespaces/${target.namespace}/persistentvolumeclaims/${name}`;
    const grow = (size: string) => conn.request({ method: 'PATCH', path, body: JSON.stringify({ spec: { resources: { requests: { storage: size } } } }), contentType: 'application/merge-patch+json', what: `resize ${name}` });
    const refused = await grow('2Gi');
    assert.equal(!refused.ok && refused.error.kind, 'invalid');
    assert.match(!refused.ok ? refused.error.message : '', /spec: Forbidden: spec is immutable after creation except resources\.requests and volumeAttributesClassName for bound claims/);
    await target.patchStatus('v1', 'PersistentVolumeClaim', target.namespace, name, { phase: 'Bound', capacity: { storage: '1Gi' } });
    const notExpandable = await grow('2Gi');
    assert.equal(!notExpandable.ok && notExpandable.error.kind, 'forbidden');
    assert.match(!notExpandable.ok ? notExpandable.error.message : '', /only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize/);
    const label = await conn.request({ method: 'PATCH', path, body: JSON.stringify({ metadata: { labels: { any: 'label' } } }), contentType: 'application/merge-patch+json', what: 'label' });
    assert.ok(label.ok, 'metadata stays mutable');
    const bound = `bound-${++n}`;
    await createPvc(pvc({ storageClassName: growing }, bound));
    await target.patchStatus('v1', 'PersistentVolumeClaim', target.namespace, bound, { phase: 'Bound', capacity: { storage: '1Gi' } });
    const growBound = () => conn.request({ method: 'PATCH', path: `${path.slice(0, path.lastIndexOf('/'))}/${bound}`, body: JSON.stringify({ spec: { resources: { requests: { storage: '2Gi' } } } }), contentType: 'application/merge-patch+json', what: `resize ${bound}` });
    // The PersistentVolumeClaimResize plugin reads the class through an informer (a class it has not seen yet is
    // refused like one that does not expand): a 403 is tried again for a few seconds, anything else is the answer.
    let grown = await growBound();
    for (const deadline = Date.now() + 5000; !grown.ok && grown.error.kind === 'forbidden' && Date.now() < deadline; grown = await growBound()) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(grown.ok, grown.ok ? '' : grown.error.message);
    assert.equal((JSON.parse(grown.value.text) as { spec: { resources: { requests: { storage: string } } } }).spec.resources.requests.storage, '2Gi');
  });

  test('a PVC gets the kubernetes.io/pvc-protection finalizer, and a deleted one goes once no pod uses it', async (t) => {
    if (realServerOnly(t, target, 'no StorageObjectInUseProtection plugin and no PVC protection controller')) return;
    const name = `protected-${++n}`;
    const created = await createPvc(pvc({}, name));
    assert.deepEqual(created.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    await target.remove('v1', 'PersistentVolumeClaim', target.namespace, name);
  });

  test('a StorageProfile needs a spec; its claimPropertySets need accessModes and a volumeMode of Block or Filesystem', async (t) => {
    if (realServerOnly(t, target, 'no OpenAPI validation of custom resources')) return;
    const path = '/apis/cdi.kubevirt.io/v1beta1/storageprofiles';
    const profile = (name: string, extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: `${target.prefix}${name}` }, ...extra });
    const noSpec = await post(path, profile('no-spec', {}));
    assert.equal(!noSpec.ok && noSpec.error.kind, 'invalid');
    assert.match(!noSpec.ok ? noSpec.error.message : '', /spec: Required value/);
    const bad = await post(path, profile('bad-sets', { spec: { claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'filesystem' }, { volumeMode: 'Block' }] } }));
    assert.equal(!bad.ok && bad.error.kind, 'invalid');
    assert.match(!bad.ok ? bad.error.message : '', /spec\.claimPropertySets\[0\]\.volumeMode: Unsupported value: "filesystem"/);
    assert.match(!bad.ok ? bad.error.message : '', /spec\.claimPropertySets\[1\]\.accessModes: Required value/);
    const good = await post(path, profile('good', { spec: { claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }] } }));
    assert.ok(good.ok, good.ok ? '' : good.error.message);
    await target.remove('cdi.kubevirt.io/v1beta1', 'StorageProfile', undefined, `${target.prefix}good`);
  });

  test('a VolumeSnapshotClass has no spec: driver and deletionPolicy are required, unknown fields are pruned', async (t) => {
    if (realServerOnly(t, target, 'no OpenAPI validation or pruning of custom resources')) return;
    const path = '/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses';
    const cls = (name: string, extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: `${target.prefix}${name}` }, ...extra });
    const noPolicy = await post(path, cls('no-policy', { driver: 'example.com/csi', spec: { deletionPolicy: 'Delete' } }));
    assert.match(!noPolicy.ok ? noPolicy.error.message : '', /deletionPolicy: Required value/);
    const ok = await post(path, cls('pruned', { driver: 'example.com/csi', deletionPolicy: 'Delete', spec: { ignored: true }, parameters: { a: 'b' } }));
    assert.ok(ok.ok, ok.ok ? '' : ok.error.message);
    const stored = JSON.parse(ok.value.text) as Record<string, unknown>;
    assert.equal(stored['spec'], undefined, 'an unknown top-level field is pruned');
    assert.deepEqual(stored['parameters'], { a: 'b' });
    await target.remove('snapshot.storage.k8s.io/v1', 'VolumeSnapshotClass', undefined, `${target.prefix}pruned`);
  });

  test('a deleted Namespace is Terminating until its objects are gone, then goes', async (t) => {
    if (realServerOnly(t, target, 'a Namespace and its objects are removed at once')) return;
    const ns = `${target.prefix}doomed`;
    await target.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inside', namespace: ns } });
    const del = await conn.request({ method: 'DELETE', path: `/api/v1/namespaces/${ns}`, what: 'delete the namespace' });
    assert.ok(del.ok, del.ok ? '' : del.error.message);
    assert.equal((JSON.parse(del.value.text) as { status?: { phase?: string } }).status?.phase, 'Terminating');
    // Meanwhile nothing new may be created in it (what an apply right after an undo meets).
    const late = await post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: ns } });
    assert.equal(!late.ok && late.error.kind, 'forbidden');
    assert.match(!late.ok ? late.error.message : '', /unable to create new content in namespace .* because it is being terminated/);
    await waitFor('the namespace to go', async () => {
      const r = await conn.get('v1', 'Namespace', undefined, ns);
      return !r.ok && r.error.kind === 'not-found';
    }, 30_000);
  });

  test('server-side apply to an object without managedFields answers with a before-first-apply entry', async (t) => {
    if (realServerOnly(t, target, 'server-side apply adds no before-first-apply entry')) return;
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${target.prefix}bare` } };
    const first = await conn.apply([ns], { fieldManager: 'kvs-test-bare' });
    assert.ok(first.ok, first.ok ? '' : first.error.message);
    assert.equal(first.value[0]!.metadata?.managedFields, undefined, 'the applier owns no field, so no entry is kept');
    const again = await conn.apply([ns], { fieldManager: 'kvs-test-bare', dryRun: true });
    assert.ok(again.ok, again.ok ? '' : again.error.message);
    const managers = ((again.value[0]!.metadata?.managedFields ?? []) as { manager: string }[]).map((m) => m.manager);
    assert.deepEqual(managers, ['before-first-apply'], 'the fields already there are claimed for a made-up manager');
  });
});
