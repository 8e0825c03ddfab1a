import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstJsonError } from '../../../core/datamover/json.js';
import { datamoverRole, locateDatamoverPath, qcowObjectPath } from '../../../core/datamover/layout.js';

test('the layout names each file by its place under a …-kubevirt-datamover/ prefix', () => {
  const cases: [string, string | undefined][] = [
    ['b/velero-kubevirt-datamover/checkpoints/vms/vm1/index.json', 'vm-index'],
    ['file:///x/velero-kubevirt-datamover/manifests/day3/index.json', 'backup-index'],
    ['velero-kubevirt-datamover/manifests/day3/vms-vm1.json', 'vm-manifest'],
    ['velero-kubevirt-datamover/manifests/day3/vm1.json', 'vm-manifest'],
    // Not in such a prefix, and not shaped like an index: not ours.
    ['backups/checkpoints/vms/vm1/index.json', undefined],
    ['package.json', undefined],
    ['velero-kubevirt-datamover/checkpoints/vms/vm1/cp-001/vmb.json', undefined],
    ['velero-kubevirt-datamover/checkpoints/vms/vm1/index.yaml', undefined],
  ];
  for (const [path, role] of cases) assert.equal(datamoverRole(path, '{}'), role, path);
});

test('elsewhere, a JSON object with the index keys is recognised by content', () => {
  assert.equal(datamoverRole('copy/index.json', '{"vmName": "vm1", "checkpoints": [\n]}'), 'vm-index');
  assert.equal(datamoverRole('copy/vm1.json', '{ "checkpointChain": ["cp-001"] }'), 'vm-manifest');
  assert.equal(datamoverRole('copy/b.json', '{"backupName": "day3", "vms": [{"manifestPath": "m"}]}'), 'backup-index');
  assert.equal(datamoverRole('copy/checkpoints/vms/vm1/index.json', '{"checkpoints":[]}'), 'vm-index');
  assert.equal(datamoverRole('copy/manifests/day3/index.json', '{"backupName": "day3"}'), 'backup-index');
  assert.equal(datamoverRole('copy/tsconfig.json', '{"compilerOptions": {"strict": true}}'), undefined);
  assert.equal(datamoverRole('copy/b.json', '{"backupName": "day3"}'), undefined);
  assert.equal(datamoverRole('copy/list.json', '["checkpoints"]'), undefined);
});

test('locations carry the root, namespace, VM and backup', () => {
  assert.deepEqual(locateDatamoverPath('a/p-kubevirt-datamover/checkpoints/ns%201/vm/index.json'), { role: 'vm-index', root: 'a/p-kubevirt-datamover/', suffixed: true, namespace: 'ns 1', vm: 'vm' });
  assert.deepEqual(locateDatamoverPath('manifests/day1/index.json'), { role: 'backup-index', root: '', suffixed: false, backup: 'day1' });
  assert.equal(qcowObjectPath('vms', 'vm1', 'cp-001', 'f.qcow2'), 'checkpoints/vms/vm1/cp-001/f.qcow2');
});

test('the first offset a strict JSON reader rejects', () => {
  const cases: [string, number][] = [
    ['[1,,2]', 3],
    ['{"a":1,}', 7],
    ['// c\n{}', 0],
    ['{"a": tru}', 9],
    ['{"a": "x\ty"}', 8],
    ['[1, 2', 5],
    ['{"a": 01}', 7],
    ['{} x', 3],
    ['{"a": [1, {"b": null}], "c": "\\u00e9"}', 38],
  ];
  for (const [text, at] of cases) assert.equal(firstJsonError(text), at, text);
});
