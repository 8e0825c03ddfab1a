import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CdiConfigFact, ClaimPropertySet, Facts, FactSource, StorageClassFact, StorageProfileFact } from '../../core/facts.js';
import type { Settings } from '../../core/types.js';
import { defaultSettings } from '../../core/types.js';
import type { PvcSpecInput } from '../../core/cdi/render.js';
import { hasVolumeSnapshotSource, renderDataVolumeStorage, renderPvc } from '../../core/cdi/render.js';

const Mi = 1024n * 1024n;
const Gi = 1024n * Mi;
const ws = (file: string): FactSource => ({ kind: 'workspace', file });

function sc(name: string, extra: Partial<StorageClassFact> = {}): StorageClassFact {
  return { name, isDefault: false, isDefaultVirt: false, parameters: {}, source: ws('sc.yaml'), ...extra };
}
function profile(name: string, sets: ClaimPropertySet[], extra: Partial<StorageProfileFact> = {}): StorageProfileFact {
  return { name, claimPropertySets: sets, claimPropertySetsFrom: sets.length > 0 ? 'status' : 'none', source: ws('sp.yaml'), ...extra };
}
function facts(p: { classes?: StorageClassFact[]; profiles?: StorageProfileFact[]; config?: CdiConfigFact } = {}): Facts {
  const classes = p.classes ?? [];
  const profiles = p.profiles ?? [];
  return {
    volumeSnapshot: () => undefined,
    storageClass: (n) => classes.find((c) => c.name === n),
    storageClasses: () => classes,
    storageProfile: (n) => profiles.find((x) => x.name === n),
    cdiConfig: () => p.config,
    cdiVersion: () => undefined,
  };
}
const cdi = (version?: string): Settings => (version === undefined ? defaultSettings : { ...defaultSettings, cdiVersion: version });
const label = { 'cdi.kubevirt.io/applyStorageProfile': 'true' };
const snap = { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'vmsnapshot-abc-volume-tpm' };

// KubeVirt's restore of the TPM/EFI persistent-state PVC (CreateRestorePVCDef): labels copied (applyStorageProfile
// survives), class/modes copied from the source PVC, both dataSource and dataSourceRef set to the snapshot.
const seed: PvcSpecInput = {
  namespace: 'vms',
  labels: { ...label, 'restore.kubevirt.io/source-vm-name': 'vm1' },
  annotations: { 'restore.kubevirt.io/name': 'restore-1' },
  storageClassName: 'trident-nas',
  accessModes: ['ReadWriteMany'],
  volumeMode: 'Filesystem',
  requestBytes: 20n * Mi,
  dataSource: snap,
  dataSourceRef: snap,
};
const trident = facts({ classes: [sc('trident-nas', { provisioner: 'csi.trident.netapp.io', isDefault: true })], profiles: [profile('trident-nas', [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }])] });

test('seed: TPM restore PVC on v1.62 is inflated with divide/0.055 → 22192085', () => {
  const r = renderPvc(seed, trident, cdi('v1.62.0'));
  assert.equal(r.webhookApplies, true);
  assert.equal(r.renderedBytes, 22192085n);
  assert.equal(r.inflated, true);
  assert.equal(r.overhead, '0.055');
  assert.equal(r.overheadSource, 'CDI v1.62.0 default 0.055 (no CDIConfig status found)');
  assert.deepEqual([r.storageClassName, r.storageClassFrom, r.volumeMode, r.volumeModeFrom], ['trident-nas', 'spec', 'Filesystem', 'spec']);
  assert.deepEqual(r.denials, []);
});

