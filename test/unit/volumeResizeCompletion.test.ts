// Completion in a VolumeResize (core/completion/providers/volumeResize.ts through Workspace.complete): StatefulSet names,
// the named StatefulSet's volumes, storage classes, and a size from the data in use; nothing elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterFactsProvider, VolumeUsageFact } from '../../core/facts.js';
import { noCluster } from '../../core/facts.js';
import { defaultSettings } from '../../core/types.js';
import { Workspace } from '../../core/workspace.js';

const sts = (name: string, replicas: number) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
  namespace: shop
spec:
  replicas: ${replicas}
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        storageClassName: fast
        resources:
          requests:
            storage: 10Gi
    - metadata:
        name: logs
      spec:
        resources:
          requests:
            storage: 1Gi
`;

const elsewhere = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: other
  namespace: billing
spec:
  volumeClaimTemplates: []
`;

/** The VolumeResize, with `|` where the cursor is (removed from the text). */
const resize = (body: string) => `apiVersion: storage.maurice.fr/v1alpha1
kind: VolumeResize
metadata:
  name: shrink-db
  namespace: shop
spec:
${body}`;

const gi = 1024n ** 3n;
const source = { kind: 'cluster' as const, context: 'prod' };
function cluster(usage: Record<string, VolumeUsageFact>): ClusterFactsProvider {
  return {
    ...noCluster,
    state: { kind: 'connected', context: 'prod' },
    storageClasses: () => [
      { name: 'fast', provisioner: 'csi.example.com', volumeBindingMode: 'WaitForFirstConsumer', isDefault: true, isDefaultVirt: false, parameters: {}, source },
      { name: 'slow', isDefault: false, isDefaultVirt: false, parameters: {}, source },
    ],
    volumeUsage: (_ns, pvc) => usage[pvc],
  };
}

function complete(withCursor: string, facts: ClusterFactsProvider = noCluster) {
  const lines = withCursor.split('\n');
  const line = lines.findIndex((l) => l.includes('|'));
  const character = lines[line]!.indexOf('|');
  const ws = new Workspace();
  ws.setFile('sts.yaml', `${sts('db', 3)}---\n${sts('cache', 1)}---\n${elsewhere}`);
  ws.setFile('vr.yaml', withCursor.replace('|', ''));
  const r = ws.complete('vr.yaml', { line, character }, { settings: { ...defaultSettings, defaultNamespace: 'shop' }, cluster: facts }, (id, e) => {
    throw new Error(`provider ${id} threw: ${String(e)}`);
  });
  return r.items.map((i) => ({ label: i.label, detail: i.detail, range: i.range ?? r.range }));
}

test('statefulSetName: the StatefulSets of the VolumeResize namespace, with replicas and volumes; the typed prefix is replaced', () => {
  const c = complete(resize('  statefulSetName: d|\n'));
  assert.deepEqual(c.map((x) => [x.label, x.detail]), [['db', '3 replicas · data 10Gi, logs 1Gi'], ['cache', '1 replica · data 10Gi, logs 1Gi']]);
  assert.deepEqual(c[0]!.range, { start: { line: 6, character: 19 }, end: { line: 6, character: 20 } });
});

test("volumes[].name: the named StatefulSet's claim templates, with size and class; as the first key of an item or a later one", () => {
  const first = complete(resize('  statefulSetName: db\n  volumes:\n    - name: |\n'));
  assert.deepEqual(first.map((x) => [x.label, x.detail]), [['data', '10Gi · class fast'], ['logs', '1Gi']]);
  const later = complete(resize('  statefulSetName: db\n  volumes:\n    - newSize: 4Gi\n      name: |\n'));
  assert.deepEqual(later.map((x) => x.label), ['data', 'logs']);
  assert.deepEqual(complete(resize('  statefulSetName: nope\n  volumes:\n    - name: |\n')), [], 'an unknown StatefulSet offers nothing');
});

test('volumes[].storageClass: every class, with provisioner, binding mode and default', () => {
  const c = complete(resize('  statefulSetName: db\n  volumes:\n    - name: data\n      newSize: 4Gi\n      storageClass: |\n'), cluster({}));
  assert.deepEqual(c.map((x) => [x.label, x.detail]), [['fast', 'default · csi.example.com · WaitForFirstConsumer'], ['slow', '']]);
});

test("volumes[].newSize: the most data in use over the replicas plus 25 %, for the item's own volume; none without usage", () => {
  const usage = {
    'data-db-0': { state: 'known' as const, usedBytes: 2n * gi, node: 'n1', pod: 'db-0' },
    'data-db-1': { state: 'known' as const, usedBytes: 4n * gi, node: 'n1', pod: 'db-1' },
    'data-db-2': { state: 'unreadable' as const, reason: 'the node proxy is forbidden' },
    'logs-db-0': { state: 'known' as const, usedBytes: 100n * 1024n * 1024n, node: 'n1', pod: 'db-0' },
  };
  const data = complete(resize('  statefulSetName: db\n  volumes:\n    - name: data\n      newSize: |\n    - name: logs\n      newSize: 1Gi\n'), cluster(usage));
  assert.deepEqual(data.map((x) => [x.label, x.detail]), [['5120Mi', 'the most data in use (4Gi) + 25 %']]);
  const logs = complete(resize('  statefulSetName: db\n  volumes:\n    - name: data\n      newSize: 5120Mi\n    - name: logs\n      newSize: 9|\n'), cluster(usage));
  assert.deepEqual(logs.map((x) => x.label), ['125Mi']);
  assert.deepEqual(complete(resize('  statefulSetName: db\n  volumes:\n    - name: data\n      newSize: |\n')), [], 'no cluster, no usage');
});

test('nothing elsewhere: metadata.name, a key being typed, another kind', () => {
  assert.deepEqual(complete(resize('  statefulSetName: db\n').replace('name: shrink-db', 'name: |')), []);
  assert.deepEqual(complete(resize('  statefulSetNa|\n')), []);
  assert.deepEqual(complete(`${sts('x', 1)}`.replace('name: data', 'name: |')), []);
});
