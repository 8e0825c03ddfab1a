/**
 * Checks of one per-VM index on its own and against what else is known: the backups whose chains use it
 * (referencedBy), and the local copy of the prefix (are the qcow2 files there, with the recorded sizes).
 */
import { groupDigits } from '../quantity.js';
import type { Finding } from '../types.js';
import { qcowObjectPath } from './layout.js';
import { datamoverFinding } from './rules.js';
import type { DatamoverEntry, VmBackup } from './set.js';
import type { Checkpoint, LocalFiles, VmIndex } from './types.js';

export interface IndexContext {
  local: LocalFiles;
  /** The backups (manifests) whose chains use this index. */
  backups: readonly VmBackup[];
}

export function checkVmIndex(entry: DatamoverEntry, index: VmIndex, ctx: IndexContext): Finding[] {
  const out: Finding[] = [];
  const file = index.file;
  const ids = new Set(index.checkpoints.flatMap((c) => (c.id ? [c.id.value] : [])));
  const seen = new Set<string>();
  for (const c of index.checkpoints) {
    if (!c.id) {
      out.push(datamoverFinding('datamover-chain-missing-checkpoint', file, c.range, 'a checkpoint without an id cannot be part of any chain'));
      continue;
    }
    if (seen.has(c.id.value)) out.push(datamoverFinding('datamover-chain-duplicate-checkpoint', file, c.id.range, `checkpoint ${c.id.value} is listed twice; the controller refuses to restore from this index`));
    seen.add(c.id.value);
    out.push(...parentProblems(file, c, ids), ...parallelProblems(file, c));
  }
  const namespace = index.namespace?.value ?? entry.location?.namespace;
  const vm = index.vmName?.value ?? entry.location?.vm;
  if (namespace !== undefined && vm !== undefined) out.push(...fileProblems(entry, index, namespace, vm, ctx));
  out.push(...referenceProblems(index, ctx.backups));
  return out;
}

function parentProblems(file: string, c: Checkpoint, ids: ReadonlySet<string>): Finding[] {
  const id = c.id!.value;
  const type = c.type?.value.toLowerCase();
  if (type === 'full') {
    return c.parent && c.parent.value !== ''
      ? [datamoverFinding('datamover-chain-wrong-parent', file, c.parent.range, `checkpoint ${id} is a full backup but names a parent (${c.parent.value})`)]
      : [];
  }
  if (type !== 'incremental') {
    return [datamoverFinding('datamover-chain-wrong-parent', file, c.type?.range ?? c.id!.range, `checkpoint ${id} has type ${JSON.stringify(c.type?.value ?? '')}; it must be "full" or "incremental"`)];
  }
  if (!c.parent || c.parent.value === '') return [datamoverFinding('datamover-chain-wrong-parent', file, c.type!.range, `incremental checkpoint ${id} names no parent`)];
  if (c.parent.value === id) return [datamoverFinding('datamover-chain-wrong-parent', file, c.parent.range, `checkpoint ${id} names itself as its parent`)];
  if (!ids.has(c.parent.value)) {
    return [datamoverFinding('datamover-chain-missing-checkpoint', file, c.parent.range, `the parent of ${id}, ${c.parent.value}, is not in this index: no chain through ${id} can be restored`)];
  }
  return [];
}

/** pvcs, pvcSizes and files are parallel (pkg/uploader updateVMIndex writes them index-aligned). */
function parallelProblems(file: string, c: Checkpoint): Finding[] {
  const out: Finding[] = [];
  const id = c.id!.value;
  const n = c.pvcs.length;
  if (c.pvcSizes === undefined || (c.pvcSizes.length === 0 && n > 0)) {
    if (n > 0) {
      out.push(
        datamoverFinding('datamover-pvc-sizes-missing', file, c.pvcsRange ?? c.id!.range, `checkpoint ${id} has no pvcSizes: the restore sizes its scratch PVC from the target PVC alone (or a 10Gi default), and the target size is unknown`),
      );
    }
  } else if (c.pvcSizes.length !== n) {
    out.push(datamoverFinding('datamover-pvc-sizes-mismatch', file, c.pvcSizesRange ?? c.id!.range, `checkpoint ${id} has ${c.pvcSizes.length} pvcSizes for ${n} pvcs; they are paired by position, so the sizes cannot be trusted`));
  }
  if (c.files.length !== n) {
    out.push(datamoverFinding('datamover-pvc-sizes-mismatch', file, c.filesRange ?? c.id!.range, `checkpoint ${id} has ${c.files.length} files for ${n} pvcs; the restore pairs a PVC with the file at the same position`));
  }
  const disks = new Set<string>();
  c.files.forEach((f, i) => {
    if (f.plain) return;
    const disk = f.diskName?.value;
    if (!disk) {
      out.push(datamoverFinding('datamover-pvc-sizes-mismatch', file, f.range, `files[${i}] of ${id} has no diskName: PVC ${c.pvcs[i]?.value ?? '?'} cannot be matched to its file and its restore fails`));
    } else if (disks.has(disk)) {
      out.push(datamoverFinding('datamover-pvc-sizes-mismatch', file, f.diskName!.range, `checkpoint ${id} has two files for disk ${disk}; the controller refuses it`));
    }
    if (disk) disks.add(disk);
  });
  return out;
}

