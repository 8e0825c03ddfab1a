// The operations engine (cluster/ops) over HTTP against each test target (the API emulator, the real API server
// of test/apiserver, or the real cluster of KVS_TEST_KUBECONFIG): dry-run stores nothing and says what it could not dry-run yet; apply records an undo
// journal in the cluster before changing anything; a second apply changes nothing; undo restores exactly the
// recorded fields and stops on a conflict; a write refused at the 1st, 2nd … Nth step leaves a state from
// which both "apply again" and "undo" work (fault injection: emulator only).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import { applyPlan, dryRun } from '../../cluster/ops/engine.js';
import { listJournals } from '../../cluster/ops/journalStore.js';
import { previewUndo, undoRuns } from '../../cluster/ops/undo.js';
import type { Plan } from '../../core/ops/types.js';
import { describeTargets, emulatorOnly, waitFor, type TargetSpec, type TestTarget } from '../cluster/target.js';

interface World {
  target: TestTarget;
  conn: ClusterConnection;
  ns: string;
  app: string;
  journal: string;
}

async function world(spec: TargetSpec): Promise<World> {
  const target = await spec.start();
  const c = await connect({ kubeconfigPath: target.kubeconfigFile(), env: {} });
  if (!c.ok) throw new Error(c.error.message);
  const ns = target.namespace;
  await target.upsert(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: ns }, data: { x: 'old', keep: '1' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned', namespace: ns, labels: { app: 'ops' } }, data: { keep: '1' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old', namespace: ns, labels: { gen: '1' } }, data: { was: 'here' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tmp-1', namespace: ns, labels: { tmp: 'true' } }, data: {} },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tmp-2', namespace: ns, labels: { tmp: 'true' } }, data: {} },
  );
  return { target, conn: c.value, ns, app: `${target.prefix}ops-app`, journal: `${target.prefix}journal` };
}

async function close(w: World): Promise<void> {
  w.conn.dispose();
  await w.target.close();
}

const cm = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });

function plan(w: World): Plan {
  return {
    operation: 'test-op',
    title: 'Test operation',
    target: { context: w.conn.context, server: w.conn.server, namespace: w.app },
    phases: [
      {
        id: 'setup',
        title: 'Set up',
        why: 'The app namespace and its settings.',
        writes: [
          { action: 'apply', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: w.app } } },
          { action: 'apply', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: w.app }, data: { a: '1' } } },
        ],
      },
      {
        id: 'edit',
        title: 'Edit',
        why: 'Objects that exist already.',
        writes: [
          { action: 'patch', target: cm(w.ns, 'shared'), patchType: 'merge', patch: { data: { x: 'new', y: 'added' } } },
          { action: 'apply', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned', namespace: w.ns }, data: { k: 'v' } } },
        ],
      },
      {
        id: 'cleanup',
        title: 'Clean up',
        why: 'What is no longer needed.',
        writes: [
          { action: 'delete', target: cm(w.ns, 'old'), undo: { kind: 'recreate' } },
          { action: 'deleteSelected', apiVersion: 'v1', kind: 'ConfigMap', namespace: w.ns, labelSelector: 'tmp=true', undo: { kind: 'irreversible', reason: 'scratch objects' } },
        ],
        waits: [{ kind: 'gone', target: cm(w.ns, 'old'), timeoutSeconds: 10 }],
      },
    ],
    checks: [{ kind: 'field', target: cm(w.ns, 'shared'), expect: [{ path: ['data', 'x'], equals: 'new', says: 'x is new' }], describe: 'the shared ConfigMap says x=new' }],
    notes: [],
  };
}

/** What the tests compare: the data of the seeded ConfigMaps, and which objects exist. */
async function state(w: World): Promise<Record<string, unknown>> {
  const data = async (ns: string, name: string): Promise<unknown> => {
    const r = await w.conn.get<{ data?: unknown; metadata?: { labels?: unknown } }>('v1', 'ConfigMap', ns, name);
    return r.ok ? { data: r.value.data ?? {}, labels: r.value.metadata?.labels ?? {} } : r.error.kind;
  };
  const nsState = await w.conn.get<{ metadata?: { deletionTimestamp?: string } }>('v1', 'Namespace', undefined, w.app);
  return {
    shared: await data(w.ns, 'shared'),
    owned: await data(w.ns, 'owned'),
    old: await data(w.ns, 'old'),
    settings: await data(w.app, 'settings'),
    // A real server keeps a deleted namespace Terminating without its controller: gone or going counts as gone.
    app: nsState.ok && !nsState.value.metadata?.deletionTimestamp ? 'present' : 'gone',
  };
}

const runOpts = (w: World) => ({ journalNamespace: w.journal, now: () => new Date() });

