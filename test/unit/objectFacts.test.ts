import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { FactSource } from '../../core/facts.js';
import { factFromObject, type FactKind } from '../../core/kinds/index.js';
import { resourcesOf } from '../../core/resources.js';
import { workspaceFacts } from '../../core/workspaceFacts.js';
import { parseYamlFile } from '../../core/yaml/documents.js';

const source: FactSource = { kind: 'cluster', context: 'kind-test' };

// Each kind's registry reader over a live object.
const reader = <K extends FactKind>(kind: K) => (o: unknown, s: FactSource) => factFromObject(kind, o, s);
const snapshotFactFromObject = reader('VolumeSnapshot');
const storageClassFactFromObject = reader('StorageClass');
const storageProfileFactFromObject = reader('StorageProfile');
const cdiConfigFactFromObject = reader('CDIConfig');
const cdiVersionFactFromObject = reader('CDI');
const vmSnapshotFactFromObject = reader('VirtualMachineSnapshot');
const vmSnapshotContentFactFromObject = reader('VirtualMachineSnapshotContent');

const manifests = `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata: { name: snap, namespace: vms }
spec:
  volumeSnapshotClassName: csi-snap
  source: { persistentVolumeClaimName: disk }
status: { readyToUse: true, restoreSize: 20Mi }
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
  creationTimestamp: "2025-01-02T03:04:05Z"
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
    storageclass.kubevirt.io/is-default-virt-class: "false"
provisioner: csi.trident.netapp.io
parameters: { backendType: ontap-nas }
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: StorageProfile
metadata:
  name: fast
  annotations: { cdi.kubevirt.io/minimumSupportedPvcSize: 4Gi }
spec:
  claimPropertySets: [{ accessModes: [ReadWriteOnce], volumeMode: Block }]
status:
  claimPropertySets: [{ accessModes: [ReadWriteMany, ReadWriteOnce], volumeMode: Filesystem }]
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: CDIConfig
metadata: { name: config }
spec: { filesystemOverhead: { global: "0.1" } }
status: { filesystemOverhead: { global: "0.06", storageClass: { fast: "0.08" } } }
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: CDI
metadata: { name: cdi }
status: { observedVersion: v1.63.1 }
---
apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineSnapshot
metadata: { name: vmsnap, namespace: vms }
spec: { source: { apiGroup: kubevirt.io, kind: VirtualMachine, name: vm1 } }
status: { readyToUse: true, phase: Succeeded, virtualMachineSnapshotContentName: vmsnap-content }
---
apiVersion: snapshot.kubevirt.io/v1beta1
kind: VirtualMachineSnapshotContent
metadata: { name: vmsnap-content, namespace: vms }
spec:
  virtualMachineSnapshotName: vmsnap
  volumeBackups:
    - volumeName: tpm
      volumeSnapshotName: vmsnap-tpm
      persistentVolumeClaim:
        metadata:
          name: persistent-state-for-vm1-abcde
          labels: { persistent-state-for: vm1, cdi.kubevirt.io/applyStorageProfile: "true" }
          annotations: { a: b }
        spec:
          accessModes: [ReadWriteOnce]
          volumeMode: Filesystem
          storageClassName: fast
          resources: { requests: { storage: 10Mi } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: backups
  namespace: vms
  annotations: { cdi.kubevirt.io/storage.contentType: archive }
spec: { storageClassName: fast, resources: { requests: { storage: 5Gi } } }
status: { phase: Bound, capacity: { storage: 6Gi } }
`;

function strip<T extends { source: FactSource } | undefined>(f: T): unknown {
  if (!f) return f;
  const { source: _s, ...rest } = f;
  return rest;
}

