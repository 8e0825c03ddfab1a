/**
 * Contract tests of the KubeVirt CR read (cluster/kubevirtVersion.ts) over the real connection: the version a
 * KubeVirt CR reports reaches `lint --kubeconfig`'s facts and the restore model; no CR, and a cluster that does not
 * serve kubevirt.io, know no version; a user who may not list KubeVirts gets the error. Not on a real cluster: its
 * KubeVirt CR (one per cluster, guarded by KubeVirt's webhook) is not the test's to create.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../core/workspace.js';
import { defaultSettings } from '../../core/types.js';
import { connect } from '../../cluster/connection.js';
import { readKubevirtVersion } from '../../cluster/kubevirtVersion.js';
import { lookAtCluster, lintCaches } from '../../cli/lintCluster.js';
import { describeTargets, connectAdmin, needsGroups, needsUser, type TestTarget } from './target.js';

const restore = (namespace: string) => `apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineRestore
metadata: { name: back, namespace: ${namespace} }
spec:
  target: { apiGroup: kubevirt.io, kind: VirtualMachine, name: vm }
  virtualMachineSnapshotName: snap
  volumeRestorePolicy: InPlace
`;

describeTargets(
  'cluster/KubeVirt version',
  (spec) => {
    let target: TestTarget;

    before(async () => {
      target = await spec.start();
    });
    after(async () => {
      await target?.close();
    });

    test('no KubeVirt CR: no version; a CR reporting v1.5.2: read from the cluster, and lint --kubeconfig judges restores by it', async (t) => {
      if (await needsGroups(t, target, 'kubevirt.io')) return;
      const conn = await connectAdmin(target);
      assert.deepEqual(await readKubevirtVersion(conn), { ok: true, value: undefined });
      await target.upsert({ apiVersion: 'kubevirt.io/v1', kind: 'KubeVirt', metadata: { name: 'kubevirt', namespace: target.namespace }, spec: {} });
      // Created, not yet reporting: still no version.
      assert.deepEqual(await readKubevirtVersion(conn), { ok: true, value: undefined });
      await target.patchStatus('kubevirt.io/v1', 'KubeVirt', target.namespace, 'kubevirt', { observedKubeVirtVersion: 'v1.5.2', phase: 'Deployed' });
      const read = await readKubevirtVersion(conn);
      assert.deepEqual(read, { ok: true, value: { version: 'v1.5.2', source: { kind: 'cluster', context: conn.context } } });
      const look = await lookAtCluster({ kubeconfig: target.kubeconfigFile({ contextName: 'kv' }), timeoutMs: 10_000 }, lintCaches, {});
      assert.ok(look.ok, look.ok ? '' : look.message);
      try {
        const found = analyze([{ file: 'restore.yaml', text: restore(target.namespace) }], defaultSettings, look.facts).filter((f) => f.rule === 'vm-restore-field-unsupported');
        assert.deepEqual(found.map((f) => [f.data?.kubevirtVersion, f.data?.since]), [['v1.5.2', 'v1.6.0']]);
        // Offline the newest release is assumed, which has the field.
        assert.deepEqual(analyze([{ file: 'restore.yaml', text: restore(target.namespace) }], defaultSettings).filter((f) => f.rule === 'vm-restore-field-unsupported'), []);
      } finally {
        look.dispose();
      }
    });

    test('a user bound to nothing: the list is refused and the error returned (callers then assume the newest release)', async (t) => {
      if ((await needsGroups(t, target, 'kubevirt.io')) || needsUser(t, target, 'forbidden')) return;
      const conn = await connect({ kubeconfigPath: target.kubeconfigFile({ user: 'forbidden' }), env: {} });
      assert.ok(conn.ok, conn.ok ? '' : conn.error.message);
      if (!conn.ok) return;
      const r = await readKubevirtVersion(conn.value);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.kind, 'forbidden', r.error.message);
    });

    test('a cluster that does not serve kubevirt.io knows no version (the 404 is not an error)', async () => {
      const bare = await spec.start({ withoutGroups: ['kubevirt.io'] });
      try {
        assert.deepEqual(await readKubevirtVersion(await connectAdmin(bare)), { ok: true, value: undefined });
      } finally {
        await bare.close();
      }
    });
  },
  { kinds: ['cluster'], why: "a real cluster's KubeVirt CR is not the test's to create" },
);
