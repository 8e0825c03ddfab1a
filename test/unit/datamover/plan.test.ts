import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCluster } from '../../../core/datamover/clusterChecks.js';
import { relativeTo, restoreCommands } from '../../../core/datamover/commands.js';
import { datamoverRole } from '../../../core/datamover/layout.js';
import { planRestore } from '../../../core/datamover/plan.js';
import { DatamoverSet } from '../../../core/datamover/set.js';
import type { LocalFiles } from '../../../core/datamover/types.js';
import { parseQemuInfo, verifyVm, type QemuInfoResult } from '../../../core/datamover/verify.js';
import { missingIncremental, treeFiles, wholeChain, type Tree } from '../../datamover/tree.js';

const root = 'b/velero-kubevirt-datamover/';
const Gi = 1024n ** 3n;

function load(tree: Tree): { set: DatamoverSet; local: LocalFiles } {
  const set = new DatamoverSet();
  const sizes = new Map<string, bigint>();
  for (const [path, f] of treeFiles(tree)) {
    if (f.kind === 'qcow2') sizes.set(root + path, BigInt(f.bytes));
    else set.set(root + path, f.text, datamoverRole(root + path, f.text)!);
  }
  return { set, local: { size: (p) => sizes.get(p) ?? 'absent' } };
}

describe('restore plan', () => {
  test("a whole chain: the controller's work and output PVCs per disk, the design's figure beside them", () => {
    const { set, local } = load(wholeChain());
    const plan = planRestore(set, local, undefined, { backup: 'day3' });
    assert.equal(plan.backups.length, 1);
    const [vm] = plan.backups[0]!.vms;
    assert.ok(vm);
    assert.deepEqual(vm.chain, ['cp-001', 'cp-002', 'cp-003']);
    assert.equal(vm.whole, true);
    assert.deepEqual(vm.problems, []);
    assert.deepEqual(
      vm.disks.map((d) => [d.pvc, d.disk, d.targetBytes, d.staging.map((s) => [s.role, s.bytes])]),
      [
        ['vm1-rootdisk', 'rootdisk', 10n * Gi, [['work', 3206125977n], ['output', 12884901888n]]],
        ['vm1-data', 'datadisk', 4n * Gi, [['work', 1073741824n], ['output', 5153960755n]]],
      ],
    );
    assert.equal(vm.scratchBytes, 22318730444n);
    assert.equal(vm.scratchBytesOneAtATime, 16091027865n);
    // (10Gi + 2548Mi) × 1.1 and (4Gi + 662Mi) × 1.1: the design's max is the root disk's.
    assert.deepEqual(vm.disks.map((d) => d.designBytes), [14750108877n, 5488037069n]);
    assert.equal(vm.designBytes, 14750108877n);
    assert.deepEqual(plan.backups[0]!.totals, { scratchBytes: 22318730444n, designBytes: 14750108877n, targetBytes: 14n * Gi });
  });

  test('Filesystem targets: one scratch PVC per disk holding chain and raw disk', () => {
    const { set, local } = load(wholeChain());
    const [vm] = planRestore(set, local, { overheadPercent: 20, volumeMode: 'Filesystem' }, { backup: 'day3' }).backups[0]!.vms;
    assert.deepEqual(vm!.disks.map((d) => d.staging.map((s) => [s.role, s.volumeMode, s.bytes])), [[['scratch', 'Filesystem', 16091027865n]], [['scratch', 'Filesystem', 5986949529n]]]);
  });

  test('deleting a backup removes only the files no other backup references', () => {
    const { set, local } = load(wholeChain());
    const del = (b: string) => planRestore(set, local, undefined, { backup: b }).backups[0]!.deletion;
    assert.deepEqual(del('day3').deleted, ['checkpoints/vms/vm1/cp-003/vmb-day3-rootdisk.qcow2', 'checkpoints/vms/vm1/cp-003/vmb-day3-datadisk.qcow2']);
    assert.deepEqual(
      del('day2').kept.map((k) => [k.objectPath.split('/').slice(-2).join('/'), k.referencedBy]),
      [
        ['cp-001/vmb-day1-rootdisk.qcow2', ['day1', 'day3']],
        ['cp-001/vmb-day1-datadisk.qcow2', ['day1', 'day3']],
        ['cp-002/vmb-day2-rootdisk.qcow2', ['day3']],
        ['cp-002/vmb-day2-datadisk.qcow2', ['day3']],
      ],
    );
    assert.deepEqual(del('day2').deleted, []);
  });

  test('a missing incremental: not whole, no commands', () => {
    const { set, local } = load(missingIncremental());
    const [vm] = planRestore(set, local, undefined, { backup: 'day3' }).backups[0]!.vms;
    assert.equal(vm!.whole, false);
    assert.ok(vm!.problems.some((p) => p.rule === 'datamover-chain-missing-checkpoint'));
    assert.match(restoreCommands(vm!, { proven: new Set(), verified: false }).join('\n'), /not restorable/);
  });

  test('commands: rebase onto the parent (relative to the child), then convert the top; -u only where proven', () => {
    const { set, local } = load(wholeChain());
    const [vm] = planRestore(set, local, undefined, { backup: 'day3' }).backups[0]!.vms;
    const child = `${root}checkpoints/vms/vm1/cp-002/vmb-day2-rootdisk.qcow2`;
    const lines = restoreCommands(vm!, { proven: new Set([child]), verified: true });
    assert.deepEqual(lines.slice(0, 6), [
      `# vms/vm1 from backup day3, in ${root.slice(0, -1)}`,
      '# disk rootdisk → PVC vm1-rootdisk (10Gi): cp-001 → cp-002 → cp-003',
      '# cp-003: rebased without -u, their backing files do not name their parents (see the problems); a safe rebase reads the old backing file, which must be readable',
      'qemu-img rebase -b ../cp-001/vmb-day1-rootdisk.qcow2 -F qcow2 -f qcow2 -u checkpoints/vms/vm1/cp-002/vmb-day2-rootdisk.qcow2',
      'qemu-img rebase -b ../cp-002/vmb-day2-rootdisk.qcow2 -F qcow2 -f qcow2 checkpoints/vms/vm1/cp-003/vmb-day3-rootdisk.qcow2',
      'qemu-img convert -f qcow2 -O raw checkpoints/vms/vm1/cp-003/vmb-day3-rootdisk.qcow2 /dev/vm1-rootdisk',
    ]);
    assert.equal(relativeTo('a/b/c/f', 'a/b/d/g'), '../d/g');
    assert.equal(relativeTo('f', 'a/g'), 'a/g');
  });
});

