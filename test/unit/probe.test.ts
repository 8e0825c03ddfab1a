// The cluster's own answer, in core: what is sent, the key it is filed under, the answer read back, how it compares
// with the prediction, and how the restore rules' stored request uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PvcSpecInput } from '../../core/cdi/render.js';
import { renderPvc } from '../../core/cdi/render.js';
import { selects } from '../../core/cdi/webhook.js';
import type { Facts, LiveRenderFact, StorageClassFact } from '../../core/facts.js';
import { layerFacts } from '../../core/facts.js';
import { compareWithCluster, describeProbeKey, liveAnswer, predictStore, probeKey, probeManifest } from '../../core/probe/probe.js';
import { clusterCheck } from '../../core/probe/report.js';
import { storedRequest } from '../../core/probe/stored.js';
import { defaultSettings } from '../../core/types.js';

const Mi = 1024n * 1024n;
const v1631 = { ...defaultSettings, cdiVersion: 'v1.63.1' };
const snap = { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'tpm-snap' };
const input: PvcSpecInput = {
  namespace: 'vms',
  labels: { 'cdi.kubevirt.io/applyStorageProfile': 'true', app: 'vm' },
  annotations: { 'restore.kubevirt.io/name': 'r' },
  storageClassName: 'nas',
  accessModes: ['ReadWriteOnce'],
  volumeMode: 'Filesystem',
  requestBytes: 20n * Mi,
  dataSource: snap,
  dataSourceRef: { ...snap },
};
const nas: StorageClassFact = { name: 'nas', provisioner: 'csi.trident.netapp.io', isDefault: false, isDefaultVirt: false, parameters: {}, source: { kind: 'cluster', context: 'lab' } };

function facts(answers: LiveRenderFact[] = []): Facts {
  return {
    volumeSnapshot: () => undefined,
    storageClass: (n) => (n === 'nas' ? nas : undefined),
    storageClasses: () => [nas],
    storageProfile: () => undefined,
    cdiConfig: () => undefined,
    cdiVersion: () => undefined,
    liveRender: (key) => answers.find((a) => a.key === key),
  };
}
const stored = (bytes: bigint, extra: object = {}) => ({ stored: { spec: { storageClassName: 'nas', volumeMode: 'Filesystem', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: String(bytes) } }, ...extra } } });
const lab = { kind: 'cluster' as const, context: 'lab' };

test('probeKey: storage class × label × volume mode × source kind; the request and the name are not part of it', () => {
  const k = probeKey(input);
  assert.equal(probeKey({ ...input, requestBytes: 10n * Mi, labels: { ...input.labels, other: 'x' } }), k);
  for (const other of [
    { ...input, storageClassName: undefined },
    { ...input, labels: {} },
    { ...input, volumeMode: 'Block' },
    { ...input, volumeMode: undefined },
    { ...input, dataSource: undefined, dataSourceRef: undefined },
  ]) assert.notEqual(probeKey(other), k);
  assert.equal(describeProbeKey(input), 'storage class "nas", cdi.kubevirt.io/applyStorageProfile=true, volumeMode Filesystem, from a VolumeSnapshot');
});

test('probeManifest: the PVC as written, under a generated name in its namespace, the request in bytes', () => {
  assert.deepEqual(probeManifest(input), {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { generateName: 'kvstorage-probe-', namespace: 'vms', labels: input.labels, annotations: input.annotations },
    spec: { storageClassName: 'nas', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '20971520' } }, dataSource: snap, dataSourceRef: snap },
  });
  const bare = probeManifest({ namespace: 'x', labels: {}, annotations: {} }) as { spec: object };
  assert.deepEqual(bare.spec, {}, 'what the PVC leaves out stays out: the API server fills it');
});

