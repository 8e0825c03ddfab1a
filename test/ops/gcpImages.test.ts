// The gcp-images operation against each seeded platform, over HTTP through the real reader and the engine, on
// each test target (the API emulator, and the real API server of test/apiserver): detection names the right
// steps; the dry run lists exactly the golden-image snapshots (and stores nothing); apply changes what it says; a
// second apply (of the same plan, and planned again) changes nothing; verify reports what is pending until CDI
// (played by the test) re-imports; undo restores every edited object, deletes what the run created and leaves
// the re-imported golden images alone. The OpenShift 4.21 platform needs an HCO that serves v1beta1 only
// (emulator only); no platform runs on a real cluster, which holds more than its seed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClusterConnection } from '../../cluster/connection.js';
import { applyPlan, dryRun } from '../../cluster/ops/engine.js';
import { assessGcpImages } from '../../cluster/ops/gcpImages/operation.js';
import { undoRuns } from '../../cluster/ops/undo.js';
import type { KubeObject } from '../../cluster/paths.js';
import type { Plan } from '../../core/ops/types.js';
import { connectAdmin, describeTargets, type TargetSpec, type TestTarget } from '../cluster/target.js';
import { cronsOf, emulatorStore, playCdi, targetStore, type CdiPlayer } from '../gcpImages/cdiPlayer.js';
import { CRON_LABEL, platforms, type Platform, type PlatformName } from '../gcpImages/platforms.js';

const JOURNAL = 'kvs-gcp-journal';
type Obj = Record<string, any>;

interface World {
  platform: Platform;
  target: TestTarget;
  conn: ClusterConnection;
  cdi: CdiPlayer;
}

async function world(spec: TargetSpec, name: PlatformName): Promise<World> {
  const platform = platforms[name]();
  // The API server takes only withoutGroups: it serves what its CRDs define (no DataImportCron, no OpenShift groups).
  const target = await spec.start(spec.kind === 'emulator' ? platform.emulator : {});
  const conn = await connectAdmin(target);
  // What the target does not serve is left out (the test API server has no DataImportCron, no OpenShift groups).
  const served: KubeObject[] = [];
  for (const o of platform.objects as KubeObject[]) if ((await conn.resource(o.apiVersion ?? '', o.kind ?? '')).ok) served.push(o);
  await target.seed(...served.filter((o) => o.kind === 'Namespace'));
  await target.seed(...served.filter((o) => o.kind !== 'Namespace'));
  const store = target.emulator ? emulatorStore(target.emulator) : targetStore(target, conn);
  return { platform, target, conn, cdi: playCdi(store, { automatic: name === 'openshift422', everyMs: target.emulator ? 5 : 20 }) };
}