describe('qemu-img info checks', () => {
  const info = (o: object): QemuInfoResult => parseQemuInfo(JSON.stringify(o));
  const path = (cp: string, f: string) => `${root}checkpoints/vms/vm1/${cp}/${f}`;
  const { set, local } = load(wholeChain());
  const [vm] = planRestore(set, local, undefined, { backup: 'day3' }).backups[0]!.vms;
  const good = new Map<string, QemuInfoResult>([
    [path('cp-001', 'vmb-day1-rootdisk.qcow2'), info({ format: 'qcow2', 'virtual-size': 10737418240 })],
    [path('cp-002', 'vmb-day2-rootdisk.qcow2'), info({ format: 'qcow2', 'virtual-size': 10737418240, 'backing-filename': '/backup/vmb-day1-rootdisk.qcow2', 'backing-filename-format': 'qcow2' })],
    [path('cp-003', 'vmb-day3-rootdisk.qcow2'), info({ format: 'qcow2', 'virtual-size': 10737418240, 'backing-filename': 'vmb-day1-rootdisk.qcow2' })],
  ]);

  test('backing files naming the parent prove the rebase; one naming another file does not', () => {
    const r = verifyVm(vm!, good);
    assert.deepEqual([...r.provenRebases], [path('cp-002', 'vmb-day2-rootdisk.qcow2')]);
    assert.deepEqual(r.findings.map((f) => f.rule), ['datamover-qcow2-backing-mismatch']);
    assert.match(r.findings[0]!.message, /written over vmb-day1-rootdisk.qcow2, not over its parent vmb-day2-rootdisk.qcow2/);
    assert.equal(r.findings[0]!.file, `${root}checkpoints/vms/vm1/index.json`);
  });

  test('what the restore refuses, and an image larger than its target', () => {
    const bad = new Map<string, QemuInfoResult>([
      [path('cp-001', 'vmb-day1-rootdisk.qcow2'), info({ format: 'qcow2', 'virtual-size': 1, 'backing-filename': 'x.qcow2' })],
      [path('cp-002', 'vmb-day2-rootdisk.qcow2'), info({ format: 'raw', 'virtual-size': 1 })],
      [path('cp-003', 'vmb-day3-rootdisk.qcow2'), info({ format: 'qcow2', 'virtual-size': 10737418241, 'backing-filename': 'vmb-day2-rootdisk.qcow2' })],
      [path('cp-001', 'vmb-day1-datadisk.qcow2'), { ok: false, error: 'qemu-img: Could not open: Permission denied' }],
      [path('cp-002', 'vmb-day2-datadisk.qcow2'), info({ format: 'qcow2', 'virtual-size': 1, 'format-specific': { type: 'qcow2', data: { 'data-file': '/x' } } })],
      [path('cp-003', 'vmb-day3-datadisk.qcow2'), info({ format: 'qcow2', 'virtual-size': 1 })],
    ]);
    const r = verifyVm(vm!, bad);
    assert.deepEqual(
      r.findings.map((f) => [f.rule, f.message.replace(/^.*qcow2: /, '')]),
      [
        ['datamover-qcow2-invalid', 'the full backup has a backing file (x.qcow2); the restore refuses it'],
        ['datamover-qcow2-invalid', 'it is raw, not qcow2'],
        ['datamover-qcow2-virtual-size', 'the disk image vmb-day3-rootdisk.qcow2 is 10,737,418,241 bytes, more than its target PVC vm1-rootdisk (10Gi, 10,737,418,240 bytes): qemu-img convert cannot fit it'],
        ['datamover-qcow2-invalid', 'qemu-img: Could not open: Permission denied'],
        ['datamover-qcow2-invalid', 'it has an external data file (/x); the restore refuses it'],
        ['datamover-qcow2-invalid', 'this incremental has no backing file; the restore refuses it'],
      ],
    );
    assert.deepEqual([...r.provenRebases], [path('cp-003', 'vmb-day3-rootdisk.qcow2')]);
  });

  test('virtual sizes past 2^53 stay exact', () => {
    const r = parseQemuInfo('{"format": "qcow2", "virtual-size": 9007199254740993}');
    assert.ok(r.ok);
    assert.equal(r.info.virtualSize, 9007199254740993n);
  });
});

