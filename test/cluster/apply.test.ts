/** Contract tests of cluster/apply.ts: server-side apply, dry run, conflicts, delete. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ClusterConnection } from '../../cluster/connection.js';
import type { KubeObject } from '../../cluster/paths.js';
import { needsUser, describeTargets, connectAdmin, type TestTarget } from './target.js';

describeTargets('cluster/apply', (spec) => {
  let target: TestTarget;
  let conn: ClusterConnection;

  before(async () => {
    target = await spec.start();
    conn = await connectAdmin(target);
  });

  after(async () => {
    await target.close();
  });

  const configMap = (name: string, data: Record<string, string>): KubeObject => ({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: target.namespace }, data,
  });

  async function data(name: string): Promise<Record<string, string> | 'absent'> {
    const r = await conn.get('v1', 'ConfigMap', target.namespace, name);
    if (!r.ok) {
      assert.equal(r.error.kind, 'not-found', r.error.message);
      return 'absent';
    }
    return (r.value.data ?? {}) as Record<string, string>;
  }

  test('apply: server-side apply creates and updates objects in order, returning what the server stored', async () => {
    const sc: KubeObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: `${target.prefix}applied` }, provisioner: 'example.com/csi' };
    const r = await conn.apply([configMap('first', { a: '1' }), sc], { fieldManager: 'kvs-test' });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(r.value.map((o) => o.metadata?.name), ['first', `${target.prefix}applied`]);
    assert.ok(r.value[0]!.metadata?.uid, 'the server answered with the stored object');
    assert.deepEqual(await data('first'), { a: '1' });
    const again = await conn.apply([configMap('first', { a: '2' })], { fieldManager: 'kvs-test' });
    assert.ok(again.ok, again.ok ? '' : again.error.message);
    assert.deepEqual(await data('first'), { a: '2' });
    const removed = await conn.remove([sc]);
    assert.ok(removed.ok);
  });

  test('apply: a dry run is validated and answered but stores nothing', async () => {
    const r = await conn.apply([configMap('dry', { a: '1' })], { fieldManager: 'kvs-test', dryRun: true });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.value[0]?.metadata?.name, 'dry');
    assert.deepEqual((r.value[0] as { data?: unknown }).data, { a: '1' });
    assert.equal(await data('dry'), 'absent');
    if (target.emulator) assert.equal(target.emulator.store.get('v1', 'ConfigMap', target.namespace, 'dry'), undefined);
    // A dry-run change to an existing object leaves it as it was.
    assert.ok((await conn.apply([configMap('kept', { a: '1' })], { fieldManager: 'kvs-test' })).ok);
    const change = await conn.apply([configMap('kept', { a: 'changed' })], { fieldManager: 'kvs-test', dryRun: true });
    assert.ok(change.ok, change.ok ? '' : change.error.message);
    assert.deepEqual((change.value[0] as { data?: unknown }).data, { a: 'changed' });
    assert.deepEqual(await data('kept'), { a: '1' });
  });

  test('apply: a field owned by another manager is a conflict unless forced', async () => {
    assert.ok((await conn.apply([configMap('owned', { k: 'mine' })], { fieldManager: 'someone-else' })).ok);
    const clash = await conn.apply([configMap('owned', { k: 'ours' })], { fieldManager: 'kvs-test' });
    assert.equal(clash.ok, false);
    assert.equal(!clash.ok && clash.error.kind, 'conflict');
    assert.match(!clash.ok ? clash.error.message : '', /ConfigMap .*owned \(object 1 of 1\): apply configmaps "owned"/);
    assert.deepEqual(await data('owned'), { k: 'mine' });
    const forced = await conn.apply([configMap('owned', { k: 'ours' })], { fieldManager: 'kvs-test', force: true });
    assert.ok(forced.ok, forced.ok ? '' : forced.error.message);
    assert.deepEqual(await data('owned'), { k: 'ours' });
  });

  test('apply: the first failure stops the run and says how far it got; an incomplete object is invalid', async () => {
    const r = await conn.apply([configMap('before-failure', { a: '1' }), { apiVersion: 'example.invalid/v1', kind: 'Thing', metadata: { name: 'x' } }, configMap('never', {})], { fieldManager: 'kvs-test' });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'not-found');
    assert.match(!r.ok ? r.error.message : '', /Thing x \(object 2 of 3\): the server does not serve example\.invalid\/v1 .*; the 1 object before it were applied/);
    assert.equal(await data('never'), 'absent');
    const nameless = await conn.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }], { fieldManager: 'kvs-test' });
    assert.equal(!nameless.ok && nameless.error.kind, 'invalid');
  });

  test('remove: deletes in reverse order; what is already gone (or whose kind is not served) is absent', async () => {
    assert.ok((await conn.apply([configMap('doomed-1', {}), configMap('doomed-2', {})], { fieldManager: 'kvs-test' })).ok);
    const r = await conn.remove([configMap('doomed-1', {}), configMap('doomed-2', {}), { apiVersion: 'example.invalid/v1', kind: 'Thing', metadata: { name: 'x' } }]);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(r.value.map((x) => [x.name, x.outcome]), [['x', 'absent'], ['doomed-2', 'deleted'], ['doomed-1', 'deleted']]);
    assert.equal(await data('doomed-1'), 'absent');
    const again = await conn.remove([configMap('doomed-1', {})]);
    assert.deepEqual(again.ok && again.value.map((x) => x.outcome), ['absent']);
  });

  test('apply: a read-only user is forbidden, and the message names the object', async (t) => {
    if (needsUser(t, target, 'readonly')) return;
    const ro = await connect({ kubeconfigPath: target.kubeconfigFile({ user: 'readonly' }), env: {} });
    assert.ok(ro.ok);
    const r = await ro.value.apply([configMap('ro', { a: '1' })], { fieldManager: 'kvs-test', dryRun: true });
    assert.equal(!r.ok && r.error.kind, 'forbidden');
    assert.match(!r.ok ? r.error.message : '', /ConfigMap kvs-test\/ro \(object 1 of 1\): apply \(dry run\) configmaps "ro" in namespace "kvs-test": forbidden/);
  });
});
