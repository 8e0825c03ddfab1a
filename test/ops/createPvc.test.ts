// The create-pvc operation against the API emulator and the real kube-apiserver: its reader finds the classes,
// StorageProfiles, CDI and the clone source; the engine dry-runs, creates, waits for Bound (the PV binder is
// played by the test), verifies; generateName gets the generated name in its wait; a WaitForFirstConsumer class
// is explained instead; a second run finds nothing to create; undo deletes the PVC. Not on a real cluster: it
// writes a virt default class and CDI's cluster-scoped objects, which a shared cluster must not get.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import { planCreatePvcOn } from '../../cluster/ops/createPvc/operation.js';
import { applyPlan } from '../../cluster/ops/engine.js';
import { undoRuns } from '../../cluster/ops/undo.js';
import { LABEL } from '../../core/kinds/index.js';
import { describeTargets, type TestTarget } from '../cluster/target.js';
import { until } from '../webhook/helpers.js';

const journal = 'kvs-create-pvc-journal';

describeTargets('create-pvc through the operations engine', (spec) => {
  let target: TestTarget;
  let conn: ClusterConnection;
  let ns: string;
  let stopBinder = () => undefined as void;

  before(async () => {
    target = await spec.start();
    ns = target.namespace;
    const c = await connect({ kubeconfigPath: target.kubeconfigFile(), env: {} });
    if (!c.ok) throw new Error(c.error.message);
    conn = c.value;
    await target.upsert(
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'nas', annotations: { 'storageclass.kubevirt.io/is-default-virt-class': 'true' } }, provisioner: 'csi.trident.netapp.io', volumeBindingMode: 'Immediate' },
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kubevirt.io.hostpath-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'nas' }, spec: {}, status: { claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }] } },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'local' }, spec: {}, status: { claimPropertySets: [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }] } },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDIConfig', metadata: { name: 'config' }, spec: {}, status: { filesystemOverhead: { global: '0.06' } } },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDI', metadata: { name: 'cdi' }, spec: {}, status: { observedVersion: 'v1.64.0' } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'golden', namespace: ns }, spec: { storageClassName: 'nas', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '12Gi' } } } },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'VolumeCloneSource', metadata: { name: 'golden', namespace: ns }, spec: { source: { kind: 'PersistentVolumeClaim', name: 'golden' } } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'unbound', namespace: ns }, spec: { storageClassName: 'nas', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } } } },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'VolumeCloneSource', metadata: { name: 'unbound', namespace: ns }, spec: { source: { kind: 'PersistentVolumeClaim', name: 'unbound' } } },
    );
    // CDI v1.64.0 sizes a clone only from a Bound source (cloneSizeFromSource); this one was provisioned larger than asked.
    await target.patchStatus('v1', 'PersistentVolumeClaim', ns, 'golden', { phase: 'Bound', capacity: { storage: '13Gi' } });
    await target.patchStatus('v1', 'PersistentVolumeClaim', ns, 'unbound', { phase: 'Pending' });
    // The PV controller, played: a PVC the tools create on an Immediate class binds.
    let stopped = false;
    const bind = async (): Promise<void> => {
      if (stopped) return;
      const listed = await conn.list('v1', 'PersistentVolumeClaim', ns);
      for (const x of listed.ok ? listed.value.items : []) {
        const o = x as { metadata?: { name?: string; labels?: Record<string, string> }; spec?: { storageClassName?: string }; status?: { phase?: string } };
        if (o.metadata?.name && o.metadata.labels?.[LABEL.appManagedBy] === 'kubevirt-storage-tools' && o.spec?.storageClassName === 'nas' && o.status?.phase !== 'Bound') {
          await target.patchStatus('v1', 'PersistentVolumeClaim', ns, o.metadata.name, { phase: 'Bound' }).catch(() => undefined);
        }
      }
      if (!stopped) setTimeout(() => void bind(), 10);
    };
    void bind();
    stopBinder = () => void (stopped = true);
  });

  after(async () => {
    stopBinder();
    conn?.dispose();
    await target?.close();
  });

  test('a named PVC: rendered as CDI would (virt default, the profile\'s modes, 1Gi + 6 %), created, Bound, verified; again: nothing to create; undo deletes it', async () => {
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
    // A real API server keeps a deleted PVC until its pvc-protection finalizer is removed (by the controller, once no
    // pod uses it): gone soon after, not at once.
    await until(async () => !(await conn.get('v1', 'PersistentVolumeClaim', ns, 'disk')).ok, 'undo deleted the PVC it created');
  });

  test('undo of a PVC something still holds: the delete is asked for, and the result says it is still terminating and why', async () => {
    const planned = await planCreatePvcOn(conn, { name: 'held', namespace: ns, size: '1Gi' }, { now: new Date() });
    assert.ok(planned.ok, !planned.ok ? planned.message : '');
    const r = await applyPlan(conn, planned.plan, { journalNamespace: journal });
    assert.equal(r.outcome, 'applied', r.message);
    const path = `/api/v1/namespaces/${ns}/persistentvolumeclaims/held`;
    const hold = await conn.request({ method: 'PATCH', path, body: JSON.stringify({ metadata: { finalizers: ['example.com/hold'] } }), contentType: 'application/merge-patch+json', what: 'hold' });
    assert.ok(hold.ok, !hold.ok ? hold.error.message : '');
    const u = await undoRuns(conn, journal, { runId: r.runId! }, { force: false, goneWaitMs: 0 });
    assert.ok(u.ok, u.message);
    assert.match(u.message, new RegExp(`PersistentVolumeClaim ${ns}/held \\(deletion requested; still terminating while finalizers [^)]*example\\.com/hold`));
    const release = await conn.request({ method: 'PATCH', path, body: JSON.stringify({ metadata: { finalizers: null } }), contentType: 'application/merge-patch+json', what: 'release' });
    assert.ok(release.ok, !release.ok ? release.error.message : '');
    await until(async () => !(await conn.get('v1', 'PersistentVolumeClaim', ns, 'held')).ok, 'the PVC is gone once its finalizers are');
  });

  test('generateName: the wait and the check follow the name the API server generated; a clone takes its source\'s size', async () => {
    const planned = await planCreatePvcOn(conn, { generateName: 'clone-', namespace: ns, dataSourceRefKind: 'VolumeCloneSource', dataSourceRefName: 'golden' }, { now: new Date() });
    assert.ok(planned.ok, !planned.ok ? planned.message : '');
    const write = planned.plan.phases[0]!.writes[0]!;
    assert.equal(write.action === 'create' ? (write.object['spec'] as { resources: { requests: { storage: string } } }).resources.requests.storage : '', '12Gi');
    const progress: string[] = [];
    const r = await applyPlan(conn, planned.plan, { journalNamespace: journal, progress: (p) => progress.push(p.message) });
    assert.equal(r.outcome, 'applied', r.message);
    assert.equal(r.verification?.state, 'verified', r.message);
    assert.ok(progress.some((m) => new RegExp(`PersistentVolumeClaim ${ns}/clone-\\w+ is Bound`).test(m)), progress.join('\n'));
  });

  test('a clone with no --size is sized as CDI\'s webhook would: the capacity to another class; v1.64 refuses an unbound source', async () => {
    const storageOf = (p: Awaited<ReturnType<typeof planCreatePvcOn>>) => {
      const w = p.ok ? p.plan.phases[0]!.writes[0] : undefined;
      return w?.action === 'create' ? (w.object['spec'] as { resources: { requests: { storage: string } } }).resources.requests.storage : undefined;
    };
    const local = await planCreatePvcOn(conn, { name: 'to-local', namespace: ns, storageClass: 'local', dataSourceRefKind: 'VolumeCloneSource', dataSourceRefName: 'golden' }, { now: new Date() });
    assert.equal(storageOf(local), '13Gi', 'class nas → local: status.capacity.storage, not the 12Gi request');
    // Changed: the older model ignored the source's phase and gave 5Gi; CDI v1.64.0 denies (source pvc is not bound).
    const pending = await planCreatePvcOn(conn, { name: 'from-pending', namespace: ns, dataSourceRefKind: 'VolumeCloneSource', dataSourceRefName: 'unbound' }, { now: new Date() });
    assert.equal(pending.ok, false);
    assert.match(!pending.ok ? pending.message : '', /^CDI would reject this PVC: source pvc is not bound$/);
  });

  test('a WaitForFirstConsumer class: no wait, the verification skipped with the reason', async () => {
    const planned = await planCreatePvcOn(conn, { name: 'local-disk', namespace: ns, size: '2Gi', storageClass: 'local' }, { now: new Date() });
    assert.ok(planned.ok, !planned.ok ? planned.message : '');
    assert.deepEqual(planned.plan.phases[0]!.waits, []);
    const r = await applyPlan(conn, planned.plan, { journalNamespace: journal });
    assert.equal(r.outcome, 'applied', r.message);
    assert.equal(r.verification?.state, 'skipped');
    assert.match(r.message, /WaitForFirstConsumer\): the PVC stays Pending until a pod/);
  });

  test('what cannot be created is said before anything is written', async () => {
    const missing = await planCreatePvcOn(conn, { name: 'x', namespace: ns, dataSourceRefKind: 'VolumeImportSource', dataSourceRefName: 'nope' }, { now: new Date() });
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.message : '', new RegExp(`VolumeImportSource ${ns}/nope does not exist`));
    const noSize = await planCreatePvcOn(conn, { name: 'x', namespace: ns }, { now: new Date() });
    assert.match(!noSize.ok ? noSize.message : '', /give --size/);
    const both = await planCreatePvcOn(conn, { name: 'x', generateName: 'y-', namespace: ns, size: '1Gi' }, { now: new Date() });
    assert.match(!both.ok ? both.message : '', /exactly one of --name and --generate-name/);
  });
}, { kinds: ['cluster'], why: 'it writes a virt default StorageClass and CDI objects, which a shared cluster must not get' });
