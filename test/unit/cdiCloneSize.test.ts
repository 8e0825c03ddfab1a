/**
 * The size CDI's PVC webhook takes from a VolumeCloneSource's source (renderClonePvcVolumeSizeFromSource,
 * pkg/controller/datavolume/util.go, v1.62.0–v1.66.0): one row per upstream case, per behaviour where the tags differ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClaimObjectFact, ClaimObjectKind, Facts, FactSource, SnapshotFact, StorageClassFact, StorageProfileFact } from '../../core/facts.js';
import { defaultSettings } from '../../core/types.js';
import type { PvcSpecInput, RenderResult } from '../../core/cdi/render.js';
import { renderPvc } from '../../core/cdi/render.js';

const Mi = 1024n * 1024n;
const Gi = 1024n * Mi;
const ws = (file: string): FactSource => ({ kind: 'workspace', file });
const sc = (name: string, isDefault = false): StorageClassFact => ({ name, isDefault, isDefaultVirt: false, parameters: {}, source: ws('sc.yaml') });
const profile = (name: string, volumeMode: 'Block' | 'Filesystem'): StorageProfileFact => ({ name, claimPropertySets: [{ accessModes: ['ReadWriteOnce'], volumeMode }], claimPropertySetsFrom: 'status', source: ws('sp.yaml') });

type Obj = Omit<ClaimObjectFact, 'source'>;
const vcs = (namespace: string, name: string, kind: string | undefined, source: string): Obj => ({ kind: 'VolumeCloneSource', namespace, name, populatorSource: { ...(kind === undefined ? {} : { kind }), name: source } });
/** A bound source PVC: 10Gi requested, 12Gi provisioned. */
const pvc = (name: string, extra: Partial<Obj> = {}): Obj => ({
  kind: 'PersistentVolumeClaim', namespace: 'vms', name, storageClassName: 'ceph-rbd', volumeMode: 'Filesystem', phase: 'Bound',
  requestText: '10Gi', requestBytes: 10n * Gi, capacityText: '12Gi', capacityBytes: 12n * Gi, ...extra,
});

function facts(objects: Obj[], snapshots: Omit<SnapshotFact, 'source'>[] = []): Facts {
  const classes = [sc('ceph-rbd', true), sc('ceph-fs')];
  const profiles = [profile('ceph-rbd', 'Block'), profile('ceph-fs', 'Filesystem')];
  const find = (k: ClaimObjectKind, ns: string, n: string) => objects.find((o) => o.kind === k && o.namespace === ns && o.name === n);
  return {
    volumeSnapshot: (ns, n) => {
      const s = snapshots.find((x) => x.namespace === ns && x.name === n);
      return s && { ...s, source: ws('snap.yaml') };
    },
    storageClass: (n) => classes.find((c) => c.name === n),
    storageClasses: () => classes,
    storageProfile: (n) => profiles.find((p) => p.name === n),
    cdiConfig: () => undefined,
    cdiVersion: () => undefined,
    claimObject: (k, ns, n) => {
      const o = find(k, ns, n);
      return o && { ...o, source: ws('objects.yaml') };
    },
  };
}

