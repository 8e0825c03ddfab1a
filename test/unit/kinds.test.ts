import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allKinds,
  apiVersionOf,
  describeKind,
  factFromObject,
  factKinds,
  kindNamed,
  kinds,
  knownGroups,
  recognise,
  recognisedVersions,
  servedVersions,
  watchedKinds,
} from '../../core/kinds/index.js';
import { storageResources } from '../../cluster/storageCaches.js';
import { factCaches, optionalFactCaches } from '../../cluster/clusterFacts.js';

test('registry: each entry is keyed by its kind, with a lowercase plural, a scope and unique cache names', () => {
  for (const [key, d] of Object.entries(kinds)) {
    assert.equal(d.kind, key);
    assert.match(d.plural, /^[a-z]+$/, d.kind);
    assert.ok(d.scope === 'Namespaced' || d.scope === 'Cluster', d.kind);
    assert.equal(new Set(recognisedVersions(d)).size, recognisedVersions(d).length, `${d.kind}: a version listed twice`);
  }
  const watched = watchedKinds.map((d) => d.watch);
  assert.equal(new Set(watched).size, watched.length);
  assert.equal(new Set(allKinds.map((d) => `${d.group}/${d.plural}`)).size, allKinds.length, 'one kind per group and plural');
});

test('registry: manifests are recognised at served and older versions, nothing else', () => {
  assert.equal(recognise('snapshot.storage.k8s.io/v1', 'VolumeSnapshot')?.descriptor, kinds.VolumeSnapshot);
  assert.deepEqual(
    { ...recognise('snapshot.storage.k8s.io/v1beta1', 'VolumeSnapshot'), descriptor: undefined },
    { descriptor: undefined, group: 'snapshot.storage.k8s.io', version: 'v1beta1' },
  );
  assert.deepEqual(servedVersions(kinds.VolumeSnapshot), ['v1'], 'v1beta1 is recognised but never read from a cluster');
  assert.deepEqual(servedVersions(kinds.VirtualMachineSnapshot), ['v1beta1', 'v1alpha1']);
  assert.equal(recognise('v1', 'PersistentVolumeClaim')?.group, '');
  assert.equal(recognise('v2', 'PersistentVolumeClaim'), undefined);
  assert.equal(recognise('apps/v1', 'PersistentVolumeClaim'), undefined, 'the group must match');
  for (const name of Object.getOwnPropertyNames(Object.prototype)) {
    assert.equal(recognise('v1', name), undefined, name);
    assert.equal(recognise(`${name}/v1`, 'VolumeSnapshot'), undefined, name);
    assert.equal(recognise(`snapshot.storage.k8s.io/${name}`, 'VolumeSnapshot'), undefined, name);
    assert.equal(recognise(`${name}/x`, 'name'), undefined, name);
    assert.equal(kindNamed(name), undefined, name);
  }
});

test('registry: the caches, fact caches and known groups it derives (VolumeResize and PDBs watched for the migrations)', () => {
  assert.deepEqual(Object.keys(storageResources), [
    'volumeSnapshots',
    'volumeSnapshotClasses',
    'volumeSnapshotContents',
    'storageClasses',
    'storageProfiles',
    'cdiConfigs',
    'cdis',
    'persistentVolumeClaims',
    'statefulSets',
    'virtualMachines',
    'virtualMachineSnapshots',
    'virtualMachineSnapshotContents',
    'virtualMachineRestores',
    // Issue 10: what claims name (DataVolumes, CDI's populator sources), for completion and vm-volume-claim-missing.
    'dataVolumes',
    'volumeResizes',
    'volumeCloneSources',
    'volumeImportSources',
    'volumeUploadSources',
    'podDisruptionBudgets',
  ]);
  assert.deepEqual(storageResources.volumeSnapshots, { group: 'snapshot.storage.k8s.io', versions: ['v1'], plural: 'volumesnapshots', kind: 'VolumeSnapshot', namespaced: true });
  assert.deepEqual(storageResources.cdiConfigs, { group: 'cdi.kubevirt.io', versions: ['v1beta1'], plural: 'cdiconfigs', kind: 'CDIConfig', namespaced: false });
  assert.deepEqual(factCaches, ['volumeSnapshots', 'volumeSnapshotClasses', 'volumeSnapshotContents', 'storageClasses', 'storageProfiles', 'cdiConfigs', 'cdis', 'statefulSets', 'virtualMachineSnapshots', 'virtualMachineSnapshotContents', 'podDisruptionBudgets']);
  // VolumeSnapshotContents are facts the cluster stands without (often not listable by a namespace's users).
  assert.deepEqual(optionalFactCaches, ['volumeSnapshotContents']);
  assert.deepEqual(factKinds.map((d) => d.kind), ['VolumeSnapshot', 'VolumeSnapshotClass', 'VolumeSnapshotContent', 'StorageClass', 'StorageProfile', 'CDIConfig', 'CDI', 'StatefulSet', 'KubeVirt', 'VirtualMachineSnapshot', 'VirtualMachineSnapshotContent', 'DataSource', 'PodDisruptionBudget']);
  assert.deepEqual(knownGroups, ['snapshot.storage.k8s.io', 'cdi.kubevirt.io', 'kubevirt.io', 'snapshot.kubevirt.io', 'hco.kubevirt.io', 'storage.maurice.fr', 'cert-manager.io']);
});

