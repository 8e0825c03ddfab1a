// predictPatch and webhookSnapshotRef: the admission rules on the language server's PVC model, and their
// agreement with the decision on the equivalent AdmissionReview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, predictPatch, webhookSnapshotRef, type Decision } from '../../core/admission.js';
import type { PvcSpecInput } from '../../core/cdi/render.js';
import type { SnapshotFact } from '../../core/facts.js';

const LABEL = 'cdi.kubevirt.io/applyStorageProfile';
const GROUP = 'snapshot.storage.k8s.io';

function input(o: Partial<PvcSpecInput> = {}): PvcSpecInput {
  return {
    namespace: 'vms',
    labels: { [LABEL]: 'true' },
    annotations: {},
    dataSource: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 'vm-snap' },
    requestBytes: 22229812n,
    ...o,
  };
}

function fact(o: Partial<SnapshotFact> = {}): SnapshotFact {
  return { namespace: 'vms', name: 'vm-snap', restoreSizeBytes: 20971520n, restoreSizeText: '20Mi', readyToUse: true, source: { kind: 'workspace', file: 'snap.yaml' }, ...o };
}

test('the seed scenario: CDI renders 22229812 bytes, the webhook would set 20Mi', () => {
  const p = predictPatch(input(), fact());
  assert.ok(p.patch);
  assert.equal(p.to, '20Mi');
  assert.equal(p.fromBytes, 22229812n);
  assert.equal(p.toBytes, 20971520n);
  assert.deepEqual(p.snapshot, { namespace: 'vms', name: 'vm-snap' });
  assert.match(p.message, /would set the request to 20Mi/);
});

test('the canonical restoreSize is shown, falling back to bytes when the text is missing', () => {
  const fromText = predictPatch(input({ requestBytes: 30n * 2n ** 30n }), fact({ restoreSizeBytes: 20n * 2n ** 30n, restoreSizeText: '20480Mi' }));
  assert.ok(fromText.patch && fromText.to === '20Gi');
  const fromBytes = predictPatch(input(), fact({ restoreSizeText: undefined }));
  assert.ok(fromBytes.patch && fromBytes.to === '20Mi');
});

test('no patch: equal or smaller request, no label, no snapshot source, missing or unready snapshot, zero, no request', () => {
  const cases: [PvcSpecInput, SnapshotFact | undefined, string][] = [
    [input({ requestBytes: 20971520n }), fact(), 'not-larger'],
    [input({ requestBytes: 1n }), fact(), 'not-larger'],
    [input({ labels: {} }), fact(), 'no-label'],
    [input({ labels: { [LABEL]: 'false' } }), fact(), 'no-label'],
    [input({ dataSource: { kind: 'PersistentVolumeClaim', name: 'src' } }), fact(), 'no-snapshot-source'],
    [input({ dataSource: { kind: 'VolumeSnapshot', name: 'vm-snap' } }), fact(), 'no-snapshot-source'],
    [input(), undefined, 'snapshot-missing'],
    [input(), fact({ restoreSizeBytes: undefined, restoreSizeText: undefined }), 'no-restore-size'],
    [input(), fact({ restoreSizeBytes: 0n, restoreSizeText: '0' }), 'restore-size-not-positive'],
    [input({ requestBytes: undefined }), fact(), 'no-storage-request'],
  ];
  for (const [pvc, snap, reason] of cases) {
    const p = predictPatch(pvc, snap);
    assert.equal(p.patch, false, reason);
    assert.equal(!p.patch && p.reason, reason);
  }
});

test('webhookSnapshotRef: dataSource first, then dataSourceRef with its namespace', () => {
  assert.deepEqual(webhookSnapshotRef(input()), { namespace: 'vms', name: 'vm-snap' });
  const viaRef = input({ dataSource: undefined, dataSourceRef: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 's', namespace: 'other' } });
  assert.deepEqual(webhookSnapshotRef(viaRef), { namespace: 'other', name: 's' });
  assert.deepEqual(webhookSnapshotRef({ ...viaRef, dataSourceRef: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 's' } }), { namespace: 'vms', name: 's' });
  const both = input({ dataSourceRef: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 'b', namespace: 'other' } });
  assert.deepEqual(webhookSnapshotRef(both), { namespace: 'vms', name: 'vm-snap' });
  assert.equal(webhookSnapshotRef(input({ dataSource: { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeSnapshot', name: 'x' } })), undefined);
});

test('predictPatch agrees with the decision on the equivalent review', () => {
  const sizes: [bigint, bigint][] = [[22229812n, 20971520n], [20971520n, 20971520n], [1n, 2n], [2n ** 40n, 2n ** 30n]];
  for (const [request, restore] of sizes) {
    const predicted = predictPatch(input({ requestBytes: request }), fact({ restoreSizeBytes: restore, restoreSizeText: String(restore) }));
    const review = {
      request: {
        uid: 'u',
        kind: { group: '', kind: 'PersistentVolumeClaim' },
        operation: 'CREATE',
        object: {
          metadata: { name: 'p', namespace: 'vms', labels: { [LABEL]: 'true' } },
          spec: { dataSource: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 'vm-snap' }, resources: { requests: { storage: String(request) } } },
        },
      },
    };
    const d = decide(review, () => ({ ok: true, snapshot: { status: { restoreSize: String(restore) } } })) as Decision;
    assert.equal(predicted.patch, d.result === 'patched', `${request} vs ${restore}`);
    if (predicted.patch) assert.equal(predicted.to, d.patch?.to);
  }
});

test('predictPatch: a dataSourceRef into another namespace is not patched, as the webhook decides (issue 16)', () => {
  const p = predictPatch(input({ dataSource: undefined, dataSourceRef: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 's', namespace: 'other' } }), fact({ restoreSizeBytes: 1n, restoreSizeText: '1' }));
  assert.equal(p.patch, false);
  assert.equal(!p.patch && p.reason, 'cross-namespace-source');
});