test('seed: v1.63 multiplies, its default already 0.06 (→ 22229812, the Trident failure); a CDIConfig 0.055 gives 22124954', () => {
  const r = renderPvc(seed, trident, cdi('v1.63.1'));
  assert.equal(r.renderedBytes, 22229812n);
  assert.equal(r.overheadSource, 'CDI v1.63.1 default 0.06 (no CDIConfig status found)');
  const withConfig = facts({
    classes: [sc('trident-nas')],
    config: { globalOverhead: '0.055', storageClassOverhead: { 'trident-nas': '0.055' }, source: ws('cdiconfig.yaml') },
  });
  const c = renderPvc(seed, withConfig, cdi('v1.63.1'));
  assert.equal(c.renderedBytes, 22124954n);
  assert.equal(c.overheadSource, 'CDIConfig status.filesystemOverhead.storageClass[trident-nas] (cdiconfig.yaml)');
});

test('seed: v1.64 leaves a VolumeSnapshot restore alone (class and modes are still rendered)', () => {
  const r = renderPvc(seed, trident, cdi('v1.64.0'));
  assert.equal(r.renderedBytes, undefined);
  assert.equal(r.inflated, false);
  assert.equal(r.sizeNote, 'VolumeSnapshot source (CDI >= v1.64 skips)');
  assert.equal(r.requestedBytes, 20n * Mi);
  assert.equal(r.storageClassName, 'trident-nas');
});

test('seed: no version known assumes v1.66.0, the newest release, which leaves the snapshot restore alone', () => {
  const r = renderPvc(seed, trident, cdi());
  assert.equal(r.cdi.source, 'assumed');
  assert.equal(r.cdi.version, 'v1.66.0');
  assert.equal(r.renderedBytes, undefined);
  assert.equal(r.webhookApplies, true);
  assert.match(r.factsUsed[0] ?? '', /^CDI v1\.66\.0 assumed, the newest release/);
});

test('hasVolumeSnapshotSource: either reference, group and kind must both match', () => {
  const base = { ...seed, dataSource: undefined, dataSourceRef: undefined };
  assert.equal(hasVolumeSnapshotSource(seed), true);
  assert.equal(hasVolumeSnapshotSource({ ...base, dataSourceRef: { ...snap, namespace: 'other' } }), true);
  assert.equal(hasVolumeSnapshotSource({ ...base, dataSource: { kind: 'VolumeSnapshot', name: 'x' } }), false);
  assert.equal(hasVolumeSnapshotSource({ ...base, dataSource: { apiGroup: '', kind: 'PersistentVolumeClaim', name: 'x' } }), false);
  assert.equal(hasVolumeSnapshotSource(base), false);
});

test('a snapshot restore without a size is denied before v1.64 and left alone from v1.64', () => {
  const sizeless = { ...seed, requestBytes: undefined };
  assert.deepEqual(renderPvc(sizeless, trident, cdi('v1.63.0')).denials, ['PVC Spec is not valid - missing storage size']);
  assert.deepEqual(renderPvc(sizeless, trident, cdi('v1.64.0')).denials, []);
  // RenderPvc@v1.64.0 returns before sizing: the API server's validation then wants a size greater than 0.
  assert.deepEqual(renderPvc(sizeless, trident, cdi('v1.64.0')).refusals, ["CDI v1.64.0 leaves a VolumeSnapshot restore's size missing, which the API server's validation refuses (spec.resources[storage]: Required value)"]);
  assert.match(renderPvc({ ...seed, requestBytes: 0n }, trident, cdi('v1.66.0')).refusals.join(''), /size 0, .*must be greater than zero/);
  assert.deepEqual(renderPvc(seed, trident, cdi('v1.64.0')).refusals, []);
});

test('Block volume mode: no inflation, size kept', () => {
  const r = renderPvc({ ...seed, volumeMode: 'Block', dataSource: undefined, dataSourceRef: undefined }, trident, cdi('v1.64.0'));
  assert.equal(r.volumeMode, 'Block');
  assert.equal(r.inflated, false);
  assert.equal(r.renderedBytes, 20n * Mi);
  assert.equal(r.sizeNote, 'block volume mode');
  assert.equal(r.overhead, undefined);
});

test('no label: the webhook does not touch the PVC', () => {
  const r = renderPvc({ ...seed, labels: {} }, trident, cdi('v1.62.0'));
  assert.equal(r.webhookApplies, false);
  assert.equal(r.renderedBytes, undefined);
  assert.equal(r.inflated, false);
  assert.deepEqual(r.denials, []);
});

