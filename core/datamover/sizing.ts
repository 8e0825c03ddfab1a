/**
 * Staging sizes of a datamover restore, two ways.
 *
 * The controller's: mirrors calculateScratchPVCSize, maxDiskSizeFromIndex, calculateWorkPVCSize and
 * calculateOutputPVCSize in migtools/kubevirt-datamover-controller internal/controller/kubevirt_datadownload_controller.go
 * at 3fd10b9a, with addOverhead (internal/controller/helpers.go) and sizeOverheadPercent = 20
 * (kubevirt_dataupload_controller.go). One DataDownload restores one disk; its files are the chain's files for
 * that disk (ResolveCheckpointFiles), sized by the index's `size`, not by the objects in the bucket.
 *
 * The design document's: for each PVC, (PVC size + Σ qcow2 files for it) × 1.10, and the max over the VM's PVCs,
 * since the design processes one PVC at a time on one staging PVC.
 *
 * Bytes are bigint. Upstream works on resource.Quantity: Value() rounds up, and adding whole file sizes after
 * rounding gives the same bytes as rounding after adding, so bytes here equal upstream's.
 */

/** What the sizing reads of the index: per chain checkpoint, its files as (disk name, PVC size) pairs. */
export interface SizingIndex {
  checkpoints: readonly { id: string; files: readonly { diskName: string }[]; pvcSizes: readonly (bigint | undefined)[] }[];
}

export interface SizingFile {
  /** CheckpointFile.Size: may be negative or zero in a corrupt or partial index. */
  size: bigint;
}

/** The controller's default overhead (sizeOverheadPercent). */
export const controllerOverheadPercent = 20;
/** DefaultScratchPVCSize, the fallback when nothing is known. */
export const defaultScratchBytes = 10n * 1024n ** 3n;
/** The floor the controller puts under every staging PVC (resource.MustParse("1Gi")). */
export const minStagingBytes = 1024n ** 3n;
/** The design document's buffer. */
export const designBufferPercent = 10;

/** addOverhead: `base + base × percent / 100`, the division truncating as Go's int64 does. */
export function addOverhead(bytes: bigint, percent: number): bigint {
  return bytes + (bytes * BigInt(percent)) / 100n;
}

/** maxDiskSizeFromIndex: the largest pvcSizes entry of `disk` across the chain, floored by the target's request. */
export function maxDiskSizeFromIndex(index: SizingIndex, chain: readonly string[], disk: string, targetBytes: bigint): bigint {
  const inChain = new Set(chain);
  let max = targetBytes;
  for (const entry of index.checkpoints) {
    if (!inChain.has(entry.id)) continue;
    entry.files.forEach((f, i) => {
      const size = entry.pvcSizes[i];
      if (f.diskName !== disk || i >= entry.pvcSizes.length || size === undefined) return;
      if (size > max) max = size;
    });
  }
  return max;
}

/** Σ file sizes, negative ones ignored (a corrupt entry must not shrink the total). */
function chainBytes(files: readonly SizingFile[]): bigint {
  return files.reduce((sum, f) => (f.size < 0n ? sum : sum + f.size), 0n);
}

export type SizingBasis = 'metadata' | 'doubled-chain' | 'default' | 'floor';

export interface Sized {
  bytes: bigint;
  /** Which branch decided: sized from metadata, the 1Gi floor, the 10Gi default, or the doubled chain. */
  basis: SizingBasis;
}

/** calculateScratchPVCSize: one Filesystem-mode PVC holding the qcow2 chain and the flattened raw disk at once. */
export function scratchPvcSize(index: SizingIndex, chain: readonly string[], disk: string, files: readonly SizingFile[], targetBytes: bigint, percent = controllerOverheadPercent): Sized {
  const maxDisk = maxDiskSizeFromIndex(index, chain, disk, targetBytes);
  const total = chainBytes(files);
  if (maxDisk === 0n) {
    const doubled = addOverhead(total * 2n, percent);
    return defaultScratchBytes < doubled ? { bytes: doubled, basis: 'doubled-chain' } : { bytes: defaultScratchBytes, basis: 'default' };
  }
  return floored(addOverhead(maxDisk + total, percent));
}

/** calculateWorkPVCSize: for a Block target, the Filesystem PVC that holds only the qcow2 chain. */
export function workPvcSize(files: readonly SizingFile[], percent = controllerOverheadPercent): Sized {
  const total = chainBytes(files);
  if (total === 0n) return { bytes: defaultScratchBytes, basis: 'default' };
  return floored(addOverhead(total, percent));
}

/** calculateOutputPVCSize: for a Block target, the Block PVC that receives the raw disk (and is rebound to the target). */
export function outputPvcSize(index: SizingIndex, chain: readonly string[], disk: string, targetBytes: bigint, percent = controllerOverheadPercent): Sized {
  const maxDisk = maxDiskSizeFromIndex(index, chain, disk, targetBytes);
  if (maxDisk === 0n) return { bytes: defaultScratchBytes, basis: 'default' };
  return floored(addOverhead(maxDisk, percent));
}

function floored(bytes: bigint): Sized {
  return bytes < minStagingBytes ? { bytes: minStagingBytes, basis: 'floor' } : { bytes, basis: 'metadata' };
}

/** The design's figure for one PVC: ceil((PVC size + Σ qcow2) × (1 + buffer)). */
export function designPvcSize(pvcBytes: bigint, qcow2Bytes: readonly bigint[], bufferPercent = designBufferPercent): bigint {
  const base = pvcBytes + qcow2Bytes.reduce((a, b) => a + (b > 0n ? b : 0n), 0n);
  const scaled = base * BigInt(100 + bufferPercent);
  return scaled / 100n + (scaled % 100n === 0n ? 0n : 1n);
}
