/**
 * The restore as shell commands, in the safe order of the design document and pkg/downloader/reconstruct.go:
 * rebase each incremental onto its parent, full backup first, then convert the top of the chain to raw on the
 * target device. Paths are relative to the prefix's root (run them there); a backing path is written relative to
 * the incremental's own folder, which is how qemu resolves a relative backing file.
 */
import type { DiskPlan, VmPlan } from './plan.js';

export interface CommandOptions {
  /** Local paths of incrementals whose `-u` rebase `--verify` proved safe. */
  proven: ReadonlySet<string>;
  /** Whether qemu-img info was run on the files at all. */
  verified: boolean;
}

/** Lines of a shell script for one VM; lines starting with '#' say why. */
export function restoreCommands(vm: VmPlan, options: CommandOptions): string[] {
  const who = `${vm.namespace}/${vm.vm}`;
  if (!vm.whole) return [`# ${who} from ${vm.backup}: not restorable as it stands (the chain or its files have errors, listed below); no commands`];
  const lines: string[] = [`# ${who} from backup ${vm.backup}, in ${vm.scope.replace(/\/$/, '') || '.'}`];
  for (const disk of vm.disks) lines.push(...diskCommands(vm, disk, options));
  return lines;
}

function diskCommands(vm: VmPlan, disk: DiskPlan, options: CommandOptions): string[] {
  const chain = disk.files.map((f) => f.checkpoint).join(' → ');
  const lines = [`# disk ${disk.disk} → PVC ${disk.pvc}${disk.targetText ? ` (${disk.targetText})` : ''}: ${chain}`];
  const unproven = disk.files.slice(1).filter((f) => !options.proven.has(f.path)).map((f) => f.checkpoint);
  if (unproven.length > 0) {
    const why = options.verified ? 'their backing files do not name their parents (see the problems)' : 'not verified (--verify with qemu-img on the PATH)';
    lines.push(`# ${unproven.join(', ')}: rebased without -u, ${why}; a safe rebase reads the old backing file, which must be readable`);
  }
  for (let i = 1; i < disk.files.length; i++) {
    const child = disk.files[i]!;
    const parent = relativeTo(child.objectPath, disk.files[i - 1]!.objectPath);
    const unsafe = options.proven.has(child.path) ? ' -u' : '';
    lines.push(`qemu-img rebase -b ${sh(parent)} -F qcow2 -f qcow2${unsafe} ${sh(child.objectPath)}`);
  }
  const top = disk.files[disk.files.length - 1];
  if (top) lines.push(`qemu-img convert -f qcow2 -O raw ${sh(top.objectPath)} ${sh(`/dev/${disk.pvc}`)}`);
  return lines;
}

/** `to` relative to the folder of `from` ('/'-separated paths under one root). */
export function relativeTo(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let common = 0;
  while (common < a.length && common < b.length - 1 && a[common] === b[common]) common++;
  return [...Array<string>(a.length - common).fill('..'), ...b.slice(common)].join('/');
}

/** Quotes a word for a POSIX shell when it needs it. */
function sh(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
