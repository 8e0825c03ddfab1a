import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError } from './errors.js';
import { pvc, raw } from './helpers.js';
import { startEmulator, type Emulator } from './index.js';
import { applyJsonPatch, decodeJsonPatch, mergePatch } from './patch.js';
import { strategicMergePatch } from './strategicMerge.js';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, deletes with null, replaces arrays', () => {
    assert.deepEqual(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3], f: 'x' }), { a: 1, b: { d: 3, e: 4 }, l: [3], f: 'x' });
    assert.equal(mergePatch({ a: 1 }, 'scalar'), 'scalar');
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { a: { b: 1, c: [1, 2, 3] }, 'x/y': { '~t': true } };
  const apply = (ops: unknown[]): unknown => applyJsonPatch(doc, decodeJsonPatch(ops));
  it('add, remove, replace, move, copy, test', () => {
    assert.deepEqual(apply([{ op: 'add', path: '/a/d', value: 4 }]), { ...doc, a: { ...doc.a, d: 4 } });
    assert.deepEqual(apply([{ op: 'add', path: '/a/c/1', value: 9 }]), { ...doc, a: { b: 1, c: [1, 9, 2, 3] } });
    assert.deepEqual(apply([{ op: 'add', path: '/a/c/-', value: 9 }]), { ...doc, a: { b: 1, c: [1, 2, 3, 9] } });
    assert.deepEqual(apply([{ op: 'remove', path: '/a/c/0' }]), { ...doc, a: { b: 1, c: [2, 3] } });
    assert.deepEqual(apply([{ op: 'replace', path: '/a/b', value: 'z' }]), { ...doc, a: { b: 'z', c: [1, 2, 3] } });
    assert.deepEqual(apply([{ op: 'move', from: '/a/b', path: '/m' }]), { a: { c: [1, 2, 3] }, 'x/y': { '~t': true }, m: 1 });
    assert.deepEqual(apply([{ op: 'copy', from: '/a/c', path: '/k' }]), { ...doc, k: [1, 2, 3] });
    assert.deepEqual(apply([{ op: 'test', path: '/x~1y/~0t', value: true }, { op: 'remove', path: '/x~1y' }]), { a: doc.a });
    assert.deepEqual(doc.a.c, [1, 2, 3], 'the input is not mutated');
  });
  it('fails with 422 when an operation does not apply, 400 when malformed', () => {
    const is = (code: number) => (e: unknown) => e instanceof ApiError && e.code === code;
    assert.throws(() => apply([{ op: 'test', path: '/a/b', value: 2 }]), is(422));
    assert.throws(() => apply([{ op: 'replace', path: '/nope', value: 2 }]), is(422));
    assert.throws(() => apply([{ op: 'remove', path: '/a/c/7' }]), is(422));
    assert.throws(() => apply([{ op: 'add', path: '/q/r', value: 1 }]), is(422));
    assert.throws(() => apply([{ op: 'move', from: '/a', path: '/a/b' }]), is(422));
    assert.throws(() => apply([{ op: 'jump', path: '/a' }]), is(400));
    assert.throws(() => applyJsonPatch(doc, decodeJsonPatch({ op: 'add' } as unknown)), is(400));
  });
});

describe('strategic merge patch', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', finalizers: ['a'] },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
            { name: 'side', image: 'side:1' },
          ],
          volumes: [{ name: 'v1', emptyDir: {} }],
          tolerations: [{ key: 'x' }],
        },
      },
    },
  };
  it('merges containers/env/ports/volumes by key, replaces atomic lists, unions finalizers', () => {
    const out = strategicMergePatch(deployment, {
      metadata: { finalizers: ['b'] },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'app', image: 'app:2', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }], ports: [{ containerPort: 443 }] }, { name: 'new', image: 'n:1' }],
            volumes: [{ name: 'v2', emptyDir: {} }],
            tolerations: [{ key: 'y' }],
          },
        },
      },
    }, true) as typeof deployment & { spec: { template: { spec: { containers: { name: string; image: string; env?: unknown[]; ports?: unknown[] }[] } } } };
    const spec = out.spec.template.spec;
    assert.deepEqual(out.metadata.finalizers, ['a', 'b']);
    assert.deepEqual(spec.containers.map((c) => `${c.name}=${c.image}`), ['app=app:2', 'side=side:1', 'new=n:1']);
    assert.deepEqual(spec.containers[0]!.env, [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }]);
    assert.deepEqual(spec.containers[0]!.ports, [{ containerPort: 80 }, { containerPort: 443 }]);
    assert.deepEqual(spec.volumes.map((v) => v.name), ['v1', 'v2']);
    assert.deepEqual(spec.tolerations, [{ key: 'y' }]);
  });
  it('honours $patch: delete and replace, $deleteFromPrimitiveList and ignores $setElementOrder', () => {
    const out = strategicMergePatch(deployment, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'side' }], containers: [{ name: 'side', $patch: 'delete' }], volumes: [{ $patch: 'replace' }, { name: 'only' }] } } },
    }, true) as typeof deployment;
    assert.deepEqual(out.metadata.finalizers, []);
    assert.deepEqual(out.spec.template.spec.containers.map((c) => c.name), ['app']);
    assert.deepEqual(out.spec.template.spec.volumes, [{ name: 'only' }]);
    const replaced = strategicMergePatch({ spec: { selector: { a: '1', b: '2' } } }, { spec: { selector: { $patch: 'replace', c: '3' } } }, true);
    assert.deepEqual(replaced, { spec: { selector: { c: '3' } } });
  });
  it('merges Service ports by port and webhook lists by name', () => {
    const svc = strategicMergePatch({ spec: { ports: [{ port: 443, targetPort: 8443 }] } }, { spec: { ports: [{ port: 443, name: 'https' }, { port: 80 }] } }, true);
    assert.deepEqual(svc, { spec: { ports: [{ port: 443, targetPort: 8443, name: 'https' }, { port: 80 }] } });
    const mwc = strategicMergePatch({ webhooks: [{ name: 'a', timeoutSeconds: 10 }, { name: 'b' }] }, { webhooks: [{ name: 'a', timeoutSeconds: 5 }] }, true);
    assert.deepEqual(mwc, { webhooks: [{ name: 'a', timeoutSeconds: 5 }, { name: 'b' }] });
  });
  it('requires merge keys and refuses custom resources with 415', () => {
    assert.throws(() => strategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, true), (e: unknown) => e instanceof ApiError && e.code === 400);
    assert.throws(() => strategicMergePatch({}, {}, false), (e: unknown) => e instanceof ApiError && e.code === 415);
  });
});