describeTargets('operations engine', (spec) => {
  let w: World;
  before(async () => {
    w = await world(spec);
  });
  after(() => close(w));

  test('dry run: nothing stored; the namespaced writes of a namespace the plan creates are deferred, and said so', async () => {
    const before = await state(w);
    const r = await dryRun(w.conn, plan(w));
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.report.outcomes.map((o) => [o.ref.name, o.action, o.dryRun]), [
      [w.app, 'create', 'passed'],
      ['settings', 'create', 'deferred'],
      ['shared', 'update', 'passed'],
      ['owned', 'update', 'passed'],
      ['old', 'delete', 'passed'],
      ['tmp-1', 'delete', 'passed'],
      ['tmp-2', 'delete', 'passed'],
    ]);
    assert.match(r.report.summary, /passed for 6 of 7 writes \(1 to create, 2 to update, 3 to delete\)/);
    assert.match(r.report.summary, new RegExp(`1 write in namespace ${w.app}, which this plan creates, cannot be dry-run until it exists`));
    assert.deepEqual(await state(w), before);
    const journals = await listJournals(w.conn, w.journal);
    assert.ok(journals.ok && journals.value.length === 0, 'a dry run writes no journal');
  });

  test('apply: journal first, every write, the wait and the check; a second apply changes nothing; undo restores the start', async () => {
    const start = await state(w);
    const r = await applyPlan(w.conn, plan(w), runOpts(w));
    assert.equal(r.outcome, 'applied', r.message);
    assert.equal(r.verification?.state, 'verified', r.verification?.message);
    assert.ok(r.undoable);
    assert.deepEqual(await state(w), {
      shared: { data: { x: 'new', keep: '1', y: 'added' }, labels: {} },
      owned: { data: { keep: '1', k: 'v' }, labels: { app: 'ops' } },
      old: 'not-found',
      settings: { data: { a: '1' }, labels: {} },
      app: 'present',
    });
    const journals = await listJournals(w.conn, w.journal, 'test-op');
    assert.ok(journals.ok);
    assert.equal(journals.value.length, 1);
    assert.equal(journals.value[0]!.journal.state, 'applied');
    assert.deepEqual(journals.value[0]!.journal.entries.map((e) => [e.ref.name, e.change, e.state]), [
      [w.app, 'created', 'done'],
      ['settings', 'created', 'done'],
      ['shared', 'changed', 'done'],
      ['owned', 'changed', 'done'],
      ['old', 'deleted', 'done'],
      ['tmp-1', 'deleted', 'done'],
      ['tmp-2', 'deleted', 'done'],
    ]);

    const again = await applyPlan(w.conn, plan(w), runOpts(w));
    assert.equal(again.outcome, 'unchanged', `${again.message} ${JSON.stringify(again.dryRun?.outcomes.filter((o) => o.action === 'update'))}`);
    assert.match(again.message, /^Nothing to change/);
    const still = await listJournals(w.conn, w.journal, 'test-op');
    assert.ok(still.ok && still.value.length === 1, 'a no-op apply records no run');

    const preview = await previewUndo(w.conn, w.journal, { operations: ['test-op'], force: false });
    assert.ok(preview.ok);
    assert.deepEqual(preview.preview.runs[0]!.conflicts, []);
    assert.deepEqual(preview.preview.runs[0]!.steps.map((s) => s.kind), ['skip', 'skip', 'recreate', 'restore', 'restore', 'delete', 'delete']);
    const u = await undoRuns(w.conn, w.journal, { operations: ['test-op'] }, { force: false });
    assert.ok(u.ok, u.message);
    const end = await state(w);
    assert.deepEqual(end, { ...start, app: 'gone' });
    assert.equal(start['app'], 'gone');
    const nothing = await undoRuns(w.conn, w.journal, { operations: ['test-op'] }, { force: false });
    assert.ok(nothing.ok);
    assert.match(nothing.message, /^Nothing to undo/);
  });

  test('undo stops on a conflict: a field someone changed since is named, and nothing is changed', async () => {
    // The previous test's undo deleted the app namespace: a real server refuses new content in it while it is
    // Terminating (403), until the namespace controller has finalized it.
    await waitFor('the app namespace to be finalized', async () => {
      const r = await w.conn.get('v1', 'Namespace', undefined, w.app);
      return !r.ok && r.error.kind === 'not-found';
    }, 30_000);
    const r = await applyPlan(w.conn, plan(w), runOpts(w));
    assert.equal(r.outcome, 'applied', r.message);
    await w.target.upsert({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: w.ns }, data: { x: 'someone else', keep: '1', y: 'added' } });
    const before = await state(w);
    const u = await undoRuns(w.conn, w.journal, { operations: ['test-op'] }, { force: false });
    assert.equal(u.ok, false);
    assert.match(u.message, /ConfigMap .*\/shared was changed since this run \(data\.x\)/);
    assert.deepEqual(await state(w), before, 'nothing was undone');
    const forced = await undoRuns(w.conn, w.journal, { operations: ['test-op'] }, { force: true });
    assert.ok(forced.ok, forced.message);
    assert.deepEqual((await state(w))['shared'], { data: { x: 'old', keep: '1' }, labels: {} });
  });
});

