// KubeVirt's restore PVC names: restoreVolumeName (kubevirt pkg/storage/snapshot/restore.go, d923fdb) with
// naming.GetName (openshift/library-go pkg/build/naming/namer.go, vendored there). The hashes were computed with
// Go's hash/fnv New32a over the same strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv32aHex, getName } from '../../core/kubevirt/naming.js';
import { restorePvcName } from '../../core/kubevirt/restorePvc.js';

const long = 'a-very-long-virtual-machine-name-for-the-production-database-cluster';

test('fnv32a: the FNV-1a offset basis for "", and known vectors', () => {
  assert.deepEqual([fnv32aHex(''), fnv32aHex('a'), fnv32aHex('foobar')], ['811c9dc5', 'e40c292c', 'bf9cf968']);
});

test('naming.GetName(base, suffix, 63): the upstream cases', () => {
  const table: [string, string, string][] = [
    ['vm', 'tpm', 'vm-tpm'],
    ['rhel9', 'persistent-state-for-rhel9', 'rhel9-persistent-state-for-rhel9'],
    ['exactly-fifty-nine-characters-long-target-name-here-abcdef', 'tpm', 'exactly-fifty-nine-characters-long-target-name-here-abcdef-tpm'],
    // Over 63: the base cut to 63 - 10 - len(suffix), then the hash of the base, then the suffix.
    [long, 'rootdisk', 'a-very-long-virtual-machine-name-for-the-prod-5898890f-rootdisk'],
    // A suffix that leaves no room: base[:54] and the hash of "base-suffix", cut to 63.
    [long, `persistent-state-for-${long}`, 'a-very-long-virtual-machine-name-for-the-production-da-837d5da2'],
    ['short', 'x-very-long-volume-name-that-on-its-own-is-far-beyond-the-dns-label-limit', 'short-9ab93aa1'],
    ['', 'tpm', '-tpm'],
  ];
  for (const [base, suffix, want] of table) {
    const got = getName(base, suffix, 63);
    assert.equal(got, want, `${base} + ${suffix}`);
    assert.ok(got.length <= 63);
  }
  assert.equal(getName('a', 'b', 0), '');
});

test('restoreVolumeName: an override name wins, then InPlace, PrefixTargetName, and RandomizeNames (the default)', () => {
  const base = { overrides: [], targetVmName: long, restoreUid: '3f6c1a52-0b1e-4d1a-9c7e-2a4f5e6d7c8b' };
  assert.equal(restorePvcName(base, 'rootdisk', 'vm-rootdisk'), 'restore-3f6c1a52-0b1e-4d1a-9c7e-2a4f5e6d7c8b-rootdisk');
  assert.equal(restorePvcName({ ...base, volumeRestorePolicy: 'RandomizeNames' }, 'rootdisk', 'vm-rootdisk'), 'restore-3f6c1a52-0b1e-4d1a-9c7e-2a4f5e6d7c8b-rootdisk');
  assert.equal(restorePvcName({ ...base, restoreUid: undefined }, 'rootdisk', 'vm-rootdisk'), 'restore-<uid>-rootdisk');
  assert.equal(restorePvcName({ ...base, volumeRestorePolicy: 'InPlace' }, 'rootdisk', 'vm-rootdisk'), 'vm-rootdisk');
  // The issue: PrefixTargetName with a long target name is KubeVirt's 63-character name with a hash.
  assert.equal(restorePvcName({ ...base, volumeRestorePolicy: 'PrefixTargetName' }, 'rootdisk', 'vm-rootdisk'), 'a-very-long-virtual-machine-name-for-the-prod-5898890f-rootdisk');
  assert.equal(restorePvcName({ ...base, targetVmName: 'vm', volumeRestorePolicy: 'PrefixTargetName' }, 'rootdisk', 'x'), 'vm-rootdisk');
  const overrides = [
    { volumeName: 'rootdisk', labels: { a: 'b' } },
    { volumeName: 'rootdisk', restoreName: 'mine' },
  ];
  assert.equal(restorePvcName({ ...base, overrides, volumeRestorePolicy: 'InPlace' }, 'rootdisk', 'vm-rootdisk'), 'mine', 'the first override with a restoreName');
  assert.equal(restorePvcName({ ...base, overrides }, 'datadisk', 'vm-datadisk'), 'restore-3f6c1a52-0b1e-4d1a-9c7e-2a4f5e6d7c8b-datadisk');
});
