// The simulated operator (test/sim) against the API emulator: a VolumeResize plays out as migcontroller's
// would (facts §2.3), a failure at a chosen step leaves what the operator leaves, and deletion runs the finalizer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../cluster/target.js';
import { startEmulator } from '../emulator/index.js';
import type { Emulator } from '../emulator/types.js';
import { startSimulation, type Simulation } from './index.js';
import { seedStatefulSet, volumeResize } from './seed.js';

let emu: Emulator;
let sim: Simulation;

before(async () => {
  emu = await startEmulator({ https: false });
  sim = startSimulation(emu);
});
after(async () => {
  sim.stop();
  assert.deepEqual(sim.errors, []);
  await emu.close();
});

type Json = Record<string, any>;
const get = (apiVersion: string, kind: string, ns: string | undefined, name: string) => emu.store.get(apiVersion, kind, ns, name) as Json | undefined;
const vrOf = (ns: string, name: string) => get('storage.maurice.fr/v1alpha1', 'VolumeResize', ns, name);
const phaseOf = (ns: string, name: string) => vrOf(ns, name)?.status?.phase as string | undefined;

test('a VolumeResize runs to Completed: every replica on a smaller volume, old PVs retained, the StatefulSet back with the new size', async () => {
  await seedStatefulSet(emu, sim, { namespace: 'ok', replicas: 2, volumes: [{ name: 'data', size: '10Gi' }, { name: 'logs', size: '2Gi' }], used: 1024n ** 3n });
  const oldPvs = [0, 1].map((i) => get('v1', 'PersistentVolumeClaim', 'ok', `data-db-${i}`)!.spec.volumeName as string);
  emu.store.create(volumeResize('shrink', [{ name: 'data', newSize: '4Gi' }, { name: 'logs', newSize: '1Gi' }], { namespace: 'ok' }));
  await waitFor('Completed', () => phaseOf('ok', 'shrink') === 'Completed', 10_000);
  const vr = vrOf('ok', 'shrink')!;
  assert.equal(vr.status.message, 'Migration completed successfully');
  assert.deepEqual(vr.status.volumeStatuses.map((c: Json) => `${c.replica}/${c.volumeName}:${c.phase}`), ['0/data:Completed', '0/logs:Completed', '1/data:Completed', '1/logs:Completed']);
  assert.deepEqual(vr.status.volumeStatuses.map((c: Json) => c.oldPVName).slice(0, 1), [oldPvs[0]]);
  assert.equal(vr.status.backupConfigMapName, 'shrink-sts-backup');
  assert.ok(vr.metadata.finalizers.includes('storage.maurice.fr/finalizer'));
  for (const i of [0, 1]) {
    const pvc = get('v1', 'PersistentVolumeClaim', 'ok', `data-db-${i}`)!;
    assert.equal(pvc.spec.resources.requests.storage, '4Gi');
    assert.notEqual(pvc.spec.volumeName, oldPvs[i]);
    assert.equal(pvc.status.phase, 'Bound');
    const old = get('v1', 'PersistentVolume', undefined, oldPvs[i]!)!;
    assert.deepEqual([old.spec.persistentVolumeReclaimPolicy, old.status.phase], ['Retain', 'Released']);
    assert.equal(sim.kube.usage.get(pvc.spec.volumeName), 1024n ** 3n, 'rclone copied the data');
    assert.equal(get('v1', 'PersistentVolumeClaim', 'ok', `data-db-${i}-new`), undefined);
  }
  const sts = get('apps/v1', 'StatefulSet', 'ok', 'db')!;
  assert.equal(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '4Gi');
  assert.equal(JSON.parse(get('v1', 'ConfigMap', 'ok', 'shrink-sts-backup')!.data['statefulset.json']).spec.volumeClaimTemplates[0].spec.resources.requests.storage, '10Gi');
  assert.equal(emu.store.list('v1', 'Pod', 'ok').filter((p: Json) => p.metadata.name.includes('migrator')).length, 0);
});

test('the operator validates replica 0 only: a bigger newSize fails at once; a PDB with no disruptions too', async () => {
  await seedStatefulSet(emu, sim, { namespace: 'bad', replicas: 1 });
  emu.store.create(volumeResize('grow', [{ name: 'data', newSize: '20Gi' }], { namespace: 'bad' }));
  await waitFor('Failed', () => phaseOf('bad', 'grow') === 'Failed');
  assert.equal(vrOf('bad', 'grow')!.status.message, 'newSize (20Gi) must be smaller than current size (10Gi) for volume data');
  emu.store.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'bad' }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 0 } });
  emu.store.create(volumeResize('blocked', [{ name: 'data', newSize: '2Gi' }], { namespace: 'bad' }));
  await waitFor('Failed', () => phaseOf('bad', 'blocked') === 'Failed');
  assert.equal(vrOf('bad', 'blocked')!.status.message, 'PodDisruptionBudget db does not allow disruptions (disruptionsAllowed=0)');
  assert.ok(get('apps/v1', 'StatefulSet', 'bad', 'db'), 'validation failures leave the StatefulSet alone');
});