describeTargets('operations engine: a write refused at each step (emulator only)', (spec) => {
  // Seven real writes: Namespace, settings, shared, owned, old, tmp-1, tmp-2. The journal's own writes are left alone.
  const journalPaths = /\/namespaces\/kvs-test-journal(\/|$)|\/api\/v1\/namespaces$/;
  for (let n = 1; n <= 7; n++) {
    test(`refused at write ${n}: the message says what was applied; undo restores the start; apply again finishes`, async (t) => {
      const w = await world(spec);
      try {
        if (emulatorOnly(t, w.target, 'injects a refused write')) return;
        const start = await state(w);
        w.target.emulator!.faults.failNext({ writes: true, dryRun: false, notPath: journalPaths, skip: n - 1 }, 500);
        const failed = await applyPlan(w.conn, plan(w), runOpts(w));
        assert.equal(failed.outcome, 'failed');
        assert.match(failed.message, new RegExp(`step ${n} of 7`));
        assert.match(failed.message, /Applied: .*\. Not applied: /);
        assert.equal(failed.steps.filter((s) => s.state === 'done').length, n - 1);
        assert.equal(failed.undoable, n > 1);

        const u = await undoRuns(w.conn, w.journal, { operations: ['test-op'] }, { force: false });
        assert.ok(u.ok, u.message);
        assert.deepEqual(await state(w), start, 'undo after the failure restores the start');

        // The irreversible deletes of the selected scratch objects stay done once done: reseed them.
        await w.target.upsert(
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tmp-1', namespace: w.ns, labels: { tmp: 'true' } }, data: {} },
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tmp-2', namespace: w.ns, labels: { tmp: 'true' } }, data: {} },
        );
        w.target.emulator!.faults.failNext({ writes: true, dryRun: false, notPath: journalPaths, skip: n - 1 }, 500);
        const again = await applyPlan(w.conn, plan(w), runOpts(w));
        assert.equal(again.outcome, 'failed');
        const finished = await applyPlan(w.conn, plan(w), runOpts(w));
        assert.equal(finished.outcome, 'applied', finished.message);
        assert.equal((await state(w))['app'], 'present');
        const all = await undoRuns(w.conn, w.journal, { operations: ['test-op'] }, { force: false });
        assert.ok(all.ok, all.message);
        assert.deepEqual(await state(w), start, 'undo of both runs restores the start');
      } finally {
        await close(w);
      }
    });
  }

  test('the deferred dry run fails after the namespace was created: it is deleted again, nothing is left applied', async (t) => {
    const w = await world(spec);
    try {
      if (emulatorOnly(t, w.target, 'injects a refused dry run')) return;
      const start = await state(w);
      w.target.emulator!.faults.failNext({ dryRun: true, path: new RegExp(`/namespaces/${w.app}/configmaps/settings$`) }, 422);
      const r = await applyPlan(w.conn, plan(w), runOpts(w));
      assert.equal(r.outcome, 'failed');
      assert.match(r.message, /The dry run failed at ConfigMap .*settings/);
      assert.match(r.message, /deleted again: nothing is left applied/);
      assert.equal(r.undoable, false);
      assert.deepEqual(await state(w), start);
    } finally {
      await close(w);
    }
  });

  test('cancelled between writes: reports what was applied; undo removes it', async (t) => {
    const w = await world(spec);
    try {
      if (emulatorOnly(t, w.target, 'cancels at a precise step')) return;
      const start = await state(w);
      const abort = new AbortController();
      const r = await applyPlan(w.conn, plan(w), {
        ...runOpts(w),
        signal: abort.signal,
        progress: (p) => {
          if (p.stage === 'apply' && p.message.includes('(3/7)')) abort.abort();
        },
      });
      assert.equal(r.outcome, 'cancelled', r.message);
      assert.match(r.message, /^Cancelled\. Applied: Namespace .*, ConfigMap .*settings\./);
      const u = await undoRuns(w.conn, w.journal, { operations: ['test-op'] }, { force: false });
      assert.ok(u.ok, u.message);
      assert.deepEqual(await state(w), start);
    } finally {
      await close(w);
    }
  });
}, { kinds: ['apiserver', 'cluster'], why: 'every test injects a fault, which only the emulator can' });