const plain = (extra: Partial<PvcSpecInput> = {}): PvcSpecInput => ({
  namespace: 'default',
  labels: label,
  annotations: {},
  accessModes: ['ReadWriteOnce'],
  requestBytes: 10n * Mi,
  ...extra,
});
const defaults = facts({
  classes: [
    sc('k8s-default', { isDefault: true, creationTimestamp: '2024-01-01T00:00:00Z' }),
    sc('virt-default', { isDefaultVirt: true, creationTimestamp: '2023-01-01T00:00:00Z' }),
  ],
  config: { globalOverhead: '0.06', storageClassOverhead: { 'k8s-default': '0.1', 'virt-default': '0.2' }, source: ws('cdiconfig.yaml') },
});

test('no class: the API server fills the Kubernetes default before CDI sees the PVC; its overhead is the one applied', () => {
  const r = renderPvc(plain(), defaults, cdi('v1.64.0'));
  assert.deepEqual([r.storageClassName, r.storageClassFrom], ['k8s-default', 'admission-default']);
  assert.equal(r.overhead, '0.1');
  assert.equal(r.renderedBytes, 11534336n); // 10Mi * 1.1
  assert.ok(r.factsUsed.some((f) => f.includes("DefaultStorageClass admission fills in before CDI's webhook")));
});

test('no class and no Kubernetes default: CDI falls back to the virt default (kubevirt content)', () => {
  const virtOnly = facts({
    classes: [sc('virt-default', { isDefaultVirt: true })],
    config: { globalOverhead: '0.06', storageClassOverhead: { 'virt-default': '0.2' }, source: ws('cdiconfig.yaml') },
  });
  const r = renderPvc(plain(), virtOnly, cdi('v1.64.0'));
  assert.deepEqual([r.storageClassName, r.storageClassFrom, r.overhead, r.renderedBytes], ['virt-default', 'virt-default', '0.2', 12582912n]); // 10Mi * 1.2
});

test('the beta default annotation counts for the API server (not for CDI); a beta class annotation on the PVC stops the defaulting', () => {
  const beta = facts({ classes: [sc('beta-default', { isDefaultBeta: true }), sc('virt', { isDefaultVirt: true })] });
  assert.deepEqual([renderPvc(plain(), beta, cdi('v1.64.0')).storageClassName, renderPvc(plain(), beta, cdi('v1.64.0')).storageClassFrom], ['beta-default', 'admission-default']);
  const annotated = renderPvc(plain({ annotations: { 'volume.beta.kubernetes.io/storage-class': 'x' } }), beta, cdi('v1.64.0'));
  assert.deepEqual([annotated.storageClassName, annotated.storageClassFrom], ['virt', 'virt-default']);
});

test('no class with archive content: only the k8s default is considered', () => {
  const r = renderPvc(plain({ annotations: { 'cdi.kubevirt.io/storage.contentType': 'archive' } }), defaults, cdi('v1.64.0'));
  assert.deepEqual([r.storageClassName, r.storageClassFrom, r.volumeModeFrom], ['k8s-default', 'admission-default', 'archive-content-type']);
  assert.equal(r.overhead, '0.1');
  assert.deepEqual(renderPvc(plain({ annotations: { 'cdi.kubevirt.io/storage.contentType': 'archive' }, volumeMode: 'Block' }), defaults, cdi()).denials, [
    'ContentType Archive cannot have block volumeMode',
  ]);
});

