// Completion of the PD CSI driver's parameters (core/completion/providers/pdParameters.ts): keys under a PD
// class's `parameters:` less those written, values after a key with a closed list, quoted where YAML would read a
// non-string, and nothing anywhere else (another provisioner, another block, a nested key, an unknown key).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSnapshotClassParameters, checkStorageClassParameters, SNAPSHOT_CLASS_PARAMETERS, STORAGE_CLASS_PARAMETERS } from '../../../core/gcp/pdParameters.js';
import { completeIn, labels } from './fixtures.js';

const storageClass = (params: string) => `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: hd\nprovisioner: pd.csi.storage.gke.io\nparameters:\n${params}\nvolumeBindingMode: WaitForFirstConsumer\n`;
const snapshotClass = (params: string) => `apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata:\n  name: images\ndriver: "pd.csi.storage.gke.io"\ndeletionPolicy: Delete\nparameters:\n${params}\n`;

test('PD keys: a StorageClass offers the StorageClass keys less those already written (any case), half typed or not', () => {
  const r = completeIn(storageClass('  type: hyperdisk-balanced\n  pro§\n  Labels: a=b'));
  assert.deepEqual(labels(r), STORAGE_CLASS_PARAMETERS.map((s) => s.key).filter((k) => k !== 'type' && k !== 'labels'));
  const t = r.items.find((x) => x.label === 'provisioned-throughput-on-create')!;
  assert.equal(t.kind, 'property');
  assert.equal(t.insertText, 'provisioned-throughput-on-create: ');
  assert.match(t.documentation, /MiB\/s written "<n>Mi"/);
  assert.equal(r.items.find((x) => x.label === 'replication-type')!.retrigger, true, 'a key with a closed list asks for its values');
  assert.equal(t.retrigger, undefined);
});

test('PD keys: a VolumeSnapshotClass offers the snapshot keys; an empty line in the block is enough', () => {
  assert.deepEqual(labels(completeIn(snapshotClass('  §'))), SNAPSHOT_CLASS_PARAMETERS.map((s) => s.key));
  assert.deepEqual(labels(completeIn(snapshotClass('  snapshot-type: images\n  §'))), ['image-family', 'storage-locations', 'labels', 'resource-tags']);
});

test('PD keys: the keys of another document in the file do not count as written', () => {
  assert.ok(labels(completeIn(`${snapshotClass('  snapshot-type: images')}---\n${snapshotClass('  §')}`)).includes('snapshot-type'));
});

test('PD values: after a key with a closed list, its values in the table\'s order', () => {
  const r = completeIn(storageClass('  type: §'));
  assert.deepEqual(labels(r), ['pd-standard', 'pd-balanced', 'pd-ssd', 'pd-extreme', 'hyperdisk-balanced', 'hyperdisk-balanced-high-availability', 'hyperdisk-throughput', 'hyperdisk-extreme', 'hyperdisk-ml', 'dynamic']);
  assert.ok(r.items.every((x) => x.kind === 'enum' && x.insertText === x.label));
  assert.deepEqual(labels(completeIn(snapshotClass('  snapshot-type: ima§'))), ['snapshots', 'images']);
});

test('PD values: YAML booleans and numbers are quoted, unless a quote is already open', () => {
  assert.deepEqual(completeIn(storageClass('  enable-confidential-storage: §')).items.map((x) => x.insertText), ['"true"', '"false"']);
  assert.deepEqual(completeIn(storageClass('  enable-confidential-storage: "§')).items.map((x) => x.insertText), ['true', 'false']);
  assert.deepEqual(completeIn(storageClass('  provisioned-iops-on-create: §')).items.map((x) => x.insertText), ['"3000"']);
});

test('PD values: an open value offers the table\'s example; an unknown key offers nothing', () => {
  const r = completeIn(storageClass('  provisioned-throughput-on-create: §'));
  assert.deepEqual(labels(r), ['150Mi']);
  assert.equal(r.items[0]!.kind, 'value');
  assert.deepEqual(completeIn(storageClass('  no-such-key: §')).items, []);
});

test('PD values: every value offered passes the rules\' own check', () => {
  // Keys that need another: the dynamic type's keys go with type: dynamic, confidential storage with a KMS key.
  const dynamic = { type: 'dynamic' };
  const needs = new Map<string, Record<string, string>>([['hyperdisk-type', dynamic], ['pd-type', dynamic], ['disk-type-preference', dynamic], ['enable-confidential-storage', { 'disk-encryption-kms-key': 'projects/p/locations/l/keyRings/r/cryptoKeys/k' }]]);
  for (const [specs, check] of [[STORAGE_CLASS_PARAMETERS, checkStorageClassParameters], [SNAPSHOT_CLASS_PARAMETERS, checkSnapshotClassParameters]] as const) {
    for (const s of specs) {
      for (const v of s.values ?? (s.example !== undefined ? [s.example] : [])) {
        const params = { ...(needs.get(s.key) ?? {}), [s.key]: v };
        assert.deepEqual(check(params).filter((p) => p.severity === 'error'), [], `${s.key}: ${v}`);
      }
    }
  }
});

test('PD parameters: nothing for another provisioner, outside parameters, nested, or for a claim', () => {
  assert.deepEqual(completeIn(storageClass('  §').replace('pd.csi.storage.gke.io', 'ebs.csi.aws.com')).items, []);
  assert.deepEqual(completeIn(storageClass('  type: pd-ssd').replace('  name: hd', '  na§')).items, []);
  assert.deepEqual(completeIn(storageClass('  type: pd-ssd\n  labels:\n    §')).items, []);
  assert.deepEqual(completeIn('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\nparameters:\n  §\n').items, []);
});
