/**
 * `kvstorage datamover plan` as a process, over generated backup trees: a whole chain, a missing incremental, a
 * wrong parent, files referenced by several backups; real qcow2 chains made with qemu-img where it is installed
 * (the restore commands the plan prints are run, and the restored disk checked byte for byte).
 */
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { missingIncremental, treeFiles, wholeChain, wrongParent, type Tree } from '../datamover/tree.js';
import { layerBytes, patternOf, qemuMissing, writeTree } from '../datamover/write.js';
import { assertGolden } from './golden.js';
import { ensureBuilt, runCli } from './runCli.js';

let tmp = '';

before(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'kvstorage-datamover-'));
  writeTree(path.join(tmp, 'whole'), wholeChain());
  writeTree(path.join(tmp, 'missing'), missingIncremental());
  writeTree(path.join(tmp, 'wrong'), wrongParent());
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const plan = (args: string[], env?: NodeJS.ProcessEnv) => runCli(['datamover', 'plan', ...args], { cwd: tmp, ...(env ? { env } : {}) });

interface PlanJson {
  backups: {
    backup: string;
    vms: { name: string; whole: boolean; scratchBytes: string; designBytes: string | null; targets: { pvc: string; bytes: string | null }[]; problems: { rule: string }[]; commands: string[] }[];
    totals: { scratchBytes: string; designBytes: string; targetBytes: string };
    deletion: { deleted: string[]; kept: { objectPath: string; referencedBy: string[] }[] };
  }[];
  totals: { scratchBytes: string };
  problems: { rule: string; severity: string; file: string | null }[];
  verify: { ran: boolean; reason?: string; version?: string; files?: number };
  cluster: { checked: boolean };
}

