// The VolumeResize operations through the engine, against the API emulator with the simulated operator
// (test/sim): start (validated first; refused or advised against where the migration would fail), delete (what
// the finalizer removes, what stays), and rollback after a failure injected at each step of the operator, every
// rollback verified by the StatefulSet's pods running with their PVCs on the old volumes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import { applyPlan } from '../../cluster/ops/engine.js';
import { operation } from '../../cluster/ops/registry.js';
import type { OptionValues, Plan } from '../../core/ops/types.js';
import { waitFor } from '../cluster/target.js';
import { startEmulator } from '../emulator/index.js';
import type { Emulator } from '../emulator/types.js';
import { OPERATOR_STEPS, startSimulation, type OperatorStep, type Simulation } from '../sim/index.js';
import { seedStatefulSet, volumeResize } from '../sim/seed.js';

type Json = Record<string, any>;
let emu: Emulator;
let sim: Simulation;
let conn: ClusterConnection;
let seq = 0;

before(async () => {
  emu = await startEmulator({ https: false });
  sim = startSimulation(emu);
  const file = `${process.env['TMPDIR'] ?? '/tmp'}/kvs-vr-ops-${process.pid}.kubeconfig`;
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, emu.kubeconfig({ namespace: 'default' }));
  const c = await connect({ kubeconfigPath: file, env: {} });
  if (!c.ok) throw new Error(c.error.message);
  conn = c.value;
});
after(async () => {
  sim.stop();
  conn.dispose();
  assert.deepEqual(sim.errors, []);
  await emu.close();
});

const get = (apiVersion: string, kind: string, ns: string | undefined, name: string) => emu.store.get(apiVersion, kind, ns, name) as Json | undefined;
const vrPhase = (ns: string, name: string) => get('storage.maurice.fr/v1alpha1', 'VolumeResize', ns, name)?.status?.phase as string | undefined;

async function plan(id: string, options: OptionValues): Promise<{ ok: true; plan: Plan } | { ok: false; message: string }> {
  const def = operation(id)!;
  const r = await def.plan(conn, options, { now: new Date() });
  return r.ok ? { ok: true, plan: r.plan } : r;
}

async function mustPlan(id: string, options: OptionValues): Promise<Plan> {
  const r = await plan(id, options);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.plan;
}

const fresh = () => `vr-${++seq}`;