test('objectFacts: the same facts from API JSON as workspaceFacts gives from the same YAML', () => {
  const objects = manifests.split(/^---$/m).map((t) => parse(t) as Record<string, unknown>);
  const [snap, sc, profile, config, cdi, vmsnap, content, pvc] = objects;
  const ws = workspaceFacts(parseYamlFile('m.yaml', manifests).docs.flatMap((d) => resourcesOf('m.yaml', d)), 'default');
  assert.deepEqual(strip(snapshotFactFromObject(snap, source)), strip(ws.volumeSnapshot('vms', 'snap')));
  assert.deepEqual(strip(storageClassFactFromObject(sc, source)), strip(ws.storageClass('fast')));
  assert.deepEqual(strip(storageProfileFactFromObject(profile, source)), strip(ws.storageProfile('fast')));
  assert.deepEqual(strip(cdiConfigFactFromObject(config, source)), strip(ws.cdiConfig()));
  assert.deepEqual(strip(cdiVersionFactFromObject(cdi, source)), strip(ws.cdiVersion()));
  assert.deepEqual(strip(vmSnapshotFactFromObject(vmsnap, source)), strip(ws.virtualMachineSnapshot?.('vms', 'vmsnap')));
  assert.deepEqual(strip(vmSnapshotContentFactFromObject(content, source)), strip(ws.virtualMachineSnapshotContent?.('vms', 'vmsnap-content')));
  assert.deepEqual(strip(factFromObject('PersistentVolumeClaim', pvc, source)), strip(ws.claimObject?.('PersistentVolumeClaim', 'vms', 'backups')));
  // And the values themselves, so that an agreeing pair of wrong answers fails too.
  const s = snapshotFactFromObject(snap, source)!;
  assert.equal(s.restoreSizeBytes, 20n * 1024n * 1024n);
  assert.equal(s.readyToUse, true);
  assert.equal(s.sourcePvcName, 'disk');
  assert.deepEqual(s.source, source);
  const c = storageClassFactFromObject(sc, source)!;
  assert.equal(c.isDefault, true);
  assert.equal(c.isDefaultVirt, false);
  const p = storageProfileFactFromObject(profile, source)!;
  assert.equal(p.claimPropertySetsFrom, 'status');
  assert.equal(p.minimumSupportedPvcSizeBytes, 4n * 1024n ** 3n);
  assert.deepEqual(cdiConfigFactFromObject(config, source), { globalOverhead: '0.06', storageClassOverhead: { fast: '0.08' }, source });
  const b = vmSnapshotContentFactFromObject(content, source)!.volumeBackups[0]!;
  assert.equal(b.requestBytes, 10n * 1024n * 1024n);
  assert.equal(b.labels['cdi.kubevirt.io/applyStorageProfile'], 'true');
  const v = factFromObject('PersistentVolumeClaim', pvc, source)!;
  assert.deepEqual([v.contentType, v.capacityBytes, v.phase], ['archive', 6n * 1024n ** 3n, 'Bound'], 'the content type annotation (CDI clone sizing reads it)');
});

test('objectFacts: JSON numbers (int-or-string restoreSize) and absent status', () => {
  const numeric = snapshotFactFromObject({ metadata: { name: 's', namespace: 'n' }, status: { restoreSize: 21474836480, readyToUse: false } }, source);
  assert.equal(numeric?.restoreSizeBytes, 21474836480n);
  assert.equal(numeric?.restoreSizeText, '21474836480');
  assert.equal(numeric?.readyToUse, false);
  const pending = snapshotFactFromObject({ metadata: { name: 's', namespace: 'n' }, spec: {} }, source);
  assert.equal(pending?.restoreSizeBytes, undefined);
  assert.equal(pending?.readyToUse, undefined);
  assert.equal(cdiConfigFactFromObject({ metadata: { name: 'config' }, spec: { filesystemOverhead: { global: '0.1' } } }, source), undefined, 'spec alone is not what CDI uses');
  assert.equal(cdiVersionFactFromObject({ metadata: { name: 'cdi' }, status: {} }, source), undefined);
  const specOnly = storageProfileFactFromObject({ metadata: { name: 'p' }, spec: { claimPropertySets: [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Block' }] } }, source);
  assert.equal(specOnly?.claimPropertySetsFrom, 'spec');
  assert.equal(storageProfileFactFromObject({ metadata: { name: 'p' } }, source)?.claimPropertySetsFrom, 'none');
});

test('objectFacts: malformed objects give undefined or leave fields out, never throw', () => {
  for (const bad of [undefined, null, 42, 'x', [], {}, { metadata: null }, { metadata: { name: '' } }, { metadata: { name: 7 } }]) {
    assert.equal(snapshotFactFromObject(bad, source), undefined);
    assert.equal(storageClassFactFromObject(bad, source), undefined);
    assert.equal(storageProfileFactFromObject(bad, source), undefined);
    assert.equal(vmSnapshotFactFromObject(bad, source), undefined);
    assert.equal(vmSnapshotContentFactFromObject(bad, source), undefined);
  }
  const odd = storageClassFactFromObject({ metadata: { name: 'x', annotations: 'nope' }, parameters: [1, 2], provisioner: { a: 1 } }, source);
  assert.deepEqual(odd && { ...odd, source: undefined }, {
    name: 'x', provisioner: undefined, isDefault: false, isDefaultVirt: false, creationTimestamp: undefined, parameters: {}, volumeBindingMode: undefined, allowVolumeExpansion: undefined, source: undefined,
  });
  const snap = snapshotFactFromObject({ metadata: { name: 's' }, status: { restoreSize: '1 Gi' } }, source);
  assert.equal(snap?.namespace, 'default');
  assert.equal(snap?.restoreSizeText, '1 Gi');
  assert.equal(snap?.restoreSizeBytes, undefined, 'an invalid quantity has no bytes');
  const content = vmSnapshotContentFactFromObject({ metadata: { name: 'c', namespace: 'n' }, spec: { volumeBackups: [null, { volumeName: 'v' }] } }, source);
  assert.equal(content?.volumeBackups.length, 2);
  assert.equal(content?.volumeBackups[0]?.volumeName, '');
});
