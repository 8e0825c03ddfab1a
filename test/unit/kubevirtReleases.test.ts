// The restore PVC per KubeVirt release (core/kubevirt/releases.ts, restorePvc.ts), read from kubevirt/kubevirt's
// pkg/storage/snapshot/restore.go at tags v1.3.1 … v1.9.0: which labels and annotations survive, which name the
// restore gets, and where a `git describe` build between two tags may or may not carry a backport.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SnapshotFact, VolumeBackupFact } from '../../core/facts.js';
import { kubevirtBehaviour } from '../../core/kubevirt/releases.js';
import { predictRestorePvc, type RestoreTarget } from '../../core/kubevirt/restorePvc.js';
import { parseKubevirtVersion } from '../../core/kubevirt/version.js';

const backup: VolumeBackupFact = {
  volumeName: 'rootdisk',
  pvcName: 'vm-rootdisk',
  labels: { app: 'db', 'persistent-state-for': 'vm', 'cdi.kubevirt.io/applyStorageProfile': 'true' },
  annotations: { 'cdi.kubevirt.io/storage.contentType': 'kubevirt', 'pv.kubernetes.io/bind-completed': 'yes', 'cdi.kubevirt.io/storage.pod.phase': 'Succeeded', team: 'dba' },
  storageClassName: 'nas',
  accessModes: ['ReadWriteOnce'],
  volumeMode: 'Filesystem',
  requestText: '10Mi',
  requestBytes: 10n * 1024n * 1024n,
  volumeSnapshotName: 'vs-rootdisk',
};
const snapshot: SnapshotFact = { namespace: 'default', name: 'vs-rootdisk', restoreSizeBytes: 20n * 1024n * 1024n, restoreSizeText: '20Mi', source: { kind: 'workspace', file: 'x.yaml' } };
const target: RestoreTarget = {
  restoreName: 'rollback',
  restoreUid: 'u1',
  namespace: 'default',
  sourceVmName: 'vm',
  targetVmName: 'clone',
  volumeRestorePolicy: 'PrefixTargetName',
  overrides: [{ volumeName: 'rootdisk', labels: { tier: 'gold' }, annotations: { note: 'x' } }],
};

const restoreLabels = { 'restore.kubevirt.io/source-vm-name': 'vm', 'restore.kubevirt.io/source-vm-namespace': 'default' };
const base = { app: 'db', 'cdi.kubevirt.io/applyStorageProfile': 'true', ...restoreLabels };

function predicted(version: string) {
  const p = parseKubevirtVersion(version);
  assert.ok(p.ok, version);
  return predictRestorePvc(backup, snapshot, target, kubevirtBehaviour(p.minor, p.patch, p.newerThanTag === true));
}

test('restore PVC per KubeVirt release: name, labels, annotations and size (restore.go at each tag)', () => {
  type Row = [version: string, name: string, labels: Record<string, string>, annotations: Record<string, string>];
  const old = { team: 'dba', 'restore.kubevirt.io/name': 'rollback' };
  const v16 = { ...old, 'restore.kubevirt.io/lastRestoreUID': 'rollback-u1', note: 'x' };
  const withType = { 'cdi.kubevirt.io/storage.contentType': 'kubevirt' };
  const table: Row[] = [
    // v1.3: every label copied (persistent-state-for too), contentType dropped, always restore-<uid>-<volume>.
    ['v1.3.1', 'restore-u1-rootdisk', { ...base, 'persistent-state-for': 'vm' }, old],
    ['v1.4.0', 'restore-u1-rootdisk', { ...base, 'persistent-state-for': 'vm' }, old],
    // v1.4.1 got getFilteredLabels (the backend-storage snapshot backport).
    ['v1.4.1', 'restore-u1-rootdisk', base, old],
    ['v1.5.3', 'restore-u1-rootdisk', base, old],
    // v1.6: overrides and lastRestoreUID; PrefixTargetName is not a policy yet (the default name).
    ['v1.6.4', 'restore-u1-rootdisk', { ...base, tier: 'gold' }, v16],
    ['v1.6.5', 'restore-u1-rootdisk', { ...base, tier: 'gold' }, { ...v16, ...withType }],
    ['v1.7.2', 'restore-u1-rootdisk', { ...base, tier: 'gold' }, v16],
    ['v1.7.4', 'restore-u1-rootdisk', { ...base, tier: 'gold' }, { ...v16, ...withType }],
    // v1.8: PrefixTargetName.
    ['v1.8.1', 'clone-rootdisk', { ...base, tier: 'gold' }, v16],
    ['v1.8.2', 'clone-rootdisk', { ...base, tier: 'gold' }, { ...v16, ...withType }],
    ['v1.9.0', 'clone-rootdisk', { ...base, tier: 'gold' }, { ...v16, ...withType }],
    ['v1.10.1', 'clone-rootdisk', { ...base, tier: 'gold' }, { ...v16, ...withType }],
    ['v1.2.0', 'restore-u1-rootdisk', { ...base, 'persistent-state-for': 'vm' }, old],
  ];
  for (const [version, name, labels, annotations] of table) {
    const pvc = predicted(version);
    assert.equal(pvc.name, name, `${version} name`);
    assert.deepEqual(pvc.input.labels, labels, `${version} labels`);
    assert.deepEqual(pvc.input.annotations, annotations, `${version} annotations`);
    // max(request, restoreSize) in every release, and both data sources.
    assert.equal(pvc.requestBytes, 20n * 1024n * 1024n, `${version} size`);
    assert.equal(pvc.requestText, '20Mi');
    assert.deepEqual(pvc.input.dataSourceRef, { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'vs-rootdisk' });
  }
});

