/**
 * RenderPvc in-process (core/cdi/render.ts renderPvcInProcess): CDI's RenderPvc (pkg/controller/datavolume/util.go,
 * v1.6x) on a spec no API server has defaulted, as the VolumeClaimTemplates design has the VM controller call it.
 * The cases follow RenderPvc's branches (renderPvcSpecVolumeModeAndAccessModesAndStorageClass,
 * getFallbackStorageClass, renderClonePvcVolumeSizeFromSource, the v1.64 snapshot skip, renderPvcSpecVolumeSize).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PvcSpecInput } from '../../../core/cdi/render.js';
import { renderPvcInProcess } from '../../../core/cdi/render.js';
import type { ClaimPropertySet, Facts, FactSource, StorageClassFact, StorageProfileFact } from '../../../core/facts.js';
import { defaultSettings } from '../../../core/types.js';

const Mi = 1024n * 1024n;
const Gi = 1024n * Mi;
const ws: FactSource = { kind: 'workspace', file: 'f.yaml' };
const sc = (name: string, extra: Partial<StorageClassFact> = {}): StorageClassFact => ({ name, isDefault: false, isDefaultVirt: false, parameters: {}, source: ws, ...extra });
const profile = (name: string, sets: ClaimPropertySet[], extra: Partial<StorageProfileFact> = {}): StorageProfileFact => ({ name, claimPropertySets: sets, claimPropertySetsFrom: 'status', source: ws, ...extra });

function facts(classes: StorageClassFact[], profiles: StorageProfileFact[], globalOverhead = '0.06'): Facts {
  return {
    volumeSnapshot: () => undefined,
    storageClass: (n) => classes.find((c) => c.name === n),
    storageClasses: () => classes,
    storageProfile: (n) => profiles.find((p) => p.name === n),
    cdiConfig: () => ({ globalOverhead, storageClassOverhead: {}, source: ws }),
    cdiVersion: () => ({ version: 'v1.64.0', source: ws }),
  };
}

const rwx = { accessModes: ['ReadWriteMany'], volumeMode: 'Block' as const };
const rwo = { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' as const };
const world = facts(
  [sc('virt', { isDefaultVirt: true }), sc('k8s', { isDefault: true }), sc('rbd')],
  [profile('virt', [rwo]), profile('k8s', [rwo]), profile('rbd', [rwx, rwo], { minimumSupportedPvcSizeBytes: 4n * Gi, minimumSupportedPvcSizeText: '4Gi' })],
);
const base: PvcSpecInput = { namespace: 'vms', labels: {}, annotations: {}, requestBytes: 20n * Mi };

interface Case {
  name: string;
  input: Partial<PvcSpecInput>;
  facts?: Facts;
  expect: { storageClassName?: string; from?: string; accessModes?: string[]; volumeMode?: string; volumeModeFrom?: string; bytes?: bigint; denial?: string };
}

const cases: Case[] = [
  { name: 'no class: the virt default first (getFallbackStorageClass, kubevirt content)', input: {}, expect: { storageClassName: 'virt', from: 'virt-default', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', volumeModeFrom: 'storage-profile' } },
  { name: 'no class, no virt default: the Kubernetes default', input: {}, facts: facts([sc('k8s', { isDefault: true })], [profile('k8s', [rwo])]), expect: { storageClassName: 'k8s', from: 'default' } },
  { name: 'archive content: only the Kubernetes default', input: { annotations: { 'cdi.kubevirt.io/storage.contentType': 'archive' } }, expect: { storageClassName: 'k8s', from: 'default', volumeMode: 'Filesystem' } },
  { name: 'no volumeMode and no accessModes: both from claimPropertySets[0]', input: { storageClassName: 'rbd' }, expect: { accessModes: ['ReadWriteMany'], volumeMode: 'Block', volumeModeFrom: 'storage-profile', bytes: 4n * Gi } },
  { name: 'FromStorageProfile is nil: both from the profile', input: { storageClassName: 'rbd', volumeMode: 'FromStorageProfile' }, expect: { accessModes: ['ReadWriteMany'], volumeMode: 'Block' } },
  { name: 'volumeMode written: the access modes of the matching set (getDefaultAccessModes)', input: { storageClassName: 'rbd', volumeMode: 'Filesystem' }, expect: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', volumeModeFrom: 'spec' } },
  { name: 'accessModes written: the volume mode of the matching set (getDefaultVolumeMode)', input: { storageClassName: 'rbd', accessModes: ['ReadWriteOnce'] }, expect: { volumeMode: 'Filesystem', volumeModeFrom: 'storage-profile' } },
  { name: 'no class at all and no access modes: denied', input: {}, facts: facts([], []), expect: { denial: 'PVC spec is missing accessMode and no storageClass to choose profile' } },
  { name: 'a missing size: denied', input: { storageClassName: 'virt', requestBytes: undefined }, expect: { denial: 'PVC Spec is not valid - missing storage size' } },
  { name: 'below 1MiB: denied', input: { storageClassName: 'virt', requestBytes: 1000n }, expect: { denial: 'PVC Spec is not valid - storage size should be at least 1MiB' } },
  // CDI's own example (facts §3.1): 20Mi with overhead 0.06 and the multiply formula.
  { name: 'Filesystem: inflated by the overhead, 20Mi → 22229812', input: { storageClassName: 'virt' }, expect: { volumeMode: 'Filesystem', bytes: 22229812n } },
  { name: 'Block: not inflated, raised to the profile minimum', input: { storageClassName: 'rbd', volumeMode: 'Block', accessModes: ['ReadWriteMany'] }, expect: { bytes: 4n * Gi } },
  { name: 'VolumeCloneSource with no size: taken from the source (not inflated)', input: { storageClassName: 'virt', requestBytes: undefined, dataSourceRef: { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeCloneSource', name: 'golden' } }, expect: { storageClassName: 'virt' } },
  { name: 'VolumeSnapshot source on v1.64: the size is left alone', input: { storageClassName: 'virt', dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 's' } }, expect: {} },
];

for (const c of cases) {
  test(`RenderPvc in-process: ${c.name}`, () => {
    const r = renderPvcInProcess({ ...base, ...c.input } as PvcSpecInput, c.facts ?? world, defaultSettings);
    const e = c.expect;
    assert.equal(r.webhookApplies, false, 'no webhook is involved');
    if (e.denial !== undefined) return assert.ok(r.denials.includes(e.denial), JSON.stringify(r.denials));
    assert.deepEqual(r.denials, []);
    if (e.storageClassName !== undefined) assert.equal(r.storageClassName, e.storageClassName);
    if (e.from !== undefined) assert.equal(r.storageClassFrom, e.from);
    if (e.accessModes !== undefined) assert.deepEqual(r.accessModes, e.accessModes);
    if (e.volumeMode !== undefined) assert.equal(r.volumeMode, e.volumeMode);
    if (e.volumeModeFrom !== undefined) assert.equal(r.volumeModeFrom, e.volumeModeFrom);
    if (e.bytes !== undefined) assert.equal(r.renderedBytes, e.bytes);
    if (c.name.startsWith('VolumeCloneSource') || c.name.startsWith('VolumeSnapshot')) assert.equal(r.renderedBytes, undefined, 'CDI does not size it');
  });
}