describe('volumeresize-start', () => {
  test('validates on the cluster, previews the moves, the downtime and what the operator deletes and keeps; the wait is its validation', async () => {
    const ns = fresh();
    await seedStatefulSet(emu, sim, { namespace: ns, replicas: 3, used: 2n * 1024n ** 3n });
    const p = await mustPlan('volumeresize-start', { name: 'shrink', namespace: ns, statefulset: 'db', volume: 'data', size: '4Gi' });
    assert.equal(p.advice, undefined);
    assert.match(p.title, /Start VolumeResize vr-\d+\/shrink: shrink data to 4Gi on 3 replicas of StatefulSet db/);
    assert.match(p.notes.join('\n'), /replica 2 × data: PVC data-db-2 10Gi → 4Gi \(4,294,967,296 bytes\), class fast, 2 GiB in use; old PV pvc-\S+ kept/);
    assert.match(p.notes.join('\n'), /replica 1 \(pod db-1\): down from its deletion until it runs again on the new volumes — the copy of 2Gi \(about 21 s at an assumed 100 MiB\/s\)/);
    assert.match(p.confirm!.join('\n'), /deletes, for each replica × volume: the StatefulSet db \(propagationPolicy Orphan/);
    assert.match(p.confirm!.join('\n'), /It keeps: every old PV/);
    assert.match(p.confirm!.join('\n'), /no automatic rollback/);
    const r = await applyPlan(conn, p, { journalNamespace: 'journal' });
    assert.equal(r.outcome, 'applied', r.message);
    assert.ok(['Syncing', 'Completed'].includes(vrPhase(ns, 'shrink') ?? ''));
    assert.equal(r.undoable, false, 'undo must not delete a running migration');
    await waitFor('Completed', () => vrPhase(ns, 'shrink') === 'Completed', 15_000);
    // A second start of the same name is refused: the operator runs each VolumeResize once.
    const again = await plan('volumeresize-start', { name: 'shrink', namespace: ns, statefulset: 'db', volume: 'data', size: '2Gi' });
    assert.ok(!again.ok);
    assert.match(again.message, /exists already \(Completed: Migration completed successfully\)/);
  });

  test('refuses what would fail, naming each problem; advises against what is risky', async () => {
    const ns = fresh();
    await seedStatefulSet(emu, sim, { namespace: ns, replicas: 2, used: 3n * 1024n ** 3n });
    const pvc1 = get('v1', 'PersistentVolumeClaim', ns, 'data-db-1')!;
    pvc1.spec.resources.requests.storage = '2Gi';
    emu.store.update(pvc1);
    const refused = await plan('volumeresize-start', { name: 'shrink', namespace: ns, statefulset: 'db', volume: 'data', size: '2Gi' });
    assert.ok(!refused.ok);
    assert.match(refused.message, /volumeresize-not-smaller \(volume data \(newSize\)\): newSize 2Gi .* replica 1 \(data-db-1 asks for 2Gi\)/);
    assert.match(refused.message, /volumeresize-below-used .* replica 0 holds 3Gi/);
    const unknown = await plan('volumeresize-start', { name: 'shrink', namespace: ns, statefulset: 'dbx', volume: 'data', size: '1Gi' });
    assert.ok(!unknown.ok);
    assert.match(unknown.message, /StatefulSet vr-\d+\/dbx is not in the analysed files or namespace/);
    pvc1.spec.resources.requests.storage = '10Gi';
    emu.store.update(pvc1);
    const roomy = await mustPlan('volumeresize-start', { name: 'shrink', namespace: ns, statefulset: 'db', volume: 'data', size: '4000Mi' });
    assert.equal(roomy.advice, undefined);
    const warned = await mustPlan('volumeresize-start', { name: 'shrink', namespace: ns, statefulset: 'db', volume: 'data', size: '3200Mi' });
    assert.match(warned.advice ?? '', /volumeresize-below-used .*less than 10 % room/);
    const badArgs = await plan('volumeresize-start', { name: 'shrink', namespace: ns, statefulset: 'db', volume: 'data,logs', size: '1Gi' });
    assert.ok(!badArgs.ok);
    assert.match(badArgs.message, /--size needs one size per volume \(2: data, logs\)/);
  });

  test('a cluster without the CRD: the operator is missing', async () => {
    const bare = await startEmulator({ https: false, withoutGroups: ['storage.maurice.fr'] });
    try {
      const { writeFileSync } = await import('node:fs');
      const file = `${process.env['TMPDIR'] ?? '/tmp'}/kvs-vr-bare-${process.pid}.kubeconfig`;
      writeFileSync(file, bare.kubeconfig());
      const c = await connect({ kubeconfigPath: file, env: {} });
      assert.ok(c.ok);
      const r = await operation('volumeresize-start')!.plan(c.value, { name: 'x', statefulset: 'db', volume: 'data', size: '1Gi' }, { now: new Date() });
      assert.ok(!r.ok);
      assert.match(r.message, /does not serve volumeresizes.storage.maurice.fr\/v1alpha1: the VolumeResize operator/);
      c.value.dispose();
    } finally {
      await bare.close();
    }
  });
});

describe('volumeresize-delete', () => {
  test("says what the finalizer deletes and what stays; advises against deleting a running migration", async (t) => {
    const ns = fresh();
    await seedStatefulSet(emu, sim, { namespace: ns, replicas: 1 });
    const h = sim.operator.hold({ step: 'migrator', namespace: ns });
    t.after(h.release);
    emu.store.create(volumeResize('shrink', [{ name: 'data', newSize: '4Gi' }], { namespace: ns }));
    await h.reached;
    const oldPv = get('v1', 'PersistentVolumeClaim', ns, 'data-db-0')!.spec.volumeName as string;
    await waitFor('the migrator pod', () => get('v1', 'Pod', ns, 'shrink-migrator-0-data') !== undefined);
    const p = await mustPlan('volumeresize-delete', { name: 'shrink', namespace: ns });
    assert.match(p.advice ?? '', /The migration is Syncing \(replica 0, volume data\): deleting it now stops it half-way, with StatefulSet db deleted/);
    assert.match(p.confirm![0]!, /finalizer then deletes every PVC and pod labelled with this migration's name: PVC data-db-0-new, pod shrink-migrator-0-data/);
    assert.match(p.confirm![1]!, new RegExp(`Stays: PVC data-db-0 on PV ${oldPv} \\(reclaimPolicy Retain\\); ConfigMap shrink-sts-backup .*; nothing of StatefulSet db: it is deleted, and stays deleted`));
    const r = await applyPlan(conn, p, { journalNamespace: 'journal' });
    assert.equal(r.outcome, 'applied', r.message);
    assert.equal(r.verification?.state, 'verified', r.verification?.message);
    h.release();
    assert.equal(get('v1', 'PersistentVolumeClaim', ns, 'data-db-0-new'), undefined);
    assert.ok(get('v1', 'PersistentVolume', undefined, oldPv), 'the old PV stays');
  });
});

/** Starts a migration of 2 replicas through the engine, failing at `step` on replica `replica`, and waits for Failed. */
async function failedMigration(step: OperatorStep, replica: number): Promise<{ ns: string; oldPvs: string[] }> {
  const ns = fresh();
  await seedStatefulSet(emu, sim, { namespace: ns, replicas: 2, used: 1024n ** 3n });
  const oldPvs = [0, 1].map((i) => get('v1', 'PersistentVolumeClaim', ns, `data-db-${i}`)!.spec.volumeName as string);
  sim.operator.failAt({ step, namespace: ns, replica, volume: 'data' });
  // Held at its first Syncing step until the apply has seen Syncing: on a busy machine the operator could otherwise
  // fail before the apply's wait first reads the VolumeResize, and the apply would rightly report Failed.
  const held = step === 'validate' ? undefined : sim.operator.hold({ step: 'get-pvc', namespace: ns, replica: 0, volume: 'data' });
  const p = await mustPlan('volumeresize-start', { name: 'shrink', namespace: ns, statefulset: 'db', volume: 'data', size: '4Gi' });
  const r = await applyPlan(conn, p, { journalNamespace: 'journal' });
  held?.release();
  if (step === 'validate') assert.equal(r.outcome, 'failed', 'the wait sees the operator refuse it');
  else assert.equal(r.outcome, 'applied', r.message);
  await waitFor(`Failed at ${step}`, () => vrPhase(ns, 'shrink') === 'Failed', 15_000);
  return { ns, oldPvs };
}

describe('volumeresize-rollback after a failure at each step', () => {
  for (const step of OPERATOR_STEPS) {
    for (const replica of step === 'validate' ? [0] : [0, 1]) {
      test(`${step} on replica ${replica}`, async () => {
        const { ns, oldPvs } = await failedMigration(step, replica);
        const p = await mustPlan('volumeresize-rollback', { name: 'shrink', namespace: ns });
        const r = await applyPlan(conn, p, { journalNamespace: 'journal' });
        assert.ok(r.outcome === 'applied' || r.outcome === 'unchanged', `${r.outcome}: ${r.message}`);
        assert.ok(r.verification?.state === 'verified' || r.verification?.state === 'none', `${r.verification?.state}: ${r.verification?.message}`);
        const sts = get('apps/v1', 'StatefulSet', ns, 'db');
        assert.ok(sts, 'the StatefulSet is back');
        await waitFor('both replicas run', () => [0, 1].every((i) => get('v1', 'Pod', ns, `db-${i}`)?.status?.phase === 'Running'), 10_000);
        const cells = get('storage.maurice.fr/v1alpha1', 'VolumeResize', ns, 'shrink')!.status.volumeStatuses as Json[];
        for (const i of [0, 1]) {
          const pvc = get('v1', 'PersistentVolumeClaim', ns, `data-db-${i}`)!;
          const finished = cells.find((c) => c.replica === i)?.phase === 'Completed';
          if (finished) assert.notEqual(pvc.spec.volumeName, oldPvs[i], `replica ${i} finished: it stays on its new volume`);
          else assert.equal(pvc.spec.volumeName, oldPvs[i], `replica ${i} is back on its old PV`);
          assert.equal(pvc.status.phase, 'Bound');
          assert.equal(get('v1', 'PersistentVolumeClaim', ns, `data-db-${i}-new`), undefined, 'the copies are gone');
        }
        assert.equal(emu.store.list('v1', 'Pod', ns).filter((x: Json) => x.metadata.name.includes('migrator')).length, 0);
        // Planning again finds nothing left to do.
        const again = await mustPlan('volumeresize-rollback', { name: 'shrink', namespace: ns });
        assert.equal(again.phases.length, 0, again.title);
      });
    }
  }
});

describe('volumeresize-rollback, guided and refused', () => {
  test('one step at a time: each plan holds the next step only, until nothing is left; the last one verifies', async () => {
    const { ns, oldPvs } = await failedMigration('migrator', 0);
    const titles: string[] = [];
    for (let i = 0; i < 6; i++) {
      const p = await mustPlan('volumeresize-rollback', { name: 'shrink', namespace: ns, oneStep: true });
      if (p.phases.length === 0) break;
      titles.push(p.phases[0]!.title);
      assert.equal(p.phases.length, 1);
      const r = await applyPlan(conn, p, { journalNamespace: 'journal' });
      assert.equal(r.outcome, 'applied', r.message);
      if (p.checks.length > 0) assert.equal(r.verification?.state, 'verified', r.verification?.message);
    }
    assert.deepEqual(titles, ['Stop the copies', "Release the copies' claims", 'Restore the StatefulSet']);
    assert.equal(get('v1', 'PersistentVolumeClaim', ns, 'data-db-0')!.spec.volumeName, oldPvs[0]);
  });

  test('refused where data would be at risk: the old PV gone, a PVC in use, not Failed', async () => {
    const gone = await failedMigration('replace-create-pvc', 0);
    emu.store.delete('v1', 'PersistentVolume', undefined, gone.oldPvs[0]!);
    const r1 = await plan('volumeresize-rollback', { name: 'shrink', namespace: gone.ns });
    assert.ok(!r1.ok);
    assert.match(r1.message, new RegExp(`replica 0 × data: its old PV ${gone.oldPvs[0]} is gone: the data it held cannot be brought back`));

    const used = await failedMigration('migrator', 1);
    emu.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: used.ns }, spec: { nodeName: 'node-1', volumes: [{ name: 'x', persistentVolumeClaim: { claimName: 'data-db-1-new' } }] }, status: { phase: 'Running' } });
    const r2 = await plan('volumeresize-rollback', { name: 'shrink', namespace: used.ns });
    assert.ok(!r2.ok);
    assert.match(r2.message, /PVC vr-\d+\/data-db-1-new is in use by pod debug \(Running\)/);

    const ns = fresh();
    await seedStatefulSet(emu, sim, { namespace: ns, replicas: 1 });
    const h = sim.operator.hold({ step: 'migrator', namespace: ns });
    emu.store.create(volumeResize('shrink', [{ name: 'data', newSize: '4Gi' }], { namespace: ns }));
    await h.reached;
    const r3 = await plan('volumeresize-rollback', { name: 'shrink', namespace: ns });
    h.release();
    assert.ok(!r3.ok);
    assert.match(r3.message, /is Syncing, not Failed: rollback is for a migration that failed and stopped/);
  });

  test('a write refused half-way (the 3rd): apply again finishes the rollback', async (t) => {
    const { ns, oldPvs } = await failedMigration('replace-create-pvc', 1);
    const p = await mustPlan('volumeresize-rollback', { name: 'shrink', namespace: ns });
    emu.faults.failNext({ writes: true, dryRun: false, skip: 2, notPath: /configmaps/ }, 500);
    const first = await applyPlan(conn, p, { journalNamespace: 'journal' });
    assert.equal(first.outcome, 'failed', first.message);
    assert.match(first.message, /Apply again to finish/);
    emu.faults.reset();
    const again = await mustPlan('volumeresize-rollback', { name: 'shrink', namespace: ns });
    const second = await applyPlan(conn, again, { journalNamespace: 'journal' });
    assert.equal(second.outcome, 'applied', second.message);
    assert.equal(second.verification?.state, 'verified', second.verification?.message);
    assert.equal(get('v1', 'PersistentVolumeClaim', ns, 'data-db-1')!.spec.volumeName, oldPvs[1]);
    void t;
  });
});