test('liveAnswer reads the stored spec (a canonical quantity or bytes) or the refusal', () => {
  const a = liveAnswer(input, 'PVC x', { stored: { spec: { storageClassName: 'nas', volumeMode: 'Filesystem', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '21Mi' } } } } }, 't', lab);
  assert.deepEqual(a.stored, { storageClassName: 'nas', volumeMode: 'Filesystem', accessModes: ['ReadWriteOnce'], requestBytes: 21n * Mi, requestText: '21Mi' });
  assert.deepEqual([a.key, a.sent.requestBytes, a.namespace, a.at], [probeKey(input), 20n * Mi, 'vms', 't']);
  const r = liveAnswer(input, 'PVC x', { refused: 'denied' }, 't', lab);
  assert.deepEqual([r.stored, r.refused], [undefined, 'denied']);
  assert.deepEqual(liveAnswer(input, 'x', { stored: null }, 't', lab).stored, { accessModes: [] }, 'an odd answer is read as empty, not a crash');
});

test('compareWithCluster: agreement, each field that differs, and admission', () => {
  const predicted = predictStore(input, facts(), v1631);
  assert.equal(predicted.requestBytes, 22229812n);
  assert.deepEqual(compareWithCluster(predicted, liveAnswer(input, 'x', stored(22229812n), 't', lab)), []);
  assert.deepEqual(compareWithCluster(predicted, liveAnswer(input, 'x', stored(23068672n, { storageClassName: 'other', volumeMode: 'Block' }), 't', lab)).map((d) => [d.field, d.predicted, d.cluster]), [
    ['storageClassName', 'nas', 'other'],
    ['volumeMode', 'Filesystem', 'Block'],
    ['request', '22229812 bytes', '23068672 bytes'],
  ]);
  assert.deepEqual(compareWithCluster(predicted, liveAnswer(input, 'x', { refused: 'nope' }, 't', lab)).map((d) => d.field), ['admission']);
  const denied = predictStore({ ...input, requestBytes: 1000n }, facts(), v1631);
  assert.deepEqual(compareWithCluster(denied, liveAnswer(input, 'x', { refused: 'storage size should be at least 1MiB' }, 't', lab)), [], 'both refuse');
});

