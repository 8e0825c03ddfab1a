// Completion of the PD CSI driver's parameters (core/gcp/completion.ts): keys under a PD class's `parameters:`
// less those written, values after a key with a closed list, quoted where YAML would read a non-string, and
// nothing anywhere else (another provisioner, another block, a nested key, a value with no list).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pdParameterCompletions, type ParameterCompletion } from '../../core/gcp/completion.js';
import { checkSnapshotClassParameters, checkStorageClassParameters, SNAPSHOT_CLASS_PARAMETERS, STORAGE_CLASS_PARAMETERS } from '../../core/gcp/pdParameters.js';

/** The completions where `|` is in `text` (the marker removed). */
function at(text: string): ParameterCompletion[] {
  const offset = text.indexOf('|');
  assert.ok(offset >= 0, 'the test text has a | cursor');
  const before = text.slice(0, offset).split('\n');
  return pdParameterCompletions(text.slice(0, offset) + text.slice(offset + 1), { line: before.length - 1, character: before[before.length - 1]!.length });
}
const labels = (c: ParameterCompletion[]) => c.map((x) => x.label);

const storageClass = (params: string) => `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: hd\nprovisioner: pd.csi.storage.gke.io\nparameters:\n${params}\nvolumeBindingMode: WaitForFirstConsumer\n`;
const snapshotClass = (params: string) => `apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata:\n  name: images\ndriver: "pd.csi.storage.gke.io"\ndeletionPolicy: Delete\nparameters:\n${params}\n`;

describe('PD parameter completion: keys', () => {
  test('a StorageClass offers the StorageClass keys less those already written, replacing the word typed', () => {
    const c = at(storageClass('  type: hyperdisk-balanced\n  pro|\n  labels: a=b'));
    const expected = STORAGE_CLASS_PARAMETERS.map((s) => s.key).filter((k) => k !== 'type' && k !== 'labels');
    assert.deepEqual(labels(c), expected);
    assert.ok(c.every((x) => x.what === 'key'));
    const t = c.find((x) => x.label === 'provisioned-throughput-on-create')!;
    assert.equal(t.insertText, 'provisioned-throughput-on-create: ');
    assert.deepEqual(t.range, { start: { line: 7, character: 2 }, end: { line: 7, character: 5 } });
    assert.match(t.detail, /MiB\/s written "<n>Mi"/);
  });

  test('a VolumeSnapshotClass offers the snapshot keys; an empty line in the block is enough', () => {
    assert.deepEqual(labels(at(snapshotClass('  |'))), SNAPSHOT_CLASS_PARAMETERS.map((s) => s.key));
    assert.deepEqual(labels(at(snapshotClass('  snapshot-type: images\n  |'))), ['image-family', 'storage-locations', 'labels', 'resource-tags']);
  });

  test('within a key that already has its colon, only the key is replaced', () => {
    const c = at(storageClass('  replic|ation-typ: none'));
    const r = c.find((x) => x.label === 'replication-type')!;
    assert.equal(r.insertText, 'replication-type');
    assert.deepEqual(r.range, { start: { line: 6, character: 2 }, end: { line: 6, character: 17 } });
  });

  test('the keys of another document in the file do not count as written', () => {
    const text = `${snapshotClass('  snapshot-type: images')}---\n${snapshotClass('  |')}`;
    assert.ok(labels(at(text)).includes('snapshot-type'));
  });
});

describe('PD parameter completion: values', () => {
  test('after a key with a closed list: its values, with a space after a bare colon', () => {
    const c = at(storageClass('  type:|'));
    assert.deepEqual(labels(c), ['pd-standard', 'pd-balanced', 'pd-ssd', 'pd-extreme', 'hyperdisk-balanced', 'hyperdisk-balanced-high-availability', 'hyperdisk-throughput', 'hyperdisk-extreme', 'hyperdisk-ml', 'dynamic']);
    assert.equal(c[0]!.insertText, ' pd-standard');
    assert.ok(c.every((x) => x.what === 'value'));
  });

  test('a half-typed value is replaced, to the end of the word', () => {
    const c = at(snapshotClass('  snapshot-type: ima|ge'));
    assert.deepEqual(labels(c), ['snapshots', 'images']);
    assert.equal(c[1]!.insertText, 'images');
    assert.deepEqual(c[1]!.range, { start: { line: 7, character: 17 }, end: { line: 7, character: 22 } });
  });

  test('values YAML would read as booleans or numbers are quoted, unless a quote is already open', () => {
    assert.deepEqual(at(storageClass('  enable-confidential-storage: |')).map((x) => x.insertText), ['"true"', '"false"']);
    assert.deepEqual(at(storageClass('  enable-confidential-storage: "|')).map((x) => x.insertText), ['true', 'false']);
    assert.deepEqual(at(storageClass('  provisioned-iops-on-create: |')).map((x) => x.insertText), ['"3000"']);
  });

  test('an open value offers the table\'s example; an unknown key offers nothing', () => {
    assert.deepEqual(labels(at(storageClass('  provisioned-throughput-on-create: |'))), ['150Mi']);
    assert.deepEqual(at(storageClass('  no-such-key: |')), []);
  });

  test('every value offered passes the rules\' own check', () => {
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
});

describe('PD parameter completion: nothing outside a PD class\'s parameters', () => {
  test('another provisioner, another block, a nested or top-level line, a comment line', () => {
    assert.deepEqual(at(storageClass('  |').replace('pd.csi.storage.gke.io', 'ebs.csi.aws.com')), []);
    assert.deepEqual(at(storageClass('  type: pd-ssd').replace('  name: hd', '  |')), []);
    assert.deepEqual(at(storageClass('  type: pd-ssd\n    |')), []);
    assert.deepEqual(at(storageClass('  type: pd-ssd\n|')), []);
    assert.deepEqual(at(storageClass('  type: pd-ssd # |')), []);
    assert.deepEqual(at('kind: PersistentVolumeClaim\nparameters:\n  |\n'), []);
  });

  test('a position past the line or the file', () => {
    assert.deepEqual(pdParameterCompletions(storageClass('  '), { line: 6, character: 40 }), []);
    assert.deepEqual(pdParameterCompletions(storageClass('  '), { line: 99, character: 0 }), []);
  });
});