/** objectPath where the controller wants it, and the local copy (present, recorded size). */
function fileProblems(entry: DatamoverEntry, index: VmIndex, namespace: string, vm: string, ctx: IndexContext): Finding[] {
  const out: Finding[] = [];
  const needed = neededCheckpoints(index, ctx.backups);
  for (const c of index.checkpoints) {
    if (!c.id) continue;
    for (const f of c.files) {
      const name = f.filename?.value;
      if (name === undefined || name === '') continue;
      const expected = qcowObjectPath(namespace, vm, c.id.value, name);
      if (f.objectPath && f.objectPath.value !== expected) {
        out.push(datamoverFinding('datamover-object-path-mismatch', index.file, f.objectPath.range, `objectPath ${f.objectPath.value} is not ${expected}; the controller refuses to download a file outside its checkpoint`));
      }
      const at = f.filename!.range;
      const size = ctx.local.size(entry.scope + (f.objectPath?.value ?? expected));
      if (size === 'absent') {
        const severity = needed.has(c.id.value) ? 'error' : 'info';
        const why = severity === 'error' ? `a backup needs checkpoint ${c.id.value}` : `no backup references ${c.id.value} any more`;
        out.push(datamoverFinding('datamover-file-missing', index.file, at, `${expected} is not in the local copy (${why})`, { severity, data: { path: expected } }));
      } else if (size !== undefined && f.size && f.size.value >= 0n && size !== f.size.value) {
        out.push(
          datamoverFinding('datamover-file-size-mismatch', index.file, f.size.range, `the local ${name} has ${groupDigits(size)} bytes, the index records ${groupDigits(f.size.value)}`, {
            data: { localBytes: size.toString(), indexBytes: f.size.value.toString() },
          }),
        );
      }
    }
  }
  return out;
}

/** Checkpoints some backup still needs: in a known chain, or named by a referencedBy. */
function neededCheckpoints(index: VmIndex, backups: readonly VmBackup[]): Set<string> {
  const needed = new Set<string>();
  for (const b of backups) for (const id of b.manifest.chain) needed.add(id.value);
  for (const c of index.checkpoints) if (c.id && c.referencedBy.length > 0) needed.add(c.id.value);
  return needed;
}

/**
 * referencedBy decides what a backup deletion removes (files no remaining backup references are deleted): a chain
 * checkpoint that does not list its backup can be deleted under it; a listed backup that does not use it keeps
 * its files forever.
 */
function referenceProblems(index: VmIndex, backups: readonly VmBackup[]): Finding[] {
  const out: Finding[] = [];
  const chains = new Map(backups.map((b) => [b.backup, new Set(b.manifest.chain.map((c) => c.value))]));
  for (const c of index.checkpoints) {
    if (!c.id) continue;
    const refs = new Set(c.referencedBy.map((r) => r.value));
    for (const [backup, chain] of chains) {
      if (chain.has(c.id.value) && !refs.has(backup)) {
        out.push(
          datamoverFinding('datamover-referenced-by-missing', index.file, c.referencedByRange ?? c.id.range, `backup ${backup} needs checkpoint ${c.id.value} but referencedBy does not list it: deleting the other backups would delete its files`, {
            data: { backup, checkpoint: c.id.value },
          }),
        );
      }
    }
    for (const r of c.referencedBy) {
      const chain = chains.get(r.value);
      if (chain && !chain.has(c.id.value)) {
        out.push(datamoverFinding('datamover-referenced-by-stale', index.file, r.range, `backup ${r.value} does not use checkpoint ${c.id.value} (its chain is ${[...chain].join(' → ')}); this reference keeps the files alive`));
      }
    }
  }
  return out;
}
