/**
 * Contract tests of VolumeSnapshotContents as cluster facts (cluster/clusterFacts.ts): served from the watch of the
 * cluster-scoped `volumesnapshotcontents`, their int64 restoreSize reaching the analysis of a manifest, and a cache
 * the user may not read (403) leaving the cluster connected and lint's facts complete.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../core/workspace.js';
import { defaultSettings } from '../../core/types.js';
import { startLiveCluster, type LiveCluster } from '../../cluster/live.js';
import { lookAtCluster, lintCaches } from '../../cli/lintCluster.js';
import { describeTargets, needsGroups, waitFor, type TestTarget } from './target.js';

describeTargets('cluster/snapshot contents', (spec) => {
  let target: TestTarget;
  let live: LiveCluster;
  let content: string;

  before(async () => {
    target = await spec.start();
    content = `${target.prefix}imported-content`;
    if (await target.serves('snapshot.storage.k8s.io')) {
      await target.upsert({
        apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotContent',
        metadata: { name: content },
        spec: {
          deletionPolicy: 'Retain', driver: 'csi.example.com', sourceVolumeMode: 'Block',
          source: { snapshotHandle: 'handle-1' }, volumeSnapshotRef: { name: 'imported', namespace: target.namespace },
        },
      });
      await target.patchStatus('snapshot.storage.k8s.io/v1', 'VolumeSnapshotContent', undefined, content, { readyToUse: true, restoreSize: 21474836480 });
    }
    live = startLiveCluster({ kubeconfigPath: target.kubeconfigFile({ contextName: 'contents' }), env: {}, debounceMs: 20 });
    await live.ready();
  });

  after(async () => {
    live?.dispose();
    await target.close();
  });

  test('contents: read from the cluster by name, restoreSize as bytes; a manifest restoring its snapshot is sized from it', async (t) => {
    if (await needsGroups(t, target, 'snapshot.storage.k8s.io')) return;
    assert.deepEqual(live.facts.state, { kind: 'connected', context: 'contents' });
    const c = live.facts.volumeSnapshotContent(content);
    assert.equal(c?.restoreSizeBytes, 21474836480n);
    assert.equal(c?.sourceVolumeMode, 'Block');
    assert.deepEqual(c?.snapshotRef, { name: 'imported', namespace: target.namespace });
    assert.deepEqual(c?.source, { kind: 'cluster', context: 'contents' });
    assert.equal(live.facts.volumeSnapshotContent('absent'), undefined);
    const text = `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata: { name: imported, namespace: ${target.namespace} }
spec: { source: { volumeSnapshotContentName: ${content} } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: restore, namespace: ${target.namespace} }
spec:
  accessModes: [ReadWriteOnce]
  dataSource: { apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: imported }
  resources: { requests: { storage: 10Gi } }
`;
    const small = analyze([{ file: 'pvc.yaml', text }], defaultSettings, live.facts.view()).find((f) => f.rule === 'restore-size-too-small');
    assert.match(small?.message ?? '', new RegExp(`restoreSize 20Gi \\(21,474,836,480 bytes\\) \\(from VolumeSnapshotContent ${content}'s status\\.restoreSize`));
    assert.equal(analyze([{ file: 'pvc.yaml', text }], defaultSettings).find((f) => f.rule === 'restore-size-too-small'), undefined);
    // A change of the content's status changes the facts.
    await target.patchStatus('snapshot.storage.k8s.io/v1', 'VolumeSnapshotContent', undefined, content, { restoreSize: 5368709120 });
    await waitFor('the new restoreSize', () => live.facts.volumeSnapshotContent(content)?.restoreSizeBytes === 5368709120n);
  });

  test('contents: a user who may not list them (403) stays connected, and lint notes it without calling its facts incomplete', async (t) => {
    if (!target.supportsFaults || !target.emulator) return t.skip('needs fault injection (the emulator)');
    const em = target.emulator;
    em.faults.failNext({ method: 'GET', path: /\/volumesnapshotcontents$/ }, 403, 1_000);
    const denied = startLiveCluster({ kubeconfigPath: target.kubeconfigFile({ contextName: 'denied' }), env: {}, backoff: { initialMs: 5000 } });
    try {
      await denied.ready();
      assert.deepEqual(denied.facts.state, { kind: 'connected', context: 'denied' });
      assert.equal(denied.facts.volumeSnapshotContent(content), undefined);
      const look = await lookAtCluster({ kubeconfig: target.kubeconfigFile({ contextName: 'denied' }), timeoutMs: 10_000 }, lintCaches, {});
      assert.ok(look.ok, look.ok ? '' : look.message);
      if (look.ok) {
        look.dispose();
        assert.equal(look.incomplete, false);
        assert.ok(look.notes.some((n) => /^note: cannot read VolumeSnapshotContents \(snapshot\.storage\.k8s\.io\) .*restore sizes and source volume modes come from the VolumeSnapshots/.test(n)), JSON.stringify(look.notes));
      }
    } finally {
      denied.dispose();
      em.faults.reset();
    }
  });
});
