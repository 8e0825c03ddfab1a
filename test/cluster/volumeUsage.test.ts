// cluster/volumeUsage.ts over HTTP against the API emulator's node proxy (kubelets registered by the test): the
// usedBytes of a mounted PVC, and every reason it cannot be had, said plainly; readings kept, failures not.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import { VolumeUsageReader } from '../../cluster/volumeUsage.js';
import { emulatorOnly, startTarget, waitFor, type TestTarget } from './target.js';

let target: TestTarget;
let conn: ClusterConnection;
let summaries = 0;

before(async () => {
  target = await startTarget();
  const c = await connect({ kubeconfigPath: target.kubeconfigFile(), env: {} });
  if (!c.ok) throw new Error(c.error.message);
  conn = c.value;
  const ns = target.namespace;
  const pod = (name: string, node: string | undefined, claim: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] },
    status: { phase: node ? 'Running' : 'Pending' },
  });
  target.emulator?.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
  target.emulator?.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } });
  await target.upsert(pod('db-0', 'n1', 'data-db-0'), pod('db-1', undefined, 'data-db-1'), pod('db-2', 'n2', 'data-db-2'), pod('raw-0', 'n1', 'raw-0'));
  target.emulator?.kubelets.set('n1', () => {
    summaries++;
    return {
      status: 200,
      body: {
        node: { nodeName: 'n1' },
        pods: [
          { podRef: { name: 'db-0', namespace: ns }, volume: [{ name: 'data', usedBytes: 3221225472, capacityBytes: 10737418240, pvcRef: { name: 'data-db-0', namespace: ns } }] },
          { podRef: { name: 'raw-0', namespace: ns }, volume: [] },
        ],
      },
    };
  });
});
after(async () => {
  conn.dispose();
  await target.close();
});

test('a mounted PVC: usedBytes and capacity from the kubelet of the pod node; one summary per node while fresh', async (t) => {
  if (emulatorOnly(t, target, 'the kubelets behind the node proxy are the test')) return;
  const ns = target.namespace;
  const reader = new VolumeUsageReader(conn);
  const changes: number[] = [];
  reader.onChange(() => changes.push(1));
  assert.deepEqual(reader.lookup(ns, 'data-db-0', 'db-0'), { state: 'pending' });
  await reader.settled();
  assert.deepEqual(reader.lookup(ns, 'data-db-0', 'db-0'), { state: 'known', usedBytes: 3221225472n, capacityBytes: 10737418240n, node: 'n1', pod: 'db-0' });
  assert.equal(changes.length, 1);
  const before = summaries;
  assert.equal((await reader.read(ns, 'raw-0', 'raw-0')).state, 'unreadable');
  assert.equal(summaries, before, 'the summary of n1 is still fresh');
});

test('every reason the usage cannot be read', async (t) => {
  if (emulatorOnly(t, target, 'kubelets and faults')) return;
  const ns = target.namespace;
  const reader = new VolumeUsageReader(conn, { ttlMs: 0 });
  const why = async (pvc: string, pod: string) => {
    const r = await reader.read(ns, pvc, pod);
    return r.state === 'unreadable' ? r.reason : JSON.stringify(r);
  };
  assert.match(await why('data-db-1', 'db-1'), /pod kvs-test\/db-1 is not scheduled on a node \(Pending\)/);
  assert.match(await why('data-db-9', 'db-9'), /no pod kvs-test\/db-9 mounts it, and the kubelet reports usage only of mounted volumes/);
  assert.match(await why('data-db-2', 'db-2'), /the kubelet of node n2 does not answer through the API server \(503: .*error trying to reach service/);
  assert.match(await why('raw-0', 'raw-0'), /reports no usage of PVC raw-0 in pod raw-0 \(not mounted, or a raw block device/);
  target.emulator!.faults.failNext({ path: /\/proxy\/stats\/summary$/ }, 403);
  assert.match(await why('data-db-0', 'db-0'), /may not read the kubelet stats of node n1 \(403: it takes get on nodes\/proxy\)/);
  // A failure is not kept: asked again, the reading succeeds.
  await waitFor('a fresh reading', async () => (await reader.read(ns, 'data-db-0', 'db-0')).state === 'known');
});