test('a failed migrator pod leaves the StatefulSet deleted, the old PVC bound to its retained PV, the temp PVC behind', async () => {
  await seedStatefulSet(emu, sim, { namespace: 'mig', replicas: 2 });
  sim.operator.failAt({ step: 'migrator', replica: 1 });
  emu.store.create(volumeResize('shrink', [{ name: 'data', newSize: '4Gi' }], { namespace: 'mig' }));
  await waitFor('Failed', () => phaseOf('mig', 'shrink') === 'Failed', 10_000);
  const vr = vrOf('mig', 'shrink')!;
  assert.equal(vr.status.message, 'migration pod failed');
  assert.deepEqual(vr.status.volumeStatuses.map((c: Json) => `${c.replica}:${c.phase}`), ['0:Completed', '1:Syncing']);
  assert.equal(vr.status.volumeStatuses[1].oldPVName, get('v1', 'PersistentVolumeClaim', 'mig', 'data-db-1')!.spec.volumeName);
  assert.equal(get('apps/v1', 'StatefulSet', 'mig', 'db'), undefined, 'no automatic rollback: the StatefulSet stays deleted');
  assert.equal(get('v1', 'Pod', 'mig', 'db-1'), undefined);
  assert.ok(get('v1', 'PersistentVolumeClaim', 'mig', 'data-db-1-new'));
  assert.equal(get('v1', 'Pod', 'mig', 'shrink-migrator-1-data')!.status.phase, 'Failed');
  assert.ok(get('v1', 'ConfigMap', 'mig', 'shrink-sts-backup'));
});

test('a hold stops the operator before a step until released; deletion runs the finalizer', async () => {
  await seedStatefulSet(emu, sim, { namespace: 'del', replicas: 1 });
  const h = sim.operator.hold({ step: 'migrator' });
  emu.store.create(volumeResize('shrink', [{ name: 'data', newSize: '4Gi' }], { namespace: 'del' }));
  await h.reached;
  assert.equal(phaseOf('del', 'shrink'), 'Syncing');
  assert.ok(get('v1', 'PersistentVolumeClaim', 'del', 'data-db-0-new'));
  // Deleting it now: the finalizer deletes the temp PVC and the migrator pod, and nothing brings the StatefulSet back.
  const res = await fetch(`${emu.url}/apis/storage.maurice.fr/v1alpha1/namespaces/del/volumeresizes/shrink`, { method: 'DELETE', headers: { authorization: `Bearer ${emu.tokens.admin}` } });
  assert.equal(res.status, 200);
  await waitFor('gone', () => vrOf('del', 'shrink') === undefined);
  h.release();
  assert.equal(get('v1', 'PersistentVolumeClaim', 'del', 'data-db-0-new'), undefined);
  assert.equal(get('v1', 'Pod', 'del', 'shrink-migrator-0-data'), undefined);
  assert.equal(get('apps/v1', 'StatefulSet', 'del', 'db'), undefined);
  assert.ok(get('v1', 'ConfigMap', 'del', 'shrink-sts-backup'), 'the backup ConfigMap stays');
});

test('the kubelet stats summary through the node proxy reports each running pod volume', async () => {
  await seedStatefulSet(emu, sim, { namespace: 'stats', replicas: 1, used: 123456789n });
  const node = get('v1', 'Pod', 'stats', 'db-0')!.spec.nodeName as string;
  const res = await fetch(`${emu.url}/api/v1/nodes/${node}/proxy/stats/summary`, { headers: { authorization: `Bearer ${emu.tokens.readonly}` } });
  assert.equal(res.status, 200);
  const s = (await res.json()) as { pods: { podRef: { name: string; namespace: string }; volume: { usedBytes: number; pvcRef: { name: string } }[] }[] };
  const pod = s.pods.find((p) => p.podRef.name === 'db-0' && p.podRef.namespace === 'stats')!;
  assert.deepEqual(pod.volume.map((v) => [v.pvcRef.name, v.usedBytes]), [['data-db-0', 123456789]]);
  const missing = await fetch(`${emu.url}/api/v1/nodes/nowhere/proxy/stats/summary`, { headers: { authorization: `Bearer ${emu.tokens.admin}` } });
  assert.equal(missing.status, 404);
  emu.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'deaf' } });
  const deaf = await fetch(`${emu.url}/api/v1/nodes/deaf/proxy/stats/summary`, { headers: { authorization: `Bearer ${emu.tokens.admin}` } });
  assert.equal(deaf.status, 503);
  assert.match(((await deaf.json()) as { message: string }).message, /error trying to reach service/);
  const forbidden = await fetch(`${emu.url}/api/v1/nodes/${node}/proxy/stats/summary`, { headers: { authorization: `Bearer ${emu.tokens.forbidden}` } });
  assert.equal(forbidden.status, 403);
});
