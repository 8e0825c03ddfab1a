/**
 * A backup's chain resolved against the VM's index, as the restore does it: resolveTargetDiskName (the PVC's disk,
 * the chain tip's mapping winning) and ResolveCheckpointFiles (pkg/downloader/chain.go at 1dcbce2: full first
 * without parent, then incrementals each naming the previous entry, one file per disk per checkpoint). Every way
 * that fails is a finding at the chain entry in the manifest.
 */
import type { Finding } from '../types.js';
import { qcowObjectPath } from './layout.js';
import { datamoverFinding } from './rules.js';
import type { VmBackup } from './set.js';
import type { SizingIndex } from './sizing.js';
import type { At, Checkpoint, CheckpointFile, VmIndex } from './types.js';

export interface ChainFile {
  checkpoint: string;
  file: CheckpointFile;
  /** Relative to the prefix: checkpoints/<ns>/<vm>/<checkpoint>/<filename>. */
  objectPath: string;
}

/** One disk the restore writes: one DataDownload, one target PVC. */
export interface DiskRestore {
  pvc: string;
  disk: string;
  /** The target's size from the chain tip's pvcSizes, when known. */
  targetBytes?: bigint;
  targetText?: string;
  /** The disk's file in each chain checkpoint, full first; missing ones are left out (and reported). */
  files: ChainFile[];
}

export interface ResolvedChain {
  chain: string[];
  /** Chain entries and their checkpoints (undefined where the index lacks one). */
  links: { id: At<string>; checkpoint?: Checkpoint }[];
  disks: DiskRestore[];
  /** Problems of the chain, at its entries in the manifest. */
  findings: Finding[];
  /** No error among the findings: the controller's checks pass. */
  whole: boolean;
}

export function resolveChain(vb: VmBackup): ResolvedChain {
  const { manifest, index } = vb;
  const file = manifest.file;
  const findings: Finding[] = [];
  const chain = manifest.chain.map((c) => c.value);
  const byId = new Map<string, Checkpoint>();
  for (const c of index?.checkpoints ?? []) if (c.id && !byId.has(c.id.value)) byId.set(c.id.value, c);
  const links = manifest.chain.map((id) => {
    const checkpoint = byId.get(id.value);
    return checkpoint ? { id, checkpoint } : { id };
  });

  if (chain.length === 0) {
    findings.push(datamoverFinding('datamover-chain-missing-checkpoint', file, manifest.chainRange ?? manifest.range, `the checkpointChain of backup ${vb.backup} is empty: the controller fails the restore of ${vb.namespace}/${vb.vm}`));
  }
  if (!index) return { chain, links, disks: [], findings, whole: false };

  const seen = new Set<string>();
  links.forEach(({ id, checkpoint }, pos) => {
    if (seen.has(id.value)) {
      findings.push(datamoverFinding('datamover-chain-duplicate-checkpoint', file, id.range, `checkpoint ${id.value} appears more than once in the chain; the controller refuses it`));
      return;
    }
    seen.add(id.value);
    if (!checkpoint) {
      findings.push(datamoverFinding('datamover-chain-missing-checkpoint', file, id.range, `checkpoint ${id.value} is not in ${index.file.split('/').slice(-3).join('/')}: the restore of ${vb.namespace}/${vb.vm} fails`, { data: { checkpoint: id.value } }));
      return;
    }
    const problem = linkProblem(checkpoint, pos, chain);
    if (problem) findings.push(datamoverFinding('datamover-chain-wrong-parent', file, id.range, problem, { data: { checkpoint: id.value } }));
  });

  const disks = chainDisks(links, vb.namespace, vb.vm);
  for (const d of disks) {
    for (const { id, checkpoint } of links) {
      if (!checkpoint) continue;
      const n = filesForDisk(checkpoint, d.disk).length;
      if (n === 1) continue;
      findings.push(
        n === 0
          ? datamoverFinding('datamover-file-missing', file, id.range, `checkpoint ${id.value} has no file for disk ${d.disk} (PVC ${d.pvc}): the restore of that disk fails`, { data: { checkpoint: id.value, disk: d.disk } })
          : datamoverFinding('datamover-chain-duplicate-checkpoint', file, id.range, `checkpoint ${id.value} has ${n} files for disk ${d.disk}; the controller refuses it`),
      );
    }
  }
  return { chain, links, disks, findings, whole: !findings.some((f) => f.severity === 'error') };
}

