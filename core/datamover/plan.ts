/**
 * A restore plan for backups in a local copy of a datamover prefix: per VM and disk, the PVCs the controller
 * creates and their sizes (sizing.ts), the design document's figure beside them, the target PVCs, whether the
 * chain is whole, and what deleting the backup would remove. Pure: the local copy comes in as `LocalFiles`.
 */
import type { Finding, Range } from '../types.js';
import { resolveChain, sizingIndex, type DiskRestore } from './chain.js';
import { checkDatamover } from './checks.js';
import { qcowObjectPath } from './layout.js';
import type { DatamoverSet, VmBackup } from './set.js';
import { controllerOverheadPercent, designBufferPercent, designPvcSize, outputPvcSize, scratchPvcSize, workPvcSize, type SizingBasis } from './sizing.js';
import { noLocalFiles, type LocalFiles } from './types.js';

export interface PlanSettings {
  /** The controller's headroom on staging PVCs, percent (its sizeOverheadPercent, 20). */
  overheadPercent: number;
  /** The target PVCs' volume mode: Block (the design's) gets a work and an output PVC per disk, Filesystem one scratch PVC. */
  volumeMode: 'Block' | 'Filesystem';
}

export const defaultPlanSettings: PlanSettings = { overheadPercent: controllerOverheadPercent, volumeMode: 'Block' };

export interface StagingPvc {
  role: 'scratch' | 'work' | 'output';
  volumeMode: 'Block' | 'Filesystem';
  bytes: bigint;
  basis: SizingBasis;
}

export interface PlannedFile {
  checkpoint: string;
  /** Relative to the prefix. */
  objectPath: string;
  /** The path of the local copy (the prefix's root + objectPath). */
  path: string;
  indexBytes?: bigint;
  localBytes?: bigint;
  /** Known to be missing from the local copy. */
  absent: boolean;
  /** Where the file's entry is in the VM index (for findings about the file). */
  at: Range;
}

export interface DiskPlan {
  pvc: string;
  disk: string;
  targetBytes?: bigint;
  targetText?: string;
  files: PlannedFile[];
  /** Σ the index's sizes (what the controller sizes from). */
  chainIndexBytes: bigint;
  /** Σ the local sizes where known, else the index's (what the design sizes from). */
  chainBytes: bigint;
  staging: StagingPvc[];
  stagingBytes: bigint;
  /** (target + Σ qcow2) × 1.10; undefined when the target size is unknown. */
  designBytes?: bigint;
}

export interface VmPlan {
  backup: string;
  /** The prefix folder the objectPaths are relative to (where the restore commands run). */
  scope: string;
  namespace: string;
  vm: string;
  manifestFile: string;
  indexFile?: string;
  chain: string[];
  /** The controller's chain checks pass (and, with verify, the files). */
  whole: boolean;
  disks: DiskPlan[];
  /** Σ staging over the VM's disks: the controller starts every disk's DataDownload at once (no concurrency limit by default). */
  scratchBytes: bigint;
  /** The largest disk's staging: the claim when DataDownloads run one at a time (MaxConcurrentDataMovers=1). */
  scratchBytesOneAtATime: bigint;
  /** The design's figure: the max over the VM's PVCs; undefined when no target size is known. */
  designBytes?: bigint;
  problems: Finding[];
}

export interface Deletion {
  /** Files no other backup references: deleting the backup deletes them. */
  deleted: string[];
  /** Files other backups still reference, with those backups: they stay. */
  kept: { objectPath: string; referencedBy: string[] }[];
}

export interface BackupPlan {
  backup: string;
  vms: VmPlan[];
  totals: { scratchBytes: bigint; designBytes: bigint; targetBytes: bigint };
  deletion: Deletion;
}

export interface RestorePlan {
  backups: BackupPlan[];
  /** Every finding of every analysed file. */
  findings: Finding[];
}

/** Which backups and VMs to plan; everything by default. */
export interface PlanFilter {
  backup?: string;
  namespace?: string;
  vm?: string;
}

/** Plans the restore of the backups (and VMs) `only` names from the files in `set`. */
export function planRestore(set: DatamoverSet, local: LocalFiles = noLocalFiles, settings: PlanSettings = defaultPlanSettings, only: PlanFilter = {}): RestorePlan {
  const findings = checkDatamover(set, local);
  const byBackup = new Map<string, VmPlan[]>();
  const deletions = new Map<string, Deletion>();
  for (const vb of set.vmBackups()) {
    if ((only.backup !== undefined && vb.backup !== only.backup) || (only.namespace !== undefined && vb.namespace !== only.namespace) || (only.vm !== undefined && vb.vm !== only.vm)) continue;
    const plans = byBackup.get(vb.backup) ?? [];
    plans.push(planVm(vb, local, settings, findings));
    byBackup.set(vb.backup, plans);
    const d = deletions.get(vb.backup) ?? { deleted: [], kept: [] };
    addDeletion(d, vb);
    deletions.set(vb.backup, d);
  }
  const backups = [...byBackup].map(([name, vms]) => ({
    backup: name,
    vms,
    totals: {
      scratchBytes: sum(vms.map((v) => v.scratchBytes)),
      designBytes: sum(vms.map((v) => v.designBytes ?? 0n)),
      targetBytes: sum(vms.flatMap((v) => v.disks.map((d) => d.targetBytes ?? 0n))),
    },
    deletion: deletions.get(name)!,
  }));
  return { backups, findings };
}

