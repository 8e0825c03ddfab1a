// The gcp-images operation against each seeded platform, over HTTP through the real reader and the engine:
// detection names the right steps; the dry run lists exactly the golden-image snapshots (and stores nothing);
// apply changes what it says; a second apply (of the same plan, and planned again) changes nothing; verify
// reports what is pending until CDI (played by the test) re-imports; undo restores every edited object,
// deletes what the run created and leaves the re-imported golden images alone. Emulator only: each platform
// needs its own set of served API versions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import { applyPlan, dryRun } from '../../cluster/ops/engine.js';
import { assessGcpImages } from '../../cluster/ops/gcpImages/operation.js';
import { undoRuns } from '../../cluster/ops/undo.js';
import type { Plan } from '../../core/ops/types.js';
import { emulatorOnly, startTarget, type TestTarget } from '../cluster/target.js';
import type { Emulator } from '../emulator/index.js';
import { playCdi, type CdiPlayer } from '../gcpImages/cdiPlayer.js';
import { CRON_LABEL, platforms, type Platform, type PlatformName } from '../gcpImages/platforms.js';

const JOURNAL = 'kvs-gcp-journal';
type Obj = Record<string, any>;

interface World {
  platform: Platform;
  target: TestTarget;
  emu: Emulator;
  conn: ClusterConnection;
  cdi: CdiPlayer;
}

async function world(name: PlatformName): Promise<World> {
  const platform = platforms[name]();
  const target = await startTarget(platform.emulator);
  const emu = target.emulator!;
  for (const o of platform.objects) emu.store.upsert(o);
  const c = await connect({ kubeconfigPath: target.kubeconfigFile({ contextName: `lab-${name}` }), env: {} });
  if (!c.ok) throw new Error(c.error.message);
  return { platform, target, emu, conn: c.value, cdi: playCdi(emu, { automatic: name === 'openshift422' }) };
}

async function close(w: World | undefined): Promise<void> {
  if (!w) return;
  w.cdi.stop();
  w.conn.dispose();
  await w.target.close();
}

async function assess(w: World, options: Record<string, string> = {}) {
  const a = await assessGcpImages(w.conn, options);
  assert.ok(a.ok, a.ok ? '' : a.message);
  return a.assessed;
}

async function planOf(w: World, options: Record<string, string> = {}): Promise<Plan> {
  const r = (await assess(w, options)).result;
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.plan;
}

const get = (w: World, apiVersion: string, kind: string, ns: string | undefined, name: string) => w.emu.store.get(apiVersion, kind, ns, name) as Obj | undefined;
const snapshots = (w: World, ns: string) => (w.emu.store.list('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', ns) as Obj[]).map((s) => s.metadata.name).sort();

/** What undo must bring back: the objects the workaround edits, without server fields and status. */
function editable(w: World): Obj {
  const strip = (o: Obj | undefined) => {
    if (!o) return null;
    const { status: _s, metadata, ...rest } = o;
    const { resourceVersion: _r, managedFields: _m, generation: _g, uid: _u, creationTimestamp: _c, ...meta } = metadata;
    return { ...rest, metadata: meta };
  };
  return {
    classes: (w.emu.store.list('storage.k8s.io/v1', 'StorageClass') as Obj[]).map(strip),
    snapshotClasses: (w.emu.store.list('snapshot.storage.k8s.io/v1', 'VolumeSnapshotClass') as Obj[]).map(strip),
    hco: (w.emu.store.list('hco.kubevirt.io/v1beta1', 'HyperConverged') as Obj[]).map(strip),
    crons: (w.emu.store.list('cdi.kubevirt.io/v1beta1', 'DataImportCron') as Obj[]).map(strip),
  };
}

