/**
 * The VolumeResize facts of cluster/clusterFacts.ts over a live cluster: StatefulSets and PodDisruptionBudgets from
 * their caches, PVCs read one by one (a PVC's change changes the facts only once a lookup asked for it), whether
 * the CRD is served, the connected context.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveCluster, type LiveCluster } from '../../cluster/live.js';
import { describeTargets, waitFor, type TestTarget } from './target.js';

describeTargets('cluster/resizeFacts', (spec) => {
  let target: TestTarget;
  let live: LiveCluster;
  // A PVC's spec is immutable once created (but for the request of a bound one): a change is a label.
  const pvc = (name: string, rev: string) => ({
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: target.namespace, labels: { rev } },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'none-here', resources: { requests: { storage: '10Gi' } } },
  });

  before(async () => {
    target = await spec.start();
    await target.upsert(
      {
        apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: target.namespace },
        spec: {
          replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'registry.example.com/db:1' }] } },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
        },
      },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: target.namespace }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'db' } } } },
      pvc('data-db-0', '1'),
      pvc('unrelated', '1'),
    );
    live = startLiveCluster({ kubeconfigPath: target.kubeconfigFile({ contextName: 'resize' }), env: {}, debounceMs: 10 });
    await live.ready();
  });

  after(async () => {
    live?.dispose();
    await target.close();
  });

  test('StatefulSets, PDBs and PVCs from the caches; the CRD served; the context', async () => {
    const ns = target.namespace;
    await waitFor('the StatefulSet fact', () => live.facts.statefulSet(ns, 'db') !== undefined, 10_000);
    const sts = live.facts.statefulSet(ns, 'db')!;
    assert.deepEqual([sts.replicas, sts.templateLabels, sts.volumeClaimTemplates.map((t) => [t.name, t.requestText])], [2, { app: 'db' }, [['data', '10Gi']]]);
    assert.deepEqual(live.facts.podDisruptionBudgets(ns).map((p) => [p.name, p.maxUnavailable, p.hasSelector]), [['db', '0', true]]);
    assert.equal(live.facts.persistentVolumeClaim(ns, 'data-db-0')?.requestText, '10Gi');
    assert.equal(live.facts.persistentVolumeClaim(ns, 'data-db-1'), undefined, 'absent is an answer');
    assert.equal(live.facts.serves('VolumeResize'), await target.serves('storage.maurice.fr'));
    assert.equal(live.facts.connectedContext(), 'resize');
    assert.equal(live.facts.view().connectedContext?.(), 'resize');
  });

  test('a PVC changes the facts once a lookup asked for it; others do not', async () => {
    const ns = target.namespace;
    live.facts.persistentVolumeClaim(ns, 'data-db-0');
    let g = live.facts.generation;
    const rev = (name: string) => live.caches?.get('persistentVolumeClaims')?.get(ns, name)?.metadata?.labels?.['rev'];
    await target.upsert(pvc('unrelated', '2'));
    await waitFor('the unrelated PVC in the cache', () => rev('unrelated') === '2');
    assert.equal(live.facts.generation, g, 'no lookup asked for it');
    g = live.facts.generation;
    await target.upsert(pvc('data-db-0', '2'));
    await waitFor('the looked-up PVC to change the facts', () => live.facts.generation > g && rev('data-db-0') === '2');
  });
});
