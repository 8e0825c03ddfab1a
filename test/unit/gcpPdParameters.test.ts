// The PD CSI driver's parameter checks (core/gcp/pdParameters.ts) against the cases of its own tests:
// TestExtractAndDefaultParameters and TestSnapshotParameters, pkg/parameters/parameters_test.go at b560165c.
// Cases that only fail with a driver feature turned off (storage pools, data cache, multi-zone, HdHA) are
// valid here: the tools cannot know the driver's flags. Then what the driver misreads: throughput in bytes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkSnapshotClassParameters, checkStorageClassParameters, closestKey, isRegional, STORAGE_CLASS_PARAMETERS } from '../../core/gcp/pdParameters.js';

const errors = (p: Record<string, string>) => checkStorageClassParameters(p).filter((x) => x.severity === 'error');

describe('StorageClass parameters: the driver\'s test table', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['defaults', {}, false],
    ['specified empties', { type: '', 'replication-type': '', 'disk-encryption-kms-key': '', labels: '', 'resource-tags': '' }, false],
    ['random keys', { type: '', foo: '', 'disk-encryption-kms-key': '', labels: '' }, true],
    ['values from parameters', { type: 'pd-ssd', 'replication-type': 'regional-pd', 'disk-encryption-kms-key': 'foo/key', labels: 'key1=value1,key2=value2', 'resource-tags': 'parent1/key1/value1,parent2/key2/value2' }, false],
    ['pd-extreme', { type: 'pd-extreme', 'replication-type': 'none', 'provisioned-iops-on-create': '10k' }, false],
    ['hyperdisk-throughput', { type: 'hyperdisk-throughput', 'provisioned-throughput-on-create': '1000Mi' }, false],
    ['partial spec', { 'disk-encryption-kms-key': 'foo/key' }, false],
    ['tags (sidecar keys)', { 'csi.storage.k8s.io/pvc/name': 'testPVCName', 'csi.storage.k8s.io/pvc/namespace': 'ns', 'csi.storage.k8s.io/pv/name': 'pv' }, false],
    ['availability class', { 'availability-class': 'regional-hard-failover' }, false],
    ['no force attach', { 'availability-class': 'none' }, false],
    ['confidential compute with a KMS key', { 'enable-confidential-storage': 'true', 'disk-encryption-kms-key': 'projects/p/locations/us-central1/keyRings/r/cryptoKeys/k' }, false],
    ['storage pools', { type: 'hyperdisk-balanced', 'storage-pools': 'projects/my-project/zones/us-central1-a/storagePools/storagePool-1,projects/my-project/zones/us-central1-b/storagePools/storagePool-2' }, false],
    ['storage pool starting with /projects', { type: 'hyperdisk-balanced', 'storage-pools': '/projects/my-project/zones/us-central1-a/storagePools/storagePool-1' }, true],
    ['storage pool without projects', { type: 'hyperdisk-balanced', 'storage-pools': 'zones/us-central1-a/storagePools/storagePool-1' }, true],
    ['storage pool without zones', { type: 'hyperdisk-balanced', 'storage-pools': 'projects/my-project/storagePools/storagePool-1' }, true],
    ['storage pool with projects twice', { type: 'hyperdisk-balanced', 'storage-pools': 'projects/my-project/projects/my-project/storagePools/storagePool-1' }, true],
    ['negative throughput', { type: 'hyperdisk-throughput', 'provisioned-throughput-on-create': '-50Mi' }, true],
    ['data cache size', { type: 'pd-balanced', 'data-cache-size': '1234Gi' }, false],
    ['data cache mode', { type: 'pd-balanced', 'data-cache-size': '1234Gi', 'data-cache-mode': 'writeback' }, false],
    ['multi-zone true', { type: 'hyperdisk-ml', 'enable-multi-zone-provisioning': 'true' }, false],
    ['multi-zone unknown', { type: 'hyperdisk-ml', 'enable-multi-zone-provisioning': 'unknown' }, true],
    ['hdha', { type: 'hyperdisk-balanced-high-availability' }, false],
    ['use-allowed-disk-topology true', { 'use-allowed-disk-topology': 'true' }, false],
    ['use-allowed-disk-topology not a boolean (the driver only warns)', { 'use-allowed-disk-topology': 'maybe' }, false],
  ];
  for (const [name, params, fails] of cases) test(name, () => assert.equal(errors(params).length > 0, fails, JSON.stringify(checkStorageClassParameters(params))));
});

describe('VolumeSnapshotClass parameters: the driver\'s test table', () => {
  test('valid: storage-locations, snapshot-type, image-family, labels; the sidecar keys', () => {
    assert.deepEqual(checkSnapshotClassParameters({ 'storage-locations': 'ASIA ', 'snapshot-type': 'images', 'image-family': 'test-family', labels: 'label-1=value-a,key1=value1', 'csi.storage.k8s.io/volumesnapshot/name': 'snap' }), []);
  });
  test('invalid: snapshot-type "invalid-type", and "Images" (compared exactly)', () => {
    assert.deepEqual(checkSnapshotClassParameters({ 'snapshot-type': 'invalid-type' }).map((p) => [p.rule, p.severity]), [['gcp-pd-invalid-value', 'error']]);
    assert.deepEqual(checkSnapshotClassParameters({ 'snapshot-type': 'Images' })[0]?.replacement, { what: 'value', text: 'images' });
  });
  test('a StorageClass key on a VolumeSnapshotClass is unknown', () => {
    const [p] = checkSnapshotClassParameters({ type: 'pd-ssd' });
    assert.equal(p?.rule, 'gcp-pd-unknown-parameter');
    assert.match(p!.message, /parameters contains invalid option "type"/);
  });
});

describe('what the driver misreads, and helpers', () => {
  test('provisioned-throughput-on-create is a quantity rounded up to MiB: "150" is 1 MiB/s', () => {
    const [p] = checkStorageClassParameters({ 'provisioned-throughput-on-create': '150' });
    assert.equal(p?.severity, 'warning');
    assert.match(p!.message, /"150" is 1 MiB\/s, not 150 MiB\/s/);
    assert.deepEqual(p!.replacement, { what: 'value', text: '150Mi' });
    assert.match(checkStorageClassParameters({ 'provisioned-throughput-on-create': '150M' })[0]!.message, /"150M" is 144 MiB\/s/);
    assert.deepEqual(checkStorageClassParameters({ 'provisioned-throughput-on-create': '150Mi' }), []);
  });
  test('keys are case-insensitive; a near miss is named', () => {
    assert.deepEqual(checkStorageClassParameters({ Type: 'pd-ssd' }), []);
    assert.equal(closestKey('provisioned-throughput', STORAGE_CLASS_PARAMETERS), undefined);
    assert.equal(closestKey('replication_type', STORAGE_CLASS_PARAMETERS), 'replication-type');
    assert.equal(closestKey('storage-pool', STORAGE_CLASS_PARAMETERS), 'storage-pools');
  });
  test('regional: replication-type regional-pd, or hyperdisk-balanced-high-availability (DiskParameters.IsRegional)', () => {
    assert.equal(isRegional({ 'replication-type': 'Regional-PD' }), true);
    assert.equal(isRegional({ type: 'hyperdisk-balanced-high-availability' }), true);
    assert.equal(isRegional({ type: 'hyperdisk-balanced', 'replication-type': 'none' }), false);
  });
});
