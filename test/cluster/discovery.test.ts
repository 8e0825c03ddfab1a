/** Contract tests of cluster/discovery.ts and the storage caches' use of it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../cluster/connection.js';
import { discover, knownGroups } from '../../cluster/discovery.js';
import { startStorageCaches, storageResources } from '../../cluster/storageCaches.js';
import { describeTargets } from './target.js';

describeTargets('cluster/discovery', (spec) => {
  test('discovery: the groups the target serves, with versions, and the resources the caches need', async () => {
    const target = await spec.start();
    try {
      const conn = await connect({ kubeconfigPath: target.kubeconfigFile(), env: {} });
      assert.ok(conn.ok, conn.ok ? '' : conn.error.message);
      const d = await discover(conn.value);
      assert.ok(d.ok, d.ok ? '' : d.error.message);
      for (const g of knownGroups) {
        if (!(await target.serves(g))) continue;
        assert.equal(d.value.groups[g]?.served, true, g);
        assert.ok(d.value.groups[g]!.versions.length > 0, g);
      }
      const vs = d.value.find(storageResources.volumeSnapshots);
      if (await target.serves('snapshot.storage.k8s.io')) {
        assert.deepEqual(vs, { group: 'snapshot.storage.k8s.io', version: 'v1', plural: 'volumesnapshots', namespaced: true, kind: 'VolumeSnapshot' });
      }
      const sc = d.value.find(storageResources.storageClasses);
      assert.equal(sc?.namespaced, false);
      const pvc = d.value.find(storageResources.persistentVolumeClaims);
      assert.deepEqual(pvc && [pvc.group, pvc.version, pvc.namespaced], ['', 'v1', true]);
      if (await target.serves('snapshot.kubevirt.io')) {
        assert.ok(['v1beta1', 'v1alpha1'].includes(d.value.find(storageResources.virtualMachineSnapshots)!.version));
      }
    } finally {
      await target.close();
    }
  });

  test('discovery: missing groups are a state ({served: false}), and no cache is started or requested for them', async (t) => {
    if (spec.kind === 'cluster') {
      process.stderr.write('# skipped: a real cluster serves the groups it serves (no withoutGroups there)\n');
      return void t.skip('a real cluster serves the groups it serves (no withoutGroups there)');
    }
    const missing = ['cdi.kubevirt.io', 'snapshot.storage.k8s.io', 'snapshot.kubevirt.io', 'storage.maurice.fr'];
    const target = await spec.start({ withoutGroups: missing });
    try {
      const conn = await connect({ kubeconfigPath: target.kubeconfigFile(), env: {} });
      assert.ok(conn.ok);
      const d = await discover(conn.value);
      assert.ok(d.ok, d.ok ? '' : d.error.message);
      for (const g of missing) assert.deepEqual(d.value.groups[g], { served: false, versions: [] }, g);
      assert.equal(d.value.groups['kubevirt.io']?.served, true);
      assert.equal(d.value.served('cdi.kubevirt.io'), false);
      assert.equal(d.value.find(storageResources.storageProfiles), undefined);
      const caches = startStorageCaches(conn.value, d.value);
      try {
        await caches.whenSynced();
        assert.deepEqual([...caches.notServed].sort(), [
          'cdiConfigs', 'cdis', 'dataVolumes', 'storageProfiles', 'virtualMachineRestores', 'virtualMachineSnapshotContents',
          'virtualMachineSnapshots', 'volumeCloneSources', 'volumeImportSources', 'volumeResizes', 'volumeSnapshotClasses', 'volumeSnapshotContents', 'volumeSnapshots',
          'volumeUploadSources',
        ]);
        assert.equal(caches.get('volumeSnapshots'), undefined);
        assert.equal(caches.get('storageClasses')?.state, 'synced');
        assert.equal(caches.get('virtualMachines')?.state, 'synced');
        // Only the emulator logs requests: elsewhere the caches' states above are the evidence.
        const storm = target.emulator?.requests.filter((r) => missing.some((g) => r.path.startsWith(`/apis/${g}`))) ?? [];
        assert.deepEqual(storm, [], 'nothing is requested from a group the server does not serve');
      } finally {
        caches.dispose();
      }
    } finally {
      await target.close();
    }
  });

  test('discovery: kinds resolve to their plural and scope; an unserved apiVersion says so', async () => {
    const target = await spec.start();
    try {
      const conn = await connect({ kubeconfigPath: target.kubeconfigFile(), env: {} });
      assert.ok(conn.ok);
      const sc = await conn.value.resource('storage.k8s.io/v1', 'StorageClass');
      assert.deepEqual(sc.ok && sc.value, { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false, kind: 'StorageClass' });
      const none = await conn.value.resource('example.invalid/v9', 'Thing');
      assert.equal(!none.ok && none.error.kind, 'not-found');
      assert.match(!none.ok ? none.error.message : '', /does not serve example\.invalid\/v9/);
    } finally {
      await target.close();
    }
  });
});