test('several defaults: newest creationTimestamp first, then name; a missing timestamp counts as oldest', () => {
  const f = (...classes: StorageClassFact[]) => renderPvc(plain(), facts({ classes }), cdi()).storageClassName;
  assert.equal(f(sc('old', { isDefault: true, creationTimestamp: '2024-01-01T00:00:00Z' }), sc('new', { isDefault: true, creationTimestamp: '2025-01-01T00:00:00Z' })), 'new');
  assert.equal(f(sc('b', { isDefault: true, creationTimestamp: '2025-01-01T00:00:00Z' }), sc('a', { isDefault: true, creationTimestamp: '2025-01-01T00:00:00Z' })), 'a');
  assert.equal(f(sc('a', { isDefault: true }), sc('z', { isDefault: true, creationTimestamp: '2020-01-01T00:00:00Z' })), 'z');
  assert.equal(f(sc('b', { isDefaultVirt: true }), sc('a', { isDefaultVirt: true })), 'a');
});

test('storageClassName "": no class (not the default), overhead 0 only rounds up to 1MiB', () => {
  const r = renderPvc(plain({ storageClassName: '', requestBytes: 1000000000n }), defaults, cdi('v1.64.0'));
  assert.deepEqual([r.storageClassName, r.storageClassFrom], ['', 'none']);
  assert.equal(r.overhead, '0');
  assert.equal(r.renderedBytes, 1000341504n);
  assert.ok(r.unknowns.some((u) => u.includes('PersistentVolume')));
  assert.deepEqual(renderPvc(plain({ storageClassName: '', accessModes: [] }), defaults, cdi()).denials, [
    'PVC spec is missing accessMode and no storageClass to choose profile',
  ]);
});

test('a named class that does not exist: no fallback for the class, but the overhead of the k8s default', () => {
  const r = renderPvc(plain({ storageClassName: 'nope' }), defaults, cdi('v1.64.0'));
  assert.deepEqual([r.storageClassName, r.storageClassFrom], ['nope', 'missing']);
  assert.equal(r.overhead, '0.1');
  assert.match(r.overheadSource ?? '', /storageClass\[k8s-default\]/);
  assert.ok(r.unknowns.some((u) => u === 'StorageClass nope is not known'));
  assert.deepEqual(renderPvc(plain({ storageClassName: 'nope', accessModes: [] }), defaults, cdi()).denials, [
    'PVC spec is missing accessMode and no storageClass to choose profile',
  ]);
});

const ceph = facts({
  classes: [sc('ceph-rbd', { isDefault: true })],
  profiles: [profile('ceph-rbd', [{ accessModes: ['ReadWriteMany'], volumeMode: 'Block' }, { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }])],
});

test('StorageProfile: FromStorageProfile with no access modes takes claimPropertySets[0] (Block, no inflation)', () => {
  const r = renderPvc(plain({ accessModes: [], volumeMode: 'FromStorageProfile' }), ceph, cdi('v1.64.0'));
  assert.deepEqual([r.accessModes, r.volumeMode, r.volumeModeFrom], [['ReadWriteMany'], 'Block', 'storage-profile']);
  assert.equal(r.renderedBytes, 10n * Mi);
  assert.equal(r.inflated, false);
});

test('StorageProfile: an absent volumeMode reaches the webhook as Filesystem (API defaulting), so only access modes come from the profile', () => {
  const r = renderPvc(plain({ accessModes: [] }), ceph, cdi('v1.64.0'));
  assert.deepEqual([r.accessModes, r.volumeMode, r.volumeModeFrom], [['ReadWriteOnce'], 'Filesystem', 'default']);
  assert.equal(r.renderedBytes, 11114906n);
});

test('StorageProfile: access modes given with FromStorageProfile pick the volume mode of the matching set', () => {
  const r = renderPvc(plain({ accessModes: ['ReadWriteOnce'], volumeMode: 'FromStorageProfile' }), ceph, cdi('v1.64.0'));
  assert.deepEqual([r.volumeMode, r.volumeModeFrom], ['Filesystem', 'storage-profile']);
  const none = renderPvc(plain({ accessModes: ['ReadOnlyMany'], volumeMode: 'FromStorageProfile' }), ceph, cdi('v1.64.0'));
  assert.deepEqual([none.volumeMode, none.volumeModeFrom], ['Filesystem', 'default']); // no match: k8s default
});

