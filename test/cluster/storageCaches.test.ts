/** Contract tests of cluster/storageCaches.ts: every cache the tools need, the namespace fallback on 403. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterConnection } from '../../cluster/connection.js';
import { discover, type Discovery } from '../../cluster/discovery.js';
import { startStorageCaches, storageCacheNames, type StorageCacheName } from '../../cluster/storageCaches.js';
import { emulatorOnly, describeTargets, waitFor, connectAdmin, type TestTarget } from './target.js';

describeTargets('cluster/storageCaches', (spec) => {
  let target: TestTarget;
  let conn: ClusterConnection;
  let discovery: Discovery;

  before(async () => {
    target = await spec.start();
    conn = await connectAdmin(target);
    const d = await discover(conn);
    if (!d.ok) throw new Error(d.error.message);
    discovery = d.value;
  });

  after(async () => {
    await target.close();
  });

  test('storage caches: one per served resource, all synced, changes forwarded with the cache name', async () => {
    const caches = startStorageCaches(conn, discovery, { backoff: { initialMs: 20 } });
    try {
      await caches.whenSynced();
      const started = storageCacheNames.filter((n) => caches.get(n));
      assert.deepEqual([...started, ...caches.notServed].sort(), [...storageCacheNames].sort());
      for (const n of started) assert.equal(caches.get(n)!.state, 'synced', n);
      for (const n of started) assert.equal(caches.scope(n), undefined, `${n} watches all namespaces`);
      const seen: [StorageCacheName, string][] = [];
      caches.onChange((name, e) => seen.push([name, e.type]));
      await target.upsert({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: target.namespace }, spec: { selector: { matchLabels: { app: 'db' } }, serviceName: 'db', template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres' }] } } } });
      await waitFor('the StatefulSet event', () => seen.some(([n, type]) => n === 'statefulSets' && type === 'ADDED'));
      assert.ok(caches.get('statefulSets')!.get(target.namespace, 'db'));
    } finally {
      caches.dispose();
    }
  });

  test('storage caches: a user who may not list across namespaces gets the connection\'s namespace instead', async (t) => {
    if (emulatorOnly(t, target, 'refuses only the cluster-wide list')) return;
    const em = target.emulator!;
    await target.upsert({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'mine', namespace: target.namespace }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    em.faults.failNext({ method: 'GET', path: /^\/api\/v1\/persistentvolumeclaims$/ }, 403, 1000);
    const caches = startStorageCaches(conn, discovery, { only: ['persistentVolumeClaims', 'storageClasses'], backoff: { initialMs: 20 } });
    try {
      await caches.whenSynced();
      const pvcs = caches.get('persistentVolumeClaims')!;
      assert.equal(pvcs.state, 'synced');
      assert.equal(caches.scope('persistentVolumeClaims'), target.namespace);
      assert.ok(pvcs.get(target.namespace, 'mine'));
      assert.equal(caches.scope('storageClasses'), undefined);
    } finally {
      caches.dispose();
      em.faults.reset();
    }
  });
});
