/** Contract tests of cluster/cache.ts: list pages, watch, 410 re-list, reconnects, failures as states. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { watchResource, type CacheEvent, type ResourceCache } from '../../cluster/cache.js';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import type { ApiResource, KubeObject } from '../../cluster/paths.js';
import { emulatorOnly, needsGroups, needsUser, describeTargets, waitFor, connectAdmin, type TestTarget } from './target.js';

describeTargets('cluster/cache', (spec) => {
  let target: TestTarget;
  let conn: ClusterConnection;
  let nsCount = 0;

  const pvcs: ApiResource = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true, kind: 'PersistentVolumeClaim' };
  const snapshots: ApiResource = { group: 'snapshot.storage.k8s.io', version: 'v1', plural: 'volumesnapshots', namespaced: true, kind: 'VolumeSnapshot' };
  /** Fast retries, so that recovery tests finish quickly. */
  const backoff = { initialMs: 20, maxMs: 200 };

  before(async () => {
    target = await spec.start();
    conn = await connectAdmin(target);
  });

  after(async () => {
    await target.close();
  });

  /** A fresh namespace per test (on a real cluster the one namespace of the run; names are unique there). */
  async function namespace(): Promise<string> {
    if (target.kind === 'cluster') return target.namespace;
    const ns = `cache-${++nsCount}`;
    await target.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    return ns;
  }

  function pvc(ns: string, name: string, size = '1Gi', extra: Partial<KubeObject['metadata']> = {}): KubeObject {
    return {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: ns, ...extra },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
    };
  }

  function sizeOf(o: KubeObject | undefined): string | undefined {
    return (o?.spec as { resources?: { requests?: { storage?: string } } } | undefined)?.resources?.requests?.storage;
  }

  function record<T>(cache: ResourceCache<T>): CacheEvent<T>[] {
    const events: CacheEvent<T>[] = [];
    cache.onChange((e) => events.push(e));
    return events;
  }

  test('cache: lists in pages smaller than the collection, then is synced with every object', async () => {
    const ns = await namespace();
    await target.upsert(...Array.from({ length: 23 }, (_, i) => pvc(ns, `p-${String(i).padStart(2, '0')}`)));
    const before = target.emulator?.requests.length ?? 0;
    const cache = watchResource(conn, pvcs, { namespace: ns, pageSize: 5 });
    try {
      assert.equal(cache.state, 'syncing');
      await cache.whenSynced();
      assert.equal(cache.state, 'synced');
      assert.equal(cache.size, 23);
      assert.equal(cache.list(ns).length, 23);
      assert.equal(cache.get(ns, 'p-07')?.metadata?.name, 'p-07');
      assert.equal(cache.get('elsewhere', 'p-07'), undefined);
      if (target.emulator) {
        const lists = target.emulator.requests.slice(before).filter((r) => r.method === 'GET' && r.path.endsWith('/persistentvolumeclaims') && !/watch=(1|true)/.test(r.query));
        assert.equal(lists.length, 5, 'ceil(23 / 5) pages');
        assert.ok(lists.every((r) => /limit=5/.test(r.query)));
        assert.equal(lists.filter((r) => /continue=/.test(r.query)).length, 4);
      }
    } finally {
      cache.dispose();
    }
  });

  test('cache: watch events add, modify and delete; bulky fields are not kept', async () => {
    const ns = await namespace();
    const cache = watchResource(conn, pvcs, { namespace: ns });
    try {
      await cache.whenSynced();
      const events = record(cache);
      await target.upsert(pvc(ns, 'w', '1Gi', { annotations: { keep: 'me', 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"blob"}' } }));
      await waitFor('ADDED', () => cache.get(ns, 'w') !== undefined);
      // A label, not the size: an unbound claim's spec is immutable (kube-apiserver refuses a resize with 422).
      await target.upsert(pvc(ns, 'w', '1Gi', { annotations: { keep: 'me' }, labels: { changed: 'yes' } }));
      await waitFor('MODIFIED', () => cache.get(ns, 'w')?.metadata?.labels?.['changed'] === 'yes');
      await target.remove('v1', 'PersistentVolumeClaim', ns, 'w');
      await waitFor('DELETED', () => cache.get(ns, 'w') === undefined);
      // Runs of one type count once: on a real server the deletion is a MODIFIED (deletionTimestamp, while the
      // PVC protection controller removes its finalizer) before the DELETED.
      const types = events.filter((e) => e.object?.metadata?.name === 'w').map((e) => e.type).filter((t, i, a) => t !== a[i - 1]);
      assert.deepEqual(types, ['ADDED', 'MODIFIED', 'DELETED']);
      const added = events[0]!.object!;
      assert.equal(added.metadata?.managedFields, undefined, 'managedFields are dropped');
      assert.deepEqual(added.metadata?.annotations, { keep: 'me' }, 'last-applied-configuration is dropped, other annotations kept');
    } finally {
      cache.dispose();
    }
  });

  test('cache: a 410 Gone on the watch re-lists, and what changed meanwhile is seen', async (t) => {
    if (emulatorOnly(t, target, 'expires resourceVersions on demand')) return;
    const em = target.emulator!;
    const ns = await namespace();
    await target.upsert(pvc(ns, 'a'), pvc(ns, 'b'));
    const cache = watchResource(conn, pvcs, { namespace: ns, pageSize: 1, backoff });
    try {
      await cache.whenSynced();
      const events = record(cache);
      const listsBefore = em.requests.filter((r) => r.path === `/api/v1/namespaces/${ns}/persistentvolumeclaims` && !/watch=/.test(r.query)).length;
      em.faults.expireResourceVersions();
      await target.upsert(pvc(ns, 'a', '5Gi'), pvc(ns, 'c'));
      await target.remove('v1', 'PersistentVolumeClaim', ns, 'b');
      await waitFor('the re-listed state', () => sizeOf(cache.get(ns, 'a')) === '5Gi' && !!cache.get(ns, 'c') && !cache.get(ns, 'b'));
      assert.equal(cache.state, 'synced');
      assert.equal(cache.size, 2);
      const listsAfter = em.requests.filter((r) => r.path === `/api/v1/namespaces/${ns}/persistentvolumeclaims` && !/watch=/.test(r.query)).length;
      assert.ok(listsAfter > listsBefore, 'a 410 leads to a fresh LIST');
      assert.ok(events.some((e) => e.type === 'RESYNC'), 'a re-list is announced as RESYNC');
    } finally {
      cache.dispose();
    }
  });

  test('cache: a dropped watch resumes from its resourceVersion and loses nothing changed while disconnected', async (t) => {
    if (emulatorOnly(t, target, 'drops watch connections on demand')) return;
    const em = target.emulator!;
    const ns = await namespace();
    await target.upsert(pvc(ns, 'keep'), pvc(ns, 'change'), pvc(ns, 'gone'));
    const cache = watchResource(conn, pvcs, { namespace: ns, backoff });
    try {
      await cache.whenSynced();
      const watchesBefore = em.requests.filter((r) => /watch=/.test(r.query) && r.path.includes(`/namespaces/${ns}/`)).length;
      // Drop, then change at once: the changes happen before the cache can have reconnected.
      em.faults.dropWatches();
      await target.upsert(pvc(ns, 'change', '3Gi'), pvc(ns, 'new'));
      await target.remove('v1', 'PersistentVolumeClaim', ns, 'gone');
      await waitFor('the changes made while disconnected', () => sizeOf(cache.get(ns, 'change')) === '3Gi' && !!cache.get(ns, 'new') && !cache.get(ns, 'gone'));
      assert.ok(cache.get(ns, 'keep'));
      assert.equal(cache.size, 3);
      const resumed = em.requests.filter((r) => /watch=/.test(r.query) && r.path.includes(`/namespaces/${ns}/`)).slice(watchesBefore);
      assert.ok(resumed.length >= 1 && resumed.every((r) => /resourceVersion=\d+/.test(r.query)), 'the new watch starts from the last resourceVersion');
      // Dropped and expired together: the resumed watch gets 410 and the cache re-lists.
      em.faults.dropWatches();
      em.faults.expireResourceVersions();
      await target.upsert(pvc(ns, 'keep', '9Gi'));
      await waitFor('the change after drop + expiry', () => sizeOf(cache.get(ns, 'keep')) === '9Gi');
      assert.equal(cache.state, 'synced');
    } finally {
      cache.dispose();
    }
  });

  test('cache: a failing server makes the cache unavailable with the reason, and it recovers by itself', async (t) => {
    if (emulatorOnly(t, target, 'injects server errors')) return;
    const em = target.emulator!;
    const ns = await namespace();
    await target.upsert(pvc(ns, 'x'));
    em.faults.failNext({ method: 'GET', path: new RegExp(`/namespaces/${ns}/persistentvolumeclaims$`) }, 503, 3);
    const cache = watchResource(conn, pvcs, { namespace: ns, backoff });
    const states: string[] = [];
    cache.onChange(() => states.push(cache.state));
    try {
      await cache.whenSynced();
      assert.equal(cache.state, 'unavailable');
      assert.equal(cache.error?.kind, 'unreachable');
      assert.match(cache.error?.message ?? '', /list persistentvolumeclaims in namespace "cache-\d+": the server failed \(HTTP 503\)/);
      await waitFor('recovery', () => cache.state === 'synced');
      assert.ok(cache.get(ns, 'x'));
      // Now the watch: drop it and refuse the reconnects; the cache says so, keeps its objects, and recovers.
      em.faults.failNext({ method: 'GET', path: new RegExp(`/namespaces/${ns}/persistentvolumeclaims$`) }, 500, 3);
      em.faults.dropWatches();
      await waitFor('unavailable while the watch cannot reconnect', () => cache.state === 'unavailable');
      assert.ok(cache.get(ns, 'x'), 'objects are kept while unavailable');
      await target.upsert(pvc(ns, 'y'));
      await waitFor('recovery of the watch, with the change made meanwhile', () => cache.state === 'synced' && !!cache.get(ns, 'y'));
      assert.deepEqual(states.filter((s, i) => s !== states[i - 1]).slice(0, 4), ['unavailable', 'synced', 'unavailable', 'synced']);
    } finally {
      cache.dispose();
    }
  });

  test('cache: 429 while the server initializes its storage is late, not unavailable: syncing, then synced', async (t) => {
    if (emulatorOnly(t, target, 'injects 429s')) return;
    const em = target.emulator!;
    const ns = await namespace();
    await target.upsert(pvc(ns, 'x'));
    em.faults.failNext({ method: 'GET', path: new RegExp(`/namespaces/${ns}/persistentvolumeclaims$`) }, 429, 2);
    const cache = watchResource(conn, pvcs, { namespace: ns, backoff });
    const states: string[] = [];
    cache.onChange(() => states.push(cache.state));
    try {
      await cache.whenSynced();
      assert.equal(cache.state, 'synced');
      assert.ok(cache.get(ns, 'x'));
      // The watch refused the same way after a drop: the cache keeps saying synced, and catches up.
      em.faults.failNext({ method: 'GET', path: new RegExp(`/namespaces/${ns}/persistentvolumeclaims$`) }, 429, 2);
      em.faults.dropWatches();
      await target.upsert(pvc(ns, 'y'));
      await waitFor('the change made while the watch was refused', () => !!cache.get(ns, 'y'));
      assert.ok(!states.includes('unavailable'), states.join(', '));
    } finally {
      cache.dispose();
    }
  });

  test('cache: forbidden is a state with the reason; whenSynced settles', async (t) => {
    if (needsUser(t, target, 'forbidden')) return;
    const c = await connect({ kubeconfigPath: target.kubeconfigFile({ user: 'forbidden' }), env: {} });
    assert.ok(c.ok, c.ok ? '' : c.error.message);
    const cache = watchResource(c.value, pvcs, { namespace: target.namespace, backoff: { initialMs: 1000 } });
    try {
      await cache.whenSynced();
      assert.equal(cache.state, 'unavailable');
      assert.equal(cache.error?.kind, 'forbidden');
      assert.deepEqual(cache.list(), []);
    } finally {
      cache.dispose();
    }
  });

  test('cache: a resource the server does not serve is not-served, and is not retried', async (t) => {
    const unserved: ApiResource = { group: 'example.invalid', version: 'v1', plural: 'things', namespaced: true };
    const cache = watchResource(conn, unserved, { backoff });
    try {
      await cache.whenSynced();
      assert.equal(cache.state, 'not-served');
      if (emulatorOnly(t, target, 'counts requests')) return;
      const count = () => target.emulator!.requests.filter((r) => r.path.startsWith('/apis/example.invalid')).length;
      const n = count();
      // Another cache's full cycle takes longer than several retries would.
      const other = watchResource(conn, pvcs, { namespace: await namespace() });
      await other.whenSynced();
      other.dispose();
      assert.equal(count(), n);
    } finally {
      cache.dispose();
    }
  });

  test('cache: cluster-wide snapshots across namespaces; get and list by namespace', async (t) => {
    if (await needsGroups(t, target, 'snapshot.storage.k8s.io')) return;
    const ns1 = await namespace();
    const ns2 = target.kind === 'cluster' ? ns1 : await namespace();
    const snap = (ns: string, name: string): KubeObject => ({
      apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot',
      metadata: { name, namespace: ns }, spec: { source: { persistentVolumeClaimName: 'disk' } },
    });
    await target.upsert(snap(ns1, 'same-name'), snap(ns2, 'same-name-2'));
    const cache = watchResource(conn, snapshots, {});
    try {
      await cache.whenSynced();
      assert.ok(cache.get(ns1, 'same-name'));
      assert.ok(cache.get(ns2, 'same-name-2'));
      assert.deepEqual(cache.list(ns1).map((o) => o.metadata?.name).includes('same-name'), true);
      await target.patchStatus('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', ns1, 'same-name', { readyToUse: true, restoreSize: '20Mi' });
      await waitFor('the status change', () => (cache.get(ns1, 'same-name')?.status as { restoreSize?: string } | undefined)?.restoreSize === '20Mi');
    } finally {
      cache.dispose();
    }
  });

  test('cache: dispose stops the watch', async (t) => {
    if (emulatorOnly(t, target, 'counts requests')) return;
    const em = target.emulator!;
    const ns = await namespace();
    // Two caches told apart by their label selectors: one disposed, one kept as the control.
    const disposed = watchResource(conn, pvcs, { namespace: ns, labelSelector: 'role=disposed', backoff });
    const control = watchResource(conn, pvcs, { namespace: ns, labelSelector: 'role=control', backoff });
    await Promise.all([disposed.whenSynced(), control.whenSynced()]);
    disposed.dispose();
    const mark = em.requests.length;
    em.faults.dropWatches();
    await target.upsert(pvc(ns, 'c', '1Gi', { labels: { role: 'control' } }), pvc(ns, 'd', '1Gi', { labels: { role: 'disposed' } }));
    await waitFor('the control cache to resume and see its object', () => !!control.get(ns, 'c'));
    control.dispose();
    assert.equal(disposed.get(ns, 'd'), undefined);
    const after = em.requests.slice(mark);
    assert.ok(after.some((r) => decodeURIComponent(r.query).includes('role=control')), 'the control re-watched');
    assert.deepEqual(after.filter((r) => decodeURIComponent(r.query).includes('role=disposed')), [], 'the disposed cache made no request');
  });
});