test('storedRequest: the model, the cluster for this very request, a cluster that leaves such PVCs alone, a confirmed or disputed model', () => {
  const render = renderPvc(input, facts(), v1631);
  assert.deepEqual([storedRequest(input, render, facts(), v1631).bytes, storedRequest(input, render, facts(), v1631).basis], [22229812n, 'model']);

  const exact = liveAnswer(input, 'PVC x', stored(23068672n), 't', lab);
  const e = storedRequest(input, render, facts([exact]), v1631);
  assert.deepEqual([e.bytes, e.basis], [23068672n, 'live']);
  assert.equal(e.describe, "the API server's dry run on the cluster lab of PVC x stored 23,068,672 bytes for this request");

  const untouched = liveAnswer({ ...input, requestBytes: 10n * Mi }, 'PVC y', stored(10n * Mi), 't', lab);
  const u = storedRequest(input, render, facts([untouched]), v1631);
  assert.deepEqual([u.bytes, u.basis], [20n * Mi, 'live-untouched'], 'the cluster does not resize such PVCs: the request as written');

  const agreeing = liveAnswer({ ...input, requestBytes: 10n * Mi }, 'PVC y', stored(11114906n), 't', lab);
  const c = storedRequest(input, render, facts([agreeing]), v1631);
  assert.deepEqual([c.bytes, c.basis], [22229812n, 'model-confirmed']);
  assert.match(c.describe ?? '', /the model reproduces .* \(10,485,760 → 11,114,906 bytes\)/);

  const disputing = liveAnswer({ ...input, requestBytes: 10n * Mi }, 'PVC y', stored(11534336n), 't', lab);
  const d = storedRequest(input, render, facts([disputing]), v1631);
  assert.deepEqual([d.bytes, d.basis], [22229812n, 'model-disputed']);
  assert.match(d.describe ?? '', /gave 10,485,760 → 11,534,336 bytes where the model predicts 11,114,906: this figure is the model's and may be off/);

  const refused = liveAnswer(input, 'PVC x', { refused: 'denied' }, 't', lab);
  assert.match(storedRequest(input, render, facts([refused]), v1631).describe ?? '', /was refused \(denied\); the figure is the model's/);
});

test('clusterCheck: the prediction and the answer side by side, and what differs', () => {
  const check = clusterCheck({ input, describe: 'PersistentVolumeClaim x in namespace vms' }, liveAnswer(input, 'PVC x', stored(23068672n), '2026-12-01T10:00:00.000Z', lab), facts(), v1631);
  assert.equal(check.agrees, false);
  assert.deepEqual(check.differences.map((d) => d.field), ['request']);
  assert.match(check.markdown, /^### PersistentVolumeClaim x in namespace vms\n/);
  assert.match(check.markdown, /\| request \| 22,229,812 bytes \| 23,068,672 bytes \|/);
  assert.match(check.markdown, /at 2026-12-01T10:00:00\.000Z; nothing was created/);
});

test("selects: a webhook's label selector, with labels known in full or in part", () => {
  const sel = (matchLabels: Record<string, string>, matchExpressions: { key: string; operator: string; values: string[] }[] = []) => ({ matchLabels, matchExpressions });
  assert.equal(selects(undefined, {}), true);
  assert.equal(selects(sel({}), {}), true);
  assert.equal(selects(sel({ a: 'x' }), { a: 'x' }), true);
  assert.equal(selects(sel({ a: 'x' }), { a: 'y' }), false);
  assert.equal(selects(sel({ a: 'x' }), {}), false);
  assert.equal(selects(sel({ a: 'x' }), {}, false), undefined, 'a label that may exist');
  assert.equal(selects(sel({}, [{ key: 'a', operator: 'In', values: ['x', 'y'] }]), { a: 'y' }), true);
  assert.equal(selects(sel({}, [{ key: 'a', operator: 'NotIn', values: ['x'] }]), {}), true);
  assert.equal(selects(sel({}, [{ key: 'a', operator: 'NotIn', values: ['x'] }]), { a: 'x' }), false);
  assert.equal(selects(sel({}, [{ key: 'a', operator: 'Exists', values: [] }]), {}), false);
  assert.equal(selects(sel({}, [{ key: 'a', operator: 'DoesNotExist', values: [] }]), {}), true);
  assert.equal(selects(sel({}, [{ key: 'a', operator: 'Gt', values: ['1'] }]), { a: '2' }), false);
  assert.equal(selects(sel({ constructor: 'x' }), {}), false, 'an own-property lookup');
});

test('layerFacts: a CDIConfig or CDI CR part in the workspace does not hide the cluster\'s other part', () => {
  const base: Facts = { ...facts(), cdiConfig: () => undefined, cdiVersion: () => undefined };
  const ws: Facts = { ...base, cdiConfig: () => ({ storageClassOverhead: {}, spec: { featureGates: ['WebhookPvcRendering'] }, source: { kind: 'workspace', file: 'cdiconfig.yaml' } }), cdiVersion: () => ({ config: { featureGates: [] }, source: { kind: 'workspace', file: 'cdi.yaml' } }) };
  const cluster: Facts = { ...base, cdiConfig: () => ({ globalOverhead: '0.08', storageClassOverhead: {}, source: lab }), cdiVersion: () => ({ version: 'v1.63.1', source: lab }) };
  const layered = layerFacts(ws, cluster);
  assert.deepEqual(layered.cdiConfig(), { globalOverhead: '0.08', storageClassOverhead: {}, source: lab, spec: { featureGates: ['WebhookPvcRendering'], source: { kind: 'workspace', file: 'cdiconfig.yaml' } } });
  assert.deepEqual(layered.cdiVersion(), { version: 'v1.63.1', source: lab, config: { featureGates: [], source: { kind: 'workspace', file: 'cdi.yaml' } } });
});