describe('PATCH over HTTP', () => {
  let emu: Emulator;
  const base = '/api/v1/namespaces/default/persistentvolumeclaims';
  before(async () => {
    emu = await startEmulator();
    // Bound, of a class that allows expansion, so that its storage request may grow (kube's PVC validation).
    emu.store.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'expandable' }, provisioner: 'example.com/csi', allowVolumeExpansion: true });
    const claim = pvc('p', '1Gi', { a: '1' }) as { spec: Record<string, unknown> };
    emu.store.create({ ...claim, spec: { ...claim.spec, storageClassName: 'expandable' }, status: { phase: 'Bound' } });
  });
  after(() => emu.close());

  it('applies the three patch types by Content-Type', async () => {
    const m = await raw(emu, { method: 'PATCH', path: `${base}/p`, body: { metadata: { labels: { b: '2' } } }, contentType: 'application/merge-patch+json' });
    assert.deepEqual(m.json.metadata.labels, { a: '1', b: '2' });
    const s = await raw(emu, { method: 'PATCH', path: `${base}/p`, body: { metadata: { labels: { a: null } } }, contentType: 'application/strategic-merge-patch+json' });
    assert.deepEqual(s.json.metadata.labels, { b: '2' });
    const j = await raw(emu, { method: 'PATCH', path: `${base}/p`, body: [{ op: 'test', path: '/metadata/labels/b', value: '2' }, { op: 'replace', path: '/spec/resources/requests/storage', value: '5Gi' }], contentType: 'application/json-patch+json' });
    assert.equal(j.json.spec.resources.requests.storage, '5Gi');
    assert.equal(j.json.metadata.generation, 2);
    const failed = await raw(emu, { method: 'PATCH', path: `${base}/p`, body: [{ op: 'test', path: '/metadata/labels/b', value: 'nope' }], contentType: 'application/json-patch+json' });
    assert.equal(failed.status, 422);
    assert.equal(failed.json.reason, 'Invalid');
  });

  it('rejects other media types (415), SMP on custom resources (415), force on non-apply (422), missing objects (404)', async () => {
    const t = await raw(emu, { method: 'PATCH', path: `${base}/p`, body: {}, contentType: 'application/json' });
    assert.equal(t.status, 415);
    assert.equal(t.json.reason, 'UnsupportedMediaType');
    emu.store.create({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'vm' }, spec: {} });
    const cr = await raw(emu, { method: 'PATCH', path: '/apis/kubevirt.io/v1/namespaces/default/virtualmachines/vm', body: { spec: { running: true } }, contentType: 'application/strategic-merge-patch+json' });
    assert.equal(cr.status, 415);
    const crMerge = await raw(emu, { method: 'PATCH', path: '/apis/kubevirt.io/v1/namespaces/default/virtualmachines/vm', body: { spec: { running: true } }, contentType: 'application/merge-patch+json' });
    assert.equal(crMerge.json.spec.running, true);
    assert.equal((await raw(emu, { method: 'PATCH', path: `${base}/p?force=true`, body: {}, contentType: 'application/merge-patch+json' })).status, 422);
    assert.equal((await raw(emu, { method: 'PATCH', path: `${base}/missing`, body: {}, contentType: 'application/merge-patch+json' })).status, 404);
  });

  it('treats a resourceVersion in the patch as a precondition (409 when stale)', async () => {
    const cur = emu.store.get('v1', 'PersistentVolumeClaim', 'default', 'p') as { metadata: { resourceVersion: string } };
    const ok = await raw(emu, { method: 'PATCH', path: `${base}/p`, body: { metadata: { resourceVersion: cur.metadata.resourceVersion, labels: { c: '3' } } }, contentType: 'application/merge-patch+json' });
    assert.equal(ok.status, 200);
    const stale = await raw(emu, { method: 'PATCH', path: `${base}/p`, body: { metadata: { resourceVersion: cur.metadata.resourceVersion, labels: { c: '4' } } }, contentType: 'application/merge-patch+json' });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.reason, 'Conflict');
  });

  it('does not bump resourceVersion for a patch that changes nothing', async () => {
    const cur = emu.store.get('v1', 'PersistentVolumeClaim', 'default', 'p') as { metadata: { resourceVersion: string; labels: object } };
    const same = await raw(emu, { method: 'PATCH', path: `${base}/p`, body: { metadata: { labels: cur.metadata.labels } }, contentType: 'application/merge-patch+json' });
    assert.equal(same.json.metadata.resourceVersion, cur.metadata.resourceVersion);
  });
});
