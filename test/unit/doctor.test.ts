import { test } from 'node:test';
import assert from 'node:assert/strict';
import { doctor } from '../../core/doctor/index.js';
import type { ClusterInventory, SnapshotClassFact } from '../../core/doctor/index.js';
import type { SnapshotFact, StorageClassFact, StorageProfileFact, VmSnapshotContentFact, VmSnapshotFact } from '../../core/facts.js';
import { defaultSettings } from '../../core/types.js';

const cluster = { kind: 'cluster' as const, context: 'test' };
const sc = (name: string, provisioner: string, extra: Partial<StorageClassFact> = {}): StorageClassFact => ({
  name, provisioner, isDefault: false, isDefaultVirt: false, parameters: {}, source: cluster, ...extra,
});

function inventory(o: {
  classes?: StorageClassFact[]; profiles?: StorageProfileFact[]; snapshotClasses?: SnapshotClassFact[];
  snapshots?: SnapshotFact[]; vmSnapshots?: VmSnapshotFact[]; contents?: VmSnapshotContentFact[]; version?: string;
}): ClusterInventory {
  const classes = o.classes ?? [];
  const snapshots = o.snapshots ?? [];
  return {
    facts: {
      volumeSnapshot: (ns, n) => snapshots.find((s) => s.namespace === ns && s.name === n),
      storageClass: (n) => classes.find((c) => c.name === n),
      storageClasses: () => classes,
      storageProfile: (n) => o.profiles?.find((p) => p.name === n),
      cdiConfig: () => undefined,
      cdiVersion: () => (o.version ? { version: o.version, source: cluster } : undefined),
      virtualMachineSnapshot: (ns, n) => o.vmSnapshots?.find((s) => s.namespace === ns && s.name === n),
      virtualMachineSnapshotContent: (ns, n) => o.contents?.find((s) => s.namespace === ns && s.name === n),
    },
    storageClasses: () => classes,
    storageProfiles: () => o.profiles ?? [],
    snapshotClasses: () => o.snapshotClasses ?? [],
    volumeSnapshots: (ns) => snapshots.filter((s) => ns === undefined || s.namespace === ns),
    vmSnapshots: (ns) => (o.vmSnapshots ?? []).filter((s) => ns === undefined || s.namespace === ns),
    serves: () => true,
  };
}

test('doctor: two default snapshot classes for one driver are errors on both; one per driver is fine', () => {
  const f = doctor(
    inventory({
      snapshotClasses: [
        { name: 'a', driver: 'csi.trident.netapp.io', isDefault: true, parameters: {} },
        { name: 'b', driver: 'csi.trident.netapp.io', isDefault: true, parameters: {} },
        { name: 'c', driver: 'rbd.csi.ceph.com', isDefault: true, parameters: {} },
      ],
    }),
    {},
    defaultSettings,
  );
  assert.deepEqual(f.map((x) => [x.rule, x.severity, x.resource.name]), [
    ['multiple-default-snapshot-classes', 'error', 'a'],
    ['multiple-default-snapshot-classes', 'error', 'b'],
  ]);
  assert.match(f[0]!.message, /2 default snapshot classes were found/);
});

test('doctor: several default and several virt-default storage classes', () => {
  const f = doctor(
    inventory({ classes: [sc('x', 'p', { isDefault: true }), sc('y', 'p', { isDefault: true, isDefaultVirt: true }), sc('z', 'p', { isDefaultVirt: true })] }),
    {},
    defaultSettings,
  );
  assert.equal(f.filter((x) => x.rule === 'multiple-default-storage-classes').length, 4);
  assert.ok(f.some((x) => x.message.includes('virt-default') && x.resource.name === 'z'));
});

test('doctor: a StorageProfile without status claimPropertySets is incomplete', () => {
  const f = doctor(
    inventory({
      profiles: [
        { name: 'ok', claimPropertySets: [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }], claimPropertySetsFrom: 'status', source: cluster },
        { name: 'bare', claimPropertySets: [], claimPropertySetsFrom: 'none', source: cluster },
      ],
    }),
    {},
    defaultSettings,
  );
  assert.deepEqual(f.map((x) => [x.rule, x.resource.name]), [['storageprofile-incomplete', 'bare']]);
});

test('doctor: a VM snapshot whose labelled TPM volume will inflate past restoreSize; namespace scope', () => {
  const inv = inventory({
    version: 'v1.63.1',
    classes: [sc('nas', 'csi.trident.netapp.io')],
    snapshots: [
      { namespace: 'vms', name: 'vs-tpm', restoreSizeBytes: 10485760n, restoreSizeText: '10Mi', readyToUse: true, source: cluster },
      { namespace: 'other', name: 'pending', readyToUse: false, source: cluster },
    ],
    vmSnapshots: [{ namespace: 'vms', name: 'snap', contentName: 'content', vmName: 'vm', readyToUse: true, source: cluster }],
    contents: [
      {
        namespace: 'vms', name: 'content', source: cluster,
        volumeBackups: [{
          volumeName: 'tpm', labels: { 'cdi.kubevirt.io/applyStorageProfile': 'true' }, annotations: {}, storageClassName: 'nas',
          accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', requestBytes: 10485760n, requestText: '10Mi', volumeSnapshotName: 'vs-tpm',
        }],
      },
    ],
  });
  const all = doctor(inv, {}, defaultSettings);
  assert.deepEqual(all.map((x) => [x.rule, x.severity, x.resource.kind, x.resource.name]), [
    ['vm-restore-inflation', 'error', 'VirtualMachineSnapshot', 'snap'],
    ['snapshot-not-ready', 'info', 'VolumeSnapshot', 'pending'],
  ]);
  assert.equal(all[0]!.data?.predictedBytes, '11114906');
  const later = doctor(inv, {}, { ...defaultSettings, cdiVersion: 'v1.63.2' });
  assert.deepEqual([later[0]!.severity, later[0]!.data?.uncertain], ['warning', 'true'], 'a later v1.63 patch may carry the fix');
  assert.deepEqual(doctor(inv, { namespace: 'other' }, defaultSettings).map((x) => x.rule), ['snapshot-not-ready']);
  assert.deepEqual(doctor(inv, {}, { ...defaultSettings, cdiVersion: '1.64.0' }).map((x) => x.rule), ['snapshot-not-ready']);
});
