/**
 * Writes a generated tree to disk: the JSON files, and the qcow2 files either as sparse placeholders of the
 * recorded size (no qemu needed) or as real qcow2 chains made with qemu-img and qemu-io (Debian's qemu-utils),
 * each incremental written over its parent with a data pattern of its own, and the index's sizes set to the real
 * file sizes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseQuantity } from '../../core/quantity.js';
import { qcow2Name, treeFiles, type Tree } from './tree.js';

/** Why real qcow2 files cannot be made here, or undefined when qemu-img and qemu-io are on the PATH. */
export function qemuMissing(): string | undefined {
  for (const tool of ['qemu-img', 'qemu-io']) {
    const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) return `${tool} is not on the PATH (Debian's qemu-utils; test/datamover/setup.sh installs it)`;
  }
  return undefined;
}

/** The data pattern byte of a checkpoint's layer: 0x11 for the first, 0x22 for the second, ... */
export function patternOf(index: number): number {
  return 0x11 * (index + 1);
}

/** 64 KiB written by each layer, at offset 64 KiB × layer. */
export const layerBytes = 64 * 1024;

/**
 * Writes `tree` under `dir` and returns the prefix folder (`dir/<prefix>-kubevirt-datamover`). With `real`, every
 * disk's checkpoints form a qcow2 chain (virtual size = its pvcSize) and the tree's fileBytes are updated.
 */
export interface WriteOptions {
  real?: boolean;
  prefix?: string;
  /** Where the incrementals' recorded backing files point (see makeQcow2). */
  recordedBacking?: string;
  /** qcow2 cluster size (default 64 KiB, qemu-img's); small ones make small files. */
  clusterSize?: number;
  /** Bytes each layer writes (default `layerBytes`). */
  writeBytes?: number;
}

export function writeTree(dir: string, tree: Tree, opts: WriteOptions = {}): string {
  const root = path.join(dir, `${opts.prefix ?? 'velero'}-kubevirt-datamover`);
  if (opts.real) makeQcow2(root, tree, opts);
  for (const [rel, f] of treeFiles(tree)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    if (f.kind === 'json') writeFileSync(p, f.text);
    else if (!opts.real) {
      writeFileSync(p, '');
      truncateSync(p, f.bytes);
    }
  }
  return root;
}

/**
 * `recordedBacking`: afterwards, point each incremental's backing file at `<recordedBacking>/<parent file>` (with
 * `rebase -u`), as an image copied from the backup pod records a path that does not exist on the restore side.
 */
function makeQcow2(root: string, tree: Tree, { recordedBacking, clusterSize = 65536, writeBytes = layerBytes }: WriteOptions): void {
  const later: [string, string][] = [];
  for (const vm of tree.vms) {
    const base = path.join(root, 'checkpoints', vm.namespace, vm.name);
    vm.checkpoints.forEach((c, layer) => {
      for (const d of c.disks) {
        const dir = path.join(base, c.id);
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, qcow2Name(c, d));
        const q = parseQuantity(d.pvcSize);
        if (!q.ok) throw new Error(q.error);
        const parent = c.parent ? vm.checkpoints.find((p) => p.id === c.parent) : undefined;
        const parentDisk = parent?.disks.find((x) => x.disk === d.disk);
        const backing = parent && parentDisk ? ['-b', `../${parent.id}/${qcow2Name(parent, parentDisk)}`, '-F', 'qcow2'] : [];
        execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', `cluster_size=${clusterSize}`, ...backing, file, String(q.quantity.bytes)], { cwd: dir });
        execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P ${patternOf(layer)} ${layer * writeBytes} ${writeBytes}`, file], { cwd: dir, stdio: 'ignore' });
        if (recordedBacking !== undefined && parent && parentDisk) later.push([file, `${recordedBacking}/${qcow2Name(parent, parentDisk)}`]);
      }
    });
  }
  for (const [file, backing] of later) execFileSync('qemu-img', ['rebase', '-u', '-f', 'qcow2', '-F', 'qcow2', '-b', backing, file]);
  for (const vm of tree.vms) {
    for (const c of vm.checkpoints) for (const d of c.disks) d.fileBytes = statSync(path.join(root, 'checkpoints', vm.namespace, vm.name, c.id, qcow2Name(c, d))).size;
  }
}