test('registry: names for messages and apiVersions', () => {
  assert.equal(describeKind(kinds.VolumeSnapshot), 'VolumeSnapshots (snapshot.storage.k8s.io)');
  assert.equal(describeKind(kinds.PersistentVolumeClaim), 'PersistentVolumeClaims');
  assert.equal(apiVersionOf(kinds.PodDisruptionBudget), 'policy/v1');
  assert.equal(apiVersionOf(kinds.Namespace), 'v1');
});

test('readers: the doctor reads a VolumeSnapshotClass (no spec: driver and parameters are top-level)', () => {
  const vsc = {
    metadata: { name: 'csi-snap', annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } },
    driver: 'csi.example.com',
    parameters: { 'snapshot-type': 'images' },
  };
  assert.deepEqual(factFromObject('VolumeSnapshotClass', vsc, { kind: 'cluster' }), {
    name: 'csi-snap',
    driver: 'csi.example.com',
    isDefault: true,
    parameters: { 'snapshot-type': 'images' },
    source: { kind: 'cluster' },
  });
  assert.deepEqual(factFromObject('VolumeSnapshotClass', { metadata: { name: 'x' }, driver: '' }, { kind: 'cluster' }), { name: 'x', isDefault: false, parameters: {}, source: { kind: 'cluster' } });
  assert.equal(factFromObject('VolumeSnapshotClass', { metadata: {} }, { kind: 'cluster' }), undefined);
});

test('readers: StatefulSet, PVC, PodDisruptionBudget and PV facts for the VolumeResize checks', () => {
  const sts = factFromObject('StatefulSet', {
    metadata: { name: 'db', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db', tier: 'data' } } },
      volumeClaimTemplates: [{ metadata: { name: 'data', labels: { keep: 'me' } }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } }],
    },
  }, { kind: 'cluster' });
  assert.equal(sts?.replicas, 1, 'no spec.replicas: the API server defaults it to 1');
  assert.deepEqual(sts?.templateLabels, { app: 'db', tier: 'data' });
  assert.deepEqual(sts?.volumeClaimTemplates, [{ name: 'data', requestText: '10Gi', requestBytes: 10n * 1024n ** 3n, storageClassName: 'fast', accessModes: ['ReadWriteOnce'], volumeMode: undefined, labels: { keep: 'me' } }]);
  const pdb = (spec: object, status?: object) => factFromObject('PodDisruptionBudget', { metadata: { name: 'p', namespace: 'shop' }, spec, ...(status ? { status } : {}) }, { kind: 'cluster' });
  assert.equal(pdb({ selector: {} })?.hasSelector, true, 'an empty selector is a selector');
  assert.equal(pdb({})?.hasSelector, false);
  assert.equal(pdb({ selector: { matchLabels: { app: 'db' } } }, { disruptionsAllowed: 0 })?.disruptionsAllowed, 0);
  assert.equal(pdb({ maxUnavailable: '25%' })?.maxUnavailable, '25%');
  const pv = factFromObject('PersistentVolume', { metadata: { name: 'pv-1' }, spec: { capacity: { storage: '1Gi' }, claimRef: { namespace: 'shop', name: 'data-db-0', uid: 'u1' }, nodeAffinity: { required: { nodeSelectorTerms: [] } } } }, { kind: 'cluster' });
  assert.deepEqual([pv?.capacityBytes, pv?.claimRef, pv?.pinned], [1024n ** 3n, { namespace: 'shop', name: 'data-db-0', uid: 'u1' }, true]);
  const pvc = factFromObject('PersistentVolumeClaim', { metadata: { name: 'data-db-0', namespace: 'shop' }, spec: { storageClassName: '', volumeName: 'pv-1', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound' } }, { kind: 'cluster' });
  assert.deepEqual([pvc?.storageClassName, pvc?.volumeName, pvc?.phase], ['', 'pv-1', 'Bound']);
  // GetPVCContentType: no annotation is kubevirt (known, not assumed); only "archive" is archive.
  const typed = (contentType?: string) => factFromObject('PersistentVolumeClaim', { metadata: { name: 'p', namespace: 'shop', ...(contentType === undefined ? {} : { annotations: { 'cdi.kubevirt.io/storage.contentType': contentType } }) }, spec: {} }, { kind: 'cluster' })?.contentType;
  assert.deepEqual([typed(), typed('kubevirt'), typed('archive'), typed('Archive'), typed('')], ['kubevirt', 'kubevirt', 'archive', 'kubevirt', 'kubevirt']);
  assert.equal(factFromObject('DataVolume', { metadata: { name: 'd', namespace: 'shop', annotations: { 'cdi.kubevirt.io/storage.contentType': 'archive' } }, spec: {} }, { kind: 'cluster' })?.contentType, undefined, 'PVCs only');
});