function manualPlatform(name: 'gke' | 'openshift421', hcoVersion: string, templatesPath: string[]) {
  describe(`gcp-images on ${name}`, () => {
    let w: World | undefined;
    let plan: Plan;
    let before0: Obj;
    before(async () => {
      w = await world(name);
    });
    after(() => close(w));
    const ns = () => w!.platform.goldenNamespace;

    test('detection names the steps; the reader finds HCO at its API version', async (t) => {
      if (emulatorOnly(t, w!.target, 'a whole seeded platform')) return;
      const a = await assess(w!);
      assert.deepEqual(a.detection.steps.map((s) => s.state), w!.platform.expected, a.detection.steps.map((s) => `${s.step} ${s.state}: ${s.reason}`).join('\n'));
      assert.equal(a.situation.hco?.apiVersion, hcoVersion);
      plan = await planOf(w!);
      before0 = editable(w!);
    });

    test('the dry run lists exactly the golden-image snapshots to delete and stores nothing', async (t) => {
      if (emulatorOnly(t, w!.target, 'a whole seeded platform')) return;
      const r = await dryRun(w!.conn, plan);
      assert.ok(r.ok, r.ok ? '' : r.message);
      const deletes = r.report.outcomes.filter((o) => o.action === 'delete').map((o) => `${o.ref.namespace}/${o.ref.name}`);
      const golden = (w!.platform.objects as Obj[]).filter((o) => o.kind === 'VolumeSnapshot' && o.metadata.namespace === ns() && o.metadata.labels?.[CRON_LABEL]).map((o) => `${ns()}/${o.metadata.name}`).sort();
      assert.deepEqual(deletes.sort(), golden);
      assert.ok(r.report.outcomes.some((o) => o.ref.kind === 'HyperConverged' && o.action === 'update'));
      assert.deepEqual(editable(w!), before0);
      assert.equal(get(w!, 'storage.k8s.io/v1', 'StorageClass', undefined, 'cnv-images'), undefined);
    });

    test('apply: every step applied in order, the HCO list at its path, only golden-image snapshots deleted', async (t) => {
      if (emulatorOnly(t, w!.target, 'a whole seeded platform')) return;
      const progress: string[] = [];
      const r = await applyPlan(w!.conn, plan, { journalNamespace: JOURNAL, progress: (p) => progress.push(`${p.stage}: ${p.message}`) });
      assert.equal(r.outcome, 'applied', r.message);
      assert.equal(r.verification?.state, 'partial', r.verification?.message);
      assert.match(r.verification?.message ?? '', /CDI reports StorageProfile cnv-images's effective settings: snapshot class cnv-images/);
      assert.ok(progress.some((l) => l.startsWith('apply: Step 1: A StorageClass for golden images: creating StorageClass cnv-images')), progress.join('\n'));
      assert.equal(get(w!, 'storage.k8s.io/v1', 'StorageClass', undefined, 'cnv-images')?.parameters?.type, 'hyperdisk-balanced');
      assert.equal(get(w!, 'snapshot.storage.k8s.io/v1', 'VolumeSnapshotClass', undefined, 'cnv-images')?.parameters?.['snapshot-type'], 'images');
      assert.equal(get(w!, 'cdi.kubevirt.io/v1beta1', 'StorageProfile', undefined, 'cnv-images')?.spec?.snapshotClass, 'cnv-images');
      const hco = (w!.emu.store.list(hcoVersion, 'HyperConverged') as Obj[])[0]!;
      let list: any = hco;
      for (const k of templatesPath) list = list?.[k];
      assert.ok(Array.isArray(list) && list.length > 0);
      for (const t of list as Obj[]) if (t.spec) assert.equal(t.spec.template.spec.storage.storageClassName, 'cnv-images');
      assert.deepEqual(snapshots(w!, ns()), ['manual-backup']);
      assert.deepEqual(snapshots(w!, 'vms'), ['vm-cron-copy']);
    });

    test('a second apply changes nothing: the same plan, and planned again (nothing left to do)', async (t) => {
      if (emulatorOnly(t, w!.target, 'a whole seeded platform')) return;
      const again = await applyPlan(w!.conn, plan, { journalNamespace: JOURNAL });
      assert.equal(again.outcome, 'unchanged', again.message);
      const a = await assess(w!);
      assert.deepEqual(a.detection.steps.slice(0, 6).map((s) => s.state), ['done', 'done', 'done', 'done', 'done', 'not-needed'], a.detection.steps.map((s) => `${s.step} ${s.state}: ${s.reason}`).join('\n'));
      const replanned = await planOf(w!);
      assert.equal(replanned.phases.length, 0);
      const r = await applyPlan(w!.conn, replanned, { journalNamespace: JOURNAL });
      assert.equal(r.outcome, 'unchanged');
    });

    test('verify: pending until CDI has re-imported, then verified; it can be run again', async (t) => {
      if (emulatorOnly(t, w!.target, 'a whole seeded platform')) return;
      const pending = (await assess(w!)).detection.verification;
      assert.equal(pending.state, 'pending');
      assert.deepEqual(pending.items.map((i) => [i.id, i.state]), [['storage-profile', 'passed'], ['golden-snapshots', 'pending'], ['vm-disks', name === 'gke' ? 'passed' : 'pending']]);
      assert.match(pending.items[1]!.message, /No golden-image VolumeSnapshot in .* yet/);
      w!.cdi.reimport(ns(), 'cnv-images');
      const v = (await assess(w!)).detection.verification;
      assert.equal(v.items[1]!.state, 'passed', v.summary);
      assert.match(v.items[1]!.message, /use cnv-images and are ready/);
      assert.equal((await assess(w!)).detection.verification.items[1]!.state, 'passed', 'again: the same');
    });

    test('undo restores every edited object, deletes what the run created, and leaves the re-imported golden images', async (t) => {
      if (emulatorOnly(t, w!.target, 'a whole seeded platform')) return;
      const reimported = snapshots(w!, ns());
      const r = await undoRuns(w!.conn, JOURNAL, { operations: ['gcp-images'] }, { force: false });
      assert.ok(r.ok, r.message);
      assert.deepEqual(editable(w!), before0);
      assert.equal(get(w!, 'storage.k8s.io/v1', 'StorageClass', undefined, 'cnv-images'), undefined);
      assert.deepEqual(snapshots(w!, ns()), reimported);
      const again = await undoRuns(w!.conn, JOURNAL, { operations: ['gcp-images'] }, { force: false });
      assert.match(again.message, /Nothing to undo/);
    });
  });
}

manualPlatform('gke', 'hco.kubevirt.io/v1', ['spec', 'workloadSources', 'dataImportCronTemplates']);
manualPlatform('openshift421', 'hco.kubevirt.io/v1beta1', ['spec', 'dataImportCronTemplates']);

describe('gcp-images on openshift422', () => {
  let w: World | undefined;
  before(async () => {
    w = await world('openshift422');
  });
  after(() => close(w));
  const ns = 'openshift-virtualization-os-images';

  test('detection: the platform does it; apply and a second apply change nothing; undo has nothing', async (t) => {
    if (emulatorOnly(t, w!.target, 'a whole seeded platform')) return;
    const a = await assess(w!);
    assert.deepEqual(a.detection.steps.map((s) => s.state), w!.platform.expected);
    const plan = await planOf(w!);
    assert.equal(plan.phases.length, 0);
    for (let i = 0; i < 2; i++) assert.equal((await applyPlan(w!.conn, plan, { journalNamespace: JOURNAL })).outcome, 'unchanged');
    assert.match((await undoRuns(w!.conn, JOURNAL, { operations: ['gcp-images'] }, { force: false })).message, /Nothing to undo/);
  });

  test('verify: the snapshot imported before the upgrade is pending until CDI re-imports it', async (t) => {
    if (emulatorOnly(t, w!.target, 'a whole seeded platform')) return;
    const v = (await assess(w!)).detection.verification;
    assert.deepEqual(v.items.map((i) => i.state), ['passed', 'pending', 'passed']);
    assert.match(v.items[1]!.message, /1 of 2 still use another class \(fedora-12ab34cd56ef: csi-gce-pd-vsc\)/);
  });

  test('forced step 6 (advised against): deletes only the stale golden image; its undo is irreversible', async (t) => {
    if (emulatorOnly(t, w!.target, 'a whole seeded platform')) return;
    const plan = await planOf(w!, { steps: '6' });
    assert.match(plan.advice ?? '', /The platform does this step itself/);
    const r = await applyPlan(w!.conn, plan, { journalNamespace: JOURNAL });
    assert.equal(r.outcome, 'applied', r.message);
    assert.deepEqual(snapshots(w!, ns), ['manual-backup', 'rhel9-ab12cd34ef56']);
    const u = await undoRuns(w!.conn, JOURNAL, { operations: ['gcp-images'] }, { force: false });
    assert.ok(u.ok, u.message);
    assert.deepEqual(snapshots(w!, ns), ['manual-backup', 'rhel9-ab12cd34ef56'], 'not brought back: CDI re-imports it');
    w!.cdi.reimport(ns, 'csi-gce-pd-vsc-images');
    assert.equal((await assess(w!)).detection.verification.state, 'verified');
  });

  test('forced step 5 (with the steps it builds on) patches the v1 path; undo removes all of it', async (t) => {
    if (emulatorOnly(t, w!.target, 'a whole seeded platform')) return;
    const before1 = editable(w!);
    const plan = await planOf(w!, { steps: '5' });
    assert.deepEqual(plan.phases.map((p) => p.id), ['images-storage-class', 'storage-profile', 'golden-image-templates']);
    const r = await applyPlan(w!.conn, plan, { journalNamespace: JOURNAL });
    assert.equal(r.outcome, 'applied', r.message);
    const hco = get(w!, 'hco.kubevirt.io/v1', 'HyperConverged', 'openshift-cnv', 'kubevirt-hyperconverged')!;
    assert.deepEqual(hco.spec.workloadSources.dataImportCronTemplates.map((t: Obj) => t.spec.template.spec.storage.storageClassName), ['cnv-images', 'cnv-images']);
    assert.equal(hco.spec.dataImportCronTemplates, undefined, 'nothing at the v1beta1 path');
    const u = await undoRuns(w!.conn, JOURNAL, { operations: ['gcp-images'] }, { force: false });
    assert.ok(u.ok, u.message);
    assert.deepEqual(editable(w!), before1);
  });
});