async function close(w: World | undefined): Promise<void> {
  if (!w) return;
  await w.cdi.stop();
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

async function get(w: World, apiVersion: string, kind: string, ns: string | undefined, name: string): Promise<Obj | undefined> {
  const r = await w.conn.get<Obj>(apiVersion, kind, ns, name);
  if (!r.ok && r.error.kind === 'not-found') return undefined;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function list(w: World, apiVersion: string, kind: string, ns?: string): Promise<Obj[]> {
  const r = await w.conn.list<Obj>(apiVersion, kind, ns);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.items;
}

const snapshots = async (w: World, ns: string) => (await list(w, 'snapshot.storage.k8s.io/v1', 'VolumeSnapshot', ns)).map((s) => s.metadata.name).sort();

/** What undo must bring back: the objects the workaround edits, without server fields and status. */
async function editable(w: World, hcoVersion = 'hco.kubevirt.io/v1'): Promise<Obj> {
  const strip = (o: Obj) => {
    const { status: _s, metadata, ...rest } = o;
    const { resourceVersion: _r, managedFields: _m, generation: _g, uid: _u, creationTimestamp: _c, ...meta } = metadata;
    return { ...rest, metadata: meta };
  };
  const of = async (apiVersion: string, kind: string) => (await list(w, apiVersion, kind)).map(strip).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  return {
    classes: await of('storage.k8s.io/v1', 'StorageClass'),
    snapshotClasses: await of('snapshot.storage.k8s.io/v1', 'VolumeSnapshotClass'),
    hco: await of(hcoVersion, 'HyperConverged'),
  };
}

function manualPlatform(name: 'gke' | 'openshift421', hcoVersion: string, templatesPath: string[], except?: { kinds: ('emulator' | 'apiserver' | 'cluster')[]; why: string }) {
  describeTargets(`gcp-images on ${name}`, (spec) => {
    let w: World | undefined;
    let plan: Plan;
    let before0: Obj;
    before(async () => {
      w = await world(spec, name);
    });
    after(() => close(w));
    const ns = () => w!.platform.goldenNamespace;

    test('detection names the steps; the reader finds HCO at its API version', async () => {
      const a = await assess(w!);
      assert.deepEqual(a.detection.steps.map((s) => s.state), w!.platform.expected, a.detection.steps.map((s) => `${s.step} ${s.state}: ${s.reason}`).join('\n'));
      assert.equal(a.situation.hco?.apiVersion, hcoVersion);
      assert.equal(a.situation.golden.namespace, ns());
      plan = await planOf(w!);
      before0 = await editable(w!, hcoVersion);
    });

    test('the dry run lists exactly the golden-image snapshots to delete and stores nothing', async () => {
      const r = await dryRun(w!.conn, plan);
      assert.ok(r.ok, r.ok ? '' : r.message);
      const deletes = r.report.outcomes.filter((o) => o.action === 'delete').map((o) => `${o.ref.namespace}/${o.ref.name}`);
      const golden = (w!.platform.objects as Obj[]).filter((o) => o.kind === 'VolumeSnapshot' && o.metadata.namespace === ns() && o.metadata.labels?.[CRON_LABEL]).map((o) => `${ns()}/${o.metadata.name}`).sort();
      assert.deepEqual(deletes.sort(), golden);
      assert.ok(r.report.outcomes.some((o) => o.ref.kind === 'HyperConverged' && o.action === 'update'));
      assert.deepEqual(await editable(w!, hcoVersion), before0);
      assert.equal(await get(w!, 'storage.k8s.io/v1', 'StorageClass', undefined, 'cnv-images'), undefined);
    });

    test('apply: every step applied in order, the HCO list at its path, only golden-image snapshots deleted', async () => {
      const progress: string[] = [];
      const r = await applyPlan(w!.conn, plan, { journalNamespace: JOURNAL, progress: (p) => progress.push(`${p.stage}: ${p.message}`) });
      assert.equal(r.outcome, 'applied', r.message);
      assert.equal(r.verification?.state, 'partial', r.verification?.message);
      assert.match(r.verification?.message ?? '', /CDI reports StorageProfile cnv-images's effective settings: snapshot class cnv-images/);
      assert.ok(progress.some((l) => l.startsWith('apply: Step 1: A StorageClass for golden images: creating StorageClass cnv-images')), progress.join('\n'));
      assert.equal((await get(w!, 'storage.k8s.io/v1', 'StorageClass', undefined, 'cnv-images'))?.parameters?.type, 'hyperdisk-balanced');
      assert.equal((await get(w!, 'snapshot.storage.k8s.io/v1', 'VolumeSnapshotClass', undefined, 'cnv-images'))?.parameters?.['snapshot-type'], 'images');
      assert.equal((await get(w!, 'cdi.kubevirt.io/v1beta1', 'StorageProfile', undefined, 'cnv-images'))?.spec?.snapshotClass, 'cnv-images');
      const hco = (await list(w!, hcoVersion, 'HyperConverged'))[0]!;
      let templates: any = hco;
      for (const k of templatesPath) templates = templates?.[k];
      assert.ok(Array.isArray(templates) && templates.length > 0);
      for (const t of templates as Obj[]) if (t.spec) assert.equal(t.spec.template.spec.storage.storageClassName, 'cnv-images');
      assert.deepEqual(await snapshots(w!, ns()), ['manual-backup']);
      assert.deepEqual(await snapshots(w!, 'vms'), ['vm-cron-copy']);
    });

    test('a second apply changes nothing: the same plan, and planned again (nothing left to do)', async () => {
      const again = await applyPlan(w!.conn, plan, { journalNamespace: JOURNAL });
      assert.equal(again.outcome, 'unchanged', again.message);
      const a = await assess(w!);
      assert.deepEqual(a.detection.steps.slice(0, 6).map((s) => s.state), ['done', 'done', 'done', 'done', 'done', 'not-needed'], a.detection.steps.map((s) => `${s.step} ${s.state}: ${s.reason}`).join('\n'));
      const replanned = await planOf(w!);
      assert.equal(replanned.phases.length, 0);
      assert.equal((await applyPlan(w!.conn, replanned, { journalNamespace: JOURNAL })).outcome, 'unchanged');
    });

    test('verify: pending until CDI has re-imported, then verified; it can be run again', async () => {
      const pending = (await assess(w!)).detection.verification;
      assert.equal(pending.state, 'pending');
      assert.deepEqual(pending.items.map((i) => [i.id, i.state]), [['storage-profile', 'passed'], ['golden-snapshots', 'pending'], ['vm-disks', name === 'gke' ? 'passed' : 'pending']]);
      assert.match(pending.items[1]!.message, /No golden-image VolumeSnapshot in .* yet/);
      await w!.cdi.reimport(ns(), 'cnv-images', cronsOf(w!.platform.objects, ns()));
      const v = (await assess(w!)).detection.verification;
      assert.equal(v.items[1]!.state, 'passed', v.summary);
      assert.match(v.items[1]!.message, /use cnv-images and are ready/);
      assert.equal((await assess(w!)).detection.verification.items[1]!.state, 'passed', 'again: the same');
    });

    test('undo restores every edited object, deletes what the run created, and leaves the re-imported golden images', async () => {
      const reimported = await snapshots(w!, ns());
      const r = await undoRuns(w!.conn, JOURNAL, { operations: ['gcp-images'] }, { force: false });
      assert.ok(r.ok, r.message);
      assert.deepEqual(await editable(w!, hcoVersion), before0);
      assert.equal(await get(w!, 'storage.k8s.io/v1', 'StorageClass', undefined, 'cnv-images'), undefined);
      assert.deepEqual(await snapshots(w!, ns()), reimported);
      assert.match((await undoRuns(w!.conn, JOURNAL, { operations: ['gcp-images'] }, { force: false })).message, /Nothing to undo/);
    });
  }, except ?? { kinds: ['cluster'], why: 'seeds a whole platform: a real cluster holds more than the seed' });
}

manualPlatform('gke', 'hco.kubevirt.io/v1', ['spec', 'workloadSources', 'dataImportCronTemplates']);
manualPlatform('openshift421', 'hco.kubevirt.io/v1beta1', ['spec', 'dataImportCronTemplates'], {
  kinds: ['apiserver', 'cluster'],
  why: 'an HCO before v1.18 serves v1beta1 only; the test API server serves both versions',
});

describeTargets('gcp-images on openshift422', (spec) => {
  let w: World | undefined;
  before(async () => {
    w = await world(spec, 'openshift422');
  });
  after(() => close(w));
  const ns = 'openshift-virtualization-os-images';

  test('detection: the platform does it; apply and a second apply change nothing; undo has nothing', async () => {
    const a = await assess(w!);
    assert.deepEqual(a.detection.steps.map((s) => s.state), w!.platform.expected);
    const plan = await planOf(w!);
    assert.equal(plan.phases.length, 0);
    for (let i = 0; i < 2; i++) assert.equal((await applyPlan(w!.conn, plan, { journalNamespace: JOURNAL })).outcome, 'unchanged');
    assert.match((await undoRuns(w!.conn, JOURNAL, { operations: ['gcp-images'] }, { force: false })).message, /Nothing to undo/);
  });

  test('verify: the snapshot imported before the upgrade is pending until CDI re-imports it', async () => {
    const v = (await assess(w!)).detection.verification;
    assert.deepEqual(v.items.map((i) => i.state), ['passed', 'pending', 'passed']);
    assert.match(v.items[1]!.message, /1 of 2 still use another class \(fedora-12ab34cd56ef: csi-gce-pd-vsc\)/);
  });

  test('forced step 6 (advised against): deletes only the stale golden image; its undo is irreversible', async () => {
    const plan = await planOf(w!, { steps: '6' });
    assert.match(plan.advice ?? '', /The platform does this step itself/);
    const r = await applyPlan(w!.conn, plan, { journalNamespace: JOURNAL });
    assert.equal(r.outcome, 'applied', r.message);
    assert.deepEqual(await snapshots(w!, ns), ['manual-backup', 'rhel9-ab12cd34ef56']);
    const u = await undoRuns(w!.conn, JOURNAL, { operations: ['gcp-images'] }, { force: false });
    assert.ok(u.ok, u.message);
    assert.deepEqual(await snapshots(w!, ns), ['manual-backup', 'rhel9-ab12cd34ef56'], 'not brought back: CDI re-imports it');
    await w!.cdi.reimport(ns, 'csi-gce-pd-vsc-images', [{ name: 'fedora-image-cron', source: 'fedora' }]);
    assert.equal((await assess(w!)).detection.verification.state, 'verified');
  });

  test('forced step 5 (with the steps it builds on) patches the v1 path; undo removes all of it', async () => {
    const before1 = await editable(w!);
    const plan = await planOf(w!, { steps: '5' });
    assert.deepEqual(plan.phases.map((p) => p.id), ['images-storage-class', 'storage-profile', 'golden-image-templates']);
    const r = await applyPlan(w!.conn, plan, { journalNamespace: JOURNAL });
    assert.equal(r.outcome, 'applied', r.message);
    const hco = (await get(w!, 'hco.kubevirt.io/v1', 'HyperConverged', 'openshift-cnv', 'kubevirt-hyperconverged'))!;
    assert.deepEqual(hco.spec.workloadSources.dataImportCronTemplates.map((t: Obj) => t.spec.template.spec.storage.storageClassName), ['cnv-images', 'cnv-images']);
    assert.equal(hco.spec.dataImportCronTemplates, undefined, 'nothing at the v1beta1 path');
    const u = await undoRuns(w!.conn, JOURNAL, { operations: ['gcp-images'] }, { force: false });
    assert.ok(u.ok, u.message);
    assert.deepEqual(await editable(w!), before1);
  });
}, { kinds: ['cluster'], why: 'seeds a whole platform: a real cluster holds more than the seed' });