describe('kvstorage datamover plan', () => {
  it("a whole chain: the controller's figure and the design's side by side (golden), exit 0", () => {
    const r = plan(['whole', '--backup', 'day3']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assertGolden('datamover-whole.txt', r.stdout);
  });

  it('JSON: per VM scratchBytes, designBytes, targets and problems, plus totals', () => {
    const r = plan(['whole/velero-kubevirt-datamover/manifests/day3/vms-vm1.json', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as PlanJson;
    assert.deepEqual(out.backups.map((b) => b.backup), ['day3'], 'a named manifest plans its backup');
    const vm = out.backups[0]!.vms[0]!;
    assert.equal(vm.whole, true);
    assert.equal(vm.scratchBytes, '22318730444');
    assert.equal(vm.designBytes, '14750108877');
    assert.deepEqual(vm.targets.map((t) => [t.pvc, t.bytes]), [['vm1-rootdisk', '10737418240'], ['vm1-data', '4294967296']]);
    assert.deepEqual(vm.problems, []);
    assert.equal(out.totals.scratchBytes, '22318730444');
    assert.equal(out.verify.ran, false);
    assert.equal(out.cluster.checked, false);
  });

  it('a missing incremental: the broken chains are flagged, no commands, exit 1 (golden JSON)', () => {
    const r = plan(['missing', '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    assertGolden('datamover-missing.json', r.stdout);
    const out = JSON.parse(r.stdout) as PlanJson;
    assert.deepEqual(out.backups.map((b) => [b.backup, b.vms[0]!.whole]), [['day1', true], ['day2', false], ['day3', false]]);
    assert.match(out.backups[2]!.vms[0]!.commands.join('\n'), /not restorable/);
    assert.ok(out.problems.some((p) => p.rule === 'datamover-chain-missing-checkpoint'));
    // day1 alone is whole: planning it only exits 0.
    assert.equal(plan(['missing', '--backup', 'day1']).status, 0);
  });

  it('a wrong parent: flagged at the chain entry, exit 1', () => {
    const r = plan(['wrong', '--backup', 'day3']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /BROKEN/);
    assert.match(r.stdout, /manifests\/day3\/vms-vm1\.json:7:5: error datamover-chain-wrong-parent: checkpoint cp-003 has parent cp-001, but the chain puts it after cp-002/);
  });

  it('files referenced by two backups stay when one of them is deleted', () => {
    const out = JSON.parse(plan(['whole', '--backup', 'day2', '--format', 'json']).stdout) as PlanJson;
    const d = out.backups[0]!.deletion;
    assert.deepEqual(d.deleted, []);
    assert.deepEqual(
      d.kept.map((k) => [k.objectPath.split('/').slice(-2).join('/'), k.referencedBy.join(',')]),
      [
        ['cp-001/vmb-day1-rootdisk.qcow2', 'day1,day3'],
        ['cp-001/vmb-day1-datadisk.qcow2', 'day1,day3'],
        ['cp-002/vmb-day2-rootdisk.qcow2', 'day3'],
        ['cp-002/vmb-day2-datadisk.qcow2', 'day3'],
      ],
    );
  });

  it('a truncated local copy: the size differs from the index', () => {
    const dir = path.join(tmp, 'truncated');
    writeTree(dir, wholeChain());
    writeFileSync(path.join(dir, 'velero-kubevirt-datamover/checkpoints/vms/vm1/cp-003/vmb-day3-rootdisk.qcow2'), 'short');
    const r = plan(['truncated', '--backup', 'day3']);
    assert.equal(r.status, 0, 'a warning, not an error');
    assert.match(r.stdout, /warning datamover-file-size-mismatch: the local vmb-day3-rootdisk\.qcow2 has 5 bytes, the index records 209,715,200/);
  });

  it('usage and I/O errors exit 2', () => {
    const cases: [string[], RegExp][] = [
      [[], /missing required argument 'dir-or-index'/],
      [['whole', 'missing'], /too many arguments for 'plan'/],
      [['whole', '--volume-mode', 'block'], /invalid --volume-mode 'block'/],
      [['whole', '--overhead-percent', '1.5'], /invalid --overhead-percent/],
      [['whole', '--format', 'sarif'], /unknown format 'sarif'/],
      [['whole', '--bogus'], /unknown option '--bogus'/],
      [['whole', '--timeout', '5'], /--timeout applies to a cluster/],
      [['nope'], /cannot read 'nope': no such file or directory/],
      [['whole', '--backup', 'day9'], /backup 'day9' is not in 'whole' \(backups: day1, day2, day3\)/],
    ];
    for (const [args, pattern] of cases) {
      const r = plan(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
    }
    mkdirSync(path.join(tmp, 'empty'), { recursive: true });
    writeFileSync(path.join(tmp, 'empty', 'package.json'), '{"name": "x"}');
    assert.match(plan(['empty']).stderr, /no datamover index files in 'empty'/);
    assert.match(plan(['empty/package.json']).stderr, /'empty\/package.json' is not a datamover index file/);
    assert.match(runCli(['datamover', 'restore'], { cwd: tmp }).stderr, /unknown command 'restore' \(commands: plan\)/);
  });

  it('--verify without qemu-img on the PATH says so and exits 2, the plan still printed', () => {
    const bin = path.join(tmp, 'no-qemu-bin');
    mkdirSync(bin, { recursive: true });
    const r = plan(['whole', '--backup', 'day3', '--verify'], { PATH: bin });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--verify: qemu-img is not on the PATH: nothing was verified \(install Debian's qemu-utils\)/);
    assert.match(r.stdout, /qcow2 files: not verified: qemu-img is not on the PATH/);
    assert.match(r.stdout, /rebased without -u, not verified/);
  });
});

describe('kvstorage datamover plan --verify on real qcow2 chains (qemu-img)', () => {
  const missing = qemuMissing();
  const skip = missing ? `skipped: ${missing}` : false;
  if (missing) console.log(`# datamover qcow2 tests ${skip}`);
  let real = '';
  let tree: Tree;

  before(() => {
    if (missing) return;
    // Images as copied from the backup pod: each incremental names its parent by a path that does not exist here.
    tree = wholeChain();
    for (const c of tree.vms[0]!.checkpoints) for (const d of c.disks) d.pvcSize = d.disk === 'rootdisk' ? '64Mi' : '32Mi';
    real = writeTree(path.join(tmp, 'real'), tree, { real: true, recordedBacking: '/backup-data' });
  });

  it('proves each rebase, runs the printed commands, and the raw disk holds every layer', { skip }, () => {
    const r = plan(['real', '--backup', 'day3', '--verify', '--format', 'json']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as PlanJson;
    assert.equal(out.verify.ran, true);
    assert.match(out.verify.version ?? '', /^qemu-img version /);
    assert.equal(out.verify.files, 6);
    const commands = out.backups[0]!.vms[0]!.commands;
    assert.equal(commands.filter((c) => c.startsWith('qemu-img rebase') && c.includes(' -u ')).length, 4, commands.join('\n'));
    const devices = path.join(tmp, 'devices');
    mkdirSync(devices, { recursive: true });
    const script = commands.filter((c) => !c.startsWith('#')).map((c) => c.replace(/ \/dev\/(\S+)$/, ` ${devices}/$1.raw`));
    for (const c of script) execSync(c, { cwd: real, stdio: 'pipe' });
    for (const [pvc, size] of [['vm1-rootdisk', 64 * 1024 * 1024], ['vm1-data', 32 * 1024 * 1024]] as const) {
      const fd = openSync(path.join(devices, `${pvc}.raw`), 'r');
      try {
        for (let layer = 0; layer < 3; layer++) {
          const buf = Buffer.alloc(layerBytes);
          readSync(fd, buf, 0, layerBytes, layer * layerBytes);
          assert.ok(buf.every((b) => b === patternOf(layer)), `${pvc}: layer ${layer} (checkpoint cp-00${layer + 1}) is in the raw disk`);
        }
        const after = Buffer.alloc(16);
        readSync(fd, after, 0, 16, size - 16);
        assert.ok(after.every((b) => b === 0));
      } finally {
        closeSync(fd);
      }
    }
  });

  it('a backing file that names another image: not proven, rebased without -u, a warning', { skip }, () => {
    const child = path.join(real, 'checkpoints/vms/vm1/cp-003/vmb-day3-datadisk.qcow2');
    execSync(`qemu-img rebase -u -f qcow2 -F qcow2 -b /backup-data/other.qcow2 ${child}`);
    const r = plan(['real', '--backup', 'day3', '--verify']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /warning datamover-qcow2-backing-mismatch: vmb-day3-datadisk\.qcow2 was written over \/backup-data\/other\.qcow2 \(qcow2\), not over its parent vmb-day2-datadisk\.qcow2/);
    assert.match(r.stdout, /qemu-img rebase -b \.\.\/cp-002\/vmb-day2-datadisk\.qcow2 -F qcow2 -f qcow2 checkpoints\/vms\/vm1\/cp-003\/vmb-day3-datadisk\.qcow2\n/);
  });

  it('an image larger than its target PVC, and a file that is not qcow2', { skip }, () => {
    const t = structuredClone(tree);
    t.vms[0]!.checkpoints[2]!.disks[0]!.pvcSize = '32Mi'; // the root disk's image is 64Mi
    const files = treeFiles(t);
    writeFileSync(path.join(real, 'checkpoints/vms/vm1/index.json'), (files.get('checkpoints/vms/vm1/index.json') as { text: string }).text);
    writeFileSync(path.join(real, 'checkpoints/vms/vm1/cp-002/vmb-day2-rootdisk.qcow2'), Buffer.alloc(Number(t.vms[0]!.checkpoints[1]!.disks[0]!.fileBytes)));
    const r = plan(['real', '--backup', 'day3', '--verify']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /error datamover-qcow2-virtual-size: the disk image vmb-day3-rootdisk\.qcow2 is 67,108,864 bytes, more than its target PVC vm1-rootdisk \(32Mi, 33,554,432 bytes\)/);
    assert.match(r.stdout, /error datamover-qcow2-invalid: checkpoints\/vms\/vm1\/cp-002\/vmb-day2-rootdisk\.qcow2: .*qcow2/);
  });
});