test('StorageProfile: no set for the volume mode, or no sets at all, is a denial', () => {
  const blockOnly = facts({ classes: [sc('blk', { isDefault: true })], profiles: [profile('blk', [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Block' }])] });
  assert.deepEqual(renderPvc(plain({ accessModes: [] }), blockOnly, cdi()).denials, ['no matching accessMode specified in StorageProfile blk']);
  const empty = facts({ classes: [sc('e', { isDefault: true })], profiles: [profile('e', [], { source: { kind: 'cluster' } })] });
  assert.deepEqual(renderPvc(plain({ accessModes: [], volumeMode: 'FromStorageProfile' }), empty, cdi()).denials, ['no accessMode specified in StorageProfile e']);
});

test('StorageProfile not in the facts: reported as unknown, not as a denial', () => {
  const r = renderPvc(plain({ accessModes: [] }), facts({ classes: [sc('x', { isDefault: true })] }), cdi());
  assert.deepEqual(r.denials, []);
  assert.ok(r.unknowns.some((u) => u.startsWith('StorageProfile x is not known')));
});

test('GCP hyperdisk: a 10Mi TPM PVC becomes the StorageProfile minimum 4Gi', () => {
  const hyperdisk = facts({
    classes: [sc('hyperdisk-balanced', { provisioner: 'pd.csi.storage.gke.io', isDefaultVirt: true, parameters: { type: 'hyperdisk-balanced' } })],
    profiles: [profile('hyperdisk-balanced', [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }], { minimumSupportedPvcSizeBytes: 4n * Gi, minimumSupportedPvcSizeText: '4Gi' })],
  });
  const tpm = plain({ labels: { ...label, 'persistent-state-for': 'vm1' }, volumeMode: 'Filesystem', accessModes: ['ReadWriteOnce'] });
  const r = renderPvc(tpm, hyperdisk, cdi('v1.64.0'));
  assert.equal(r.renderedBytes, 4n * Gi);
  assert.equal(r.minimumApplied, true);
  assert.equal(r.minimumSupportedPvcSizeBytes, 4n * Gi);
  assert.equal(r.inflated, true);
  const block = renderPvc({ ...tpm, volumeMode: 'Block' }, hyperdisk, cdi('v1.64.0'));
  assert.deepEqual([block.renderedBytes, block.minimumApplied, block.inflated], [4n * Gi, true, false]);
  const big = renderPvc({ ...tpm, requestBytes: 5n * Gi }, hyperdisk, cdi('v1.64.0'));
  assert.deepEqual([big.renderedBytes, big.minimumApplied], [5690831668n, false]); // ceil(5368709120 * 1.06 = 5690831667.2)
});

test('per-StorageClass overhead from CDIConfig status beats the global one; global covers the rest', () => {
  const f = facts({
    classes: [sc('fast'), sc('slow')],
    config: { globalOverhead: '0.06', storageClassOverhead: { fast: '0.1' }, source: ws('cdiconfig.yaml') },
  });
  const fast = renderPvc(plain({ storageClassName: 'fast' }), f, cdi('v1.64.0'));
  assert.deepEqual([fast.overhead, fast.overheadSource, fast.renderedBytes], ['0.1', 'CDIConfig status.filesystemOverhead.storageClass[fast] (cdiconfig.yaml)', 11534336n]);
  const slow = renderPvc(plain({ storageClassName: 'slow' }), f, cdi('v1.64.0'));
  assert.deepEqual([slow.overhead, slow.overheadSource], ['0.06', 'CDIConfig status.filesystemOverhead.global (cdiconfig.yaml)']);
});

test('no CDIConfig status: the setting, else the version default (an invalid setting is ignored and named)', () => {
  const f = facts({ classes: [sc('a', { isDefault: true })] });
  const s = renderPvc(plain(), f, { ...defaultSettings, cdiVersion: 'v1.64.0', defaultFilesystemOverhead: '0.1' });
  assert.deepEqual([s.overhead, s.overheadSource], ['0.1', 'setting kubevirtStorage.cdi.defaultFilesystemOverhead']);
  const bad = renderPvc(plain(), f, { ...defaultSettings, cdiVersion: 'v1.64.0', defaultFilesystemOverhead: '1.0' });
  assert.equal(bad.overhead, '0.06');
  assert.match(bad.overheadSource ?? '', /^CDI v1\.64\.0 default 0\.06 \(no CDIConfig status found; setting .* "1\.0" is not a valid percent\)$/);
});

test('denials: missing size and sizes below 1MiB', () => {
  assert.deepEqual(renderPvc(plain({ requestBytes: undefined }), ceph, cdi()).denials, ['PVC Spec is not valid - missing storage size']);
  assert.deepEqual(renderPvc(plain({ requestBytes: Mi - 1n }), ceph, cdi()).denials, ['PVC Spec is not valid - storage size should be at least 1MiB']);
  assert.deepEqual(renderPvc(plain({ requestBytes: Mi }), ceph, cdi()).denials, []);
});

test('VolumeCloneSource dataSourceRef: size kept, or taken from the source when absent (never inflated)', () => {
  const ref = { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeCloneSource', name: 'src' };
  const kept = renderPvc(plain({ dataSourceRef: ref }), ceph, cdi('v1.62.0'));
  assert.deepEqual([kept.renderedBytes, kept.inflated, kept.sizeNote], [undefined, false, 'clone source (VolumeCloneSource): size kept as requested']);
  const sizeless = renderPvc(plain({ dataSourceRef: ref, requestBytes: undefined }), ceph, cdi('v1.62.0'));
  assert.deepEqual(sizeless.denials, []);
  assert.ok(sizeless.unknowns.some((u) => u.startsWith('VolumeCloneSource default/src is not in the workspace or the cluster')), JSON.stringify(sizeless.unknowns));
  assert.equal(sizeless.renderedBytes, undefined, 'the source is not known: no size is guessed (cdiCloneSize.test.ts has the cases)');
});

test('DataVolume spec.storage: no API defaulting, so an absent volumeMode comes from the StorageProfile', () => {
  const dv = plain({ labels: {}, accessModes: [] });
  const r = renderDataVolumeStorage(dv, ceph, cdi('v1.64.0'));
  assert.deepEqual([r.webhookApplies, r.volumeMode, r.volumeModeFrom, r.renderedBytes], [false, 'Block', 'storage-profile', 10n * Mi]);
});

test('DataVolume: the controller path inflates snapshot sources in every version; a clone may omit the size', () => {
  const dv = plain({ labels: {}, volumeMode: 'Filesystem', dataSource: snap });
  assert.equal(renderDataVolumeStorage(dv, ceph, cdi('v1.64.0')).renderedBytes, 11114906n);
  const clone = renderDataVolumeStorage(plain({ labels: {}, requestBytes: undefined }), ceph, cdi('v1.64.0'), { cloneSource: true });
  assert.deepEqual([clone.renderedBytes, clone.denials], [0n, []]);
  assert.deepEqual(renderDataVolumeStorage(plain({ labels: {}, requestBytes: undefined }), ceph, cdi()).denials, ['PVC Spec is not valid - missing storage size']);
});

test('DataVolume with the label: handed to the PVC webhook (FromStorageProfile, v1.64 snapshot skip)', () => {
  const dv = plain({ accessModes: [], dataSource: snap });
  const r = renderDataVolumeStorage(dv, ceph, cdi('v1.64.0'));
  assert.deepEqual([r.webhookApplies, r.volumeMode, r.renderedBytes, r.sizeNote], [true, 'Block', undefined, 'VolumeSnapshot source (CDI >= v1.64 skips)']);
  const controller = renderDataVolumeStorage(dv, ceph, cdi('v1.64.0'), { webhookPvcRendering: false });
  assert.deepEqual([controller.webhookApplies, controller.renderedBytes], [false, 10n * Mi]); // Block from the profile
});