describe('cluster checks', () => {
  const { set, local } = load(wholeChain());
  const plan = planRestore(set, local, undefined, { backup: 'day3' }).backups[0]!;

  test('a quota in the OADP namespace that the staging PVCs exceed, per class and overall', () => {
    const out = checkCluster(
      plan,
      {
        storageClass: 'fast',
        quotas: [
          { namespace: 'openshift-adp', name: 'q', hard: { 'requests.storage': '30Gi', 'fast.storageclass.storage.k8s.io/requests.storage': '20Gi', persistentvolumeclaims: '10' }, used: { 'requests.storage': '10Gi' } },
          { namespace: 'vms', name: 'roomy', hard: { 'requests.storage': '1Ti', persistentvolumeclaims: '1' }, used: {} },
        ],
      },
      { staging: 'openshift-adp' },
    );
    assert.deepEqual(
      out.problems.map((p) => [p.rule, p.data?.['quota'], p.data?.['key']]),
      [
        ['datamover-quota-exceeded', 'openshift-adp/q', 'requests.storage'],
        ['datamover-quota-exceeded', 'openshift-adp/q', 'fast.storageclass.storage.k8s.io/requests.storage'],
        ['datamover-quota-exceeded', 'vms/roomy', 'persistentvolumeclaims'],
      ],
    );
    assert.match(out.problems[0]!.message, /leaves 20 GiB \(21,474,836,480 bytes\) of requests\.storage \(hard 30Gi, used 10Gi\); the restore's 4 PVC\(s\) in openshift-adp need 20\.8 GiB \(22,318,730,444 bytes\)/);
  });

  test('the StorageProfile minimum raises small PVCs and says so', () => {
    const out = checkCluster(plan, { storageClass: 'fast', minimum: '5Gi', quotas: [] }, { staging: 'openshift-adp' });
    assert.equal(out.problems.length, 1);
    assert.equal(out.problems[0]!.rule, 'datamover-storage-minimum');
    assert.match(out.problems[0]!.message, /minimum of 5Gi .* 4 PVC\(s\) ask for less/);
    // Both work PVCs (3 GiB, 0.8 GiB), the data disk's output (4.8 GiB) and its 4Gi target are below 5Gi.
    assert.equal(out.raised.get('vms/vm1'), 5n * Gi + 12884901888n + 5n * Gi + 5368709120n);
  });
});
