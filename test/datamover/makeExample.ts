/**
 * Regenerates examples/datamover/: a small local copy of a datamover prefix with real (tiny) qcow2 chains, made with
 * qemu-img. vm1's backups are whole; vm2's index lost cp-002, so its day2 and day3 chains are broken.
 * Run: `npx tsx test/datamover/makeExample.ts` (needs qemu-utils), then review `git diff examples/`.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { treeFiles, type Tree, type TreeCheckpoint } from './tree.js';
import { qemuMissing, writeTree } from './write.js';

function checkpoints(vm: string, referencedBy: string[][]): TreeCheckpoint[] {
  return ['day1', 'day2', 'day3'].map((day, i) => ({
    id: `cp-00${i + 1}`,
    type: i === 0 ? 'full' : 'incremental',
    ...(i === 0 ? {} : { parent: `cp-00${i}` }),
    vmBackup: `${vm}-${day}`,
    timestamp: `2026-04-0${i + 1}T02:00:00Z`,
    disks: [{ pvc: `${vm}-rootdisk`, disk: 'rootdisk', pvcSize: '1Gi', fileBytes: 0 }],
    referencedBy: referencedBy[i]!,
  }));
}

const refs = [['day1', 'day2', 'day3'], ['day2', 'day3'], ['day3']];
const tree: Tree = {
  vms: [
    { namespace: 'vms', name: 'vm1', checkpoints: checkpoints('vm1', refs) },
    { namespace: 'vms', name: 'vm2', checkpoints: checkpoints('vm2', refs) },
  ],
  backups: ['day1', 'day2', 'day3'].map((day, i) => ({
    name: day,
    timestamp: `2026-04-0${i + 1}T02:00:00Z`,
    vms: ['vm1', 'vm2'].map((name) => ({ namespace: 'vms', name, chain: ['cp-001', 'cp-002', 'cp-003'].slice(0, i + 1) })),
  })),
};

const missing = qemuMissing();
if (missing) throw new Error(missing);
const dir = path.resolve(__dirname, '../../examples/datamover');
rmSync(dir, { recursive: true, force: true });
const root = writeTree(dir, tree, { real: true, clusterSize: 4096, writeBytes: 4096, recordedBacking: '/backup-data' });
// The broken copy: vm2's index without cp-002 (its qcow2 file went with it).
const vm2 = tree.vms[1]!;
vm2.checkpoints.splice(1, 1);
rmSync(path.join(root, 'checkpoints/vms/vm2/cp-002'), { recursive: true });
const index = treeFiles({ vms: [vm2], backups: [] }).get('checkpoints/vms/vm2/index.json')!;
if (index.kind === 'json') writeFileSync(path.join(root, 'checkpoints/vms/vm2/index.json'), index.text);
console.log(`wrote ${path.relative(process.cwd(), root)}`);