test('restore names before v1.6.0 ignore InPlace and name overrides; v1.6 and v1.7 honour them', () => {
  const inPlace = { ...target, volumeRestorePolicy: 'InPlace', overrides: [] };
  const named = { ...target, overrides: [{ volumeName: 'rootdisk', restoreName: 'mine' }] };
  const b = (minor: number, patch?: number) => kubevirtBehaviour(minor, patch);
  assert.equal(predictRestorePvc(backup, snapshot, inPlace, b(5, 3)).name, 'restore-u1-rootdisk');
  assert.equal(predictRestorePvc(backup, snapshot, inPlace, b(6, 0)).name, 'vm-rootdisk');
  assert.equal(predictRestorePvc(backup, snapshot, named, b(5)).name, 'restore-u1-rootdisk');
  assert.equal(predictRestorePvc(backup, snapshot, named, b(7)).name, 'mine');
  assert.equal(predictRestorePvc(backup, snapshot, inPlace, b(6)).input.annotations['restore.kubevirt.io/lastRestoreUID'], 'rollback-u1');
});

test('backend-storage PVC label and the VirtualMachineRestore fields per release', () => {
  const rows: [string, boolean | 'may', boolean, boolean, string[]][] = [
    ['v1.3.1', false, false, false, []],
    ['v1.4.0', false, false, false, []],
    ['v1.4.1', true, false, false, []],
    ['v1.5.1', false, false, false, []],
    ['v1.5.2', true, false, false, []],
    ['v1.6.0', true, true, false, ['RandomizeNames', 'InPlace']],
    ['v1.7.0', true, true, true, ['RandomizeNames', 'InPlace']],
    ['v1.8.0', true, true, true, ['RandomizeNames', 'InPlace', 'PrefixTargetName']],
  ];
  for (const [version, backend, policy, ownership, policies] of rows) {
    const p = parseKubevirtVersion(version);
    assert.ok(p.ok);
    const b = kubevirtBehaviour(p.minor, p.patch);
    assert.deepEqual([b.backendApplyStorageProfile, b.volumeRestorePolicy, b.volumeOwnershipPolicy, [...b.restorePolicies]], [backend, policy, ownership, policies], version);
    assert.deepEqual(b.uncertain, [], `${version} is a tag`);
  }
});

test('"may": a git describe build between a tag and the patch that brought a backport', () => {
  const at = (text: string) => {
    const p = parseKubevirtVersion(text);
    assert.ok(p.ok, text);
    return kubevirtBehaviour(p.minor, p.patch, p.newerThanTag === true);
  };
  const between = at('v1.6.4-12-gabcdef0');
  assert.equal(between.keepsContentType, 'may');
  assert.equal(between.version, 'v1.6.4+ (commits after the tag)');
  assert.deepEqual(between.uncertain, ['keeping the cdi.kubevirt.io/storage.contentType annotation on restore PVCs (first in v1.6.5) only if this build has the backport']);
  // Predicted as the later behaviour (the branch head's), the caller says "may".
  assert.equal(predictRestorePvc(backup, snapshot, target, between).input.annotations['cdi.kubevirt.io/storage.contentType'], 'kubevirt');
  assert.equal(at('v1.4.0-3-g1234abcd').dropsPersistentStateLabel, 'may');
  assert.equal(at('v1.5.1-3-g1234abcd').backendApplyStorageProfile, 'may');
  // An earlier describe, a later one, and a patch past the last tag are known.
  assert.equal(at('v1.6.3-2-gabcdef0').keepsContentType, false);
  assert.equal(at('v1.6.5-2-gabcdef0').keepsContentType, true);
  const later = at('v1.6.9');
  assert.deepEqual([later.keepsContentType, later.uncertain, later.version], [true, [], 'v1.6.9 (newer than v1.6.6, the newest tag known)']);
  // A pre-release suffix is not git describe: the tag itself.
  assert.equal(at('v1.8.0-rc.1').restorePolicies.includes('PrefixTargetName'), true);
  assert.equal(at('1.7').version, 'v1.7 (as v1.7.4, its newest known tag)');
});

test('parseKubevirtVersion: v1 releases only', () => {
  assert.deepEqual(parseKubevirtVersion('1.6.3'), { ok: true, minor: 6, patch: 3, text: 'v1.6.3' });
  assert.deepEqual(parseKubevirtVersion(' v1.6 '), { ok: true, minor: 6, text: 'v1.6' });
  assert.equal(parseKubevirtVersion('v4.18.3').ok, false);
  assert.equal(parseKubevirtVersion('latest').ok, false);
});