function planVm(vb: VmBackup, local: LocalFiles, settings: PlanSettings, findings: readonly Finding[]): VmPlan {
  const resolved = resolveChain(vb);
  const problems = findings.filter((f) => f.file === vb.manifest.file || (f.file === vb.index?.file && concernsChain(f, vb)));
  const disks = vb.index ? resolved.disks.map((d) => planDisk(vb, d, local, settings)) : [];
  const staging = disks.map((d) => d.stagingBytes);
  const designs = disks.flatMap((d) => (d.designBytes === undefined ? [] : [d.designBytes]));
  const plan: VmPlan = {
    backup: vb.backup,
    scope: vb.scope,
    namespace: vb.namespace,
    vm: vb.vm,
    manifestFile: vb.manifest.file,
    chain: resolved.chain,
    whole: resolved.whole && !problems.some((p) => p.severity === 'error'),
    disks,
    scratchBytes: sum(staging),
    scratchBytesOneAtATime: staging.reduce((a, b) => (b > a ? b : a), 0n),
    problems,
  };
  if (vb.index) plan.indexFile = vb.index.file;
  if (designs.length > 0) plan.designBytes = designs.reduce((a, b) => (b > a ? b : a));
  return plan;
}

function planDisk(vb: VmBackup, d: DiskRestore, local: LocalFiles, settings: PlanSettings): DiskPlan {
  const index = sizingIndex(vb.index!);
  const files: PlannedFile[] = d.files.map((f) => {
    const path = vb.scope + f.objectPath;
    const size = local.size(path);
    const p: PlannedFile = { checkpoint: f.checkpoint, objectPath: f.objectPath, path, absent: size === 'absent', at: f.file.filename?.range ?? f.file.range };
    if (f.file.size) p.indexBytes = f.file.size.value;
    if (typeof size === 'bigint') p.localBytes = size;
    return p;
  });
  const sizing = files.map((f) => ({ size: f.indexBytes ?? 0n }));
  const target = d.targetBytes ?? 0n;
  const pct = settings.overheadPercent;
  const staging: StagingPvc[] =
    settings.volumeMode === 'Block'
      ? [
          { role: 'work', volumeMode: 'Filesystem', ...workPvcSize(sizing, pct) },
          { role: 'output', volumeMode: 'Block', ...outputPvcSize(index, resolvedChain(vb), d.disk, target, pct) },
        ]
      : [{ role: 'scratch', volumeMode: 'Filesystem', ...scratchPvcSize(index, resolvedChain(vb), d.disk, sizing, target, pct) }];
  const plan: DiskPlan = {
    pvc: d.pvc,
    disk: d.disk,
    files,
    chainIndexBytes: sum(files.map((f) => (f.indexBytes !== undefined && f.indexBytes > 0n ? f.indexBytes : 0n))),
    chainBytes: sum(files.map((f) => f.localBytes ?? (f.indexBytes !== undefined && f.indexBytes > 0n ? f.indexBytes : 0n))),
    staging,
    stagingBytes: sum(staging.map((s) => s.bytes)),
  };
  if (d.targetBytes !== undefined) {
    plan.targetBytes = d.targetBytes;
    plan.targetText = d.targetText!;
    plan.designBytes = designPvcSize(d.targetBytes, files.map((f) => f.localBytes ?? f.indexBytes ?? 0n), designBufferPercent);
  }
  return plan;
}

/**
 * Whether a finding of the VM index concerns this backup: one that makes the index unreadable for the controller
 * does, as does one inside a checkpoint of the chain or outside every checkpoint; one inside another checkpoint
 * (say, of an older chain) does not.
 */
function concernsChain(f: Finding, vb: VmBackup): boolean {
  if (f.rule === 'datamover-index-invalid' || (f.rule === 'datamover-size-invalid' && f.severity === 'error')) return true;
  const chain = new Set(resolvedChain(vb));
  const holder = vb.index!.checkpoints.find((c) => within(f.range, c.range));
  return holder === undefined || (holder.id !== undefined && chain.has(holder.id.value));
}

function within(inner: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

function resolvedChain(vb: VmBackup): string[] {
  return vb.manifest.chain.map((c) => c.value);
}

/** What deleting the backup removes: a chain checkpoint's files go only when no other backup references them. */
function addDeletion(d: Deletion, vb: VmBackup): void {
  if (!vb.index) return;
  const chain = new Set(resolvedChain(vb));
  for (const c of vb.index.checkpoints) {
    if (!c.id || !chain.has(c.id.value)) continue;
    const others = [...new Set(c.referencedBy.map((r) => r.value))].filter((r) => r !== vb.backup).sort();
    for (const f of c.files) {
      const name = f.filename?.value;
      if (!name) continue;
      const objectPath = qcowObjectPath(vb.namespace, vb.vm, c.id.value, name);
      if (others.length === 0) d.deleted.push(objectPath);
      else d.kept.push({ objectPath, referencedBy: others });
    }
  }
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}
