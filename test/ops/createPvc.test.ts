// The create-pvc operation against the API emulator: its reader finds the classes, StorageProfiles, CDI and the
// clone source; the engine dry-runs, creates, waits for Bound (the binder is played by the test), verifies;
// generateName gets the generated name in its wait; a WaitForFirstConsumer class is explained instead; a
// second run finds nothing to create; undo deletes the PVC. Emulator only: it writes a virt default class and
// CDI's cluster-scoped objects, which a shared real cluster must not get.
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import { planCreatePvcOn } from '../../cluster/ops/createPvc/operation.js';
import { applyPlan } from '../../cluster/ops/engine.js';
import { undoRuns } from '../../cluster/ops/undo.js';
import { LABEL } from '../../core/kinds/index.js';
import { emulatorOnly, startTarget, type TestTarget } from '../cluster/target.js';

const journal = 'kvs-create-pvc-journal';

describe('create-pvc through the operations engine', () => {
  let target: TestTarget;
  let conn: ClusterConnection;
  let ns: string;
  let stopBinder = () => undefined as void;

  before(async () => {
    target = await startTarget();
    ns = target.namespace;
    const c = await connect({ kubeconfigPath: target.kubeconfigFile(), env: {} });
    if (!c.ok) throw new Error(c.error.message);
    conn = c.value;
    if (target.kind !== 'emulator') return;
    await target.upsert(
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'nas', annotations: { 'storageclass.kubevirt.io/is-default-virt-class': 'true' } }, provisioner: 'csi.trident.netapp.io', volumeBindingMode: 'Immediate' },
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kubevirt.io.hostpath-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'nas' }, status: { claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }] } },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'local' }, status: { claimPropertySets: [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }] } },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDIConfig', metadata: { name: 'config' }, status: { filesystemOverhead: { global: '0.06' } } },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDI', metadata: { name: 'cdi' }, status: { observedVersion: 'v1.64.0' } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'golden', namespace: ns }, spec: { storageClassName: 'nas', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '12Gi' } } } },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'VolumeCloneSource', metadata: { name: 'golden', namespace: ns }, spec: { source: { kind: 'PersistentVolumeClaim', name: 'golden' } } },
    );
    // The PV controller, played: a PVC the tools create on an Immediate class binds.
    const em = target.emulator!;
    let stopped = false;
    const bind = (): void => {
      if (stopped) return;
      for (const x of em.store.list('v1', 'PersistentVolumeClaim', ns)) {
        const o = x as { metadata: { name: string; labels?: Record<string, string> }; spec?: { storageClassName?: string }; status?: { phase?: string } };
        if (o.metadata.labels?.[LABEL.appManagedBy] === 'kubevirt-storage-tools' && o.spec?.storageClassName === 'nas' && o.status?.phase === undefined) {
          em.store.patchStatus('v1', 'PersistentVolumeClaim', ns, o.metadata.name, { phase: 'Bound' });
        }
      }
      setTimeout(bind, 5);
    };
    bind();
    stopBinder = () => void (stopped = true);
  });

  after(async () => {
    stopBinder();
    conn?.dispose();
    await target?.close();
  });

  const skip = (t: TestContext) => emulatorOnly(t, target, 'it writes a virt default StorageClass and CDI objects');

  test('a named PVC: rendered as CDI would (virt default, the profile\'s modes, 1Gi + 6 %), created, Bound, verified; again: nothing to create; undo deletes it', async (t) => {
    if (skip(t)) return;
    const planned = await planCreatePvcOn(conn, { name: 'disk', namespace: ns, size: '1Gi' }, { now: new Date() });
    assert.ok(planned.ok, !planned.ok ? planned.message : '');
    const write = planned.plan.phases[0]!.writes[0]!;
    assert.equal(write.action, 'create');
    const spec = write.action === 'create' ? (write.object['spec'] as Record<string, unknown>) : {};
    assert.deepEqual(spec, { storageClassName: 'nas', accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem', resources: { requests: { storage: '1138166334' } } });
    const r = await applyPlan(conn, planned.plan, { journalNamespace: journal });
    assert.equal(r.outcome, 'applied', r.message);
    assert.equal(r.verification?.state, 'verified', r.message);
    const live = await conn.get<{ status?: { phase?: string } }>('v1', 'PersistentVolumeClaim', ns, 'disk');
    assert.ok(live.ok && live.value.status?.phase === 'Bound');
    const again = await planCreatePvcOn(conn, { name: 'disk', namespace: ns, size: '1Gi' }, { now: new Date() });
    assert.ok(again.ok && again.plan.phases.length === 0 && /exists already \(Bound\): nothing to create/.test(again.plan.title));
    const u = await undoRuns(conn, journal, { runId: r.runId! }, { force: false });
    assert.ok(u.ok, u.message);
    assert.equal((await conn.get('v1', 'PersistentVolumeClaim', ns, 'disk')).ok, false, 'undo deleted the PVC it created');
  });

  test('generateName: the wait and the check follow the name the API server generated; a clone takes its source\'s size', async (t) => {
    if (skip(t)) return;
    const planned = await planCreatePvcOn(conn, { generateName: 'clone-', namespace: ns, dataSourceRefKind: 'VolumeCloneSource', dataSourceRefName: 'golden' }, { now: new Date() });
    assert.ok(planned.ok, !planned.ok ? planned.message : '');
    const write = planned.plan.phases[0]!.writes[0]!;
    assert.equal(write.action === 'create' ? (write.object['spec'] as { resources: { requests: { storage: string } } }).resources.requests.storage : '', '12Gi');
    const progress: string[] = [];
    const r = await applyPlan(conn, planned.plan, { journalNamespace: journal, progress: (p) => progress.push(p.message) });
    assert.equal(r.outcome, 'applied', r.message);
    assert.equal(r.verification?.state, 'verified', r.message);
    assert.ok(progress.some((m) => /PersistentVolumeClaim kvs-test\/clone-\w+ is Bound/.test(m)), progress.join('\n'));
  });

  test('a WaitForFirstConsumer class: no wait, the verification skipped with the reason', async (t) => {
    if (skip(t)) return;
    const planned = await planCreatePvcOn(conn, { name: 'local-disk', namespace: ns, size: '2Gi', storageClass: 'local' }, { now: new Date() });
    assert.ok(planned.ok, !planned.ok ? planned.message : '');
    assert.deepEqual(planned.plan.phases[0]!.waits, []);
    const r = await applyPlan(conn, planned.plan, { journalNamespace: journal });
    assert.equal(r.outcome, 'applied', r.message);
    assert.equal(r.verification?.state, 'skipped');
    assert.match(r.message, /WaitForFirstConsumer\): the PVC stays Pending until a pod/);
  });

  test('what cannot be created is said before anything is written', async (t) => {
    if (skip(t)) return;
    const missing = await planCreatePvcOn(conn, { name: 'x', namespace: ns, dataSourceRefKind: 'VolumeImportSource', dataSourceRefName: 'nope' }, { now: new Date() });
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.message : '', /VolumeImportSource kvs-test\/nope does not exist/);
    const noSize = await planCreatePvcOn(conn, { name: 'x', namespace: ns }, { now: new Date() });
    assert.match(!noSize.ok ? noSize.message : '', /give --size/);
    const both = await planCreatePvcOn(conn, { name: 'x', generateName: 'y-', namespace: ns, size: '1Gi' }, { now: new Date() });
    assert.match(!both.ok ? both.message : '', /exactly one of --name and --generate-name/);
  });
});