/** Why the checkpoint cannot stand at `pos` of the chain (ResolveCheckpointFiles' order checks), if it cannot. */
function linkProblem(c: Checkpoint, pos: number, chain: readonly string[]): string | undefined {
  const id = c.id!.value;
  const type = (c.type?.value ?? '').toLowerCase();
  const parent = c.parent?.value ?? '';
  if (pos === 0) {
    if (type !== 'full') return `checkpoint ${id} is first in the chain but is not a full backup (type ${JSON.stringify(c.type?.value ?? '')})`;
    if (parent !== '') return `checkpoint ${id} is first in the chain but has a parent (${parent}); a chain starts with a full backup`;
    return undefined;
  }
  if (type !== 'incremental') return `checkpoint ${id} follows ${chain[pos - 1]} but is not incremental (type ${JSON.stringify(c.type?.value ?? '')})`;
  if (parent !== chain[pos - 1]) {
    return `checkpoint ${id} has parent ${parent === '' ? '(none)' : parent}, but the chain puts it after ${chain[pos - 1]}: rebasing it there would corrupt the disk, and the controller refuses it`;
  }
  return undefined;
}

/** The file of `disk` in a checkpoint: by diskName, or (plain names) by the PVC's position. */
export function filesForDisk(c: Checkpoint, disk: string): CheckpointFile[] {
  return c.files.filter((f, i) => (f.plain ? c.pvcs[i]?.value === disk : f.diskName?.value === disk));
}

/** A file's disk: its diskName, or for plain names the PVC at the same position. */
function diskOf(c: Checkpoint, i: number): string | undefined {
  const f = c.files[i];
  if (!f) return undefined;
  return f.plain ? c.pvcs[i]?.value : f.diskName?.value || undefined;
}

/**
 * The disks restored: the chain tip's PVCs (what the backup held), each with its disk as resolveTargetDiskName
 * finds it (the newest checkpoint naming the PVC wins) and its file in every chain checkpoint.
 */
function chainDisks(links: ResolvedChain['links'], namespace: string, vm: string): DiskRestore[] {
  const present = links.filter((l) => l.checkpoint).map((l) => l.checkpoint!);
  const tip = present[present.length - 1];
  if (!tip) return [];
  const disks: DiskRestore[] = [];
  tip.pvcs.forEach((pvc, i) => {
    let disk: string | undefined;
    for (const c of present) {
      const at = c.pvcs.findIndex((p) => p.value === pvc.value);
      if (at >= 0 && diskOf(c, at)) disk = diskOf(c, at);
    }
    if (!disk || disks.some((d) => d.pvc === pvc.value)) return;
    const d: DiskRestore = { pvc: pvc.value, disk, files: [] };
    const size = tip.pvcSizes?.[i];
    if (size?.bytes !== undefined) {
      d.targetBytes = size.bytes;
      d.targetText = size.text;
    }
    for (const c of present) {
      const [f] = filesForDisk(c, disk);
      const name = f?.filename?.value;
      if (!f || name === undefined) continue;
      const objectPath = qcowObjectPath(namespace, vm, c.id!.value, name);
      d.files.push({ checkpoint: c.id!.value, file: f, objectPath: f.objectPath?.value === objectPath || !f.objectPath ? objectPath : f.objectPath.value });
    }
    disks.push(d);
  });
  return disks;
}

/** The index as the sizing functions read it: per checkpoint, its files' disks and the pvcSizes beside them. */
export function sizingIndex(index: VmIndex): SizingIndex {
  return {
    checkpoints: index.checkpoints
      .filter((c) => c.id)
      .map((c) => ({
        id: c.id!.value,
        files: c.files.map((_, i) => ({ diskName: diskOf(c, i) ?? '' })),
        pvcSizes: (c.pvcSizes ?? []).map((s) => s.bytes),
      })),
  };
}