const ref = { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeCloneSource', name: 'golden' };
/** A labelled clone PVC in vms with no size, Filesystem on ceph-rbd (as the source) unless told. */
const claim = (extra: Partial<PvcSpecInput> = {}): PvcSpecInput => ({
  namespace: 'vms', labels: { 'cdi.kubevirt.io/applyStorageProfile': 'true' }, annotations: {}, storageClassName: 'ceph-rbd',
  accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', dataSourceRef: ref, ...extra,
});
const fromPvc = (source: Partial<Obj> = {}) => facts([vcs('vms', 'golden', 'PersistentVolumeClaim', 'fedora'), pvc('fedora', source)]);
const fromSnapshot = (restore?: { text: string; bytes: bigint }) =>
  facts([vcs('vms', 'golden', 'VolumeSnapshot', 'snap')], [{ namespace: 'vms', name: 'snap', ...(restore ? { restoreSizeText: restore.text, restoreSizeBytes: restore.bytes } : {}) }]);
const at = (version: string, input: PvcSpecInput, f: Facts): RenderResult => renderPvc(input, f, { ...defaultSettings, cdiVersion: version });

interface Row {
  name: string;
  versions: string[];
  input: PvcSpecInput;
  facts: Facts;
  bytes?: bigint;
  denials?: string[];
  /** Substrings that must appear in one of the unknowns (none when absent: then there must be none from the clone). */
  unknowns?: string[];
  /** Substrings that must appear in one of the API server's refusals (none when absent). */
  refusals?: string[];
  note?: RegExp;
}

const all = ['v1.62.0', 'v1.63.1', 'v1.64.0', 'v1.65.0', 'v1.66.0'];
const silent = ['v1.62.0', 'v1.63.1'];
const errors = ['v1.64.0', 'v1.65.0', 'v1.66.0'];
const missingClaim = 'the API server then rejects the PVC, whose spec.resources.requests.storage must be set and greater than 0';
// The API server's own words for a claim left without a size (ValidatePersistentVolumeClaimSpec, k8s.io/kubernetes v1.34).
const required = "which the API server's validation refuses (spec.resources[storage]: Required value)";

const rows: Row[] = [
  { name: 'a size is given: kept, not inflated', versions: all, input: claim({ requestBytes: 1n * Gi }), facts: fromPvc(), note: /size kept as requested/ },
  { name: 'snapshot source: restoreSize as is', versions: all, input: claim(), facts: fromSnapshot({ text: '20Gi', bytes: 20n * Gi }), bytes: 20n * Gi, note: /^taken from the clone source: status\.restoreSize of VolumeSnapshot vms\/snap \(20Gi = 21,474,836,480 bytes\), the source of VolumeCloneSource vms\/golden; not inflated$/ },
  { name: 'a request of 0 counts as missing', versions: all, input: claim({ requestBytes: 0n }), facts: fromSnapshot({ text: '5Gi', bytes: 5n * Gi }), bytes: 5n * Gi },
  { name: 'snapshot without restoreSize: left empty in every version', versions: all, input: claim(), facts: fromSnapshot(), refusals: ['VolumeSnapshot vms/snap has no status.restoreSize yet: CDI v1.6', `leaves the size missing, ${required}`], note: /reports no restoreSize/ },
  { name: 'PVC source, same mode and class: its request (not its capacity)', versions: all, input: claim(), facts: fromPvc(), bytes: 10n * Gi, note: /^taken from the clone source: spec\.resources\.requests\.storage of PVC vms\/fedora, the source of VolumeCloneSource vms\/golden \(10Gi = 10,737,418,240 bytes; same volume mode and class\); not inflated$/ },
  { name: 'PVC source, another class: its capacity', versions: all, input: claim({ storageClassName: 'ceph-fs' }), facts: fromPvc(), bytes: 12n * Gi, note: /status\.capacity\.storage .*\(12Gi = 12,884,901,888 bytes; class ceph-rbd → ceph-fs\)/ },
  { name: 'Block source to a Block target: same mode, its request', versions: all, input: claim({ volumeMode: 'Block' }), facts: fromPvc({ volumeMode: 'Block' }), bytes: 10n * Gi, note: /same volume mode and class/ },
  { name: 'Block source to a Filesystem target: capacity', versions: all, input: claim(), facts: fromPvc({ volumeMode: 'Block' }), bytes: 12n * Gi, note: /volume mode Block → Filesystem/ },
  { name: 'another class, no capacity: the request (silent, v1.65+)', versions: [...silent, 'v1.65.0', 'v1.66.0'], input: claim({ storageClassName: 'ceph-fs' }), facts: fromPvc({ capacityText: undefined, capacityBytes: undefined }), bytes: 10n * Gi, note: /class ceph-rbd → ceph-fs, and it has no status\.capacity\.storage/ },
  { name: 'another class, no capacity: v1.64 denies', versions: ['v1.64.0'], input: claim({ storageClassName: 'ceph-fs' }), facts: fromPvc({ capacityText: undefined, capacityBytes: undefined }), denials: ['source pvc has no status.capacity[storage]'] },
  { name: 'source not Bound: v1.64 denies', versions: ['v1.64.0'], input: claim(), facts: fromPvc({ phase: 'Pending' }), denials: ['source pvc is not bound'] },
  { name: 'source not Bound: other versions take the request', versions: [...silent, 'v1.65.0', 'v1.66.0'], input: claim(), facts: fromPvc({ phase: 'Pending' }), bytes: 10n * Gi },
  { name: 'Filesystem → Block host-assisted: v1.64+ denies', versions: errors, input: claim({ volumeMode: 'Block', annotations: { 'cdi.kubevirt.io/cloneType': 'copy' } }), facts: fromPvc(), denials: ['cannot detect the required pvc size'], unknowns: ['is taken to hold kubevirt disk images'] },
  { name: 'Filesystem → Block host-assisted: older versions leave it empty', versions: silent, input: claim({ volumeMode: 'Block', annotations: { 'cdi.kubevirt.io/cloneType': 'copy' } }), facts: fromPvc(), unknowns: ['is taken to hold kubevirt disk images'], refusals: ['needs CDI\'s size-detection pod: CDI v1.6', required] },
  // The source's content type known (the readers set it for every PVC): archive content skips the check; kubevirt is no longer an assumption.
  { name: 'Filesystem → Block host-assisted, archive source: no size-detection pod needed, its capacity', versions: all, input: claim({ volumeMode: 'Block', annotations: { 'cdi.kubevirt.io/cloneType': 'copy' } }), facts: fromPvc({ contentType: 'archive' }), bytes: 12n * Gi, note: /status\.capacity\.storage .*volume mode Filesystem → Block/ },
  { name: 'Filesystem → Block host-assisted, archive source, another class: its capacity too', versions: errors, input: claim({ volumeMode: 'Block', storageClassName: 'ceph-fs', annotations: { 'cdi.kubevirt.io/cloneType': 'copy' } }), facts: fromPvc({ contentType: 'archive' }), bytes: 12n * Gi, note: /volume mode Filesystem → Block, class ceph-rbd → ceph-fs/ },
  { name: 'Filesystem → Block host-assisted, kubevirt source known: v1.64+ denies, nothing assumed', versions: errors, input: claim({ volumeMode: 'Block', annotations: { 'cdi.kubevirt.io/cloneType': 'copy' } }), facts: fromPvc({ contentType: 'kubevirt' }), denials: ['cannot detect the required pvc size'] },
  { name: 'Filesystem → Block host-assisted, kubevirt source known: older versions leave it empty, nothing assumed', versions: silent, input: claim({ volumeMode: 'Block', annotations: { 'cdi.kubevirt.io/cloneType': 'copy' } }), facts: fromPvc({ contentType: 'kubevirt' }), refusals: ['which holds kubevirt disk images, to a Block PVC needs CDI\'s size-detection pod', required] },
  { name: 'Filesystem → Block, smart clone (cloneType snapshot): capacity', versions: all, input: claim({ volumeMode: 'Block', annotations: { 'cdi.kubevirt.io/cloneType': 'snapshot' } }), facts: fromPvc(), bytes: 12n * Gi },
  { name: 'Filesystem → Block, no cloneType: capacity', versions: all, input: claim({ volumeMode: 'Block' }), facts: fromPvc(), bytes: 12n * Gi },
  { name: 'Block → Filesystem host-assisted: capacity', versions: all, input: claim({ annotations: { 'cdi.kubevirt.io/cloneType': 'copy' } }), facts: fromPvc({ volumeMode: 'Block' }), bytes: 12n * Gi },
  { name: 'Filesystem → Filesystem host-assisted: the request', versions: all, input: claim({ annotations: { 'cdi.kubevirt.io/cloneType': 'copy' } }), facts: fromPvc(), bytes: 10n * Gi },
  { name: 'no VolumeCloneSource: an unknown naming it (v1.64+: its not-found error if it does not exist)', versions: errors, input: claim(), facts: facts([]), unknowns: ['VolumeCloneSource vms/golden is not in the workspace or the cluster', 'CDI v1.6', 'denies the PVC: volumeclonesources.cdi.kubevirt.io "golden" not found'] },
  { name: 'no VolumeCloneSource: older versions would leave the size empty', versions: silent, input: claim(), facts: facts([]), unknowns: ['VolumeCloneSource vms/golden is not in the workspace or the cluster', missingClaim] },
  { name: 'no source PVC', versions: all, input: claim(), facts: facts([vcs('vms', 'golden', 'PersistentVolumeClaim', 'fedora')]), unknowns: ['PVC vms/fedora (the source of VolumeCloneSource vms/golden) is not in the workspace or the cluster'] },
  { name: 'no source snapshot', versions: ['v1.66.0'], input: claim(), facts: facts([vcs('vms', 'golden', 'VolumeSnapshot', 'snap')]), unknowns: ['VolumeSnapshot vms/snap (the source of VolumeCloneSource vms/golden) is not in the workspace or the cluster', 'volumesnapshots.snapshot.storage.k8s.io "snap" not found'] },
  { name: 'unsupported source kind: v1.64+ denies', versions: errors, input: claim(), facts: facts([vcs('vms', 'golden', 'DataVolume', 'fedora')]), denials: ['unsupported volumeCloneSource source'] },
  { name: 'unsupported source kind: older versions leave it empty', versions: silent, input: claim(), facts: facts([vcs('vms', 'golden', 'DataVolume', 'fedora')]), refusals: ['has source DataVolume fedora', required] },
  {
    name: 'looked up in the PVC\'s namespace, not dataSourceRef.namespace',
    versions: all,
    input: claim({ dataSourceRef: { ...ref, namespace: 'golden-images' } }),
    facts: facts([vcs('vms', 'golden', 'PersistentVolumeClaim', 'fedora'), pvc('fedora'), vcs('golden-images', 'golden', 'PersistentVolumeClaim', 'big'), { ...pvc('big', { requestBytes: 30n * Gi, requestText: '30Gi' }), namespace: 'golden-images' }]),
    bytes: 10n * Gi,
    note: /not in dataSourceRef\.namespace golden-images$/,
  },
  {
    name: 'the dataSourceNamespace annotation moves the look-up, source PVC included',
    versions: all,
    input: claim({ annotations: { 'cdi.kubevirt.io/dataSourceNamespace': 'golden-images' } }),
    facts: facts([vcs('vms', 'golden', 'PersistentVolumeClaim', 'fedora'), pvc('fedora'), vcs('golden-images', 'golden', 'PersistentVolumeClaim', 'big'), { ...pvc('big', { requestBytes: 30n * Gi, requestText: '30Gi' }), namespace: 'golden-images' }]),
    bytes: 30n * Gi,
    note: /PVC golden-images\/big, the source of VolumeCloneSource golden-images\/golden/,
  },
  { name: 'a source PVC with no class is compared as the Kubernetes default', versions: all, input: claim(), facts: fromPvc({ storageClassName: undefined }), bytes: 10n * Gi },
  { name: 'a source class not known: sized, with the assumption named', versions: ['v1.66.0'], input: claim({ storageClassName: 'ceph-fs' }), facts: fromPvc({ storageClassName: 'old-class' }), bytes: 12n * Gi, unknowns: ['StorageClass old-class of the source PVC is not in the workspace or the cluster', 'cannot get source pvc storage class'] },
  { name: 'the PVC ends with no storage class: left empty in every version, which the API server refuses', versions: all, input: claim({ storageClassName: '' }), facts: fromPvc(), refusals: ['the PVC ends with no storage class: CDI v1.6', required] },
  { name: 'a request of 0 left as it is: the API server refuses 0', versions: all, input: claim({ requestBytes: 0n }), facts: fromSnapshot(), refusals: ['leaves the size 0, which the API server\'s validation refuses (spec.resources[storage]: Invalid value: "0": must be greater than zero)'] },
  { name: 'a source PVC with no request: CDI sets 0, which the API server refuses', versions: all, input: claim(), facts: fromPvc({ requestBytes: undefined, requestText: undefined }), refusals: ['PVC vms/fedora has no spec.resources.requests.storage: CDI v1.6', 'sets the size to 0, which the API server\'s validation refuses (spec.resources[storage]: Invalid value: "0": must be greater than zero)'] },
  { name: 'a source PVC with storageClassName "": v1.64+ denies', versions: errors, input: claim(), facts: fromPvc({ storageClassName: '' }), denials: ['cannot get source pvc storage class'] },
];

for (const row of rows) {
  for (const v of row.versions) {
    test(`renderClonePvcVolumeSizeFromSource ${v}: ${row.name}`, () => {
      const r = at(v, row.input, row.facts);
      assert.equal(r.webhookApplies, true);
      assert.equal(r.inflated, false, 'a clone size is never inflated');
      assert.equal(r.renderedBytes, row.bytes);
      assert.deepEqual(r.denials, row.denials ?? []);
      const cloneUnknowns = r.unknowns.filter((u) => /clone|source|VolumeSnapshot|PVC|StorageClass/.test(u));
      if (row.unknowns) for (const want of row.unknowns) assert.ok(r.unknowns.some((u) => u.includes(want)), `an unknown with "${want}" in ${JSON.stringify(r.unknowns)}`);
      else assert.deepEqual(cloneUnknowns, []);
      if (row.refusals) for (const want of row.refusals) assert.ok(r.refusals.some((u) => u.includes(want)), `a refusal with "${want}" in ${JSON.stringify(r.refusals)}`);
      else assert.deepEqual(r.refusals, []);
      if (row.note) assert.match(r.sizeNote ?? '', row.note);
    });
  }
}

test('a known content type: the assumption is gone, and the facts used name it', () => {
  const input = claim({ volumeMode: 'Block', annotations: { 'cdi.kubevirt.io/cloneType': 'copy' } });
  assert.ok(at('v1.66.0', input, fromPvc()).unknowns.some((u) => u.includes('is taken to hold kubevirt disk images')), 'not read: assumed kubevirt, and said');
  for (const contentType of ['kubevirt', 'archive'] as const) {
    const r = at('v1.66.0', input, fromPvc({ contentType }));
    assert.deepEqual(r.unknowns.filter((u) => u.includes('taken to hold')), [], contentType);
    assert.ok(r.factsUsed.some((f) => f.startsWith(`PVC vms/fedora content type ${contentType} (cdi.kubevirt.io/storage.contentType`) && f.endsWith('(objects.yaml)')), JSON.stringify(r.factsUsed));
  }
  const silentKubevirt = at('v1.63.1', input, fromPvc({ contentType: 'kubevirt' }));
  assert.deepEqual(silentKubevirt.unknowns.filter((u) => u.includes('taken to hold')), [], 'v1.63: the empty size is still said, the kubevirt assumption is not');
});

test('facts used name the source and where it came from', () => {
  const r = at('v1.66.0', claim(), fromPvc());
  assert.ok(r.factsUsed.includes('PVC vms/fedora spec.resources.requests.storage 10Gi (objects.yaml)'), JSON.stringify(r.factsUsed));
  const s = at('v1.66.0', claim(), fromSnapshot({ text: '20Gi', bytes: 20n * Gi }));
  assert.ok(s.factsUsed.includes('VolumeSnapshot vms/snap restoreSize 20Gi (snap.yaml)'));
});

test('a patch after v1.63.1 may carry the #3958 backport: modelled as its last tag (no denial), and says "may"', () => {
  const input = claim({ volumeMode: 'Block', annotations: { 'cdi.kubevirt.io/cloneType': 'copy' } });
  const r = at('v1.63.2', input, fromPvc());
  assert.deepEqual(r.denials, []);
  assert.ok(r.refusals.some((u) => u.includes(required)), 'either way the PVC is not created: refused without a size, or denied');
  assert.ok(r.uncertain.some((u) => u.includes('#3964') && u.includes('2025-12-02')), JSON.stringify(r.uncertain));
  assert.ok(at('v1.62.1', input, fromPvc()).uncertain.some((u) => u.includes('#3965') && u.includes('2025-12-11')));
  assert.ok(!at('v1.63.2', claim({ requestBytes: 1n * Gi }), fromPvc()).uncertain.some((u) => u.includes('#3964')), 'only clone renders say it');
  assert.ok(!at('v1.63.1', input, fromPvc()).uncertain.some((u) => u.includes('#3964')), 'the tag itself is certain');
  assert.deepEqual(at('v1.64.1', input, fromPvc()).denials, ['cannot detect the required pvc size'], 'v1.64 patches have it');
});
