/**
 * Checks of the chain's qcow2 files from `qemu-img info --output=json`, and which rebases they prove safe. The
 * restore pod refuses what pkg/downloader/reconstruct.go rebaseChain refuses (at 2cc066e): an external data file on
 * any layer, a backing file on the base, no backing file on an incremental. Beyond that, `qemu-img rebase -u` only
 * rewrites the backing pointer without comparing data, so it is safe when the incremental was written over exactly
 * that parent: here, when its recorded backing file names the parent's file (and the format is qcow2).
 */
import { groupDigits } from '../quantity.js';
import type { Finding } from '../types.js';
import type { DiskPlan, VmPlan } from './plan.js';
import { datamoverFinding } from './rules.js';

/** The fields of `qemu-img info --output=json` read here. */
export interface QemuInfo {
  format: string;
  virtualSize: bigint;
  backingFilename?: string;
  backingFormat?: string;
  dataFile?: string;
}

export type QemuInfoResult = { ok: true; info: QemuInfo } | { ok: false; error: string };

/** Reads qemu-img's JSON (numbers as written: virtual sizes are int64). */
export function parseQemuInfo(json: string): QemuInfoResult {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(json.replace(/"virtual-size"\s*:\s*(\d+)/, '"virtual-size": "$1"')) as Record<string, unknown>;
  } catch (e) {
    return { ok: false, error: `qemu-img info printed something that is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const size = v['virtual-size'];
  if (typeof v['format'] !== 'string' || typeof size !== 'string') return { ok: false, error: 'qemu-img info did not say the format and virtual size' };
  const info: QemuInfo = { format: v['format'], virtualSize: BigInt(size) };
  if (typeof v['backing-filename'] === 'string') info.backingFilename = v['backing-filename'];
  if (typeof v['backing-filename-format'] === 'string') info.backingFormat = v['backing-filename-format'];
  const spec = v['format-specific'] as { data?: { 'data-file'?: unknown } } | undefined;
  if (typeof spec?.data?.['data-file'] === 'string') info.dataFile = spec.data['data-file'];
  return { ok: true, info };
}

export interface VerifyResult {
  findings: Finding[];
  /** Local paths of incrementals whose rebase onto their parent with `-u` is proven safe. */
  provenRebases: Set<string>;
}

/** Checks one VM's disks against the infos (keyed by local path); files without an info are not checked. */
export function verifyVm(vm: VmPlan, infos: ReadonlyMap<string, QemuInfoResult>): VerifyResult {
  const out: VerifyResult = { findings: [], provenRebases: new Set() };
  if (vm.indexFile) for (const disk of vm.disks) verifyDisk(vm.indexFile, disk, infos, out);
  return out;
}

function verifyDisk(file: string, disk: DiskPlan, infos: ReadonlyMap<string, QemuInfoResult>, out: VerifyResult): void {
  disk.files.forEach((f, i) => {
    const r = infos.get(f.path);
    if (!r) return;
    const name = f.objectPath.split('/').pop()!;
    const bad = (message: string) => out.findings.push(datamoverFinding('datamover-qcow2-invalid', file, f.at, `${f.objectPath}: ${message}`, { data: { path: f.objectPath } }));
    if (!r.ok) return bad(r.error);
    const info = r.info;
    if (info.format !== 'qcow2') return bad(`it is ${info.format}, not qcow2`);
    if (info.dataFile) return bad(`it has an external data file (${info.dataFile}); the restore refuses it`);
    if (i === 0) {
      if (info.backingFilename) bad(`the full backup has a backing file (${info.backingFilename}); the restore refuses it`);
    } else if (!info.backingFilename) {
      bad('this incremental has no backing file; the restore refuses it');
    } else {
      const parent = disk.files[i - 1]!;
      const parentName = parent.objectPath.split('/').pop()!;
      const recorded = info.backingFilename.split('/').pop();
      if (recorded === parentName && (info.backingFormat ?? 'qcow2') === 'qcow2') {
        out.provenRebases.add(f.path);
      } else {
        out.findings.push(
          datamoverFinding('datamover-qcow2-backing-mismatch', file, f.at, `${name} was written over ${info.backingFilename}${info.backingFormat ? ` (${info.backingFormat})` : ''}, not over its parent ${parentName}: rebasing it with -u is not proven safe`, {
            data: { path: f.objectPath, backing: info.backingFilename },
          }),
        );
      }
    }
    if (i === disk.files.length - 1 && disk.targetBytes !== undefined && info.virtualSize > disk.targetBytes) {
      out.findings.push(
        datamoverFinding('datamover-qcow2-virtual-size', file, f.at, `the disk image ${name} is ${groupDigits(info.virtualSize)} bytes, more than its target PVC ${disk.pvc} (${disk.targetText}, ${groupDigits(disk.targetBytes)} bytes): qemu-img convert cannot fit it`, {
          data: { virtualBytes: info.virtualSize.toString(), targetBytes: disk.targetBytes.toString() },
        }),
      );
    }
  });
}
